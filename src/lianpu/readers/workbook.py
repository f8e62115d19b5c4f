"""Reader of the workbook ``lianpu export --to t.xlsx`` writes (one sheet per block).

Sheets (see :func:`lianpu.export.table_sheets`): ``sectors 部门`` (codes — or region and
sector — and names), ``Z 中间流量``, ``Y 最终使用``, ``V 初始投入``, ``x 总产出`` (the unit in
each block's corner cell), optional ``Zm``/``Ym``, ``Zr``/``Yr``, ``ERR 统计误差``, satellites
``F 卫星账户`` with ``SAT 卫星账户项目`` (key, unit, names) and ``FY 卫星账户最终使用``, the
label sheets ``FD 最终使用类别`` and ``VA 初始投入项目`` (names and roles), and ``meta 元数据``
(field, value; ``notes`` and, parallel to it, ``notes_zh`` their Chinese, as JSON lists).
Numbers are stored as doubles, so ``lianpu.load`` of an exported workbook is the same table
(Z, Y, V, x, labels, roles, unit, notes with their Chinese); workbooks exported before the
label sheets (or ``notes_zh``) existed read too, with roles inferred from the codes (and
plain English notes).
"""
from __future__ import annotations

import json
import math
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.codes import code_str
from ..core.errors import FormatError, message
from ..core.notes import pair
from .base import Reader

REQUIRED = ("sectors 部门", "Z 中间流量", "Y 最终使用", "V 初始投入", "x 总产出", "meta 元数据")
NAME_COLS = ("name_zh 中文名称", "name_en English name")


@contextmanager
def exact_floats():
    """Write floats to .xlsx with all 17 significant digits while the block runs.

    openpyxl formats numbers as ``"%.16g"``, one digit short of a double, so 0.1 + 0.2 would
    come back as 0.3; ``repr`` is the shortest text that reads back as the same double. The
    swap only ever writes *more* digits, so a workbook written meanwhile by another thread is
    unharmed."""
    from openpyxl.cell import _writer
    original = _writer.safe_string

    def exact(value):
        if isinstance(value, (float, np.floating)) and math.isfinite(value):
            return repr(float(value))
        return original(value)

    _writer.safe_string = exact
    try:
        yield
    finally:
        _writer.safe_string = original


def _grids(path: Path) -> dict[str, list[list]]:
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
                for ws in wb.worksheets}
    finally:
        wb.close()


def _text(v) -> str:
    return "" if v is None else str(v)


def _labels(grid, sheet, fname, index_name=None) -> pd.DataFrame:
    head = [_text(c) for c in grid[0]]
    if NAME_COLS[0] not in head:
        raise FormatError(message(fname, "label sheet has no name columns", column=sheet,
                                  found=head[:4], expected=f"code…, {NAME_COLS[0]}, {NAME_COLS[1]}"))
    nlev = head.index(NAME_COLS[0])
    rows = [r for r in grid[1:] if any(c is not None for c in r)]
    levels = [[_text(r[i]) for r in rows] for i in range(nlev)]
    names = index_name or head[:nlev]
    idx = (pd.MultiIndex.from_arrays(levels, names=names) if nlev > 1
           else pd.Index(levels[0], name=names[0]))
    df = pd.DataFrame({"name_zh": [_text(r[nlev]) for r in rows],
                       "name_en": [_text(r[nlev + 1]) for r in rows]}, index=idx)
    if "role 角色" in head:
        j = head.index("role 角色")
        df["role"] = [_text(r[j]) for r in rows]
    return df


def _block(grid, sheet, fname, rows, cols) -> np.ndarray:
    head = [_text(c) for c in grid[0][1:]]
    if head != list(cols):
        raise FormatError(message(fname, "block's column codes differ from the labels",
                                  column=sheet, found=head[:4], expected=list(cols)[:4]))
    body = [r for r in grid[1:] if any(c is not None for c in r)]
    got = [_text(r[0]) for r in body]
    if got != list(rows):
        raise FormatError(message(fname, "block's row codes differ from the labels",
                                  column=sheet, found=got[:4], expected=list(rows)[:4]))
    out = np.empty((len(rows), len(cols)))
    for i, r in enumerate(body):
        for j, v in enumerate(r[1:1 + len(cols)]):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise FormatError(message(fname, "cell is not a number", row=rows[i],
                                          column=f"{sheet}: {cols[j]}", found=repr(v),
                                          expected="a number"))
            out[i, j] = v
    return out


