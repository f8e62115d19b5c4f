"""Hypothetical extraction 假设抽取法 for every sector at once, from the one LU of I − A.

Dietzenbacher & Lahr (2013, "Expanding extractions", Economic Systems Research 25(3));
Miller & Blair (2009), §12.2.5. Extracting sector j and re-solving the reduced model for each j
would cost n factorizations (O(n⁴)); rank-one updates (Sherman–Morrison) and the inverse of a
principal submatrix give closed forms in terms of quantities one LU already provides:

- **total** (row and column j removed, with its final demand):
  x̄₋ⱼ = x₋ⱼ − L₋ⱼ,ⱼ xⱼ / lⱼⱼ, so lost output = xⱼ (1'L eⱼ) / lⱼⱼ
  and lost value added = xⱼ (v'L eⱼ) / lⱼⱼ (v: value added per unit output);
- **backward** (column j of A set to zero: j buys no domestic intermediates):
  x̄ = x − (L − I) eⱼ xⱼ / lⱼⱼ, lost output = xⱼ (1'L eⱼ − 1) / lⱼⱼ;
- **forward** (row j of B set to zero: j sells no intermediates; Ghosh model):
  x̄' = x' − xⱼ eⱼ'(G − I) / gⱼⱼ, lost output = xⱼ (eⱼ'G 1 − 1) / gⱼⱼ.

Only 1'L, v'L (two transposed solves), G1, Gv (two Ghosh solves) and diag(L) (blocked
solves, never the whole inverse at once) are needed: O(n³) in all.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from ...core import coefficients as coef
from ...core import leontief as leo
from ...core.errors import check_choice
from .._common import diag_G, diag_L, frame_records
from .._result import Result

KINDS = ("total", "backward", "forward")


@dataclass(frozen=True, eq=False)
class ExtractionEffects(Result, Mapping):
    """Result of :func:`extraction_effects`: a read-only mapping '{kind}_output' /
    '{kind}_va' → (n,) as before, plus ``to_frame()`` (one row per sector) and the JSON."""

    table: str
    index: pd.Index
    unit: str
    basis: object              # the Basis of the table the effects were computed on
    arrays: Mapping

    def __getitem__(self, key):
        return self.arrays[key]

    def __iter__(self):
        return iter(self.arrays)

    def __len__(self):
        return len(self.arrays)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({k: np.array(v) for k, v in self.arrays.items()}, index=self.index)

    def to_dict(self) -> dict:
        return {"table": self.table, "unit": self.unit, "basis": self.basis,
                "rows": frame_records(self.to_frame())}


def value_added_coefficients(table) -> np.ndarray:
    """v = value added / gross output, (n,) (0 where x = 0)."""
    return coef.calc_S(table.value_added_[None, :], table.x_)[0]


def extraction_effects(table) -> ExtractionEffects:
    """Lost output and lost value added of extracting each sector, every sector at once.

    Returns arrays (n,) keyed '{kind}_output' and '{kind}_va' for kind in total, backward,
    forward, in the table's unit (an :class:`ExtractionEffects` mapping, on the table as
    given). Totals include the extracted sector's own output.
    """
    from ..basis import given_basis
    x = table.x_
    v = value_added_coefficients(table)
    ones = np.ones(table.n)
    colsum = leo.left_solve(table.factor, ones)        # 1'L
    vL = leo.left_solve(table.factor, v)               # v'L
    rowsum_G = table.factor_ghosh.solve(ones)          # G1
    Gv = table.factor_ghosh.solve(v)                   # G v
    dl, dg = diag_L(table), diag_G(table)
    return ExtractionEffects(table.name, table.index, table.unit, given_basis(table), MappingProxyType({
        "total_output": x * colsum / dl,
        "total_va": x * vL / dl,
        "backward_output": x * (colsum - 1.0) / dl,
        "backward_va": x * (vL - v) / dl,
        "forward_output": x * (rowsum_G - 1.0) / dg,
        "forward_va": x * (Gv - v) / dg,
    }))


def extracted_output(table, j: int, kind: str = "total") -> np.ndarray:
    """Gross output x̄ (n,) after extracting sector ``j`` (position), by the closed forms above.

    For ``total`` the extracted sector's entry is 0. Uses one solve (column or row j).
    """
    check_choice(kind, KINDS, argument="kind")
    n, x = table.n, table.x_
    e = np.zeros(n)
    e[j] = 1.0
    if kind == "forward":
        g_row = table.factor_ghosh.solve_transposed(e)     # row j of G
        out = x - x[j] * (g_row - e) / g_row[j]
        return out
    l_col = table.factor.solve(e)                          # column j of L
    if kind == "backward":
        return x - (l_col - e) * x[j] / l_col[j]
    out = x - l_col * x[j] / l_col[j]
    out[j] = 0.0
    return out
