"""Leontief (demand-driven) and Ghosh (supply-driven) models by factorization.

Nothing here forms (I − A)⁻¹ unless :func:`calc_L` / :func:`calc_G` is called explicitly.
Equations (Miller & Blair 2009): x = L f with L = (I − A)⁻¹ (2.10); multipliers m' = s' L
(ch. 6), obtained as Lᵀ m = s, i.e. one transposed solve; Ghosh x' = v' G with
G = (I − B)⁻¹ (12.1), obtained as Gᵀ x = v.
"""
from __future__ import annotations

import os
import threading
from collections import deque

import numpy as np
import scipy.sparse as sp

from . import krylov as kry
from .backend import SPARSE_DENSITY, SPARSE_MIN_N, Factor, factorize
from .coefficients import ColumnScaled
from .errors import ArgumentError, ConvergenceError, ProductivityError, message


def identity_minus(A):
    """I − A keeping A's storage (dense or sparse); from Z and 1/x for a
    :class:`~lianpu.core.coefficients.ColumnScaled` A (one n×n, the LU's own)."""
    n = A.shape[0]
    if isinstance(A, ColumnScaled):
        return A.negated_identity_plus("F")
    if sp.issparse(A):
        return (sp.identity(n, format="csc") - A).tocsc()
    M = np.negative(np.asarray(A, dtype=float), order="F")  # LAPACK's order: no copy in getrf
    M[np.diag_indices(n)] += 1.0
    return M


def leontief_factor(A, backend: str = "auto", labels=None, table: str | None = None, *,
                    method: str = "auto", tol: float = 1e-12) -> "LeontiefSolver":
    """A solver for I − A, checked productive: LU or batched GMRES, chosen by the work asked.

    Productive means I − A is non-singular and (I − A) z = 1 has a strictly positive solution
    (for A ≥ 0 this is equivalent to spectral radius ρ(A) < 1 — Hawkins–Simon / M-matrix).
    See :class:`LeontiefSolver` for ``method`` ("auto", "lu", "krylov") and ``tol``; the
    environment variable ``LIANPU_SOLVER`` overrides ``method="auto"`` (also on Dask workers).
    ``A`` is kept by reference on the iterative path: do not modify it while the solver lives.
    """
    return LeontiefSolver(A, backend, labels, table, method=method, tol=tol)


def _lu_factor(A, backend, labels, table) -> Factor:
    """The LU of I − A from the chosen backend, its pivots and (I − A) z = 1 checked."""
    try:
        factor = factorize(identity_minus(A), backend, overwrite=True)  # I − A is ours to reuse
    except ProductivityError as exc:
        raise ProductivityError(f"{table or 'table'}: {exc}") from None
    check_productive(factor, labels=labels, table=table)
    return factor


#: at or below this many sectors "auto" makes the LU at once (⅔ n³ is then a fraction of a
#: second, and an LU answers any number of right-hand sides)
KRYLOV_MIN_N = 2000
#: flop-equivalents of one memory-bound pass over one stored entry of A (dense / CSR):
#: measured on OpenBLAS, a GEMV pass over n² doubles costs about as long as 48 n² flops of
#: getrf; CSR moves 12 bytes and an index per entry
PASS_WEIGHT = {"dense": 48.0, "sparse": 100.0}
#: passes over A expected for a first solve, before any solve has been observed
PASSES_GUESS = 30
METHODS = ("auto", "lu", "krylov")
#: calls remembered in ``LeontiefSolver.history`` (a table's solver lives as long as the table)
HISTORY = 256


