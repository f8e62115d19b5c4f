"""Chain length and position 平均传递步长 / 上游度 / 下游度.

- Average propagation length (Dietzenbacher, Romero & Bosma 2005, Estudios de Economía
  Aplicada 23(2)): the average number of steps a demand impulse in j takes to reach i,
  APL_ij = Σ_k k (A^k)_ij / Σ_k (A^k)_ij (k ≥ 1) = [L(L − I)]_ij / [L − I]_ij,
  because Σ_k k A^k = L(L − I). Undefined (NaN) where (L − I)_ij = 0. The same numbers follow
  from the Ghosh side (G = x̂⁻¹ L x̂), so one APL serves both directions.
  Only the columns (or rows) asked for are computed: L E_S and L (L E_S) are two solves.
- Upstreamness (Antràs, Chor, Fally & Hillberry 2012, AER P&P 102(3)): U = (I − Δ)⁻¹ 1 with
  Δ_ij = a_ij x_j / x_i = B_ij, i.e. U = G1, the row sums of the Ghosh inverse — Miller &
  Temurshoev (2017, International Regional Science Review 40(5)) show it equals the output
  (forward) linkage. U ≥ 1; 1 means all output goes to final use. (The open-economy and
  inventory corrections of Antràs et al. are not applied.)
- Downstreamness: D = 1'L, the column sums of L (total backward linkage; Fally 2012's
  "number of production stages" embodied). D ≥ 1.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...core import leontief as leo
from .._common import unit_columns
from .._result import ResultFrame, ResultSeries, as_frame, as_series
from ..basis import given_basis


def _meta(table) -> dict:
    """attrs every position result carries: the table and the basis it was computed on."""
    bs = given_basis(table)
    return {"table": table.name, "basis": bs.name, "basis_info": bs}


def upstreamness(table) -> ResultSeries:
    """U = G1 = (I − B)⁻¹ 1 by one Ghosh solve (Antràs et al. 2012; Miller–Temurshoev 2017);
    a :class:`ResultSeries` on the table as given."""
    u = table.factor_ghosh.solve(np.ones(table.n))
    s = pd.Series(u, index=table.index, name="upstreamness")
    s.attrs.update(name_zh="上游度", name_en="upstreamness", unit="steps (≥ 1)", **_meta(table))
    return as_series(s)


def downstreamness(table) -> ResultSeries:
    """D = 1'L (column sums of L) by one transposed solve; a :class:`ResultSeries`."""
    d = leo.left_solve(table.factor, np.ones(table.n))
    s = pd.Series(d, index=table.index, name="downstreamness")
    s.attrs.update(name_zh="下游度", name_en="downstreamness", unit="steps (≥ 1)",
                   **_meta(table))
    return as_series(s)


def _ratio(num, den, tol=1e-14):
    out = np.full_like(num, np.nan, dtype=float)
    ok = np.abs(den) > tol
    out[ok] = num[ok] / den[ok]
    return out


def apl_columns(table, columns) -> np.ndarray:
    """APL_ij for all i and the sector positions j in ``columns``: shape (n, |columns|).

    Two solves: C = L E_S, then L C; APL = (L C − C) / (C − E_S).
    """
    E = unit_columns(table.n, columns)
    C = table.factor.solve(E)
    num = table.factor.solve(C) - C
    return _ratio(num, C - E)


def apl_rows(table, rows) -> np.ndarray:
    """APL_ij for the sector positions i in ``rows`` and all j: shape (|rows|, n).

    Two transposed solves: R = Lᵀ E_S (rows of L), then Lᵀ R; APL = (LᵀR − R) / (R − E_S).
    """
    E = unit_columns(table.n, rows)
    R = table.factor.solve_transposed(E)
    num = table.factor.solve_transposed(R) - R
    return _ratio(num, R - E).T


def apl_to_demand(table, columns, f) -> np.ndarray:
    """APL from every sector i to a bundle of final demand ``f`` on ``columns``, (n,):
    Σ_j [L(L − I)]_ij f_j / Σ_j [L − I]_ij f_j — the demand-weighted average distance."""
    f = np.asarray(f, dtype=float)
    E = unit_columns(table.n, columns)
    C = table.factor.solve(E)
    num = (table.factor.solve(C) - C) @ f
    return _ratio(num, (C - E) @ f)


def apl_from_supply(table, rows, w) -> np.ndarray:
    """APL from a bundle of supplying sectors ``rows`` (weights ``w``) to every sector j, (n,)."""
    w = np.asarray(w, dtype=float)
    E = unit_columns(table.n, rows)
    R = table.factor.solve_transposed(E)
    num = (table.factor.solve_transposed(R) - R) @ w
    return _ratio(num, (R - E) @ w)


def apl(table, sectors=None) -> ResultFrame:
    """APL matrix (rows: all sectors i; columns: ``sectors`` positions, default all), a
    :class:`ResultFrame` in steps on the table as given (NaN where no path exists)."""
    cols = list(range(table.n)) if sectors is None else list(sectors)
    df = pd.DataFrame(apl_columns(table, cols), index=table.index, columns=table.index[cols])
    df.attrs.update(name_zh="平均传递步长", name_en="average propagation length",
                    unit="steps (≥ 1)", **_meta(table))
    return as_frame(df)
