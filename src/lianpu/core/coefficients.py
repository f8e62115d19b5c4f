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
    Works on dense arrays and scipy.sparse matrices (a sparse Z gives a CSR array).
    """
    r = safe_reciprocal(x)
    if sp.issparse(Z):  # scale the stored entries only: O(nnz), Z's index arrays shared
        Z = Z if Z.format == "csr" else sp.csr_array(Z)
        return sp.csr_array((Z.data * r[Z.indices], Z.indices, Z.indptr), shape=Z.shape)
    return np.asarray(Z, dtype=float) * r[np.newaxis, :]


class ColumnScaled:
    """A = Z x̂⁻¹ held as (Z, 1/x), never formed: what a matrix-free solve needs of A.

    A dense table's Z is n×n already; forming A beside it doubles the memory. Every product a
    Krylov solve or a power iteration takes with A is a product with Z and a scaling
    (A u = Z (r ∘ u), uᵀA = (uᵀZ) ∘ r with r = 1/x, 1/0 := 0 as in :func:`calc_A`), so one pass
    over Z serves it at the same memory traffic. ``dense()`` forms A (bitwise equal to
    :func:`calc_A`) for an LU."""

    def __init__(self, Z, x: np.ndarray):
        self.Z = Z
        self.r = safe_reciprocal(x)
        self.shape = Z.shape

    def diagonal(self) -> np.ndarray:
        return np.diagonal(self.Z) * self.r

    def sum(self, axis: int) -> np.ndarray:
        """Column sums (axis 0) or row sums (axis 1) of A."""
        if axis == 0:
            return self.Z.sum(axis=0) * self.r
        return self.Z @ self.r

    def min(self) -> float:
        """The smallest entry of A, from Z's column minima and maxima (no n×n temporary)."""
        r = self.r
        lo = np.where(r > 0, self.Z.min(axis=0) * r, 0.0)
        if (r < 0).any():  # a negative output (allow_negative_flows) flips its column's sign
            lo = np.minimum(lo, np.where(r < 0, self.Z.max(axis=0) * r, 0.0))
        return float(lo.min()) if lo.size else 0.0  # a zero-output column of A is 0

    def __matmul__(self, v):
        v = np.asarray(v, dtype=float)
        return self.Z @ (v * self.r if v.ndim == 1 else v * self.r[:, None])

    def rows_times_transpose(self, U: np.ndarray) -> np.ndarray:
        """U Aᵀ for U (k, n): the rows of A uᵢ."""
        return (U * self.r) @ self.Z.T

    def rows_times(self, U: np.ndarray) -> np.ndarray:
        """U A for U (k, n): the rows of Aᵀ uᵢ."""
        return (U @ self.Z) * self.r

    def negated_identity_plus(self, order: str = "F") -> np.ndarray:
        """I − A as a new dense array in ``order`` (LAPACK's F order: no copy in getrf)."""
        M = np.multiply(self.Z, -self.r[np.newaxis, :], order=order)
        M[np.diag_indices(self.shape[0])] += 1.0
        return M

    def dense(self) -> np.ndarray:
        """A itself (equal to :func:`calc_A` of the same Z and x)."""
        return np.asarray(self.Z, dtype=float) * self.r[np.newaxis, :]


def calc_B(Z, x: np.ndarray):
    """Allocation (direct output) coefficients B = x̂⁻¹ Z, shape (n, n). 直接分配系数."""
    r = safe_reciprocal(x)
    if sp.issparse(Z):  # row i of the stored entries times 1/x_i
        Z = Z if Z.format == "csr" else sp.csr_array(Z)
        rows = np.repeat(r, np.diff(Z.indptr))
        return sp.csr_array((Z.data * rows, Z.indices, Z.indptr), shape=Z.shape)
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
