"""Import cut-off 进口中断 on a non-competitive table: lost output and value added by sector.

Availability of imported product k falls by a share p_k (e.g. 30 % of 通信设备、计算机和其他电子
设备 imports). The rules, chosen and stated:

1. **Proportional rationing of the cut import.** Every user of imported k — each industry and
   each final-use category — receives (1 − p_k) of its baseline purchase (allotments at the
   baseline shares; allotments freed by users that shrink for other reasons are not
   re-allocated).
2. **Partial substitution** ``substitution`` = s ∈ [0, 1]: a share s of each user's shortfall is
   bought from domestic producers of k instead, so the k-input available to user j is
   c_k = 1 − p_k (1 − s) of its baseline need. Domestic k then supplies per unit of j's output
   a_kj + am_kj · s p_k / c_k (same mix at any output level), and final users buy
   s p_k · (their imported k) domestically. Domestic k has the spare capacity for it unless it
   is itself constrained. With s = 1 nothing is missing and nothing is capped.
3. **Leontief fixed proportions.** A sector's output is limited by its most constrained
   critical input: a user j of imported k can produce at most c_k x_j⁰. ``critical`` = τ: an
   input is critical when its coefficient (per unit of output) is ≥ τ; τ = 0 (default, strict
   Leontief) makes every positive input critical. On aggregated tables almost every sector buys
   a little of every import, so strict Leontief caps them all — an upper bound; τ > 0 (e.g.
   0.01) keeps only material inputs binding, after the critical / non-critical distinction of
   Pichler et al. (2022, J. Econ. Dyn. Control 144).
4. **Demand and knock-on shortages.** Sectors without a binding cap follow demand (final demand
   f⁰ = x⁰ − A x⁰, plus substitution purchases): capped sectors are fixed in the mixed model
   (:func:`lianpu.shock.mixed_solve`), which also lowers what they buy from their suppliers.
   A capped sector serves its own use first, then other industries, and final users (incl.
   exports) get what is left; if industries still cannot be served, each industrial user l with
   a critical coefficient a_il ≥ τ receives the same share r_i = (x_i − a_ii x_i) / Σ_{l≠i} a_il x_l
   and is capped at r_i x_l (Leontief again). Repeated until no shortage remains (caps only
   fall, so it stops).

Value added lost = (v_j / x_j⁰) · output lost (value-added ratios fixed).
"""
from __future__ import annotations

import numpy as np

from ..core import coefficients as coef
from ..core.errors import TableError, message
from .demand import SectorLookup
from .shockbase import ShockResult, mixed_solve
from .shockbase import labels as _labels

TOL = 1e-9


def _capped_solve(A, f, cap):
    """x = min(cap, A x + f) with capped sectors fixed (mixed model) and the others demand-
    driven; returns (x, active set J)."""
    n = A.shape[0]
    J = set(np.flatnonzero(np.isfinite(cap) & (cap < np.inf)))
    x = None
    for _ in range(4 * n + 4):
        Jl = sorted(J)
        r = np.setdiff1d(np.arange(n), Jl)
        x, _ = mixed_solve(A, Jl, cap[Jl], f[r])
        demand = A @ x + f
        over = {i for i in r if x[i] > cap[i] * (1 + TOL) + TOL}
        slack = {j for j in Jl if demand[j] < cap[j] * (1 - TOL) - TOL}
        if not over and not slack:
            return x, J
        J = (J | over) - slack
    raise ValueError("import_cut: the capacity-constrained solve did not settle "
                     f"(after {4 * n + 4} active-set rounds)")


