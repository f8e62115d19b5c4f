"""Leontief (demand-driven) and Ghosh (supply-driven) models by factorization.

Nothing here forms (I − A)⁻¹ unless :func:`calc_L` / :func:`calc_G` is called explicitly.
Equations (Miller & Blair 2009): x = L f with L = (I − A)⁻¹ (2.10); multipliers m' = s' L
(ch. 6), obtained as Lᵀ m = s, i.e. one transposed solve; Ghosh x' = v' G with
G = (I − B)⁻¹ (12.1), obtained as Gᵀ x = v.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .backend import Factor, factorize
from .errors import ProductivityError


def identity_minus(A):
    """I − A keeping A's storage (dense or sparse)."""
    n = A.shape[0]
    if sp.issparse(A):
        return (sp.identity(n, format="csc") - A).tocsc()
    M = np.negative(np.asarray(A, dtype=float), order="F")  # LAPACK's order: no copy in getrf
    M[np.diag_indices(n)] += 1.0
    return M


def leontief_factor(A, backend: str = "auto", labels=None, table: str | None = None) -> Factor:
    """Factorize I − A once and check the table is productive.

    Productive means I − A is non-singular and (I − A) z = 1 has a strictly positive solution
    (for A ≥ 0 this is equivalent to spectral radius ρ(A) < 1 — Hawkins–Simon / M-matrix).
    """
    try:
        factor = factorize(identity_minus(A), backend, overwrite=True)  # I − A is ours to reuse
    except ProductivityError as exc:
        raise ProductivityError(f"{table or 'table'}: {exc}") from None
    check_productive(factor, labels=labels, table=table)
    return factor


def check_productive(factor: Factor, labels=None, table: str | None = None) -> None:
    """Raise ProductivityError if (I − A) z = 1 has a non-positive or non-finite component."""
    z = factor.solve(np.ones(factor.n))
    bad = np.flatnonzero(~np.isfinite(z) | (z <= 0))
    if bad.size:
        i = int(bad[0])
        name = labels[i] if labels is not None else i
        raise ProductivityError(
            f"{table or 'table'}: sector {name!r}: A is not productive — the solution of "
            f"(I − A) z = 1 is {z[i]:.4g} there (found {bad.size} non-positive sector(s), "
            f"expected all > 0; usually a column of A sums to ≥ 1 or output is mis-stated)"
        )


class GhoshFromLeontief:
    """The factorization of I − B obtained from that of I − A, with no second LU.

    B = x̂⁻¹ A x̂, hence G = (I − B)⁻¹ = x̂⁻¹ L x̂ (Miller & Blair 2009, eq. 12.9), so
    G b = x̂⁻¹ L (x̂ b) and Gᵀ b = x̂ Lᵀ (x̂⁻¹ b). Valid only when every x_j > 0 (with a
    zero-output sector B is not similar to A; then factorize I − B itself).
    """

    backend = "ghosh-from-leontief"

    def __init__(self, factor: Factor, x: np.ndarray):
        x = np.asarray(x, dtype=float)
        if not (x > 0).all():
            raise ValueError("argument 'x': found a non-positive output, expected all x > 0")
        self._f, self._x, self.n = factor, x, factor.n

    def _scale(self, b, by):
        b = np.asarray(b, dtype=float)
        return b * (by if b.ndim == 1 else by[:, None])

    def solve(self, b):
        return self._scale(self._f.solve(self._scale(b, self._x)), 1.0 / self._x)

    def solve_transposed(self, b):
        return self._scale(self._f.solve_transposed(self._scale(b, 1.0 / self._x)), self._x)


def ghosh_factor(A, B, x, factor_A: Factor | None = None, **kw) -> Factor:
    """A factor of I − B: derived from the factor of I − A when all x > 0, else its own LU."""
    if factor_A is not None and (np.asarray(x) > 0).all():
        return GhoshFromLeontief(factor_A, x)
    return leontief_factor(B, **kw)


def leontief_solve(factor: Factor, f) -> np.ndarray:
    """x = L f for f of shape (n,) or (n, k): one solve per right-hand side, no inverse."""
    return factor.solve(f)


def left_solve(factor: Factor, s) -> np.ndarray:
    """Row-vector multipliers m' = s' L for s of shape (n,) or S of shape (k, n).

    Computed as Lᵀ m = s (transposed solve); returns shape like ``s``.
    """
    s = np.asarray(s, dtype=float)
    if s.ndim == 1:
        return factor.solve_transposed(s)
    return factor.solve_transposed(s.T).T


def ghosh_solve(factor_B: Factor, v) -> np.ndarray:
    """Ghosh output x' = v' G for primary inputs v (n,) or (k, n), G = (I − B)⁻¹."""
    return left_solve(factor_B, v)


def calc_L(factor: Factor) -> np.ndarray:
    """Explicit Leontief inverse L = (I − A)⁻¹ (n×n, dense). Only when a user asks for it."""
    return factor.solve(np.eye(factor.n))


def calc_G(factor_B: Factor) -> np.ndarray:
    """Explicit Ghosh inverse G = (I − B)⁻¹ (n×n, dense). Only when a user asks for it."""
    return factor_B.solve(np.eye(factor_B.n))


def close_households(A, hr: np.ndarray, hc: np.ndarray):
    """Type II augmented coefficients (Miller & Blair 2009, §2.5).

    Ā = [[A, hc], [hr, 0]] with hr (1×n) labour income per unit output and hc (n×1)
    household consumption per unit of total household income. Shape (n+1, n+1).
    """
    hr = np.asarray(hr, dtype=float).ravel()
    hc = np.asarray(hc, dtype=float).ravel()
    if sp.issparse(A):
        return sp.bmat([[A, sp.csc_matrix(hc[:, None])], [sp.csc_matrix(hr[None, :]), None]],
                       format="csc")
    n = A.shape[0]
    out = np.zeros((n + 1, n + 1))
    out[:n, :n] = A
    out[:n, n] = hc
    out[n, :n] = hr
    return out
