"""Supply-side and disruption models 供给侧与中断冲击模型 (public module ``lianpu.shock``).

- :func:`ghosh` — Ghosh supply-driven model 戈什模型: Δx' = Δv' G, G = (I − B)⁻¹ (Miller &
  Blair 2009, ch. 12). **Caveat** (Oosterhaven 1988, 1989; Dietzenbacher 1997): read as a
  quantity model it lets output rise or fall without the other inputs doing so — no fixed
  technology, perfectly elastic final demand. Use it only as a quantity *indicator* of forward
  dependence (who is downstream of a supply change), never as a forecast of output.
- :func:`mixed` — mixed exogenous/endogenous model (Miller & Blair 2009, ch. 13): outputs of
  the constrained sectors J are fixed, the others follow demand; solved by partitioning.
- :func:`import_cut`, :func:`capacity_cut`, :func:`disruption` — import cut-offs 进口中断 and
  domestic capacity losses on a non-competitive table: maximum feasible production as a
  linear programme (:mod:`lianpu.analysis.scenarios.disruption`).
- :func:`inoperability`, :func:`recovery`, :func:`resilience` — the inoperability IO model
  (Haimes & Jiang 2001; Santos & Haimes 2004) and its dynamic form
  (:mod:`lianpu.analysis.scenarios.inoperability`).
"""
from __future__ import annotations

import numpy as np

from ...core import leontief as leo
from ...core.errors import ArgumentError, TableError, message
from ...core.notes import Note
from .._result import code_str
from .demand import SectorLookup
from .shockbase import ShockResult, by_sector, checked, mixed_solve
from .shockbase import labels as _labels

OOSTERHAVEN = Note("Ghosh model: a quantity indicator of forward dependence only — it assumes "
                   "output follows primary-input supply with no fixed technology and perfectly "
                   "elastic demand (Oosterhaven 1988, 1989); do not read the changes as output "
                   "forecasts",
                   "戈什模型：仅作为前向依赖的数量指标——它假定产出随最初投入供给变动，没有固定的"
                   "生产技术，最终需求完全弹性（Oosterhaven 1988, 1989）；不应把其变化量当作产出预测")


def mixed(table, fixed, demand=None, *, basis: str = "auto") -> ShockResult:
    """Mixed model: fix the outputs of some sectors, solve for the rest.

    Parameters
    ----------
    fixed : mapping sector → gross output (table unit) for the constrained sectors J
    demand : final demand of the other sectors, (n,) or mapping (default: the table's own,
        f = x − A x, so that an unconstrained sector set reproduces the table)

    Columns: ``baseline_output`` x, ``output``, ``output_change``, ``final_demand`` (given for
    free sectors; for fixed ones the final use left after intermediate needs, f_J),
    ``value_added_change`` (value-added ratios fixed). ``basis``:
    :func:`lianpu.analysis.basis.resolve_basis` (default: the domestic view).
    """
    from ..basis import resolve_basis
    table, bs = resolve_basis(table, basis)
    look = SectorLookup(table)
    J, xJ = [], []
    for key, v in dict(fixed).items():
        i = look.find(key)
        if i is None:
            raise TableError(message(table.name, f"unknown sector {key!r}", argument="fixed",
                                     expected=look.expected()))
        if i in J:
            raise ArgumentError(f"argument 'fixed': sector {key!r} is given twice")
        J.append(i)
        xJ.append(float(v))
        if not np.isfinite(xJ[-1]):
            raise ArgumentError(message(table.name, "not a finite number", argument="fixed",
                                        row=code_str(table.index[i]), found=repr(xJ[-1]),
                                        expected="a finite gross output"))
    order = np.argsort(J)
    J, xJ = [J[i] for i in order], np.asarray(xJ)[order]
    x0 = table.x_
    f = x0 - table.A_ @ x0 if demand is None else by_sector(table, demand, "demand")
    r = np.setdiff1d(np.arange(table.n), J)
    x, fJ = mixed_solve(table.A_, J, xJ, f[r])
    f_used = f.copy()
    f_used[J] = fJ
    va = table.value_added_ * np.divide(1.0, x0, out=np.zeros(table.n), where=x0 > 0)
    cols = {"baseline_output": x0, "output": x, "output_change": x - x0, "final_demand": f_used,
            "value_added_change": va * (x - x0)}
    return checked(ShockResult(
        "mixed", table.index, _labels(table), cols, {k: table.unit for k in cols},
        totals={"output_change": float((x - x0).sum()),
                "value_added_change": float((va * (x - x0)).sum())},
        table=table.name, year=table.year, unit=table.unit,
        notes=(Note("mixed exogenous/endogenous model (Miller & Blair 2009, ch. 13): fixed "
                    "sectors' final demand is what remains after intermediate use",
                    "外生/内生混合模型（Miller & Blair 2009, ch. 13）：产出固定部门的最终需求为"
                    "扣除中间使用后的剩余"),),
        params={"fixed": {code_str(table.index[j]): float(v) for j, v in zip(J, xJ)}},
        basis=bs.to_dict()), x0)


def ghosh(table, supply_change, *, basis: str = "auto") -> ShockResult:
    """Ghosh supply-driven quantity indicator: Δx' = Δv' G (one transposed solve).

    ``supply_change``: change in primary inputs Δv by sector (table unit), (n,) or mapping.
    Read the result with the Oosterhaven caveat (module docstring): forward dependence only.
    ``basis``: :func:`lianpu.analysis.basis.resolve_basis` (default: the domestic view).
    """
    from ..basis import resolve_basis
    table, bs = resolve_basis(table, basis)
    dv = by_sector(table, supply_change, "supply_change")
    dx = leo.ghosh_solve(table.factor_ghosh, dv)
    cols = {"primary_input_change": dv, "output_change": dx,
            "output_change_pct": 100 * np.divide(dx, table.x_, out=np.zeros(table.n),
                                                 where=table.x_ > 0)}
    units = {"primary_input_change": table.unit, "output_change": table.unit,
             "output_change_pct": "% of gross output"}
    return checked(ShockResult("ghosh", table.index, _labels(table), cols, units,
                               totals={"output_change": float(dx.sum())}, table=table.name,
                               year=table.year, unit=table.unit, notes=(OOSTERHAVEN,),
                               basis=bs.to_dict()), table.x_)


from .disruption import capacity_cut, disruption, import_cut  # noqa: E402  (uses the pieces above)
from .inoperability import (  # noqa: E402
    RecoveryResult,
    compare_supply,
    inoperability,
    recovery,
    resilience,
)

__all__ = ["RecoveryResult", "ShockResult", "by_sector", "capacity_cut", "compare_supply",
           "disruption", "ghosh", "import_cut", "inoperability", "mixed", "mixed_solve",
           "recovery", "resilience"]