def import_cut(table, cut, substitution: float = 0.0, critical: float = 0.0,
               max_rounds: int = 500) -> ShockResult:
    """Lost output and value added by sector when imports of some products are cut.

    Parameters
    ----------
    table : a non-competitive IOTable (imports in ``Zm``/``Ym``, e.g. cn_io_2017_42.csv)
    cut : mapping imported product (sector code) → share of its imports cut, in [0, 1]
    substitution : share s of the shortfall replaced by domestic supply, in [0, 1]
    critical : τ, the smallest coefficient that constrains output (0 = strict Leontief)

    Columns (table unit unless stated): ``baseline_output``, ``output``, ``output_loss``,
    ``output_loss_pct`` (%), ``value_added_loss``, ``final_use_lost`` (final use of the
    sector's domestic product not served), ``binding`` (why: ``import:k``, ``supply:i``,
    ``demand`` or '').
    """
    if table.Zm_ is None:
        raise TableError(message(table.name, "an import cut-off needs imported inputs by user",
                                 found="a competitive-import table", expected="a non-competitive "
                                 "table (cn_io_2017_42.csv, …) or table.domestic()"))
    for name, v in (("substitution", substitution), ("critical", critical)):
        if not 0 <= float(v) <= 1:
            raise ValueError(f"argument {name!r}: found {v}, expected a share in [0, 1]")
    n, s, tau = table.n, float(substitution), float(critical)
    look = SectorLookup(table)
    p = np.zeros(n)
    for key, share in dict(cut).items():
        i = look(key[-1], key[0]) if isinstance(key, tuple) else look(key)
        if i is None:
            raise TableError(message(table.name, f"unknown imported product {key!r}",
                                     argument="cut", expected=look.expected()))
        if not 0 <= float(share) <= 1:
            raise ValueError(f"argument 'cut': product {key!r}: found {share}, expected a share "
                             "in [0, 1] (0.3 for 30 %)")
        p[i] = float(share)
    x0 = table.x_
    A = table.A_
    Am = coef.calc_A(table.Zm_, x0)
    f0 = x0 - A @ x0
    c = 1.0 - p * (1.0 - s)
    A2 = np.array(A)
    f2 = f0.copy()
    cap = np.full(n, np.inf)
    why = np.full(n, "", dtype=object)
    for k in np.flatnonzero(p > 0):
        if c[k] > 0:
            A2[k] += Am[k] * (s * p[k] / c[k])
        f2[k] += s * p[k] * table.Ym_[k].sum()
        if c[k] >= 1:
            continue  # s = 1: every missing unit is replaced, nothing caps output
        users = (Am[k] > 0) & (Am[k] >= tau)
        newcap = c[k] * x0
        lower = users & (newcap < cap)
        cap[lower] = newcap[lower]
        why[lower] = f"import:{_code(table.index[k])}"
    capped_by_import = int(np.isfinite(cap).sum())
    for rounds in range(max_rounds):
        x, J = _capped_solve(A2, f2, cap)
        own = np.diag(A2) * x
        others = A2 @ x - own
        changed = False
        for i in sorted(J):
            avail = x[i] - own[i]
            if others[i] <= 0 or avail >= others[i] * (1 - 1e-9):
                continue
            ratio = max(avail, 0.0) / others[i]
            users = (A2[i] > 0) & (A2[i] >= tau)
            users[i] = False
            newcap = ratio * x
            lower = users & (newcap < cap * (1 - 1e-12))
            if lower.any():
                cap[lower] = newcap[lower]
                why[lower] = f"supply:{_code(table.index[i])}"
                changed = True
        if not changed:
            break
    else:
        raise ValueError(f"import_cut: knock-on rationing did not settle in {max_rounds} rounds")
    loss = x0 - x
    va = table.value_added_ * coef.safe_reciprocal(x0)
    served = x - A2 @ x
    binding = np.array([why[j] if j in J else ("demand" if abs(loss[j]) > 1e-9 * max(x0[j], 1)
                                                else "") for j in range(n)], dtype=object)
    imports = table.Zm_.sum(axis=1) + table.Ym_.sum(axis=1)
    cols = {"baseline_output": x0, "output": x, "output_loss": loss,
            "output_loss_pct": 100 * loss * coef.safe_reciprocal(x0),
            "value_added_loss": va * loss, "final_use_lost": f2 - served, "binding": binding}
    units = {k: table.unit for k in cols}
    units.update(output_loss_pct="% of baseline output", binding="")
    notes = ["import cut-off: proportional rationing of the cut imports across all users; Leontief "
             "fixed proportions in critical inputs; capped sectors serve industries before final "
             "users; value-added ratios fixed"]
    if tau == 0 and capped_by_import > n / 2:
        notes.append(f"strict Leontief (critical=0) capped {capped_by_import} of {n} sectors that "
                     "buy any of the cut imports: an upper bound; critical=0.01 keeps only inputs "
                     "worth ≥ 1 % of output binding")
    totals = {"output_loss": float(loss.sum()), "value_added_loss": float((va * loss).sum()),
              "imports_cut": float((p * imports).sum()),
              "imports_substituted": float((s * p * imports).sum()),
              "sectors_capped_by_imports": capped_by_import, "rounds": rounds + 1}
    return ShockResult("import_cut", table.index, _labels(table), cols, units, totals=totals,
                       table=table.name, year=table.year, unit=table.unit, notes=tuple(notes),
                       params={"cut": {_code(table.index[i]): float(p[i]) for i in np.flatnonzero(p)},
                               "substitution": s, "critical": tau})


def _code(c):
    return "/".join(map(str, c)) if isinstance(c, tuple) else str(c)
