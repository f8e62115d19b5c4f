"""CEADs China multi-regional input-output tables 中国多区域投入产出表 (31 provinces × 42
sectors), in the layout users download them (XLSX first sheet, or CSV), as specified in
docs/ceads_mrio.md. Coordinates below are spreadsheet rows (1-based) and column letters::

    row 1        title (A1 only): year and unit are read from it (default unit 万元)
    row 2        D…: the province of each column
    row 3        D…: sector names (intermediate block) / final-use names
    row 4        D…: sector codes / final-use codes
    rows 5…      A: province, B: sector name, C: sector code, D…: numbers
    columns D…   intermediate block (province by province, the same sector codes each time),
                 then final use (province by province, the same codes each time from
                 FU101 FU102 FU103 FU201 FU202), then EX [IM] [ERR] GO
    after data   rows coded in C: [TII] VA001… (value added) [TVA] TI (total input)

Provinces are matched by code (SC), Chinese name (四川, 四川省) or English name (Sichuan)
through ``data/provinces.csv``. Any deviation is a :class:`FormatError` naming the file,
the row and the column; published totals that disagree are a :class:`TableError`.
"""
from __future__ import annotations

import csv
import math
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import FormatError, TableError, message
from ..core.notes import Note
from ..table import IOTable, _label_frame
from .base import Reader, decode_text

FINAL_USE = {
    "FU101": ("农村居民消费", "Rural household consumption"),
    "FU102": ("城镇居民消费", "Urban household consumption"),
    "FU103": ("政府消费", "Government consumption"),
    "FU201": ("固定资本形成总额", "Gross fixed capital formation"),
    "FU202": ("存货增加", "Changes in inventories"),
}
TRAILING = ("EX", "IM", "ERR", "GO")
VA_ROWS = {"VA001": ("劳动者报酬", "Compensation of employees"),
           "VA002": ("生产税净额", "Net taxes on production"),
           "VA003": ("固定资产折旧", "Depreciation of fixed assets"),
           "VA004": ("营业盈余", "Operating surplus")}
TOTALS = ("TII", "TVA", "TI")
FOREIGN = ("ROW", "国外", "Rest of the world")
UNITS = (("百万元", "million CNY (百万元)"), ("亿元", "100 million CNY (亿元)"),
         ("万元", "10,000 CNY (万元)"), ("10,000 CNY", "10,000 CNY (万元)"))
