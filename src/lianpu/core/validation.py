"""One validation module, called by IOTable on construction (and by readers).

Functions take plain arrays plus label sequences (for messages) and either return clean
arrays / a report or raise a :mod:`lianpu.core.errors` exception whose text names the table,
the row/column, what was found and what was expected.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .codes import code_str
from .errors import BalanceError, TableError, message


def as_matrix(name: str, a, shape: tuple[int | None, int | None], table: str,
              row_labels=None, col_labels=None, *, sparse_ok: bool = False) -> np.ndarray:
    """Return ``a`` as a finite float 2-D array of the given shape (None = any).

    ``sparse_ok``: a scipy.sparse ``a`` stays sparse, as a canonical float CSR array
    (duplicates summed, indices sorted, explicit zeros dropped); otherwise it is refused,
    since that field is stored densely."""
    if sp.issparse(a):
        return _as_sparse(name, a, shape, table, row_labels, col_labels, sparse_ok)
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TableError(message(table, f"{name} contains a non-numeric entry",
                                 found=str(exc), expected="numbers")) from exc
    if arr.ndim == 1 and shape[1] == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or any(s is not None and s != d for s, d in zip(shape, arr.shape)):
        exp = "×".join("any" if s is None else str(s) for s in shape)
        raise TableError(message(table, f"{name} has the wrong shape",
                                 found="×".join(map(str, arr.shape)), expected=exp))
    check_finite(name, arr, table, row_labels, col_labels)
    return arr


def _as_sparse(name, a, shape, table, row_labels, col_labels, sparse_ok):
    if not sparse_ok:
        raise TableError(message(table, f"{name} is a scipy.sparse matrix, but only Z may be "
                                 "stored sparse", found=type(a).__name__,
                                 expected=f"a dense array for {name} (e.g. .toarray())"))
    if any(s is not None and s != d for s, d in zip(shape, a.shape)):
        exp = "×".join("any" if s is None else str(s) for s in shape)
        raise TableError(message(table, f"{name} has the wrong shape",
                                 found="×".join(map(str, a.shape)), expected=exp))
    try:
        m = sp.csr_array(a, dtype=float, copy=True)
    except (TypeError, ValueError) as exc:
        raise TableError(message(table, f"{name} contains a non-numeric entry",
                                 found=str(exc), expected="numbers")) from exc
    m.sum_duplicates()
    m.eliminate_zeros()
    bad = ~np.isfinite(m.data)
    if bad.any():
        k = int(np.argmax(bad))
        i = int(np.searchsorted(m.indptr, k, side="right") - 1)
        j = int(m.indices[k])
        raise TableError(message(
            table, f"{name} contains a missing or infinite value", found=repr(m.data[k]),
            expected="a finite number", row=_lab(row_labels, i), column=_lab(col_labels, j)))
    return m


def as_vector(name: str, a, n: int, table: str, labels=None) -> np.ndarray:
    arr = np.asarray(a, dtype=float).ravel() if np.ndim(a) else np.asarray([a], float)
    if arr.shape[0] != n:
        raise TableError(message(table, f"{name} has the wrong length",
                                 found=arr.shape[0], expected=n))
    check_finite(name, arr[:, None], table, labels, None)
    return arr


#: entries per block when a large array is scanned (a bool mask of one block, never n×n)
SCAN_BLOCK = 2**22


def _scan(arr: np.ndarray, bad_of):
    """(first bad (i, j) or None, number of bad cells) of a 2-D array, by row blocks so the
    mask ``bad_of(block)`` is one block's size, not the array's."""
    rows = max(1, SCAN_BLOCK // max(arr.shape[1], 1))
    first, count = None, 0
    for a in range(0, arr.shape[0], rows):
        bad = bad_of(arr[a:a + rows], a)
        c = int(np.count_nonzero(bad))
        if c:
            if first is None:
                i, j = (int(v[0]) for v in np.nonzero(bad))
                first = (a + i, j)
            count += c
    return first, count


def check_finite(name: str, arr: np.ndarray, table: str, row_labels=None, col_labels=None):
    """Raise naming the first NaN/inf cell."""
    first, _ = _scan(arr, lambda blk, a: ~np.isfinite(blk))
    if first is not None:
        i, j = first
        raise TableError(message(
            table, f"{name} contains a missing or infinite value", found=repr(arr[i, j]),
            expected="a finite number",
            row=_lab(row_labels, i), column=_lab(col_labels, j) if arr.shape[1] > 1 else None))


def check_unique(what: str, labels, table: str) -> None:
    seen: dict = {}
    for i, lab in enumerate(labels):
        if lab in seen:
            raise TableError(message(
                table, f"duplicated {what} label {lab!r}", found=f"at positions {seen[lab]} and {i}",
                expected="unique labels"))
        seen[lab] = i


def check_nonnegative(name: str, arr: np.ndarray, table: str, row_labels=None, col_labels=None,
                      allowed_columns=(), hint=None) -> None:
    """Negative entries are errors except in ``allowed_columns`` (inventory change, imports, taxes).

    ``hint(j)``, if given, returns a sentence appended to the message for column ``j`` (the
    table says there which argument declares that column's role). A scipy.sparse ``arr``
    (a sparse Z) is checked on its stored entries."""
    if sp.issparse(arr):
        arr = sp.csr_array(arr)
        neg = arr.data < 0
        count = int(np.count_nonzero(neg))
        first = None
        if count:
            k = int(np.argmax(neg))
            first = (int(np.searchsorted(arr.indptr, k, side="right") - 1), int(arr.indices[k]))
            value = arr.data[k]
    else:
        allowed = np.zeros(arr.shape[1], dtype=bool)
        allowed[list(allowed_columns)] = True

        def negative(blk, a):
            neg = blk < 0
            neg[:, allowed] = False
            return neg
        first, count = _scan(arr, negative)
        if first is not None:
            value = arr[first]
    if first is not None:
        i, j = first
        text = message(
            table, f"negative entry in {name} ({count} negative cell(s) in all)",
            found=f"{value:.6g}", expected="≥ 0 (negatives are allowed only for inventory "
            "change, imports, taxes and discrepancy)", row=_lab(row_labels, i),
            column=_lab(col_labels, j))
        raise TableError(text + ("; " + hint(j) if hint is not None else ""))


def _lab(labels, i):
    if labels is None:
        return i
    lab = labels[i]
    return code_str(lab) if isinstance(lab, tuple) else lab


@dataclass(frozen=True)
class BalanceReport:
    """Row balance (Z·1 + Y·1 + err = x) and column balance (1'Z + 1'Zm [+ 1'Zr] + 1'V = x).

    Residuals are in the table's unit; ``rel`` divides by max(x_i, atol)."""

    row_residual: np.ndarray
    col_residual: np.ndarray
    x: np.ndarray
    labels: list
    discrepancy_used: bool
    rtol: float
    atol: float
    worst: int = 5
    row_rel: np.ndarray = field(init=False)
    col_rel: np.ndarray = field(init=False)

    def __post_init__(self):
        den = np.maximum(np.abs(self.x), self.atol)
        object.__setattr__(self, "row_rel", np.abs(self.row_residual) / den)
        object.__setattr__(self, "col_rel", np.abs(self.col_residual) / den)

    def _bad(self, res):
        return np.abs(res) > self.rtol * np.abs(self.x) + self.atol

    @property
    def ok(self) -> bool:
        return not (self._bad(self.row_residual).any() or self._bad(self.col_residual).any())

    def worst_rows(self):
        idx = np.argsort(-self.row_rel)[: self.worst]
        return [(_lab(self.labels, i), float(self.row_residual[i]), float(self.row_rel[i])) for i in idx]

    def worst_columns(self):
        idx = np.argsort(-self.col_rel)[: self.worst]
        return [(_lab(self.labels, i), float(self.col_residual[i]), float(self.col_rel[i])) for i in idx]

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "rtol": self.rtol,
            "atol": self.atol,
            "discrepancy_column_used": self.discrepancy_used,
            "max_row_residual": float(np.abs(self.row_residual).max(initial=0)),
            "max_row_relative": float(self.row_rel.max(initial=0)),
            "max_column_residual": float(np.abs(self.col_residual).max(initial=0)),
            "max_column_relative": float(self.col_rel.max(initial=0)),
            "worst_rows": [{"sector": s, "residual": r, "relative": q} for s, r, q in self.worst_rows()],
            "worst_columns": [{"sector": s, "residual": r, "relative": q}
                              for s, r, q in self.worst_columns()],
        }


def balance_report(Z, Y, V, x, *, Zm=None, discrepancy=None, labels=None, rtol=1e-4,
                   atol=None, Zr=None) -> BalanceReport:
    """Compute row and column residuals; the table's own ERR column is added to the row sum.

    ``Zm`` (imported inputs) and ``Zr`` (inputs from other provinces, a local view) are added
    to the column sums."""
    row = np.asarray(Z.sum(axis=1)).ravel() + Y.sum(axis=1)
    if discrepancy is not None:
        row = row + discrepancy
    col = np.asarray(Z.sum(axis=0)).ravel() + V.sum(axis=0)
    if Zm is not None:
        col = col + np.asarray(Zm.sum(axis=0)).ravel()
    if Zr is not None:
        col = col + np.asarray(Zr.sum(axis=0)).ravel()
    if atol is None:
        atol = 1e-7 * float(np.abs(x).max(initial=1.0))
    return BalanceReport(row - x, col - x, x, list(labels) if labels is not None else None,
                         discrepancy is not None, rtol, atol)


def check_balance(report: BalanceReport, table: str) -> None:
    """Raise BalanceError naming the worst row or column beyond tolerance."""
    if report.ok:
        return
    bad_r = report._bad(report.row_residual)
    bad_c = report._bad(report.col_residual)
    if bad_r.any():
        i = int(np.argmax(np.where(bad_r, report.row_rel, -1)))
        kind, res, n = "row", report.row_residual, int(bad_r.sum())
        what = "Z·1 + Y·1 (+ ERR) does not equal gross output x"
    else:
        i = int(np.argmax(np.where(bad_c, report.col_rel, -1)))
        kind, res, n = "column", report.col_residual, int(bad_c.sum())
        what = "1'Z (+ 1'Zm + 1'Zr) + 1'V does not equal gross output x"
    lab = _lab(report.labels, i)
    raise BalanceError(message(
        table, f"{kind} {lab!r} is unbalanced: {what} ({n} {kind}(s) beyond tolerance)",
        found=f"residual {res[i]:.6g} = {report.row_rel[i] if kind == 'row' else report.col_rel[i]:.3g} of x",
        expected=f"|residual| ≤ {report.rtol:g}·x + {report.atol:.3g}"))
