"""Structural decomposition analysis 结构分解分析 (SDA) of a change between two tables.

A quantity produced domestically, Q = e' L y = e' (I − A_d)⁻¹ (s · λ), is split into four
factors: e intensity 强度 (quantity per unit of output: 1 for output, VA/x for value added,
F/x for a satellite such as CO2), L the domestic Leontief inverse 技术（列昂惕夫逆）, s the
final-demand structure 最终需求结构 (product shares of domestic final use incl. exports and
the statistical discrepancy) and λ the final-demand level 最终需求规模 (its total).

Additive SDA: changing the factors one at a time from table a to table b, in a given order,
gives effects that sum exactly to ΔQ = Q_b − Q_a (a telescoping sum); the result depends on
the order, so — following Dietzenbacher & Los (1998) — the effects are averaged over all 4! =
24 orderings, and the spread over orderings (min, max, std) is reported. The average flips
sign exactly when a and b are swapped.

Tables of different classifications are first aggregated to a common one (NBS: the common
39 sectors of :mod:`lianpu.carbon.concordance`; OECD tables share 45 sectors already).
Values are in current prices of each year: for money quantities the change mixes price and
volume change (no deflation here). Households' direct emissions are not part of Q; their
change is reported in the notes.
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core import leontief as leo
from ..core.errors import TableError, message

FACTORS = ("intensity", "technology", "structure", "level")
FACTOR_NAMES = {
    "intensity": ("强度效应", "intensity effect"),
    "technology": ("技术效应（列昂惕夫逆）", "technology effect (Leontief inverse)"),
    "structure": ("最终需求结构效应", "final-demand structure effect"),
    "level": ("最终需求规模效应", "final-demand level effect"),
}


@dataclass(frozen=True)
class Parts:
    """One table reduced to what the decomposition needs (after aggregation)."""

    name: str
    year: int | None
    e: np.ndarray      # intensity (n,)
    factor: object     # LU of I − A_d
    y: np.ndarray      # domestic final use (n,)
    labels: pd.DataFrame
    unit: str
    direct_fd: float   # direct final-demand emissions (not decomposed)


@dataclass(frozen=True)
class SDA:
    """Result of :func:`sda` (all values in ``unit``)."""

    table_a: str
    table_b: str
    quantity: str
    unit: str
    q_a: float
    q_b: float
    effects: pd.DataFrame      # factor × (mean, min, max, std, share)
    orderings: pd.DataFrame    # 24 orderings × 4 factors (+ total)
    by_sector: pd.DataFrame    # sector × factor (mean effects) + change
    classification: str
    notes: tuple = field(default=())

    @property
    def change(self) -> float:
        return self.q_b - self.q_a

    def to_frame(self) -> pd.DataFrame:
        return self.effects.copy()

    def to_dict(self) -> dict:
        return {"table_a": self.table_a, "table_b": self.table_b, "quantity": self.quantity,
                "unit": self.unit, "q_a": self.q_a, "q_b": self.q_b, "change": self.change,
                "classification": self.classification,
                "effects": self.effects.reset_index().to_dict(orient="records"),
                "notes": list(self.notes)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _quantity(table, quantity: str) -> tuple[np.ndarray, str, float]:
    """(amount by sector (n,), unit, direct final-demand amount) of ``quantity``."""
    if quantity == "output":
        return table.x_.copy(), table.unit, 0.0
    if quantity == "value_added":
        return table.value_added_.copy(), table.unit, 0.0
    if quantity in table.satellites:
        s = table.satellites[quantity]
        fd = 0.0 if s.final_demand is None else float(s.final_demand.sum())
        return s.values.copy(), s.unit, fd
    raise TableError(message(table.name, f"unknown quantity {quantity!r}", argument="quantity",
                             expected="'output', 'value_added' or one of "
                                      f"{list(table.satellites)}"))


def _parts(table, quantity: str, groups=None, glabels=None) -> Parts:
    from .carbon import domestic_view
    amount, unit, direct_fd = _quantity(table, quantity)
    td = domestic_view(table)
    Z, x = td.Z_, td.x_
    y = td.Y_.sum(axis=1) + (td.discrepancy_ if td.discrepancy_ is not None else 0.0)
    labels = td.sectors[["name_zh", "name_en"]]
    if groups is not None:
        m = len(glabels)
        G = np.zeros((td.n, m))
        G[np.arange(td.n), groups] = 1.0
        Z, x, y, amount, labels = G.T @ Z @ G, G.T @ x, G.T @ y, G.T @ amount, glabels
    if ((x <= 0) & (amount != 0)).any():
        raise TableError(message(table.name, f"{quantity} in a sector without output",
                                 argument="quantity", expected="no amount where output is 0"))
    e = np.divide(amount, x, out=np.zeros_like(amount), where=x > 0)
    A = np.divide(Z, x[None, :], out=np.zeros_like(Z), where=x[None, :] > 0)
    fac = td.factor if groups is None else \
        leo.leontief_factor(A, labels=list(labels["name_en"]), table=table.name)
    return Parts(table.name, table.year, e, fac, y, labels, unit, direct_fd)


def _align(a, b, quantity):
    """Parts of both tables in one classification, and its name."""
    from ..carbon import concordance as cc
    nbs_a = nbs_b = True
    try:
        cc.table_key(a)
    except TableError:
        nbs_a = False
    try:
        cc.table_key(b)
    except TableError:
        nbs_b = False
    if nbs_a and nbs_b:
        if cc.same_classification(a, b):
            return _parts(a, quantity), _parts(b, quantity), f"{cc.table_key(a)} sectors"
        ga, la = cc.common_groups(a)
        gb, lb = cc.common_groups(b)
        return (_parts(a, quantity, ga, la), _parts(b, quantity, gb, lb),
                f"common {len(la)}-sector NBS classification (nbs42_concordance.csv)")
    if nbs_a != nbs_b or list(map(str, a.index)) != list(map(str, b.index)):
        raise TableError(message(f"{a.name} vs {b.name}", "the two tables have different "
                                 "sectors and no concordance between them",
                                 found=f"{a.n} vs {b.n} sectors",
                                 expected="two NBS tables, or two tables with the same "
                                          "sector codes"))
    return _parts(a, quantity), _parts(b, quantity), f"the tables' own {a.n} sectors"


def decompose(pa: Parts, pb: Parts) -> tuple[np.ndarray, np.ndarray]:
    """Effects of every ordering: (orderings (24, 4) totals, by sector (24, 4, n)).

    Q at each of the 2⁴ mixes of a/b factors is computed once (one solve per mix), then each
    ordering's effects are differences along its path from all-a to all-b.
    """
    la, lb = pa.y.sum(), pb.y.sum()
    sa = pa.y / la if la else pa.y
    sb = pb.y / lb if lb else pb.y
    q = {}
    for mix in itertools.product((0, 1), repeat=4):
        e = pb.e if mix[0] else pa.e
        fac = pb.factor if mix[1] else pa.factor
        s = sb if mix[2] else sa
        lam = lb if mix[3] else la
        q[mix] = e * leo.leontief_solve(fac, s * lam)
    perms = list(itertools.permutations(range(4)))
    tot = np.zeros((len(perms), 4))
    sec = np.zeros((len(perms), 4, len(pa.e)))
    for r, order in enumerate(perms):
        state = [0, 0, 0, 0]
        prev = q[tuple(state)]
        for f in order:
            state[f] = 1
            cur = q[tuple(state)]
            sec[r, f] = cur - prev
            prev = cur
        tot[r] = sec[r].sum(axis=1)
    return tot, sec


def sda(table_a, table_b, quantity: str = "output", *, data_dir=None) -> SDA:
    """Additive SDA of ``quantity`` from ``table_a`` to ``table_b`` (Dietzenbacher & Los 1998).

    Parameters
    ----------
    table_a, table_b : IOTable
        Two NBS tables (any years; aggregated to a common classification when needed) or two
        tables with identical sectors (e.g. two years of the OECD series).
    quantity : "output" | "value_added" | a satellite name
        ``"co2"`` is added from the CEADs inventory when an NBS table lacks it.

    Returns
    -------
    SDA with ``effects`` (mean over the 24 orderings, min, max, std, share of the change),
    ``orderings`` (each ordering's effects; each row sums exactly to the change) and
    ``by_sector`` (mean effects by sector).
    """
    notes = []
    if quantity == "co2":
        from .carbon import co2_satellite
        if "co2" not in table_a.satellites:
            table_a = co2_satellite(table_a, data_dir=data_dir)
        if "co2" not in table_b.satellites:
            table_b = co2_satellite(table_b, data_dir=data_dir)
        notes += [n for n in table_a.notes + table_b.notes if n.startswith("co2:")]
    pa, pb, cls = _align(table_a, table_b, quantity)
    tot, sec = decompose(pa, pb)
    qa = float((pa.e * leo.leontief_solve(pa.factor, pa.y)).sum())
    qb = float((pb.e * leo.leontief_solve(pb.factor, pb.y)).sum())
    mean = tot.mean(axis=0)
    change = qb - qa
    effects = pd.DataFrame({
        "name_zh": [FACTOR_NAMES[f][0] for f in FACTORS],
        "name_en": [FACTOR_NAMES[f][1] for f in FACTORS],
        "mean": mean, "min": tot.min(axis=0), "max": tot.max(axis=0), "std": tot.std(axis=0),
        "share": mean / change if change else np.nan}, index=pd.Index(FACTORS, name="factor"))
    perms = ["→".join(FACTORS[i] for i in p) for p in itertools.permutations(range(4))]
    orderings = pd.DataFrame(tot, index=pd.Index(perms, name="ordering"), columns=FACTORS)
    orderings["total"] = tot.sum(axis=1)
    by_sector = pd.DataFrame(sec.mean(axis=0).T, index=pa.labels.index, columns=FACTORS)
    by_sector.insert(0, "name_zh", pa.labels["name_zh"].to_numpy())
    by_sector.insert(1, "name_en", pa.labels["name_en"].to_numpy())
    by_sector["change"] = by_sector[list(FACTORS)].sum(axis=1)
    if pa.unit != pb.unit:
        raise TableError(message(f"{table_a.name} vs {table_b.name}", "units differ",
                                 found=f"{pa.unit!r} vs {pb.unit!r}", expected="the same unit"))
    if quantity in ("output", "value_added") or pa.unit != "Mt CO2":
        notes.append("current prices: changes mix price and volume change (no deflation)")
    notes.append("domestic production only (non-competitive views; competitive tables split by "
                 "import proportionality); final use includes exports and the discrepancy")
    if pa.direct_fd or pb.direct_fd:
        notes.append(f"direct final-demand (household) {quantity} not decomposed: "
                     f"{pa.direct_fd:.4g} → {pb.direct_fd:.4g} {pa.unit}")
    return SDA(table_a.name, table_b.name, quantity, pa.unit, qa, qb, effects, orderings,
               by_sector, cls, tuple(notes))


def sda_chain(tables, quantity: str = "output", **kw) -> pd.DataFrame:
    """Year-on-year SDAs along a series of tables, one row per period (mean effects), plus a
    'total' row: the chained sum (its effects add up to the change over the whole series)."""
    tables = list(tables)
    if len(tables) < 2:
        raise ValueError("argument 'tables': found fewer than 2 tables, expected a series")
    rows = []
    for a, b in zip(tables, tables[1:]):
        r = sda(a, b, quantity, **kw)
        rows.append({"period": f"{a.year}–{b.year}", "q_a": r.q_a, "q_b": r.q_b,
                     "change": r.change, **dict(zip(FACTORS, r.effects["mean"]))})
    df = pd.DataFrame(rows).set_index("period")
    total = df[list(FACTORS) + ["change"]].sum()
    df.loc["total"] = {"q_a": df["q_a"].iloc[0], "q_b": df["q_b"].iloc[-1], **total.to_dict()}
    return df
