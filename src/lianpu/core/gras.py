"""GRAS: RAS balancing for matrices with negative entries (pure numerics, no pandas).

Problem: given a prior matrix Z0 (m, n) and target row totals u (m,) and column totals
v (n,), find Z with Z·1 = u, 1'Z = v, the same sign pattern as Z0 and minimal information
distance to it. Split Z0 = P − N with P = max(Z0, 0) and N = max(−Z0, 0). The solution has
the form (Junius & Oosterhaven 2003, *Economic Systems Research* 15(1), corrected by Lenzen,
Wood & Gallego 2007, *ESR* 19(4))::

    Z = r̂ P ŝ − r̂⁻¹ N ŝ⁻¹          r > 0 (m,), s > 0 (n,)

and r, s are found by alternating closed-form updates (Temurshoev, Miller & Bouwmeester 2013,
*ESR* 25(3), eqs. 5–6): column j must satisfy s_j p_j(r) − n_j(r)/s_j = v_j with
p_j(r) = Σ_i r_i p_ij and n_j(r) = Σ_i n_ij / r_i, whose positive root is

    s_j = (v_j + √(v_j² + 4 p_j n_j)) / (2 p_j),   or  s_j = −n_j / v_j  when p_j = 0,

and symmetrically for r_i with u_i, p_i(s) = Σ_j p_ij s_j, n_i(s) = Σ_j n_ij / s_j. With no
negative entries this is exactly RAS (biproportional scaling). Signs are preserved because r
and s stay positive; zero cells stay zero.

A row that must end at 0 while holding only positive entries gets r_i = 0 (the row is
zeroed, as RAS does); every other infeasible sign pattern is an error naming the row or
column before any iteration.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .errors import ArgumentError, ConvergenceError, message  # noqa: F401 (re-exported)


def _split(Z0):
    if sp.issparse(Z0):
        Z0 = sp.csr_matrix(Z0, dtype=float)
        return Z0.maximum(0).tocsr(), (-Z0).maximum(0).tocsr()
    Z0 = np.asarray(Z0, dtype=float)
    return np.maximum(Z0, 0.0), np.maximum(-Z0, 0.0)


def _sums(M, axis):
    return np.asarray(M.sum(axis=axis)).ravel()


def _check_signs(P, N, t, kind: str, labels=None) -> None:
    """Each target needs entries of the right sign to reach it (0 is reachable from any
    pattern that has positive entries, by zeroing or by balancing both signs)."""
    has_p, has_n = _sums(P, 1 if kind == "row" else 0) > 0, _sums(N, 1 if kind == "row" else 0) > 0
    bad = ((t > 0) & ~has_p) | ((t < 0) & ~has_n) | ((t == 0) & has_n & ~has_p)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        lab = labels[i] if labels is not None else i
        signs = ("positive and negative" if has_p[i] and has_n[i] else "only positive" if has_p[i]
                 else "only negative" if has_n[i] else "no non-zero")
        raise ArgumentError(message("gras", f"the target of {kind} {lab!r} cannot be reached from "
                                    f"the prior: the {kind} has {signs} entries",
                                    found=f"target {t[i]:.6g}",
                                    expected="a target whose sign the prior's entries allow"))


def _update(T, Nt, t, other, out):
    """Positive root of x·p(other) − n(other)/x = t for every row of T (= P or Pᵀ)."""
    inv = np.divide(1.0, other, out=np.zeros_like(other), where=other > 0)
    p = np.asarray(T @ other).ravel()
    q = np.asarray(Nt @ inv).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        root = (t + np.sqrt(t * t + 4.0 * p * q)) / (2.0 * p)
        alone = np.divide(-q, t, out=np.ones_like(t), where=t != 0)  # p = 0: only negatives
    out[:] = np.where(p > 0, root, np.where(q > 0, alone, 1.0))
    out[(p > 0) & (q == 0) & (t == 0)] = 0.0  # RAS: a positive-only row/column driven to 0
    return out


def gras_factors(Z0, u, v, *, tol: float = 1e-10, max_iter: int = 10_000,
                 labels=None) -> tuple[np.ndarray, np.ndarray, int]:
    """Multipliers (r, s) and the number of iterations for :func:`gras`.

    Converged means max(|Z·1 − u|, |1'Z − v|) ≤ tol · max(1, max|u|, max|v|).
    ``labels`` = (row labels, column labels), for messages only.
    """
    P, N = _split(Z0)
    m, n = P.shape
    u = np.asarray(u, dtype=float).ravel()
    v = np.asarray(v, dtype=float).ravel()
    if u.shape != (m,) or v.shape != (n,):
        raise ArgumentError(message("gras", "targets do not fit the prior", argument="u, v",
                                    found=f"u: {u.shape[0]}, v: {v.shape[0]} for a {m}×{n} matrix",
                                    expected=f"u: {m}, v: {n}"))
    for name, t in (("u", u), ("v", v)):
        if not np.isfinite(t).all():
            raise ArgumentError(message("gras", "target contains a missing or infinite value",
                                        argument=name, expected="finite numbers"))
    if tol <= 0 or max_iter < 1:
        raise ArgumentError(message("gras", "invalid stopping rule", argument="tol, max_iter",
                                    found=f"tol={tol}, max_iter={max_iter}",
                                    expected="tol > 0 and max_iter ≥ 1"))
    scale = max(1.0, float(np.abs(u).max(initial=0)), float(np.abs(v).max(initial=0)))
    if abs(u.sum() - v.sum()) > tol * scale * max(m, n):
        raise ArgumentError(message("gras", "row and column targets have different grand totals",
                                    argument="u, v", found=f"Σu = {u.sum():.10g}, Σv = {v.sum():.10g}",
                                    expected="Σu = Σv"))
    rl, cl = labels if labels is not None else (None, None)
    _check_signs(P, N, u, "row", rl)
    _check_signs(P, N, v, "column", cl)
    Pt, Nt = P.T, N.T
    r, s = np.ones(m), np.ones(n)
    for it in range(1, max_iter + 1):
        _update(Pt, Nt, v, r, s)      # columns exact for the current r
        _update(P, N, u, s, r)        # rows exact for the new s
        res = float(np.abs(_col_sums(P, N, r, s) - v).max(initial=0))
        if res <= tol * scale:
            return r, s, it
    raise ConvergenceError(message(
        "gras", f"did not converge in {max_iter} iterations", argument="max_iter",
        found=f"max column-total residual {res:.3g} (rows exact)",
        expected=f"≤ {tol:g} × {scale:.6g}; raise max_iter, or check that the targets are "
                 "consistent with the prior's zero and sign pattern"))


def _col_sums(P, N, r, s):
    inv_r = np.divide(1.0, r, out=np.zeros_like(r), where=r > 0)
    inv_s = np.divide(1.0, s, out=np.zeros_like(s), where=s > 0)
    return s * np.asarray(P.T @ r).ravel() - inv_s * np.asarray(N.T @ inv_r).ravel()


def gras(Z0, u, v, *, tol: float = 1e-10, max_iter: int = 10_000, labels=None):
    """Balance ``Z0`` (m, n; dense or scipy.sparse) to row totals ``u`` (m,) and column
    totals ``v`` (n,): Z = r̂ P ŝ − r̂⁻¹ N ŝ⁻¹ (see the module docstring). Returns an array
    of Z0's kind and shape.

    Raises ValueError when the targets do not fit (shape, grand totals, sign pattern) and
    :class:`ConvergenceError` after ``max_iter`` iterations without reaching ``tol``.

    Examples
    --------
    >>> gras([[1.0, 1.0], [1.0, 1.0]], [3.0, 7.0], [4.0, 6.0]).round(6).tolist()
    [[1.2, 1.8], [2.8, 4.2]]
    """
    r, s, _ = gras_factors(Z0, u, v, tol=tol, max_iter=max_iter, labels=labels)
    return apply_factors(Z0, r, s)


def apply_factors(Z0, r, s):
    """r̂ P ŝ − r̂⁻¹ N ŝ⁻¹ for the multipliers of :func:`gras_factors` (a zero r_i or s_j
    zeroes its row or column)."""
    P, N = _split(Z0)
    inv_r = np.divide(1.0, r, out=np.zeros_like(r), where=r > 0)
    inv_s = np.divide(1.0, s, out=np.zeros_like(s), where=s > 0)
    if sp.issparse(P):
        return (sp.diags(r) @ P @ sp.diags(s) - sp.diags(inv_r) @ N @ sp.diags(inv_s)).tocsr()
    return r[:, None] * P * s[None, :] - inv_r[:, None] * N * inv_s[None, :]
