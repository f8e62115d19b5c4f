"""Final-demand items and NBS-style 生产诱发系数 / 最终需求依赖度.

The NBS groups final use into three items: 最终消费 (consumption), 资本形成总额 (capital
formation) and 出口 (exports). Columns are assigned to items by their *role*
(:mod:`lianpu.core.roles`, set by each reader), never by code; for reference, the codes are:

- NBS competitive: FU101, FU102 (households), FU103 (government) | FU201, FU202 | EX;
  IM (imports) is not an item and ERR (discrepancy) is reported as 'other';
- NBS non-competitive 2017–2020: TC | FU201, FU202 | EX;
- OECD: HFCE, NPISH, GGFC, CONS_ABR | GFCF, INVNT | EX, CONS_NONRES;
- WIOD (multi-regional): CONS_h, CONS_np, CONS_g | GFCF, INVEN by each region; the demand of a
  region for its own products is consumption or capital formation, the demand of every other
  region for them is 'exports' (final demand from abroad).

生产诱发额 of item k is L y_k (y_k: the item's final demand for domestic products); 生产诱发系数
is L y_k / Σ y_k^total, where the denominator is the item's total including imported final
goods (the NBS's item total), so the coefficient reads "domestic output induced per yuan of
consumption (capital formation, exports)". 最终需求依赖度 is (L y_k)_i / x_i; with 'other'
(ERR or unrecognized columns) the shares add up to 1.

Competitive tables are first turned into their domestic view (import proportionality), which
is the NBS's own formula x = (I − (I − M̂)A)⁻¹ (I − M̂) y + … for the competitive model.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core import leontief as leo
from ...core import roles
from .._common import domestic_basis, frame_records, region_of
from .._result import Result

ITEMS = ("consumption", "capital", "exports")
ITEM_NAMES = {"consumption": ("最终消费", "final consumption"),
              "capital": ("资本形成总额", "gross capital formation"),
              "exports": ("出口", "exports"), "other": ("其他（误差项等）", "other (discrepancy etc.)")}



def item_of(role: str) -> str | None:
    """The NBS item of a final-use *role* (:mod:`lianpu.core.roles`): 'consumption' |
    'capital' | 'exports' | None (imports and inflows: supply, not a use) | 'other'
    (discrepancy and unrecognized columns). Exports are everything sold outside the table's
    economy: exports abroad, purchases by non-residents and, for a province, outflows to other
    provinces."""
    if role in roles.SUPPLY_FROM_OUTSIDE:
        return None
    if role in roles.CONSUMPTION:
        return "consumption"
    if role in roles.CAPITAL:
        return "capital"
    if role in roles.OUTFLOWS:
        return "exports"
    return "other"


def final_demand_items(table) -> dict:
    """Item vectors of final demand for domestic products, and the items' totals.

    Returns ``{"domestic": {item: (n,)}, "total": {item: float}, "unmatched": [codes],
    "basis": note, "table": the table used}``. The 'other' item holds ERR and any column whose
    code is not recognized (listed in 'unmatched').
    """
    tb, note = domestic_basis(table)
    n = tb.n
    dom = {k: np.zeros(n) for k in ITEMS + ("other",)}
    tot = {k: 0.0 for k in ITEMS + ("other",)}
    unmatched = []
    fd = list(tb.final_demand_labels.index)
    regions = region_of(tb)
    for j, (col, role) in enumerate(zip(fd, tb.fd_roles)):
        code = col[-1] if isinstance(col, tuple) else col
        item = item_of(role)
        if item is None:
            continue
        if role == "other":
            unmatched.append(str(code))
        y = tb.Y_[:, j]
        ym = tb.Ym_[:, j] if tb.Ym_ is not None else np.zeros(n)
        if regions is not None and isinstance(col, tuple) and item != "other":
            own = regions == str(col[0])
            dom[item] += np.where(own, y, 0.0)
            dom["exports"] += np.where(own, 0.0, y)
            tot[item] += float(y[own].sum())
            tot["exports"] += float(y[~own].sum())
            continue
        dom[item] += y
        tot[item] += float(y.sum() + ym.sum())
    if tb.discrepancy_ is not None:
        dom["other"] += tb.discrepancy_
        tot["other"] += float(tb.discrepancy_.sum())
    if regions is not None:
        note += ("; exports = final demand of the other regions (for a one-country MRIO: "
                 "outflows to other provinces plus exports abroad)")
    return {"domestic": dom, "total": tot, "unmatched": unmatched, "basis": note, "table": tb}


_INDUCEMENT_KEYS = ("items", "induced", "coefficient", "dependence", "totals", "basis",
                    "unmatched", "x")


@dataclass(frozen=True, eq=False)
class Inducement(Result, Mapping):
    """Result of :func:`inducement`. Read as before as a mapping (``ind["induced"]`` …: items,
    induced, coefficient, dependence, totals, basis, unmatched, x), plus ``to_frame()`` (one
    row per sector: inducement_/induced_/dependence_ by item) and the JSON. ``induced`` is in
    the table's unit; coefficients and dependence are ratios."""

    table: str
    index: pd.Index
    unit: str
    item_list: list            # ``ind["items"]`` (``items`` is the mapping's method)
    induced: np.ndarray
    coefficient: np.ndarray
    dependence: np.ndarray
    totals: dict
    basis: str
    unmatched: list
    x: np.ndarray

    def _fields(self) -> dict:
        return {k: self.item_list if k == "items" else getattr(self, k)
                for k in _INDUCEMENT_KEYS}

    def __getitem__(self, key):
        return self._fields()[key]

    def __iter__(self):
        return iter(_INDUCEMENT_KEYS)

    def __len__(self):
        return len(_INDUCEMENT_KEYS)

    def to_frame(self) -> pd.DataFrame:
        cols = {}
        for j, item in enumerate(self.item_list):
            cols[f"inducement_{item}"] = self.coefficient[:, j]
            cols[f"induced_{item}"] = self.induced[:, j]
            cols[f"dependence_{item}"] = self.dependence[:, j]
        return pd.DataFrame(cols, index=self.index)

    def to_dict(self) -> dict:
        return {"table": self.table, "unit": self.unit, "basis": self.basis,
                "items": list(self.item_list), "totals": dict(self.totals),
                "unmatched": list(self.unmatched), "rows": frame_records(self.to_frame())}


def inducement(table) -> Inducement:
    """生产诱发额 (n, items), 生产诱发系数 (n, items) and 最终需求依赖度 (n, items).

    One solve with the item vectors as right-hand sides: X = L [y_c, y_k, y_e, y_other].
    The identity Σ_k (L y_k) = x holds on the basis table (tested).
    """
    d = final_demand_items(table)
    tb = d["table"]
    items = list(ITEMS) + (["other"] if np.any(d["domestic"]["other"]) else [])
    Yk = np.column_stack([d["domestic"][k] for k in items])
    induced = leo.leontief_solve(tb.factor, Yk)
    totals = np.array([d["total"][k] for k in items])
    coef = np.divide(induced, totals[None, :], out=np.full_like(induced, np.nan),
                     where=totals[None, :] != 0)
    x = tb.x_
    dep = np.divide(induced, x[:, None], out=np.full_like(induced, np.nan),
                    where=x[:, None] > 0)
    return Inducement(tb.name, tb.index, tb.unit, items, induced, coef, dep,
                      dict(zip(items, totals.tolist())), d["basis"], d["unmatched"], x)
