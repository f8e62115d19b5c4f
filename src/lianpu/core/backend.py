"""The backend seam: where a factorization of I − A (or I − B) is made and solved.

Analyses never call LAPACK themselves; they ask a backend for a :class:`Factor` and call
``solve`` (x = M⁻¹ b) or ``solve_transposed`` (x = M⁻ᵀ b). A GPU array library slots in by
registering one more backend (``register_backend("cupy", CupyBackend)``) whose factor returns
NumPy arrays; nothing in the analyses changes.
"""
from __future__ import annotations

import os
import warnings
from typing import Callable, Protocol

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from .errors import ArgumentError, ProductivityError


class Factor(Protocol):
    """A factorized square matrix M (n×n)."""

    n: int
    backend: str

    def solve(self, b: np.ndarray) -> np.ndarray:
        """Return M⁻¹ b for b of shape (n,) or (n, k)."""

    def solve_transposed(self, b: np.ndarray) -> np.ndarray:
        """Return M⁻ᵀ b for b of shape (n,) or (n, k)."""


class DenseFactor:
    """LU with partial pivoting from LAPACK getrf (scipy.linalg.lu_factor), reused for every solve."""

    backend = "dense"

    def __init__(self, M: np.ndarray, overwrite: bool = False):
        # overwrite=True lets LAPACK factorize M in place (no n×n copy) when M is a
        # Fortran-ordered float array the caller owns (leontief_factor builds I − A that way)
        M = np.asarray(M, dtype=float)
        self.n = M.shape[0]
        scale = max(float(M.max(initial=0.0)), -float(M.min(initial=0.0)), 1.0)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            # a singular matrix is reported below as a ProductivityError, not a warning
            warnings.simplefilter("ignore", sla.LinAlgWarning)
            self._lu, self._piv = sla.lu_factor(M, overwrite_a=overwrite, check_finite=False)
        d = np.abs(np.diag(self._lu))
        bad = np.flatnonzero(~np.isfinite(d) | (d <= scale * np.finfo(float).eps * self.n))
        if bad.size:
            raise ProductivityError(
                f"I − A is singular: zero pivot at position {int(bad[0])} of the LU factorization "
                f"(found {bad.size} zero pivot(s), expected none)"
            )

    def solve(self, b):
        return sla.lu_solve((self._lu, self._piv), np.asarray(b, dtype=float), check_finite=False)

    def solve_transposed(self, b):
        return sla.lu_solve((self._lu, self._piv), np.asarray(b, dtype=float), trans=1,
                            check_finite=False)


class SparseFactor:
    """SuperLU (scipy.sparse.linalg.splu) for sparse I − A; solves accept dense right-hand sides."""

    backend = "sparse"

    def __init__(self, M):
        M = sp.csc_matrix(M, dtype=float)
        self.n = M.shape[0]
        try:
            self._lu = spla.splu(M)
        except RuntimeError as exc:  # SuperLU reports "Factor is exactly singular"
            raise ProductivityError(f"I − A is singular: {exc} (expected a non-singular matrix)") from exc

    def solve(self, b):
        return self._lu.solve(np.asarray(b, dtype=float))

    def solve_transposed(self, b):
        return self._lu.solve(np.asarray(b, dtype=float), trans="T")


_BACKENDS: dict[str, Callable[[object], Factor]] = {
    "dense": DenseFactor,
    "sparse": SparseFactor,
}

#: below this share of non-zeros (and above SPARSE_MIN_N sectors) "auto" picks sparse LU
SPARSE_DENSITY = 0.05
SPARSE_MIN_N = 400


def register_backend(name: str, factory: Callable[[object], Factor]) -> None:
    """Register a factorization backend under ``name`` (e.g. a CuPy one)."""
    _BACKENDS[name] = factory


def backends() -> list[str]:
    return sorted(_BACKENDS)


def choose_backend(M, backend: str = "auto") -> str:
    """Pick 'sparse' for large sparse matrices, 'dense' otherwise, unless told.

    ``auto`` first honours the environment variable ``LIANPU_BACKEND`` (e.g. ``cupy``)."""
    if backend == "auto" and os.environ.get("LIANPU_BACKEND", "auto") != "auto":
        backend = os.environ["LIANPU_BACKEND"]
    if backend != "auto":
        if backend not in _BACKENDS:
            raise ArgumentError(f"argument 'backend': unknown backend {backend!r} "
                                f"(expected one of {', '.join(['auto'] + backends())})")
        return backend
    n = M.shape[0]
    nnz = M.nnz if sp.issparse(M) else np.count_nonzero(M)
    if n >= SPARSE_MIN_N and nnz / (n * n) < SPARSE_DENSITY:
        return "sparse"
    return "dense"


def _register_optional() -> None:
    from . import backend_cupy

    if backend_cupy.available():
        register_backend("cupy", backend_cupy.CupyFactor)


_register_optional()


def factorize(M, backend: str = "auto", *, overwrite: bool = False) -> Factor:
    """Factorize the square matrix M with the chosen backend.

    ``overwrite=True`` allows the dense backend to reuse M's memory for the factors."""
    name = choose_backend(M, backend)
    if name == "dense":
        if sp.issparse(M):
            M, overwrite = M.toarray(order="F"), True
        return _BACKENDS["dense"](M, overwrite=overwrite)
    return _BACKENDS[name](M)
