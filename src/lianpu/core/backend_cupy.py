"""Optional GPU backend through CuPy (cupyx.scipy.linalg LU on the device).

Registered as ``"cupy"`` by :mod:`lianpu.core.backend` only when CuPy imports, so the package
needs no GPU. The factor lives on the GPU; ``solve`` moves the right-hand side there and the
result back to NumPy, so analyses see plain arrays as from every other backend.
"""
from __future__ import annotations

import numpy as np

from .errors import ProductivityError


class CupyFactor:
    backend = "cupy"

    def __init__(self, M):
        import cupy as cp
        import cupyx.scipy.linalg as csla
        import scipy.sparse as sp

        if sp.issparse(M):
            M = M.toarray()
        self._cp = cp
        self._csla = csla
        M = cp.asarray(np.asarray(M, dtype=float))
        self.n = int(M.shape[0])
        self._lu, self._piv = csla.lu_factor(M, check_finite=False)
        d = cp.abs(cp.diag(self._lu))
        scale = max(float(cp.abs(M).max()), 1.0)
        if bool((~cp.isfinite(d) | (d <= scale * np.finfo(float).eps * self.n)).any()):
            raise ProductivityError("I − A is singular: zero pivot in the LU factorization on the "
                                    "GPU (expected a non-singular matrix)")

    def _run(self, b, trans):
        cp = self._cp
        x = self._csla.lu_solve((self._lu, self._piv), cp.asarray(np.asarray(b, dtype=float)),
                                trans=trans, check_finite=False)
        return cp.asnumpy(x)

    def solve(self, b):
        return self._run(b, 0)

    def solve_transposed(self, b):
        return self._run(b, 1)


def available() -> bool:
    try:
        import cupy
    except (ImportError, RuntimeError, OSError):  # no CuPy, or its CUDA libraries do not load
        return False
    try:
        return cupy.cuda.runtime.getDeviceCount() > 0
    except (RuntimeError, OSError):  # CUDARuntimeError (a RuntimeError): no driver, no device
        return False
