"""Impact analysis 影响分析: direct, indirect and induced effects of a demand change.

For a demand vector f (one column per scenario; the local part, amount × local share, see
:mod:`lianpu.analysis.scenarios.demand`) and an intensity row s per unit of output (1 for output, v/x for
value added, compensation/x for labour income, F/x for satellites such as jobs):

- direct 直接效应 = s ⊙ f                          (the purchases themselves)
- indirect 间接效应 = s ⊙ (L f − f)                (Type I total − direct; suppliers' suppliers …)
- induced 诱发效应 = s ⊙ ((L̄ f̄)₁..ₙ − L f)          (Type II − Type I: households re-spending income)
- total 总效应 = direct + indirect (+ induced)

with L = (I − A)⁻¹ applied by the table's cached LU (one solve per column — a sectors × scenarios
demand is one matrix right-hand side, one factorization), and L̄ the Type II inverse with
households closed (Miller & Blair 2009, §2.5; the closure of
:func:`lianpu.analysis.multipliers.household_closure`).

``mode="net"`` — contribution analysis 产业贡献（净效应）: the entries of ``demand`` are the gross
outputs x_J of the industries whose economic contribution is measured (e.g. the whole auto
industry). Treating that output as final demand would count twice what the industries sell to
each other and to themselves. Instead their outputs are exogenous (Miller & Blair 2009, ch. 13,
mixed exogenous/endogenous model) and the rest of the economy responds to their purchases:

    x_r = (I − A_rr)⁻¹ A_rJ x_J,   direct = x_J,   indirect = x_r,

solved by partitioning, no inverse. For one industry j this is x = L e_j · x_j / l_jj (partition
(I − A) L = I), i.e. the output equivalent of a final demand x_j / l_jj. It is the extraction-
style counterpart of IMPLAN's industry contribution analysis (which removes only the industry's
purchases from itself); cf. hypothetical extraction, Miller & Blair (2009) §12.2.
Type II net: the same with the household-closed Ā (households stay endogenous).

Results are in the table's unit (satellites in their own unit).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ...core import coefficients as coef
from ...core import leontief as leo
from ...core.errors import ArgumentError, check_choice, message
from ...satellites.attach import notes_zh as table_notes_zh
from .._result import Result, readonly
from .demand import Demand, as_demand, read_demand  # noqa: F401  (read_demand re-exported)
from ..households import closure
from ..multipliers import _type2_factor, household_closure, intensity  # noqa: F401

EFFECTS = ("direct", "indirect", "induced", "total")
EFFECT_NAMES = {"direct": ("直接效应", "direct effect"), "indirect": ("间接效应", "indirect effect"),
                "induced": ("诱发效应", "induced effect"), "total": ("总效应", "total effect")}
INDICATOR_NAMES = {"output": ("总产出", "gross output"), "value_added": ("增加值", "value added"),
                   "income": ("劳动者报酬", "labour income (compensation of employees)")}


@dataclass(frozen=True, eq=False)
class ImpactResult(Result):
    """Effects by indicator, effect, sector and scenario.

    Arrays (n sectors × k scenarios): ``direct`` (the demand met locally, or the fixed outputs in
    net mode), ``type1`` (Type I total output), ``type2`` (Type II total output, first n rows;
    None for Type I). ``intensities``: indicator → effect per unit of output (n,).
    """

    index: pd.Index
    labels: pd.DataFrame
    scenarios: tuple
    direct: np.ndarray
    type1: np.ndarray
    type2: np.ndarray | None
    intensities: Mapping[str, np.ndarray]
    units: Mapping[str, str]
    type: str = "I"
    mode: str = "gross"
    table: str = ""
    year: int | None = None
    unit: str = ""
    notes: tuple = ()
    #: ``notes`` in Chinese, same order and facts (a note with no Chinese stays as written)
    notes_zh: tuple = ()
    demand_gross: np.ndarray | None = field(default=None, repr=False)
    indicator_names: Mapping[str, tuple] = field(default_factory=dict, repr=False)
    basis: Mapping[str, str] = field(default_factory=dict)
    #: Type II: how households were closed (:meth:`lianpu.analysis.households.Closure.to_dict`:
    #: method, columns, share of labour income, text_zh/en, warning_zh/en); {} for Type I
    closure: Mapping = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "labels", readonly(self.labels))

    @property
    def indicators(self) -> tuple:
        return tuple(self.intensities)

    @property
    def effects(self) -> tuple:
        return EFFECTS if self.type2 is not None else ("direct", "indirect", "total")

    def output(self, effect: str) -> np.ndarray:
        """Output effect (n, k) of ``effect``."""
        x = {"direct": self.direct, "indirect": self.type1 - self.direct,
             "total": self.type1 if self.type2 is None else self.type2}
        if self.type2 is not None:
            x["induced"] = self.type2 - self.type1
        return x[check_choice(effect, x, argument="effect")]

    def effect(self, indicator: str, effect: str) -> np.ndarray:
        """s ⊙ output effect, shape (n, k), in ``units[indicator]``."""
        check_choice(indicator, self.intensities, argument="indicator")
        return self.intensities[indicator][:, None] * self.output(effect)

    def totals(self) -> pd.DataFrame:
        """Sums over sectors: rows (indicator, scenario), columns effects; column ``unit``."""
        rows, idx = [], []
        for ind, s in self.intensities.items():
            # sums are linear: s'(x1 − f) = s'x1 − s'f, so no n × k temporaries are formed
            d, t1 = s @ self.direct, s @ self.type1
            sums = {"direct": d, "indirect": t1 - d, "total": t1}
            if self.type2 is not None:
                t2 = s @ self.type2
                sums.update(induced=t2 - t1, total=t2)
            vals = np.stack([sums[e] for e in self.effects], axis=1)  # (k, E)
            for j, sc in enumerate(self.scenarios):
                idx.append((ind, sc))
                rows.append(list(vals[j]) + [self.units[ind]])
        df = pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(idx, names=["indicator", "scenario"]),
                          columns=list(self.effects) + ["unit"])
        df.attrs.update(table=self.table, type=self.type, mode=self.mode)
        return df

    def to_frame(self) -> pd.DataFrame:
        """Long frame: [scenario,] indicator, effect, region, sector, value, unit.

        ``scenario`` appears when there are several; ``region`` is '' for a single-region table.
        """
        n, k = self.direct.shape
        inds, effs = self.indicators, self.effects
        vals = np.stack([np.stack([self.effect(i, e) for e in effs]) for i in inds])  # (I,E,n,k)
        if isinstance(self.index, pd.MultiIndex):
            reg = np.asarray(self.index.get_level_values(0), dtype=object)
            sec = np.asarray(self.index.get_level_values(-1), dtype=object)
        else:
            reg, sec = np.full(n, "", dtype=object), np.asarray(self.index, dtype=object)
        I, E = len(inds), len(effs)
        df = pd.DataFrame({
            "scenario": np.tile(np.asarray(self.scenarios, dtype=object), I * E * n),
            "indicator": np.repeat(np.asarray(inds, dtype=object), E * n * k),
            "effect": np.tile(np.repeat(np.asarray(effs, dtype=object), n * k), I),
            "region": np.tile(np.repeat(reg, k), I * E),
            "sector": np.tile(np.repeat(sec, k), I * E),
            "value": vals.ravel(),
        })
        df["unit"] = df["indicator"].map(self.units)
        if k == 1:
            df = df.drop(columns="scenario")
        df.attrs.update(table=self.table, type=self.type, mode=self.mode, unit=self.unit,
                        basis=self.basis.get("basis", ""))
        return df

    def to_dict(self) -> dict:
        tot = self.totals()
        return {
            "table": self.table, "year": self.year, "type": self.type, "mode": self.mode,
            "unit": self.unit, "scenarios": list(self.scenarios),
            "indicators": {i: {"unit": self.units[i], "name_zh": _ind_names(i, self)[0],
                               "name_en": _ind_names(i, self)[1]} for i in self.indicators},
            "effects": {e: {"name_zh": EFFECT_NAMES[e][0], "name_en": EFFECT_NAMES[e][1]}
                        for e in self.effects},
            "totals": [{"indicator": i, "scenario": s, **{e: float(r[e]) for e in self.effects}}
                       for (i, s), r in tot.iterrows()],
            "by_sector": self.to_frame().drop(columns="unit").to_dict(orient="records"),
            "notes": list(self.notes), "notes_zh": list(self.notes_zh),
            "basis": dict(self.basis),
            "closure": dict(self.closure) or None,
        }


def _ind_names(ind, res):
    if ind in INDICATOR_NAMES:
        return INDICATOR_NAMES[ind]
    return res.indicator_names.get(ind, (ind, ind))


def indicator_intensities(table) -> tuple[dict, dict, dict]:
    """(intensities, units, names) for output, value added, income (if the table has a
    compensation row) and every satellite, each per unit of gross output (n,)."""
    inten, units, names = {}, {}, {}
    for kind in ("output", "value_added", "income"):
        if kind == "income" and table.compensation_row is None:
            continue
        inten[kind], units[kind] = intensity(table, kind)
    for key, sat in table.satellites.items():
        inten[key] = coef.calc_S(sat.values[None, :], table.x_)[0]
        units[key] = sat.unit
        names[key] = (sat.name_zh or key, sat.name_en or key)
    return inten, units, names


def net_solve(A, fixed_out: np.ndarray, n: int | None = None) -> np.ndarray:
    """Contribution (net) outputs: rows with non-zero ``fixed_out`` (n, k) are exogenous at that
    output, all others respond with no final demand of their own. ``A`` may be the household-
    closed Ā (size n+1); the result has A's size. Columns with the same set of exogenous rows
    share one partitioned factorization."""
    from .shockbase import mixed_solve
    size = A.shape[0]
    n = n or fixed_out.shape[0]
    k = fixed_out.shape[1]
    out = np.zeros((size, k))
    patterns: dict = {}
    for j in range(k):
        patterns.setdefault(tuple(np.flatnonzero(fixed_out[:, j])), []).append(j)
    for J, cols in patterns.items():
        if not J:
            continue
        xJ = fixed_out[list(J)][:, cols]
        x, _ = mixed_solve(A, list(J), xJ, np.zeros((size - len(J), len(cols))))
        out[:, cols] = x
    return out


def impact(table, demand, type: str = "II", *, mode: str = "gross", local_share=None,
           households=None, basis: str = "auto", data_dir=None) -> ImpactResult:
    """Direct, indirect and induced effects of ``demand`` on output, value added, income, jobs
    and every satellite of ``table``.

    Parameters
    ----------
    table : IOTable
    demand : (n,) or (n, k) array, Series by sector (or (region, sector)), DataFrame sectors ×
        scenarios, a spending-profile file (CSV/TOML, see :mod:`lianpu.analysis.scenarios.demand`) or a
        :class:`~lianpu.analysis.scenarios.demand.Demand`; in the table's unit
    type : "I" (households exogenous) or "II" (households endogenous: adds induced effects)
    mode : "gross" (demand is final demand) or "net" (demand is the exogenous output of the
        industries whose contribution is measured; see the module docstring)
    local_share : share (scalar or (n,)) of each purchase supplied locally, for array demand
    households : final-demand columns closed for Type II (default: the table's household
        columns; for the non-competitive NBS 42-sector tables, which publish only TC, the
        household split estimated from the same year's detailed table; ``("TC",)`` closes TC
        as chosen, with a warning in the notes) — :func:`lianpu.analysis.households.closure`
    data_dir : dataset cache holding that detailed table (default: ``$LIANPU_DATA`` or the
        user data dir)
    basis : "auto" (default: the domestic view wherever imports can be separated, the local
        view of a provincial table), "published", "domestic" or "local"
        (:func:`lianpu.analysis.basis.resolve_basis`). The demand is spending on the view's
        products: the part met inside the economy is set by ``local_share`` (default 1).

    Examples
    --------
    >>> import lianpu
    >>> t = lianpu.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700])
    >>> r = lianpu.impact(t, [600, 1500], type="I")
    >>> r.output("total").ravel().round(2).tolist()     # Miller & Blair (2009) Table 2.3
    [1247.52, 1841.58]
    """
    from ..basis import resolve_basis
    if type not in ("I", "II"):
        raise ArgumentError(message(None, "unknown model type", argument="type",
                                    found=repr(type), expected="'I' or 'II'"))
    if mode not in ("gross", "net"):
        raise ArgumentError(message(None, "unknown impact mode", argument="mode",
                                    found=repr(mode), expected="'gross' or 'net'"))
    table, bs = resolve_basis(table, basis)
    d: Demand = as_demand(table, demand, local_share=local_share)
    f = d.local
    n, k = f.shape
    notes = list(d.notes)
    zh = list(table_notes_zh(d.notes))
    if mode == "gross":
        x1 = leo.leontief_solve(table.factor, f)
    else:
        x1 = net_solve(table.A_, f)
        notes.append("net (contribution) mode: the demand entries are the analysed industries' "
                     "gross output, held fixed; their sales to each other are not counted again")
        zh.append("净效应（产业贡献）口径：需求项为所分析产业的总产出，视为给定；这些产业之间的相互"
                  "销售不再重复计算")
    x2, cl = None, None
    if type == "II":
        fbar = np.vstack([f, np.zeros((1, k))])
        cl = closure(table, households, data_dir)
        if mode == "gross":
            x2 = _type2_factor(table, households, data_dir).solve(fbar)[:n]
        else:
            x2 = net_solve(leo.close_households(table.A_, cl.hr, cl.hc), fbar, n)[:n]
        notes.append(f"Type II: labour income row {table.compensation_row}; {cl.text_en}")
        zh.append(f"II型（居民内生）：劳动者报酬行{table.compensation_row}；{cl.text_zh}")
        if cl.warning_en:
            notes.append(cl.warning_en)
            zh.append(cl.warning_zh or cl.warning_en)
    if table.imports == "competitive":
        notes.append("competitive-import table: imported inputs are not leakages here, so effects "
                     "include import content; use basis 'domestic' (the default) to exclude it")
        zh.append("竞争型投入产出表：进口中间投入在此不作为漏出，效应含进口部分；用国内口径"
                  "（basis 'domestic'，默认）可将其剔除")
    for what, arr in (("Type I output", x1), ("Type II output", x2)):
        if arr is not None and not np.isfinite(arr).all():   # finite demand, overflowing effect
            raise ArgumentError(message(
                table.name, f"the {what} effect of this demand is not a finite number",
                argument="demand", found=f"largest amount {np.abs(f).max():.6g} {table.unit}",
                expected="amounts small enough that their effects fit a float (|x| < 1.8e308)"))
    inten, units, names = indicator_intensities(table)
    for arr in [f, x1, d.amount] + ([x2] if x2 is not None else []):
        arr.setflags(write=False)
    return ImpactResult(index=table.index, labels=table.sectors[["name_zh", "name_en"]],
                        scenarios=d.scenarios, direct=f, type1=x1, type2=x2, intensities=inten,
                        units=units, type=type, mode=mode, table=table.name, year=table.year,
                        unit=table.unit, notes=tuple(notes) + tuple(table.notes),
                        notes_zh=tuple(zh) + table_notes_zh(table.notes),
                        demand_gross=d.amount, indicator_names=names, basis=bs.to_dict(),
                        closure=cl.to_dict() if cl is not None else {})
