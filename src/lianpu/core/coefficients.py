"""Coefficient matrices by broadcasting (Miller & Blair 2009, ch. 2 and 12).

Dividing by a vector broadcasts over rows or columns instead of building diag(1/x): no n×n
diagonal is ever allocated. Sectors with zero output get zero coefficients (their column or
row is empty; 0/0 is defined as 0 here, never NaN), which keeps I − A factorizable.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def safe_reciprocal(x: np.ndarray) -> np.ndarray:
    """1/x elementwise with 1/0 := 0 (a zero-output sector has no coefficients)."""
    x = np.asarray(x, dtype=float)
    out = np.zeros_like(x)
    np.divide(1.0, x, out=out, where=x != 0)
    return out


def calc_A(Z, x: np.ndarray):
    """Technical (direct input) coefficients A = Z x̂⁻¹, shape (n, n). 直接消耗系数.

    Column j of Z is divided by x_j; zero-output columns give zero.
    Works on dense arrays and scipy.sparse matrices (result keeps the storage).
    """
    r = safe_reciprocal(x)
    if sp.issparse(Z):
        return sp.csc_matrix(Z.multiply(r[np.newaxis, :]))
    return np.asarray(Z, dtype=float) * r[np.newaxis, :]


def calc_B(Z, x: np.ndarray):
    """Allocation (direct output) coefficients B = x̂⁻¹ Z, shape (n, n). 直接分配系数."""
    r = safe_reciprocal(x)
    if sp.issparse(Z):
        return sp.csc_matrix(Z.multiply(r[:, np.newaxis]))
    return np.asarray(Z, dtype=float) * r[:, np.newaxis]


def calc_S(F: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Intensities S = F x̂⁻¹ for satellite or value-added rows F (k, n): amount per unit output."""
    return np.asarray(F, dtype=float) * safe_reciprocal(x)[np.newaxis, :]


def calc_x(Z, Y) -> np.ndarray:
    """Gross output from the row identity x = Z·1 + Y·1."""
    z = np.asarray(Z.sum(axis=1)).ravel()
    return z + np.asarray(Y, dtype=float).reshape(z.shape[0], -1).sum(axis=1)


def density(A) -> float:
    """Share of non-zero entries."""
    n = A.shape[0] * A.shape[1]
    nnz = A.nnz if sp.issparse(A) else np.count_nonzero(A)
    return nnz / n if n else 0.0