_SUFFIX = re.compile(r"(维吾尔自治区|壮族自治区|回族自治区|自治区|省|市)$")
_ALIASES = {"xizang": "XZ", "neimenggu": "NM", "innermongolia": "NM"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


@cache
def provinces() -> pd.DataFrame:
    """The 31 provinces 省级行政区 (index: ISO 3166-2:CN code; name_zh, name_en)."""
    with (files("lianpu") / "data" / "provinces.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False).set_index("code")


@cache
def _lookup() -> dict:
    out = dict(_ALIASES)
    for code, r in provinces().iterrows():
        for k in (code, r["name_zh"], r["name_en"]):
            out[k.casefold().replace(" ", "")] = code
    return out


def province_code(text) -> str | None:
    """Code of a province from 'SC', '四川', '四川省', 'Sichuan' or '四川 Sichuan'; else None."""
    if text is None:
        return None
    s = str(text).strip()
    look = _lookup()
    for cand in (s, _SUFFIX.sub("", s), *s.split()):
        code = look.get(cand.casefold().replace(" ", "")) or look.get(_SUFFIX.sub("", cand))
        if code:
            return code
    return None


def col_letter(j: int) -> str:
    """Spreadsheet letter of 0-based column j (0 → 'A', 26 → 'AA')."""
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _text(v) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v).strip()
    return s or None


def _read_grid(path: Path, max_rows: int | None = None) -> list[list]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            grid = [list(r) for r in wb.worksheets[0].iter_rows(max_row=max_rows, values_only=True)]
        finally:
            wb.close()
    else:
        # UTF-8 (with or without BOM), else GB18030 (Chinese Excel): the one decoding rule
        text = decode_text(path.read_bytes(), path.name)[0]
        grid = [list(r) for r in csv.reader(text.splitlines()[:max_rows])]
    width = max((len(r) for r in grid), default=0)
    grid = [r + [None] * (width - len(r)) for r in grid]
    while width and all(_text(r[width - 1]) is None for r in grid):
        width -= 1
        grid = [r[:width] for r in grid]
    return grid


def _split_name(s: str | None) -> tuple[str, str]:
    """(zh, en) from a name cell that may hold Chinese, English or both."""
    if not s:
        return "", ""
    if not _CJK.search(s):
        return "", s
    m = re.match(r"^(.*[\u4e00-\u9fff][^A-Za-z]*?)\s*([A-Za-z].*)?$", s)
    return (m.group(1).strip(), (m.group(2) or "").strip()) if m else (s, "")


class _Sheet:
    def __init__(self, grid, fname):
        self.g, self.f = grid, fname

    def text(self, r, c):
        return _text(self.g[r][c]) if r < len(self.g) and c < len(self.g[r]) else None

    def fail(self, r, c, problem, **kw):
        raise FormatError(message(self.f, problem, row=r + 1, column=col_letter(c), **kw))

    def number(self, r, c) -> float:
        v = self.g[r][c]
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            f = float(v)
        else:
            s = _text(v)
            if s is None:
                self.fail(r, c, "cell is empty", expected="a number (0 for none)")
            s = s.replace("\u2212", "-")
            try:
                f = float(s.replace(",", "") if _THOUSANDS.match(s) else s)
            except ValueError:
                self.fail(r, c, "cell is not a number", found=repr(s), expected="a number")
        if not math.isfinite(f):
            self.fail(r, c, "cell is not a finite number", found=repr(v), expected="a number")
        return f

    def block(self, rows, cols) -> np.ndarray:
        sub = [[self.g[r][c] for c in cols] for r in rows]
        try:  # fast path; any odd cell (empty, text, '1,234', nan) is located cell by cell
            out = np.array(sub, dtype=float).reshape(len(rows), len(cols))
            if np.isfinite(out).all():
                return out
        except (TypeError, ValueError):
            pass
        return np.array([[self.number(r, c) for c in cols] for r in rows], dtype=float).reshape(
            len(rows), len(cols))


def _runs(sh: _Sheet, cols: list[int], what: str) -> list[tuple[str, list[int]]]:
    """Consecutive columns with the same province (row 2) → [(code, columns)]; an empty
    cell continues the province on its left (merged header cells)."""
    runs: list[tuple[str, list[int]]] = []
    for c in cols:
        if sh.text(1, c) is None and runs:
            runs[-1][1].append(c)
            continue
        code = province_code(sh.text(1, c))
        if code is None:
            sh.fail(1, c, f"unknown province in the {what} header", found=repr(sh.text(1, c)),
                    expected="one of the 31 provinces (code, Chinese or English name)")
        if runs and runs[-1][0] == code:
            runs[-1][1].append(c)
        elif any(code == r for r, _ in runs):
            sh.fail(1, c, f"province appears twice in the {what} block", found=repr(code),
                    expected="each province's columns together")
        else:
            runs.append((code, [c]))
    return runs


def _same_codes(sh: _Sheet, runs, expected: list[str], what: str) -> None:
    for code, cols in runs:
        got = [sh.text(3, c) for c in cols]
        for c, g, e in zip(cols, got, expected):
            if g != e:
                sh.fail(3, c, f"{what} code does not match the first province's block",
                        found=repr(g), expected=repr(e))
        if len(got) != len(expected):
            sh.fail(3, cols[-1], f"province {code!r} has a different number of {what} columns",
                    found=len(got), expected=len(expected))


def read_ceads_mrio(path, *, name: str | None = None, year: int | None = None,
                    rtol: float = 1e-4) -> IOTable:
    """Read a CEADs MRIO table (layout in the module docstring) into a multi-regional IOTable
    with index (province code, sector code) and final-demand columns (province, FU…),
    ("ROW", "EX") and ("ROW", "IM") = −imports; ERR becomes the discrepancy vector."""
    path = Path(path)
    sh = _Sheet(_read_grid(path), path.name)
    g = sh.g
    if len(g) < 5 or (len(g[0]) if g else 0) < 5:
        raise FormatError(message(path.name, "too small for the CEADs MRIO layout",
                                  found=f"{len(g)} rows", expected="title, 3 header rows, data from row 5"))
    title = sh.text(0, 0)
    if title is None or any(sh.text(0, c) for c in range(3, len(g[0]))):
        c = 0 if title is None else next(c for c in range(3, len(g[0])) if sh.text(0, c))
        sh.fail(0, c, "row 1 must hold only the title (A1); the header looks shifted",
                found=repr(sh.text(0, c)), expected="title row, province row, sector-name row, "
                "sector-code row, data from row 5")
    width = len(g[0])
    codes4 = [sh.text(3, c) for c in range(width)]
    if codes4[3] is None or codes4[3] in FINAL_USE or codes4[3] in TRAILING:
        sh.fail(3, 3, "expected the first sector code", found=repr(codes4[3]),
                expected="row 4 = sector codes from column D")
    jf = next((c for c in range(3, width) if codes4[c] in FINAL_USE or codes4[c] in TRAILING), width)
    seen, cur = set(), None
    for c in range(3, jf):  # a province coming round again starts the final-use block
        code = province_code(sh.text(1, c)) if sh.text(1, c) is not None else cur
        if code in seen and code != cur:
            sh.fail(3, c, "unknown final-use code", found=repr(codes4[c]),
                    expected=f"one of {list(FINAL_USE)}")
        seen.add(code)
        cur = code
    inter = _runs(sh, list(range(3, jf)), "intermediate")
    sectors = [sh.text(3, c) for c in inter[0][1]]
    _same_codes(sh, inter, sectors, "sector")
    jt = next((c for c in range(jf, width) if codes4[c] in TRAILING), width)
    for c in range(jf, jt):
        if codes4[c] not in FINAL_USE:
            sh.fail(3, c, "unknown final-use code", found=repr(codes4[c]),
                    expected=f"one of {list(FINAL_USE)}")
    fu = _runs(sh, list(range(jf, jt)), "final-use")
    if [p for p, _ in fu] != [p for p, _ in inter]:
        c = next((cs[0] for (p, cs), (q, _) in zip(fu, inter) if p != q), jt - 1)
        sh.fail(1, c, "final-use provinces are not in the order of the intermediate block",
                found=[p for p, _ in fu], expected=[p for p, _ in inter])
    fcodes = [codes4[c] for c in fu[0][1]]
    _same_codes(sh, fu, fcodes, "final-use")
    trail = {}
    for c in range(jt, width):
        k = codes4[c]
        if k not in TRAILING or k in trail or (trail and TRAILING.index(k) < max(
                TRAILING.index(t) for t in trail)):
            sh.fail(3, c, "unexpected column after the final-use block", found=repr(k),
                    expected="EX, [IM], [ERR], GO in this order")
        trail[k] = c
    if "GO" not in trail or trail["GO"] != width - 1:
        sh.fail(3, width - 1, "the last column must be total output GO", found=repr(codes4[-1]),
                expected="'GO'")

    provs, n = [p for p, _ in inter], len(sectors)
    rows = list(range(4, 4 + len(provs) * n))
    cur = None
    for k, r in enumerate(rows):
        p, s = provs[k // n], sectors[k % n]
        got_p, got_s = sh.text(r, 0), sh.text(r, 2)
        if r >= len(g) or got_s in VA_ROWS or got_s in TOTALS:
            sh.fail(min(r, len(g) - 1), 2, "data row missing", found=repr(got_s),
                    expected=f"the row of province {p!r}, sector {s!r}")
        # an empty province cell inside a block continues the province above (merged cells)
        code = cur if got_p is None and k % n else province_code(got_p)
        if code is None:
            sh.fail(r, 0, "unknown province", found=repr(got_p),
                    expected="one of the 31 provinces (code, Chinese or English name)")
        if code != p:
            sh.fail(r, 0, "province does not match the column blocks (a row is missing, "
                    "duplicated or out of order)", found=repr(got_p), expected=repr(p))
        cur = code
        if got_s != s:
            sh.fail(r, 2, "sector code does not match the header (a row is missing, duplicated "
                    "or out of order)", found=repr(got_s), expected=repr(s))
    prim = {}
    for r in range(rows[-1] + 1, len(g)):
        code = sh.text(r, 2)
        if code is None and all(sh.text(r, c) is None for c in range(width)):
            continue
        if code not in VA_ROWS and code not in TOTALS:
            sh.fail(r, 2, "unexpected row after the data rows", found=repr(code),
                    expected=f"one of {list(VA_ROWS) + list(TOTALS)}")
        if code in prim:
            sh.fail(r, 2, "duplicated row", found=repr(code), expected="each code once")
        prim[code] = r
    va = [k for k in VA_ROWS if k in prim]
    for need, what in ((va, "value-added rows VA001…"), ("TI" in prim, "total input row TI")):
        if not need:
            sh.fail(len(g) - 1, 2, f"{what} missing", expected="rows coded in column C after the data")

    icols = [c for _, cs in inter for c in cs]
    Z = sh.block(rows, icols)
    x = sh.block(rows, [trail["GO"]])[:, 0]
    V = sh.block([prim[k] for k in va], icols)
    Y = sh.block(rows, [c for _, cs in fu for c in cs])
    fd = [(p, k) for p, _ in fu for k in fcodes]
    for k, sign in (("EX", 1.0), ("IM", -1.0)):
        if k in trail:
            Y = np.column_stack([Y, sign * sh.block(rows, [trail[k]])])
            fd.append((FOREIGN[0], k))
    err = sh.block(rows, [trail["ERR"]])[:, 0] if "ERR" in trail else None
    checks = [("TI", x, "total input TI does not equal total output GO")]
    if "TVA" in prim:
        checks.append(("TVA", V.sum(axis=0), "TVA does not equal the sum of the value-added rows"))
    if "TII" in prim:
        checks.append(("TII", Z.sum(axis=0), "TII does not equal the column sum of the intermediate block"))
    for code, expected, problem in checks:
        got = sh.block([prim[code]], icols)[0]
        bad = np.abs(got - expected) > rtol * np.abs(expected) + 1e-9 * max(1.0, np.abs(x).max())
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise TableError(message(path.name, problem, row=prim[code] + 1,
                                     column=col_letter(icols[i]), found=f"{got[i]:.6g}",
                                     expected=f"{expected[i]:.6g} ± {rtol:g}"))

    pl = provinces()
    szh, sen = zip(*(_split_name(sh.text(2, c)) for c in inter[0][1]))
    idx = pd.MultiIndex.from_product([provs, sectors], names=["region", "sector"])
    zh = [f"{pl.loc[p, 'name_zh']}·{z}" if z else "" for p in provs for z in szh]
    en = [f"{pl.loc[p, 'name_en']}: {e}" if e else "" for p in provs for e in sen]

    def rname(p, i):  # i = 0: Chinese, 1: English
        return pl.loc[p, ["name_zh", "name_en"]].iloc[i] if p in pl.index else FOREIGN[1 + i]

    fdl = pd.MultiIndex.from_tuples(fd, names=["region", "category"])
    fnames = {**FINAL_USE, "EX": ("出口", "Exports"), "IM": ("进口", "Imports")}
    m = re.search(r"(19|20)\d{2}", title)
    unit = next((u for key, u in UNITS if key in title), UNITS[2][1])
    year = year or (int(m.group(0)) if m else None)
    return IOTable(
        Z, Y, V, x, sectors=_label_frame(idx, zh, en),
        final_demand_labels=_label_frame(fdl, [f"{rname(p, 0)}·{fnames[k][0]}" for p, k in fd],
                                         [f"{rname(p, 1)}: {fnames[k][1]}" for p, k in fd]),
        primary_labels=_label_frame(va, [VA_ROWS[k][0] for k in va], [VA_ROWS[k][1] for k in va],
                                    index_name="row"),
        value_added_rows=tuple(va), compensation_row="VA001" if "VA001" in va else None,
        household_columns=tuple((p, k) for p in provs for k in ("FU101", "FU102") if k in fcodes),
        discrepancy_=err, unit=unit, year=year,
        source=f"CEADs China multi-regional IO table ({len(provs)} provinces × {n} sectors): "
               f"{title}; file {path.name}", name=name or path.name, rtol=rtol,
        notes=(Note("competitive imports: foreign imports are the column ('ROW', 'IM')",
                    "竞争型进口：国外进口为列 ('ROW', 'IM')"),) if "IM" in trail else ())


def _guess(path: Path) -> bool:
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        return False
    g = _read_grid(path, max_rows=5)
    return (len(g) == 5 and len(g[0]) > 4 and province_code(_text(g[1][3])) is not None
            and province_code(_text(g[4][0])) is not None and _text(g[3][3]) is not None)


READER = Reader(
    name="ceads_mrio",
    description="CEADs China multi-regional IO table (title row, province row, sector-name "
                "row, sector-code row, data from row 5); XLSX or CSV — see docs/ceads_mrio.md",
    guess_can_open=_guess,
    open=read_ceads_mrio,
)
