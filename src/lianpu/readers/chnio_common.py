"""What the CHNIO readers share (:mod:`lianpu.readers.chnio`, provincial tables, and
:mod:`lianpu.readers.chnio_national`, national tables 1990–2000): the unit and source, the
primary-input rows, reading an Excel 97–2003 workbook and its cells, and the checks of the
detail against published totals with the notes on what the publication got wrong.
"""
from __future__ import annotations

import re
import struct
from pathlib import Path

import numpy as np

from ..core.errors import FormatError, TableError, message
from ..core.notes import Note, zh

UNIT = "10,000 CNY (万元)"
SOURCE = ("CHNIO 0.0.1 (github.com/common2016/CHNIO @ 2878da3), the published provincial "
          "IO tables")
VA_ROWS = ("VA001", "VA002", "VA003", "VA004")
VA_NAMES = {"VA001": ("劳动者报酬", "Compensation of employees"),
            "VA002": ("生产税净额", "Net taxes on production"),
            "VA003": ("固定资产折旧", "Depreciation of fixed assets"),
            "VA004": ("营业盈余", "Operating surplus")}


def _province(text):
    from ..data.registry import province  # light: csv only
    return province(text)


# ---------------------------------------------------------------------------- cells
def _code(v) -> str:
    """A header/row code as text: 1.0 → '01', ' TIU ' → 'TIU'."""
    if isinstance(v, float) and v.is_integer():
        return f"{int(v):02d}"
    s = str(v).strip()
    if re.fullmatch(r"\d+(\.0)?", s):
        return f"{int(float(s)):02d}"
    return s


def _clean(v) -> str:
    return re.sub(r"\s", "", str(v))


def _sheet(path: Path, sheet=0):
    import xlrd  # imported here: only this reader needs it

    try:
        # xlrd warns on some of these files' sector-size padding; the data are complete
        book = xlrd.open_workbook(str(path), logfile=_Quiet())
    except _xlrd_errors() as exc:  # a file xlrd cannot parse: name the file
        raise FormatError(message(path.name, "cannot be read as an Excel 97–2003 workbook",
                                  found=f"{type(exc).__name__}: {exc}",
                                  expected="a .xls file")) from exc
    sh = book.sheet_by_name(sheet) if isinstance(sheet, str) else book.sheet_by_index(sheet)
    return book, sh


def _xlrd_errors() -> tuple[type[BaseException], ...]:
    """What xlrd raises on bytes that are not an Excel 97–2003 workbook: its own errors, and
    the struct/index/assertion failures of its record parser on a damaged file (only
    ``open_workbook`` runs where these are caught)."""
    from xlrd.biffh import XLRDError
    from xlrd.compdoc import CompDocError
    from xlrd.formula import FormulaError
    return (XLRDError, CompDocError, FormulaError, struct.error, AssertionError, IndexError,
            KeyError, ValueError, EOFError, OSError)


class _Quiet:
    def write(self, *_):
        pass


def _cells(sh) -> list[list]:
    return [sh.row_values(r) for r in range(sh.nrows)]


def _num(v, fname, row, col) -> float:
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v).strip().replace(",", "")
    try:
        return float(s)
    except ValueError:
        raise FormatError(message(fname, "cell is empty" if not s else "cell is not a number",
                                  row=row, column=col, found=None if not s else repr(v),
                                  expected="a number (0 for none)")) from None


def _check_total(found, expected, what, fname, *, row=None, column=None, rtol=1e-6,
                 issues: list | None = None):
    """Compare detail with a published total. A mismatch is an error naming the cell, or,
    with ``issues`` (a list), appended there as (relative size, text) for the table's notes:
    the text a :class:`Note` whose Chinese names the comparison by ``what``'s Chinese (pass
    ``what`` as a ``Note``)."""
    found, expected = np.asarray(found, float), np.asarray(expected, float)
    atol = 1e-6 * max(float(np.abs(expected).max(initial=1.0)), 1.0)
    res = np.abs(found - expected)
    bad = res > rtol * np.abs(expected) + atol
    if not bad.any():
        return
    at = lambda lab, i: lab[i] if isinstance(lab, list) else lab  # noqa: E731
    if issues is None:
        i = int(np.argmax(np.where(bad, res, -1)))
        raise TableError(message(fname, f"{what} does not match the published total",
                                 row=at(row, i), column=at(column, i),
                                 found=f"{found[i]:.10g}",
                                 expected=f"{expected[i]:.10g} ± {rtol:g}"))
    for i in np.flatnonzero(bad):
        rel = float(res[i] / max(abs(expected[i]), 1.0))
        issues.append((rel, Note(f"{what} at row {at(row, i)}, column {at(column, i)}: "
                                 f"{found[i]:,.1f} against the published {expected[i]:,.1f} "
                                 f"({rel:.2%})",
                                 f"{zh(what)}（行 {at(row, i)}，列 {at(column, i)}）为 "
                                 f"{found[i]:,.1f}，公布值为 {expected[i]:,.1f}（相差 {rel:.2%}）")))


def _published_flaws(Z, Y, V, x, sec, fd_roles, empty, issues, rtol,
                     nonneg_rows=(("VA001", 0), ("VA003", 2))):
    """Notes on blank cells, totals that disagree with the detail and negative entries where
    the table should have none — all kept as published — and the balance tolerance that
    covers them (``rtol`` widened to twice the largest disagreement, said in a note)."""
    from ..core import roles
    notes = []
    if empty:
        cells = ", ".join(f"{r}/{c}" for r, c in empty[:5]) + (" …" if len(empty) > 5 else "")
        notes.append(Note(f"as published: {len(empty)} blank cell(s) in the data ({cells}), "
                          "read as 0",
                          f"按公布数据：数据中有 {len(empty)} 个空白单元格（{cells}），按 0 读取"))
    if issues:
        worst = max(r for r, _ in issues)
        top = [t for _, t in sorted(issues, reverse=True)[:4]]
        notes.append(Note(f"as published: {len(issues)} total(s) disagree with their detail — "
                          + "; ".join(top) + " — kept as published, not corrected",
                          f"按公布数据：{len(issues)} 个合计数与其明细不符——"
                          + "；".join(zh(t) for t in top) + "——保留公布值，未作修正"))
        if 2 * worst > rtol:
            rtol = float(f"{2 * worst:.1g}")
            notes.append(Note(f"balance tolerance widened to {rtol:g} of gross output because "
                              "of the published disagreement above",
                              f"因上述公布数据不符，平衡容差放宽至总产出的 {rtol:g}"))
    ok_fd = [j for j, r in enumerate(fd_roles) if r in roles.NEGATIVE_OK_FD]
    neg = []
    for what, a, labs in (("Z", Z, None), ("Y", np.delete(Y, ok_fd, axis=1), None),
                          ("x", x[:, None], None)):
        for i, j in zip(*np.nonzero(a < 0)):
            neg.append((what, sec[i], a[i, j]))
    for code, i in nonneg_rows:  # compensation and depreciation
        for j in np.flatnonzero(V[i] < 0):
            neg.append(("V", f"{code}/{sec[j]}", V[i, j]))
    if neg:
        worst = sorted(neg, key=lambda t: t[2])[:4]
        ex = ", ".join(f"{w}[{lab}] = {v:,.4g}" for w, lab, v in worst)
        notes.append(Note(f"as published: {len(neg)} negative entr(y/ies) where flows are "
                          f"normally ≥ 0 (e.g. {ex}) — kept as published",
                          f"按公布数据：{len(neg)} 处通常应 ≥ 0 的流量为负值（如 {ex}）——保留公布值"))
    return tuple(notes), rtol, bool(neg)