def read_workbook(path, *, name: str | None = None, rtol: float | None = None):
    """Read a workbook written by ``lianpu export`` into an :class:`~lianpu.IOTable`."""
    from ..table import IOTable, Satellite, _label_frame
    path = Path(path)
    fname = path.name
    g = _grids(path)
    missing = [s for s in REQUIRED if s not in g]
    if missing:
        raise FormatError(message(fname, "not a lianpu export workbook: sheet missing",
                                  found=missing[0], expected=f"sheets {list(REQUIRED)}"))
    meta = {_text(r[0]): r[1] for r in g["meta 元数据"][1:] if r and r[0] is not None}

    def js(key, default):
        v = meta.get(key)
        if v in (None, ""):
            return default
        try:
            return json.loads(v)
        except (TypeError, ValueError):  # workbooks before JSON lists: comma lists
            return [c for c in str(v).split(",") if c]

    ixn = js("sector_index_names", None)
    sectors = _labels(g["sectors 部门"], "sectors 部门", fname,
                      index_name=ixn if isinstance(ixn, list) and ixn and
                      not isinstance(ixn[0], list) else None)
    codes = [code_str(c) for c in sectors.index]
    yhead = [_text(c) for c in g["Y 最终使用"][0][1:]]
    vrows = [_text(r[0]) for r in g["V 初始投入"][1:] if any(c is not None for c in r)]
    fdl = (_labels(g["FD 最终使用类别"], "FD 最终使用类别", fname) if "FD 最终使用类别" in g
           else _label_frame(yhead, index_name="category"))
    prl = (_labels(g["VA 初始投入项目"], "VA 初始投入项目", fname) if "VA 初始投入项目" in g
           else _label_frame(vrows, index_name="row"))
    fd, pr = [code_str(c) for c in fdl.index], [code_str(c) for c in prl.index]
    blk = lambda s, r, c: _block(g[s], s, fname, r, c)  # noqa: E731
    Z, Y, V = blk("Z 中间流量", codes, codes), blk("Y 最终使用", codes, fd), blk("V 初始投入", pr, codes)
    x = blk("x 总产出", codes, [_text(g["x 总产出"][0][1])])[:, 0]
    opt = {}
    for a, s, cols in (("Zm_", "Zm 进口中间投入", codes), ("Ym_", "Ym 进口最终使用", fd),
                       ("Zr_", "Zr 省外流入中间投入", codes), ("Yr_", "Yr 省外流入最终使用", fd),
                       ("discrepancy_", "ERR 统计误差", ["ERR"])):
        if s in g:
            opt[a] = blk(s, codes, cols)
    if "discrepancy_" in opt:
        opt["discrepancy_"] = opt["discrepancy_"][:, 0]
    sats = {}
    if "F 卫星账户" in g:
        grid = g["F 卫星账户"]
        body = [r for r in grid[1:] if any(c is not None for c in r)]
        info = ([[_text(c) for c in r] for r in g["SAT 卫星账户项目"][1:] if r and r[0] is not None]
                if "SAT 卫星账户项目" in g else
                [[_text(r[0]).rsplit(" [", 1)[0], _text(r[0]).rsplit(" [", 1)[-1].rstrip("]"), "", ""]
                 for r in body])
        F = _block(grid, "F 卫星账户", fname, [_text(r[0]) for r in body], codes)
        fy = {}
        if "FY 卫星账户最终使用" in g:
            gy = g["FY 卫星账户最终使用"]
            keys = [_text(r[0]) for r in gy[1:] if any(c is not None for c in r)]
            FY = _block(gy, "FY 卫星账户最终使用", fname, keys, fd)
            fy = dict(zip(keys, FY))
        for (key, unit, zh, en), vals in zip(info, F):
            sats[key] = Satellite(key, vals, unit, zh, en, fy.get(key))

    by_flat = {"pr": dict(zip(pr, prl.index)), "fd": dict(zip(fd, fdl.index))}

    def labels_of(key, kind):
        out = []
        for c in js(key, []):
            if c not in by_flat[kind]:
                raise FormatError(message(fname, f"meta field {key} names an unknown code",
                                          row=key, found=repr(c),
                                          expected=f"one of {list(by_flat[kind])[:6]}"))
            out.append(by_flat[kind][c])
        return tuple(out)

    comp = labels_of("compensation_row", "pr")
    year = meta.get("year")
    return IOTable(
        Z, Y, V, x, sectors=sectors, final_demand_labels=fdl, primary_labels=prl,
        value_added_rows=labels_of("value_added_rows", "pr"),
        compensation_row=comp[0] if comp else None,
        household_columns=labels_of("household_columns", "fd"), satellites=sats,
        unit=_text(meta.get("unit")), year=int(year) if year not in (None, "") else None,
        source=_text(meta.get("source")), name=name or _text(meta.get("name")) or fname,
        imports="non-competitive" if "Zm_" in opt else "competitive",
        rtol=rtol if rtol is not None else float(meta.get("rtol") or 1e-4),
        allow_negative_flows=_text(meta.get("allow_negative_flows")) == "true",
        notes=_notes(js, fname), province=_text(meta.get("province")) or None, **opt)


def _notes(js, fname: str) -> tuple:
    """The meta sheet's ``notes`` with their Chinese twins from ``notes_zh`` (parallel; a
    workbook exported before ``notes_zh`` existed reads with plain English notes)."""
    en, zh = js("notes", []), js("notes_zh", None)
    if zh is not None and (not isinstance(zh, list) or len(zh) != len(en)
                           or not all(isinstance(z, str) for z in zh)):
        raise FormatError(message(fname, "meta field notes_zh is not parallel to notes",
                                  row="notes_zh", column="meta 元数据: value",
                                  found=(f"{len(zh)} entries" if isinstance(zh, list)
                                         else type(zh).__name__),
                                  expected=f"a JSON list of {len(en)} strings, one per note"))
    return pair(en, zh)


def _guess(path: Path) -> bool:
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True)
    try:
        return all(s in wb.sheetnames for s in REQUIRED)
    finally:
        wb.close()


READER = Reader(
    name="workbook",
    description="the workbook lianpu export writes (.xlsx, one sheet per block: sectors, Z, Y, "
                "V, x, meta …)",
    guess_can_open=_guess,
    open=read_workbook,
)
