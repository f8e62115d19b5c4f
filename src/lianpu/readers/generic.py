"""The generic wide template (通用模板): one sheet or CSV a planner fills from a yearbook.

Layout (documented in docs/template.md)::

    code | name_zh | name_en | <sector codes…> | FD:<final-demand codes…> | x
    <sector rows, in header order: intermediate flows, final demand, optional total output>
    VA:<code>             primary inputs (numbers in sector columns only)
    SAT:<name>[<unit>]    satellite rows (sector columns; FD cells all empty or all filled)
    FD:<code>             optional: names of a final-demand column (no numbers)
    META:<key>            value in the name_zh column (unit, year, source, name,
                          value_added_rows, compensation_row, household_columns, notes,
                          roles "FD:INV=inventory; VA:wages=compensation", discrepancy_column)

A header starting with ``FD:`` is a final-demand column, ``x`` is gross output, every other
header is a sector code. If the ``x`` cells are all empty, x = Z·1 + Y·1; with no ``VA:`` rows,
value added is the balancing row ``VA`` = x − 1'Z. Blank rows are skipped.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

from ..core.coefficients import calc_x
from ..core.errors import FormatError, message
from ..safe_text import csv_unescape
from ..table import IOTable, Satellite, _label_frame
from .base import (Reader, check_id, csv_rows, diagnose_csv, read_text, sniff,
                   workbook_errors)
from .template import EXCEL, FD, LEAD, META, META_KEYS, SAT, SAT_RE, VA, X, write_table, write_template

__all__ = ["read_generic", "write_table", "write_template", "READER"]


# ---------------------------------------------------------------------------- reading cells
def _text(v) -> str | None:
    """A cell as stripped text (None if empty); integral floats from Excel lose their '.0'."""
    if v is None:
        return None
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if v.is_integer():
            return str(int(v))
    s = str(v).strip()
    return s or None


def _read_grid(path: Path) -> list[list]:
    if path.suffix.lower() in EXCEL:
        from openpyxl import load_workbook
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
            try:
                grid = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
            finally:
                wb.close()
        except workbook_errors() as exc:  # only openpyxl runs here: it parses the bytes
            raise FormatError(message(path.name, "cannot read the workbook",
                                      found=f"{type(exc).__name__}: {str(exc)[:160]}",
                                      expected="an .xlsx file as Excel writes it")) from None
    else:
        rows = csv_rows(read_text(path), path.name)
        for k, r in enumerate(rows[1:], start=2):
            if len(r) > len(rows[0]) and any(c.strip() for c in r[len(rows[0]):]):
                raise FormatError(message(path.name, "row has more cells than the header",
                                          row=f"line {k}", found=f"{len(r)} cells",
                                          expected=f"{len(rows[0])} (the header's columns)"))
        grid = [[csv_unescape(c) for c in r] for r in rows]  # see write_table
    grid = [[None if isinstance(c, str) and not c.strip() else c for c in r] for r in grid]
    width = max((len(r) for r in grid), default=0)
    grid = [r + [None] * (width - len(r)) for r in grid]
    while width and all(r[width - 1] is None for r in grid):  # trailing empty columns
        width -= 1
        grid = [r[:width] for r in grid]
    return grid


def _num(v, fname, row, col) -> float:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        raise FormatError(message(fname, "cell is empty", row=row, column=col,
                                  expected="a number (0 for none)"))
    try:
        if isinstance(v, bool):
            raise ValueError
        f = float(v.strip().replace("\u2212", "-")) if isinstance(v, str) else float(v)
    except (TypeError, ValueError):
        raise FormatError(message(fname, "cell is not a number", row=row, column=col,
                                  found=repr(v), expected="a number")) from None
    if not math.isfinite(f):
        raise FormatError(message(fname, "cell is not a finite number", row=row, column=col,
                                  found=repr(v), expected="a finite number"))
    return f


# ---------------------------------------------------------------------------- reader
def _header(grid, fname):
    if not grid:
        raise FormatError(message(fname, "the file is empty", expected="a header row"))
    head = [_text(c) for c in grid[0]]
    if head[:3] != LEAD:
        raise FormatError(message(fname, "header does not start with the template's lead columns",
                                  row="header", found=head[:3], expected=LEAD))
    cols = head[3:]
    for j, c in enumerate(cols):
        check_id(c, fname, row="header", column=f"#{j + 4}")
        if c is None:
            raise FormatError(message(fname, "header cell is empty", row="header",
                                      column=f"#{j + 4}", expected="a sector code, FD:<code> or x"))
        if cols.count(c) > 1:
            raise FormatError(message(fname, "duplicated column code", row="header", column=c,
                                      expected="each code once"))
        if c.startswith(FD) and not c[len(FD):]:
            raise FormatError(message(fname, "final-demand column without a code", row="header",
                                      column=c, expected="FD:<code>, e.g. FD:HH"))
    sec = [c for c in cols if not c.startswith(FD) and c != X]
    fd = [c for c in cols if c.startswith(FD)]
    if not sec:
        raise FormatError(message(fname, "header has no sector columns", row="header",
                                  expected="code, name_zh, name_en, <sector codes…>, FD:…"))
    if not fd:
        raise FormatError(message(fname, "header has no final-demand column", row="header",
                                  expected="at least one column FD:<code>, e.g. FD:HH"))
    return head, sec, fd


def read_generic(path, *, name: str | None = None, rtol: float = 1e-4) -> IOTable:
    """Read a filled generic template (CSV or XLSX, first sheet) into an :class:`IOTable`."""
    path = Path(path)
    fname = path.name
    grid = _read_grid(path)
    head, sec, fdc = _header(grid, fname)
    at = {c: j for j, c in enumerate(head)}
    kinds: dict[str, list] = {"sector": [], "va": [], "sat": [], "fd": [], "meta": []}
    seen = set()
    for ln, r in enumerate(grid[1:], start=2):
        if all(c is None for c in r):
            continue
        code = _text(r[0])
        if code is None:
            raise FormatError(message(fname, "row has no code", row=f"line {ln}",
                                      found=repr(next(c for c in r if c is not None)),
                                      expected="a sector code, VA:…, SAT:…[…], FD:… or META:…"))
        check_id(code, fname, row=f"line {ln}", column="code")
        if code in seen:
            raise FormatError(message(fname, "duplicated row code", row=code,
                                      expected="each code once"))
        seen.add(code)
        if code in sec:
            kind = "sector"
        elif code.startswith(VA) and code[len(VA):]:
            kind = "va"
        elif code.startswith(SAT):
            if not SAT_RE.match(code):
                raise FormatError(message(fname, "malformed satellite code", row=code,
                                          expected="SAT:<name>[<unit>], e.g. SAT:CO2[t]"))
            kind = "sat"
        elif code.startswith(FD) and code in fdc:
            kind = "fd"
        elif code.startswith(META) and code[len(META):] in META_KEYS:
            kind = "meta"
        elif code.startswith(META):
            raise FormatError(message(fname, "unknown META key", row=code,
                                      expected=f"META:<{'|'.join(META_KEYS)}>"))
        elif code.startswith(FD):
            raise FormatError(message(fname, "FD: row names no final-demand column of the header",
                                      row=code, expected=f"one of {fdc}"))
        else:
            raise FormatError(message(
                fname, "row code is neither a sector of the header nor VA:, SAT:, FD: or META:",
                row=code, expected=f"a sector code {sec[:3]}…, VA:<code>, SAT:<name>[<unit>], "
                "FD:<header column> or META:<key>"))
        kinds[kind].append((code, r))

    got = [c for c, _ in kinds["sector"]]
    if got != sec:
        missing = [c for c in sec if c not in got]
        if missing:
            raise FormatError(message(fname, "sector row missing", row=missing[0],
                                      found=f"{len(got)} sector rows",
                                      expected=f"{len(sec)} rows with the header's sector codes"))
        raise FormatError(message(fname, "sector rows are not in the header's order",
                                  found=got[:5], expected=sec[:5]))

    def block(rows, cols):
        return np.array([[_num(r[at[c]], fname, code, c) for c in cols] for code, r in rows],
                        dtype=float).reshape(len(rows), len(cols))

    def empty(rows, cols, why):
        for code, r in rows:
            for c in cols:
                if c in at and r[at[c]] is not None:
                    raise FormatError(message(fname, "cell must be empty", row=code, column=c,
                                              found=repr(r[at[c]]), expected=f"empty ({why})"))

    srows = kinds["sector"]
    Z, Y = block(srows, sec), block(srows, fdc)
    xcells = [r[at[X]] for _, r in srows] if X in at else []
    if any(c is None for c in xcells) and not all(c is None for c in xcells):
        code = srows[[c is None for c in xcells].index(True)][0]
        raise FormatError(message(fname, "cell is empty", row=code, column=X,
                                  expected="every x cell filled, or all empty (x = Z·1 + Y·1)"))
    x = calc_x(Z, Y) if all(c is None for c in xcells) else block(srows, [X])[:, 0]
    empty(kinds["va"], fdc + [X], "primary inputs have numbers in sector columns only")
    empty(kinds["sat"], [X], "satellites have no total")
    empty(kinds["fd"] + kinds["meta"], sec + fdc + [X], "this row holds labels only")
    names = {code: (_text(r[1]) or "", _text(r[2]) or "") for rows in kinds.values()
             for code, r in rows}
    va = [c[len(VA):] for c, _ in kinds["va"]]
    if va:
        V = block(kinds["va"], sec)
        pl = _label_frame(va, [names[VA + c][0] for c in va], [names[VA + c][1] for c in va],
                          index_name="row")
    else:
        V = (x - Z.sum(axis=0))[None, :]
        pl = _label_frame(["VA"], ["增加值"], ["Value added"], index_name="row")
    sats = {}
    for code, r in kinds["sat"]:
        nm, unit = SAT_RE.match(code).groups()
        fdv = None if all(r[at[c]] is None for c in fdc) else block([(code, r)], fdc)[0]
        sats[nm] = Satellite(nm, block([(code, r)], sec)[0], unit, *names[code], final_demand=fdv)

    meta = {c[len(META):]: _text(r[1]) for c, r in kinds["meta"] if _text(r[1]) is not None}
    fd = [c[len(FD):] for c in fdc]
    year = meta.get("year")
    if year is not None:
        if not re.fullmatch(r"\d{4}", year):
            raise FormatError(message(fname, "not a year", row="META:year", column="name_zh",
                                      found=repr(year), expected="four digits, e.g. 2020"))
        year = int(year)

    def codes(key, prefix, allowed):
        vals = [v.strip() for v in re.split(r"[,，;；]", meta.get(key, "")) if v.strip()]
        vals = [v[len(prefix):] if v.startswith(prefix) else v for v in vals]
        for v in vals:
            if v not in allowed:
                raise FormatError(message(fname, f"META:{key} names an unknown code",
                                          row=f"META:{key}", column="name_zh", found=repr(v),
                                          expected=f"one of {allowed}"))
        return tuple(vals)

    disc = None
    dcol = meta.get("discrepancy_column")
    if dcol is not None:  # the table's own ERR vector, written as a column by write_table
        dcol = dcol[len(FD):] if dcol.startswith(FD) else dcol
        if dcol not in fd:
            raise FormatError(message(fname, "META:discrepancy_column names an unknown code",
                                      row="META:discrepancy_column", column="name_zh",
                                      found=repr(dcol), expected=f"one of {fd}"))
        j = fd.index(dcol)
        disc, Y = Y[:, j], np.delete(Y, j, axis=1)
        fd = fd[:j] + fd[j + 1:]
        sats = {k: Satellite(s.name, s.values, s.unit, s.name_zh, s.name_en,
                             None if s.final_demand is None else np.delete(s.final_demand, j))
                for k, s in sats.items()}
    fd_roles, pr_roles = _declared_roles(meta.get("roles", ""), fd, list(pl.index), fname)
    pl["role"] = pr_roles
    comp = codes("compensation_row", VA, list(pl.index))
    if len(comp) > 1:
        raise FormatError(message(fname, "META:compensation_row names more than one row",
                                  row="META:compensation_row", column="name_zh",
                                  found=list(comp), expected="one VA code"))
    return IOTable(
        Z, Y, V, x,
        sectors=_label_frame(sec, [names[c][0] for c in sec], [names[c][1] for c in sec]),
        final_demand_labels=_label_frame(fd, [names.get(FD + c, ("", ""))[0] for c in fd],
                                         [names.get(FD + c, ("", ""))[1] for c in fd],
                                         index_name="category", role=fd_roles),
        discrepancy_=disc,
        primary_labels=pl,
        value_added_rows=codes("value_added_rows", VA, list(pl.index)),
        compensation_row=comp[0] if comp else None,
        household_columns=codes("household_columns", FD, fd), satellites=sats,
        unit=meta.get("unit", ""), year=year, source=meta.get("source", f"generic template {fname}"),
        name=name or meta.get("name") or fname, rtol=rtol,
        notes=(meta["notes"],) if "notes" in meta else ())


def _declared_roles(text: str, fd: list, pr: list, fname: str):
    """META:roles "FD:INV=inventory; VA:wages=compensation" (prefix optional: a bare code is
    looked up among the FD columns first) → role lists for the FD columns and VA rows, ``""``
    where the role is inferred from the code and names."""
    fdr, prr = [""] * len(fd), [""] * len(pr)
    for item in re.split(r"[;；]", text or ""):
        if not item.strip():
            continue
        code, eq, role = item.strip().rpartition("=")
        code, role = code.strip(), role.strip()
        if not eq or not code:
            raise FormatError(message(fname, "META:roles entry is not code=role", row="META:roles",
                                      column="name_zh", found=repr(item.strip()),
                                      expected="e.g. FD:INV=inventory; VA:wages=compensation"))
        if code.startswith(FD) and code[len(FD):] in fd:
            fdr[fd.index(code[len(FD):])] = role
        elif code.startswith(VA) and code[len(VA):] in pr:
            prr[pr.index(code[len(VA):])] = role
        elif code in fd:
            fdr[fd.index(code)] = role
        elif code in pr:
            prr[pr.index(code)] = role
        else:
            raise FormatError(message(fname, "META:roles names an unknown code", row="META:roles",
                                      column="name_zh", found=repr(code),
                                      expected=f"FD:<one of {fd[:6]}> or VA:<one of {pr[:6]}>"))
    return fdr, prr


def _guess(path: Path) -> bool:
    path = Path(path)
    suf = path.suffix.lower()
    if suf == ".csv":
        s = sniff(path, lines=1)
        if s.problem or s.delimiter != "," or not s.rows:
            return False
        head = s.rows[0]
    elif suf in EXCEL:
        from openpyxl import load_workbook
        wb = load_workbook(path, read_only=True)
        try:
            head = list(next(wb.worksheets[0].iter_rows(max_row=1, values_only=True), ()))
        finally:
            wb.close()
    else:
        return False
    return [_text(c) for c in head[:3]] == LEAD


READER = Reader(
    name="generic",
    description="lianpu generic wide template (code, name_zh, name_en, sectors…, FD:…, x; "
                "rows VA:, SAT:, FD:, META:); CSV or XLSX — see docs/template.md",
    guess_can_open=_guess,
    open=read_generic,
    diagnose=lambda path: diagnose_csv(path, "generic", LEAD, []),
)
