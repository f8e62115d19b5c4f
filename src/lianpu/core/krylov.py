"""Matrix-free solves of (I − A) X = B and (I − A)ᵀ X = B, and productivity without an LU.

For a few right-hand sides on a large table an LU of I − A (⅔ n³ flops) is far more work than
a Krylov solve, which only needs passes over A: on IO tables GMRES reaches a relative residual
of 1e-13 in 8–25 iterations. :func:`batched_gmres` runs one restarted GMRES per right-hand side
but *batches the products with A*: every iteration is one pass over A (a GEMM with k columns)
serving all k right-hand sides, while each keeps its own Arnoldi basis. This is chosen over
block GMRES (one joint Krylov space) because it cannot break down when right-hand sides are
(nearly) dependent — a common case, e.g. satellites proportional to output — and needs no
deflation; its convergence per right-hand side is exactly GMRES's. It is right-preconditioned
by Jacobi (D = diag(I − A)), so its residual is the true residual; the caller checks that
residual again after the solve from B − (I − A) X.

:func:`productive_without_lu` proves ρ(A) < 1 for A ≥ 0 without a factorization:
Hawkins–Simon's sufficient condition (every column sum, or every row sum, of A below 1) and
otherwise the Collatz–Wielandt bounds of power iteration: for any v > 0,
min_i (Av)_i / v_i ≤ ρ(A) ≤ max_i (Av)_i / v_i (Horn & Johnson 2013, Thm 8.1.26).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp

from .coefficients import ColumnScaled
from .errors import ConvergenceError

#: Arnoldi vectors kept per right-hand side before a restart
RESTART = 40
#: passes over A allowed for one solve (all restarts together)
MAXITER = 300
#: memory for the Arnoldi bases of one batch of right-hand sides (bytes)
BASIS_BYTES = 256 * 2**20


@dataclass
class KrylovInfo:
    """What a batched solve did: passes over A (products with A, verification included),
    Arnoldi iterations, and per right-hand side the final relative residual."""

    passes: int
    iterations: int
    residuals: np.ndarray
    converged: np.ndarray
    tol: float


def transpose_product(A, trans: bool):
    """U ↦ rows of (I − A) uᵀ or (I − A)ᵀ uᵀ for U of shape (k, n) (one right-hand side a row).

    Row layout lets a dense A be used as stored (C or F order) by one GEMM, no copy of A:
    (A u)ᵀ = uᵀ Aᵀ and (Aᵀ u)ᵀ = uᵀ A. A :class:`~lianpu.core.coefficients.ColumnScaled` A
    (Z and 1/x) is used through Z, never formed."""
    if isinstance(A, ColumnScaled):
        def prod(U):
            return U - (A.rows_times(U) if trans else A.rows_times_transpose(U))
        return prod
    if sp.issparse(A):
        At = A.T  # CSR → CSC view, no copy

        def prod(U):
            AU = (At @ U.T).T if trans else (A @ U.T).T
            return U - AU
        return prod

    def prod(U):
        return U - (U @ A if trans else U @ A.T)
    return prod


def batched_gmres(matvec, B, dinv=None, *, tol: float = 1e-12, restart: int = RESTART,
                  maxiter: int = MAXITER) -> tuple[np.ndarray, KrylovInfo]:
    """Solve M xᵢ = bᵢ for the rows bᵢ of B (k, n) by restarted GMRES, all rows at once.

    ``matvec(U)`` returns the rows of M uᵢ for U (k', n); ``dinv`` (n,) is the Jacobi right
    preconditioner D⁻¹. Stops a right-hand side when its true relative residual
    ‖bᵢ − M xᵢ‖₂ / ‖bᵢ‖₂ ≤ tol (checked from B − M X after every cycle), or after ``maxiter``
    passes; ``info.converged`` says which converged. Returns (X (k, n), info). Never forms M.
    """
    B = np.atleast_2d(np.asarray(B, dtype=float))
    k, n = B.shape
    X = np.zeros((k, n))
    bnorm = np.linalg.norm(B, axis=1)
    target = tol * bnorm
    R = B.copy()
    rnorm = bnorm.copy()
    passes = iters = 0
    active = np.flatnonzero(rnorm > target)  # a zero right-hand side has x = 0
    while active.size and passes < maxiter:
        m = max(1, min(restart, maxiter - passes - 1))
        # batch so that the bases fit in BASIS_BYTES (at least one right-hand side)
        per = max(1, int(BASIS_BYTES // (8 * (m + 1) * n)))
        most = 0
        for a in range(0, active.size, per):
            rows = active[a:a + per]
            dX, used = _gmres_cycle(matvec, R[rows], rnorm[rows], 0.1 * target[rows], dinv, m)
            X[rows] += dX
            passes += used
            most = max(most, used)
        iters += most
        R[active] = B[active] - matvec(X[active])
        passes += 1
        rnorm[active] = np.linalg.norm(R[active], axis=1)
        active = active[rnorm[active] > target[active]]
    rel = np.divide(rnorm, bnorm, out=np.zeros(k), where=bnorm > 0)
    bad = ~np.isfinite(bnorm)  # NaN/inf in b: NaN out, as a direct solve gives, not "unconverged"
    X[bad] = np.nan
    return X, KrylovInfo(passes, iters, rel, (rel <= tol) | bad, tol)


def _gmres_cycle(matvec, R, beta, target, dinv, m):
    """One GMRES(m) cycle from residuals R (k, n): returns (correction ΔX, iterations used)."""
    k, n = R.shape
    V = np.empty((k, m + 1, n))
    V[:, 0] = R / beta[:, None]
    H = np.zeros((k, m + 1, m))
    cs = np.zeros((k, m))
    sn = np.zeros((k, m))
    g = np.zeros((k, m + 1))
    g[:, 0] = beta
    done = np.zeros(k, dtype=bool)
    jend = np.full(k, m)
    j = -1
    for j in range(m):
        W = matvec(V[:, j] * dinv if dinv is not None else V[:, j])
        Vj = V[:, : j + 1]
        # classical Gram–Schmidt twice (CGS2): orthogonal to rounding, BLAS-2 per right-hand side
        h = np.matmul(Vj, W[:, :, None])[:, :, 0]
        W -= np.matmul(h[:, None, :], Vj)[:, 0]
        h2 = np.matmul(Vj, W[:, :, None])[:, :, 0]
        W -= np.matmul(h2[:, None, :], Vj)[:, 0]
        h += h2
        hn = np.linalg.norm(W, axis=1)
        np.divide(W, hn[:, None], out=V[:, j + 1], where=hn[:, None] > 0)
        V[hn == 0, j + 1] = 0.0
        col = np.concatenate([h, hn[:, None]], axis=1)  # (k, j + 2)
        for i in range(j):  # the rotations so far, every right-hand side at once
            t = cs[:, i] * col[:, i] + sn[:, i] * col[:, i + 1]
            col[:, i + 1] = -sn[:, i] * col[:, i] + cs[:, i] * col[:, i + 1]
            col[:, i] = t
        r = np.hypot(col[:, j], col[:, j + 1])
        ok = r > 0
        cs[:, j] = np.where(ok, col[:, j] / np.where(ok, r, 1.0), 1.0)
        sn[:, j] = np.where(ok, col[:, j + 1] / np.where(ok, r, 1.0), 0.0)
        col[:, j] = np.where(ok, r, col[:, j])
        col[:, j + 1] = 0.0
        H[:, : j + 2, j] = col
        g[:, j + 1] = -sn[:, j] * g[:, j]
        g[:, j] = cs[:, j] * g[:, j]
        new = ~done & ((np.abs(g[:, j + 1]) <= target) | (hn == 0))
        jend[new] = j + 1
        done |= new
        if done.all():
            break
    jend[~done] = j + 1
    dX = np.zeros((k, n))
    for c in range(k):
        q = int(jend[c])
        Hc = H[c, :q, :q]
        if q == 0 or not np.all(np.isfinite(Hc)) or np.any(np.diag(Hc) == 0):
            continue  # no usable step for this right-hand side: the residual check reports it
        y = sla.solve_triangular(Hc, g[c, :q], check_finite=False)
        dX[c] = y @ V[c, :q]
    if dinv is not None:
        dX *= dinv
    return dX, j + 1


def sparse_or_none(A: np.ndarray, density: float, block: int = 2**22):
    """A dense A as CSR when its share of non-zeros is below ``density``, else None.

    Built by row blocks of about ``block`` entries (a mask, its non-zeros and the gathered
    values per block, never an n×n temporary) and abandoned at the first block that shows
    the bound will be passed, so a dense table costs one block, not a pass."""
    n, m = A.shape
    rows = max(1, block // max(m, 1))
    budget = density * n * m
    ptr, idx, val, nnz = [np.zeros(1, dtype=np.int64)], [], [], 0
    for a in range(0, n, rows):
        blk = A[a:a + rows]
        mask = blk != 0
        cnt = mask.sum(axis=1)
        nnz += int(cnt.sum())
        if nnz >= budget:
            return None
        r, c = np.nonzero(mask)
        idx.append(c)
        val.append(blk[r, c])
        ptr.append(nnz - int(cnt.sum()) + np.cumsum(cnt))
    indptr = np.concatenate(ptr)
    return sp.csr_matrix((np.concatenate(val) if val else np.zeros(0),
                          np.concatenate(idx) if idx else np.zeros(0, dtype=np.int64),
                          indptr), shape=(n, m))


# ----------------------------------------------------------------------------- productivity
@dataclass(frozen=True)
class Productivity:
    """The outcome of :func:`productive_without_lu`: ``productive`` True (proved ρ(A) < 1),
    False (proved ρ(A) ≥ 1) or None (undecided); ``bound`` an upper bound c of ρ(A) in some
    weighted norm when proved (‖A‖ ≤ c < 1), ``reason`` in words, ``passes`` over A."""

    productive: bool | None
    bound: float | None
    reason: str
    passes: int


def _nonnegative(A) -> bool:
    if isinstance(A, ColumnScaled):
        return A.min() >= 0.0
    data = A.data if sp.issparse(A) else A
    return data.size == 0 or float(data.min()) >= 0.0


def productive_without_lu(A, passes: int = 30) -> Productivity:
    """Prove A productive (ρ(A) < 1) or not without factorizing I − A, when A ≥ 0.

    1. Hawkins–Simon (sufficient): A ≥ 0 and every column sum < 1 (‖A‖₁ < 1), or every row
       sum < 1 (‖A‖∞ < 1).
    2. Power iteration v ← A v from v = 1 with the Collatz–Wielandt bounds
       min (Av)ᵢ/vᵢ ≤ ρ(A) ≤ max (Av)ᵢ/vᵢ (v > 0): productive once the upper bound < 1, not
       productive once the lower bound ≥ 1, undecided after ``passes`` passes.

    A with a negative entry is undecided (its productivity needs the solve of (I − A) z = 1).
    Bounds are compared with 1 minus a rounding margin, so a table at ρ = 1 is never accepted.
    """
    n = A.shape[0]
    margin = 4.0 * (n + 2) * np.finfo(float).eps
    if not _nonnegative(A):
        return Productivity(None, None, "A has negative entries, so Hawkins–Simon and "
                            "Collatz–Wielandt do not apply", 1)
    col = np.asarray(A.sum(axis=0)).ravel()
    c1 = float(col.max(initial=0.0))
    if c1 < 1.0 - margin:
        return Productivity(True, c1, f"Hawkins–Simon: A ≥ 0 and every column sum < 1 "
                            f"(max {c1:.12g})", 2)
    row = np.asarray(A.sum(axis=1)).ravel()
    ci = float(row.max(initial=0.0))
    if ci < 1.0 - margin:
        return Productivity(True, ci, f"Hawkins–Simon: A ≥ 0 and every row sum < 1 "
                            f"(max {ci:.12g})", 3)
    v = np.ones(n)
    w = row
    tiny = np.finfo(float).tiny ** 0.5
    lo = hi = np.nan
    for p in range(passes):
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = w / v
        hi = float(ratio.max())
        lo = float(ratio.min())
        if hi < 1.0 - margin:
            return Productivity(True, hi, f"Collatz–Wielandt: ρ(A) ≤ {hi:.12g} < 1 after "
                                f"{p + 1} power-iteration passes", 3 + p)
        if lo >= 1.0 + margin:
            return Productivity(False, None, f"Collatz–Wielandt: ρ(A) ≥ {lo:.12g} ≥ 1 after "
                                f"{p + 1} power-iteration passes", 3 + p)
        s = float(w.max())
        if not np.isfinite(s) or s <= 0:
            break
        v = np.maximum(w / s, tiny)  # v > 0 keeps both bounds valid
        w = np.asarray(A @ v).ravel()
    return Productivity(None, None, f"undecided after {passes} power-iteration passes "
                        f"({lo:.6g} ≤ ρ(A) ≤ {hi:.6g})", 3 + passes)


def raise_unconverged(info: KrylovInfo, table: str | None, what: str) -> None:
    """ConvergenceError naming the worst right-hand side."""
    i = int(np.argmax(info.residuals))
    raise ConvergenceError(
        f"{table or 'table'}: {what}: GMRES did not converge in {info.passes} passes over A "
        f"(right-hand side {i}: found relative residual {info.residuals[i]:.3g}, expected "
        f"≤ {info.tol:.3g}; {int((~info.converged).sum())} of {info.converged.size} unconverged)"
    )