class LeontiefSolver:
    """Solves with I − A (``solve``) and (I − A)ᵀ (``solve_transposed``), lazily.

    ``method="auto"`` (the default): for n ≤ :data:`KRYLOV_MIN_N`, or a backend named
    explicitly (``backend="dense"``, ``LIANPU_BACKEND=cupy`` …), or a table whose productivity
    cannot be shown without a factorization (:func:`lianpu.core.krylov.productive_without_lu`),
    the LU is made at once, exactly as before. Otherwise solves run matrix-free by batched
    GMRES (:func:`lianpu.core.krylov.batched_gmres`; one pass over A per iteration serves all
    k right-hand sides of a call), and the LU is made only when the work asked makes it
    cheaper: before a call, if the passes already spent plus those this call is expected to
    need would cost more than one LU (⅔ n³ flops), the LU is made and used from then on
    (the ski-rental rule: never more than twice the cost of the better choice in hindsight).
    A call whose GMRES does not converge falls back to the LU; it never returns an
    unconverged answer.

    ``method="lu"`` always factorizes; ``method="krylov"`` never does and raises
    :class:`~lianpu.core.errors.ConvergenceError` when GMRES does not reach the tolerance.

    Every iterative answer is checked after the solve: relative residual
    ‖b − (I − A) x‖₂ / ‖b‖₂ ≤ ``residual_target`` ≤ ``tol`` (default 1e-12), where the target
    is tightened by (1 − c)/(1 + c) (at most 100×) when the productivity proof bounds
    ‖A‖ ≤ c < 1, so that the forward error stays near ``tol`` too.

    Attributes: ``method`` ("lu" or "krylov", now), ``backend`` (the LU backend's name, or
    "gmres"), ``reason`` (why, in words), ``productivity`` (how it was established),
    ``history`` (one tuple per call, the last :data:`HISTORY`: right-hand sides, "N"/"T",
    method, passes over A), ``rhs_solved`` and ``passes`` (totals).
    """

    def __init__(self, A, backend: str = "auto", labels=None, table: str | None = None, *,
                 method: str = "auto", tol: float = 1e-12):
        if method not in METHODS:
            raise ArgumentError(message(None, "unknown solver method", argument="method",
                                        found=repr(method), expected=f"one of {METHODS}"))
        if method == "auto" and backend == "auto":  # a backend named in the call wins
            env = os.environ.get("LIANPU_SOLVER", "auto")
            if env not in METHODS:
                raise ArgumentError(message(None, "unknown solver method in LIANPU_SOLVER",
                                            argument="LIANPU_SOLVER", found=repr(env),
                                            expected=f"one of {METHODS}"))
            method = env
        if not tol > 0:
            raise ArgumentError(message(None, "the tolerance must be positive", argument="tol",
                                        found=tol, expected="> 0"))
        self.n = int(A.shape[0])
        self.tol = float(tol)
        self.residual_target = self.tol
        self._auto = method == "auto"
        self._backend_arg, self._labels, self._table = backend, labels, table
        self._lock = threading.Lock()
        self._lu: Factor | None = None
        self._A0 = A              # as given (the LU is made from it)
        self._Ait = None          # storage for the iterations (CSR when sparse enough)
        self._storage = "dense"
        self._ops = None
        self.method = "krylov"
        self.reason = ""
        self.productivity = None
        self.history: deque = deque(maxlen=HISTORY)
        self.rhs_solved = 0
        self.passes = 0
        self._spent = 0.0
        self._calls = 0
        n = self.n
        explicit = backend != "auto" or os.environ.get("LIANPU_BACKEND", "auto") != "auto"
        if method == "lu":
            self._factorize("method 'lu' asked for")
            return
        if method == "auto" and explicit:
            name = backend if backend != "auto" else os.environ["LIANPU_BACKEND"]
            self._factorize(f"backend {name!r} asked for: its LU")
            return
        if method == "auto" and n <= KRYLOV_MIN_N:
            self._factorize(f"n = {n} ≤ {KRYLOV_MIN_N}: one LU is cheap and serves every "
                            "right-hand side")
            return
        self._prepare_storage()
        prod = kry.productive_without_lu(self._Ait)
        self.productivity = prod
        if prod.productive is True:
            c = prod.bound
            self.residual_target = self.tol * max((1.0 - c) / (1.0 + c), 0.01)
            why = (f"n = {n} > {KRYLOV_MIN_N}: batched GMRES on I − A ({self._storage} A), an "
                   "LU only once the right-hand sides asked for would cost more than one"
                   if self._auto else f"method 'krylov' asked for: batched GMRES on I − A "
                   f"({self._storage} A), never an LU")
            self.reason = f"{why}; productive by {prod.reason}"
            return
        if self._auto:
            self._factorize(f"productivity not established without an LU ({prod.reason})")
            return
        # method="krylov" without a proof: the definition itself, (I − A) z = 1 with z > 0,
        # solved iteratively (this also names the first failing sector, as the LU path does)
        self.reason = (f"method 'krylov' asked for; productivity by the iterative solve of "
                       f"(I − A) z = 1 ({prod.reason})")
        try:
            check_productive(self, labels=labels, table=table)
        except ConvergenceError as exc:
            raise ProductivityError(
                f"{table or 'table'}: productivity not established: (I − A) z = 1 has no "
                f"GMRES solution to the tolerance, so I − A is singular or too ill-conditioned "
                f"for method 'krylov' ({exc}; expected a productive table — method 'lu' "
                f"checks by factorization)") from None
        if prod.productive is False:
            raise ProductivityError(f"{table or 'table'}: A is not productive: {prod.reason} "
                                    "(expected ρ(A) < 1)")

    # ------------------------------------------------------------------ the two paths
    @property
    def backend(self) -> str:
        return self._lu.backend if self._lu is not None else "gmres"

    def _factorize(self, reason: str) -> None:
        A = self._A0 if self._A0 is not None else self._Ait  # shipped without the dense copy
        self._lu = _lu_factor(A, self._backend_arg, self._labels, self._table)
        self.method, self.reason = "lu", reason
        self._A0 = self._Ait = self._ops = None  # the LU answers everything from now on

    def _prepare_storage(self) -> None:
        A, n = self._A0, self.n
        if sp.issparse(A):
            self._Ait, self._storage = sp.csr_matrix(A, dtype=float), "sparse"
            return
        scaled = isinstance(A, ColumnScaled)
        if not scaled:
            A = np.asarray(A, dtype=float)
        csr = kry.sparse_or_none(A.Z if scaled else A, SPARSE_DENSITY) if n >= SPARSE_MIN_N \
            else None
        if csr is not None and scaled:  # A = Z x̂⁻¹ in CSR: O(nnz), Z is left as it is
            csr = sp.csr_matrix(csr.multiply(A.r[np.newaxis, :]))
        if csr is not None:
            self._Ait, self._storage = csr, "sparse"  # far fewer bytes a pass
        else:
            self._Ait = A

    def _nnz(self) -> float:
        A = self._Ait
        return float(A.nnz) if sp.issparse(A) else float(self.n) ** 2

    def _pass_cost(self, k: int) -> float:
        nnz = self._nnz()
        return max(PASS_WEIGHT[self._storage] * nnz, 2.0 * nnz * k) + 4.0 * kry.RESTART * self.n * k

    def _maybe_switch(self, k: int) -> None:
        lu_cost = 2.0 / 3.0 * float(self.n) ** 3
        per_call = self.passes / self._calls if self._calls else PASSES_GUESS
        predicted = per_call * self._pass_cost(k)
        if self._spent + predicted > lu_cost:
            total = self.rhs_solved + k
            self._factorize(
                f"switched to the LU at {total} right-hand sides: the GMRES work spent and "
                f"expected ({(self._spent + predicted) / 1e9:.3g} Gflop-equivalents) would "
                f"exceed one LU ({lu_cost / 1e9:.3g} Gflop); before: {self.reason}")

    def _iterate(self, Bt: np.ndarray, trans: bool):
        if self._ops is None:
            A = self._Ait
            d = 1.0 - (A.diagonal() if sp.issparse(A) or isinstance(A, ColumnScaled)
                       else np.diagonal(A))
            dinv = np.where(np.abs(d) > 1e-8, 1.0 / np.where(d == 0, 1.0, d), 1.0)
            self._ops = (kry.transpose_product(A, False), kry.transpose_product(A, True), dinv)
        prod_n, prod_t, dinv = self._ops
        X, info = kry.batched_gmres(prod_t if trans else prod_n, Bt, dinv,
                                    tol=self.residual_target)
        with self._lock:
            self.passes += info.passes
            self._spent += info.passes * self._pass_cost(Bt.shape[0])
            self._calls += 1
            self.rhs_solved += Bt.shape[0]
            self.history.append((Bt.shape[0], "T" if trans else "N", "krylov", info.passes))
        return X, info

    def _solve(self, b, trans: bool):
        b = np.asarray(b, dtype=float)
        k = 1 if b.ndim == 1 else b.shape[1]
        with self._lock:
            if self._lu is None and self._auto:
                self._maybe_switch(k)
            lu = self._lu
        if lu is None:
            if k == 0:
                return np.zeros_like(b)
            Bt = b[None, :] if b.ndim == 1 else b.T
            X, info = self._iterate(Bt, trans)
            if info.converged.all():
                return X[0] if b.ndim == 1 else X.T  # (n, k), F-ordered: left_solve's .T is X
            if not self._auto:
                kry.raise_unconverged(info, self._table,
                                      "solve with (I − A)ᵀ" if trans else "solve with I − A")
            with self._lock:
                if self._lu is None:
                    i = int(np.argmax(info.residuals))
                    self._factorize(f"GMRES did not converge in {info.passes} passes (relative "
                                    f"residual {info.residuals[i]:.3g}, expected ≤ "
                                    f"{self.residual_target:.3g}): LU")
                lu = self._lu
        self.rhs_solved += k
        self.history.append((k, "T" if trans else "N", "lu", 0))
        return lu.solve_transposed(b) if trans else lu.solve(b)

    def solve(self, b):
        """x = (I − A)⁻¹ b for b of shape (n,) or (n, k)."""
        return self._solve(b, False)

    def solve_transposed(self, b):
        """x = (I − A)⁻ᵀ b for b of shape (n,) or (n, k)."""
        return self._solve(b, True)

    # ------------------------------------------------------------------ shipping, display
    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_lock")
        state["_ops"] = None  # closures; rebuilt on first use
        if sp.issparse(state.get("_Ait")):
            state["_A0"] = None  # the CSR copy suffices (and makes a sparse LU if one is needed)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (f"LeontiefSolver(n={self.n}, method={self.method!r}, backend={self.backend!r}, "
                f"reason={self.reason!r})")


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

    @property
    def method(self) -> str:
        return getattr(self._f, "method", "lu")

    @property
    def reason(self) -> str:
        return "G = x̂⁻¹ L x̂ from the Leontief solver: " + getattr(self._f, "reason", "its LU")

    def __init__(self, factor: Factor, x: np.ndarray):
        x = np.asarray(x, dtype=float)
        if not (x > 0).all():
            raise ArgumentError("argument 'x': found a non-positive output, expected all x > 0")
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
