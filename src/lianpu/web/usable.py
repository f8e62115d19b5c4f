"""Is an uploaded table one that analyses can use? The dashboard's check on the upload path.

A table the readers accept can still be degenerate: every flow zero, no final demand, or a
total output of zero (or, defensively, not finite). Such a table loads, but every multiplier is
1, every share is 0/0 and the pages would show ``nan%``. :func:`check_usable` refuses it with a
:class:`~lianpu.core.errors.TableError` naming the uploaded file and what was expected (the app
answers 400 with the one error shape).

These are properties of any IOTable that analyses cannot use, not of the dashboard: the check
reads only the table's public frames, so the table owner can move it into validation as it is.
"""
from __future__ import annotations

import numpy as np

from ..core.errors import TableError, message


def _values(frame) -> np.ndarray:
    return np.asarray(frame.to_numpy() if hasattr(frame, "to_numpy") else frame, dtype=float)


def check_usable(table, filename: str) -> None:
    """Raise :class:`TableError` if ``table`` (read from the upload ``filename``) is all zeros,
    has no final demand, or a total output that is zero or not finite."""
    x = _values(table.x).ravel()
    Z, Y, V = _values(table.Z), _values(table.Y), _values(table.V)
    for name, arr in (("gross output x", x), ("intermediate flows Z", Z),
                      ("final demand Y", Y), ("value added V", V)):
        bad = ~np.isfinite(arr)
        if bad.any():
            raise TableError(message(filename, f"{name} has a missing or infinite value",
                                     found=f"{int(bad.sum())} such cell(s)",
                                     expected="finite numbers in every cell"))
    if not (np.any(Z) or np.any(Y) or np.any(V) or np.any(x)):
        raise TableError(message(filename, "every cell of the table is zero",
                                 expected="an input-output table with non-zero flows, "
                                          "final demand and gross output"))
    total = float(x.sum())
    if total <= 0:
        raise TableError(message(filename, "total gross output is zero or negative",
                                 found=f"sum of x = {total:g}",
                                 expected="a positive gross output (column x) for at least "
                                          "one sector"))
    if Y.size == 0 or not np.any(Y):
        raise TableError(message(filename, "the table has no final demand: every final-demand "
                                 "column is zero", found=f"{Y.shape[1] if Y.ndim == 2 else 0} "
                                 "final-demand column(s), all zero",
                                 expected="at least one final-demand column (FD:…: "
                                          "consumption, capital formation, exports) with "
                                          "non-zero entries"))
