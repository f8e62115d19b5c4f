"""Provincial IO tables of China (省级投入产出表) and the national tables before 2002, as published
in the R package CHNIO 0.0.1 (``common2016/CHNIO``, commit 2878da3; the tables are the
provincial statistics bureaus' published tables). Unit 万元, producer prices.

Two inputs give the same provincial table (2002–2017), array for array:

- the published workbook ``data-raw/…/{year}年各省份投入产出表/*.xls`` (one sheet, title row
  ``四川2017年投入产出表``, the NBS layout: a row of codes ``01…42, TIU, FU101 …, GO`` above the
  data, row codes ``01…42, TII, VA001…VA004, TVA, TI`` in the third column, sector names in
  the second);
- the R list ``data/io{year}.rda`` (province name → a data frame: column ``sec`` with the row
  codes ``sec01…sec42, VA001…VA004, TVA, TI``, columns ``sec01…sec42``, the final-use and
  trade columns, ``GO``); open it with ``province=``. There is no ``io1997.rda``.

Sector names: Chinese from the year's workbook; English from the NBS national 42-sector tables
of the same classification (``data/chnio_sectors.csv``, which also holds the Chinese names for
the ``.rda`` path; never from the package's ``secnames.rda``, whose 2012/2017 names are wrong).

Final-use and trade columns and their roles (:mod:`lianpu.core.roles`), by year:

=========  ==============================================================================
2012/2017  FU101/FU102 household, FU103 government, FU201 investment, FU202 inventory,
           ``EX`` export (abroad), ``OF`` outflow (to other provinces), ``IM`` import (from
           abroad), ``IF`` inflow (from other provinces), ``ERR`` → discrepancy
2007       FU101 … FU202, ``FU302`` trade_out (流出: abroad and other provinces together),
           ``FU304`` trade_in (流入), ``ERR``
2002       FU101 … FU202, ``NOF`` net_outflow (净流出) only: no gross trade, no ERR
1997       38 sectors; 居民最终消费 household, 政府消费, 固定资本形成总额, 存货增加, 调出
           trade_out, 调入 trade_in (published negative), 误差 discrepancy
=========  ==============================================================================

Imports and inflows are published as positive numbers to be subtracted (1997: already
negative); they are stored NEGATIVE in Y, so that x = Z·1 + Y·1 (+ ERR) as for the national
competitive tables' ``IM``. Published totals (TIU, THC, TC, GCF, TFU, TII, TVA, TI) are not
stored: they are checked against the detail (relative 1e-6), and so are the row and column
identities. Quirks of the published tables are recorded in the table's ``notes``, never fixed:
trade larger than gross output (Chongqing 2017: transit trade), operating surplus VA004 = 0 in
a producing sector (mixed income booked as compensation), net outflow only (2002; five 1997
workbooks whose 调入 is empty and 调出 negative: 调出 gets the role net_outflow), totals that
disagree with their detail (Jiangsu and Fujian 2002: the balance tolerance is widened to cover
them, said in a note), blank cells (read as 0), negative entries where flows are normally ≥ 0
(the table then allows negative flows). A malformed file (no header row of codes, a missing
row or column, text in a number cell) is a :class:`FormatError` naming the cell.

The national tables 1990, 1992, 1995 (33 sectors), 1997 (40) and 2000 (17) of the same
repository (``全国/{year}.xls``, sheet 流量) are read by :mod:`lianpu.readers.chnio_national`.
"""
from __future__ import annotations

import re
import warnings
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import FormatError, message
from ..core.notes import Note
from ..table import IOTable, _label_frame
from .base import Reader, rdata_errors
from .chnio_common import (SOURCE, UNIT, VA_NAMES, VA_ROWS, _cells, _check_total,  # noqa: F401
                           _clean, _code, _num, _province, _published_flaws, _sheet)
from .chnio_national import read_national

#: final-use and trade columns: code → (role, 中文, English)
FD = {
    "FU101": ("household", "农村居民消费", "Rural household consumption"),
    "FU102": ("household", "城镇居民消费", "Urban household consumption"),
    "THC": ("household", "居民消费", "Household consumption"),
    "FU103": ("government", "政府消费", "Government consumption"),
    "FU201": ("investment", "固定资本形成总额", "Gross fixed capital formation"),
    "FU202": ("inventory", "存货变动", "Changes in inventories"),
    "EX": ("export", "出口", "Exports abroad"),
    "OF": ("outflow", "国内省外流出", "Outflow to other provinces"),
    "FU302": ("trade_out", "流出", "Outflow (abroad and to other provinces together)"),
    "NOF": ("net_outflow", "净流出", "Net outflow (outflows less inflows)"),
    "IM": ("import", "进口", "Imports from abroad"),
    "IF": ("inflow", "国内省外流入", "Inflow from other provinces"),
    "FU304": ("trade_in", "流入", "Inflow (from abroad and other provinces together)"),
}
#: the columns of Y by year, in order (ERR becomes the discrepancy vector)
FD_BY_YEAR = {
    2017: ("FU101", "FU102", "FU103", "FU201", "FU202", "EX", "OF", "IM", "IF"),
    2012: ("FU101", "FU102", "FU103", "FU201", "FU202", "EX", "OF", "IM", "IF"),
    2007: ("FU101", "FU102", "FU103", "FU201", "FU202", "FU302", "FU304"),
    2002: ("FU101", "FU102", "FU103", "FU201", "FU202", "NOF"),
}
HAS_ERR = {2017, 2012, 2007}
#: published positive, subtracted: stored negative
NEGATED = frozenset({"IM", "IF", "FU304"})
#: published totals: code → the detail columns they sum (per year's header)
FD_TOTALS = {"THC": ("FU101", "FU102"), "TC": ("FU101", "FU102", "FU103"),
             "GCF": ("FU201", "FU202")}


# ---------------------------------------------------------------------------- labels
@cache
def sector_names() -> pd.DataFrame:
    """Sector names of the provincial classifications (index: (year, code); name_zh from the
    workbooks, name_en from the NBS national tables of the same classification)."""
    with (files("lianpu") / "data" / "chnio_sectors.csv").open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    df["year"] = df["year"].astype(int)
    return df.set_index(["year", "code"])


# ---------------------------------------------------------------------------- 2002–2017
def _frame_from_workbook(path: Path) -> tuple[pd.DataFrame, dict]:
    """The NBS-layout workbook of one province as a frame (row codes × column codes, NaN for
    blank cells) plus its title, year and Chinese sector names."""
    _, sh = _sheet(path)
    fname = path.name
    cells = _cells(sh)
    title = _clean(cells[0][0]) if cells and cells[0] else ""
    m = re.match(r"^(\D+?)(\d{4})年投入产出表$", title)
    if not m:
        raise FormatError(message(fname, "title row not recognised", row=1, found=repr(title),
                                  expected="'<province><year>年投入产出表'"))
    head = next((r for r in range(min(len(cells), 20))
                 if {"TIU", "GO"} <= {_code(v) for v in cells[r]}), None)
    if head is None:
        raise FormatError(message(fname, "no header row of codes",
                                  expected="a row with TIU and GO"))
    cols = [_code(v) for v in cells[head]]
    code_col = next((c for c in range(len(cols))
                     if any(_code(cells[r][c]) == "VA001" for r in range(head + 1, len(cells)))),
                    None)
    if code_col is None:
        raise FormatError(message(fname, "no column of row codes", expected="a column with VA001"))
    rows, data, names = [], [], {}
    for r in range(head + 1, len(cells)):
        code = _code(cells[r][code_col])
        if not code or code in rows:
            continue
        rows.append(code)
        if re.fullmatch(r"\d\d", code):
            names[code] = _clean(cells[r][code_col - 1])
        data.append([np.nan if (isinstance(v, str) and not v.strip()) else v for v in cells[r]])
    raw = pd.DataFrame(data, index=rows, columns=range(len(cols)), dtype=object)
    keep = [c for c in range(len(cols)) if cols[c] and c != code_col and cols[c] not in ("-", "—")]
    frame = raw[keep]
    frame.columns = [cols[c] for c in keep]
    frame = frame.loc[:, ~frame.columns.duplicated()]
    return frame, {"province": m.group(1), "year": int(m.group(2)), "names": names}


@cache
def _rda_lists(path: str, mtime: float) -> dict:
    """The province → data frame list of an ``io{year}.rda`` (parsed once per process)."""
    import rdata  # imported here: only this reader needs it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        parsed = rdata.read_rda(path)
    lists = [(str(k), v) for k, v in parsed.items() if isinstance(v, dict)]
    if len(lists) != 1:
        raise FormatError(message(Path(path).name, "expected exactly one R list",
                                  found=f"objects {[str(k) for k in parsed]}",
                                  expected="one list io{year} of province data frames"))
    key, obj = lists[0]
    return {"key": key, "provinces": {str(k): v for k, v in obj.items()}}


def _frame_from_rda(path: Path, province, year: int | None) -> tuple[pd.DataFrame, dict]:
    fname = path.name
    try:
        parsed = _rda_lists(str(path.resolve()), path.stat().st_mtime)
    except FormatError:
        raise
    except rdata_errors() as exc:  # rdata cannot parse the file; name the file
        raise FormatError(message(fname, "cannot be read as R data",
                                  found=f"{type(exc).__name__}: {exc}",
                                  expected="an .rda file")) from exc
    m = re.search(r"(\d{4})", parsed["key"]) or re.search(r"(\d{4})", path.stem)
    year_found = int(m.group(1)) if m else None
    if year is not None and year_found is not None and year != year_found:
        raise FormatError(message(fname, "the R list is of another year", argument="year",
                                  found=year_found, expected=year))
    year = year or year_found
    if province is None:
        raise FormatError(message(fname, "an .rda list holds every province: name one",
                                  argument="province",
                                  expected=f"one of {sorted(parsed['provinces'])}"))
    p = _province(province)
    df = parsed["provinces"].get(p.name_zh)
    if df is None:
        raise FormatError(message(fname, f"no table for {p.name_zh} in this list",
                                  argument="province",
                                  expected=f"one of {list(parsed['provinces'])}"))
    if "sec" not in df.columns:
        raise FormatError(message(fname, "the data frame has no 'sec' column of row codes",
                                  row=p.name_zh, expected="columns sec, sec01…sec42, …, GO"))
    rows = [str(s).removeprefix("sec") for s in df["sec"]]
    frame = df.drop(columns="sec").astype(float)
    frame.index = rows
    frame.columns = [str(c).removeprefix("sec") for c in frame.columns]
    names = sector_names()
    codes = [c for c in rows if re.fullmatch(r"\d\d", c)]
    return frame, {"province": p.name_zh, "year": year,
                   "names": {c: names.loc[(year, c), "name_zh"] for c in codes}}


def _block(frame: pd.DataFrame, rows, cols, fname, empty: list | None = None) -> np.ndarray:
    """Numbers of ``frame`` at (rows, cols). A blank cell is an error, unless ``empty`` (a
    list) is given: then it is read as 0 and its (row, column) appended there."""
    out = np.zeros((len(rows), len(cols)))
    for jj, c in enumerate(cols):
        if c not in frame.columns:
            raise FormatError(message(fname, "column missing", column=c, row="header",
                                      expected=f"the columns {list(cols)}"))
        col = frame[c]
        for ii, r in enumerate(rows):
            if r not in frame.index:
                raise FormatError(message(fname, "row missing", row=r,
                                          expected=f"the rows {list(rows)[:3]}…"))
            v = col.loc[r]
            if isinstance(v, float) and np.isnan(v):
                if empty is None:
                    raise FormatError(message(fname, "cell is empty", row=r, column=c,
                                              expected="a number (0 for none)"))
                empty.append((r, c))
                continue
            out[ii, jj] = _num(v, fname, r, c)
    return out


def _yi(v: float) -> str:
    return f"{v / 1e4:,.0f} 亿元"


def _quirks(Z, Y, V, x, fd, sec, year, pname) -> tuple:
    """Notes on what the published table says that a user would not expect."""
    notes = []
    pos = {c: j for j, c in enumerate(fd)}
    out_cols = [pos[c] for c in ("EX", "OF", "FU302") if c in pos]
    in_cols = [pos[c] for c in ("IM", "IF", "FU304") if c in pos]
    X = x.sum()
    if out_cols and in_cols:
        tout, tin = Y[:, out_cols].sum(), -Y[:, in_cols].sum()
        if tout > X or tin > X:
            part = part_zh = ""
            if "OF" in pos and "IF" in pos:
                fin, fout = _yi(-Y[:, pos['IF']].sum()), _yi(Y[:, pos['OF']].sum())
                part = f" (of which from/to other provinces: inflow {fin}, outflow {fout})"
                part_zh = f"（其中与其他省份之间：调入 {fin}，调出 {fout}）"
            notes.append(Note(
                f"as published: {pname} {year} trade exceeds gross output: inflows {_yi(tin)}, "
                f"outflows {_yi(tout)}{part}, gross output {_yi(X)}; transit trade recorded "
                "as inflow and outflow — kept as published, not corrected",
                f"按公布数据：{pname} {year} 年的流入流出超过总产出：流入 {_yi(tin)}，流出 "
                f"{_yi(tout)}{part_zh}，总产出 {_yi(X)}；过境贸易同时记为流入和流出——保留公布值，"
                "未作修正"))
        over = [sec[i] for i in range(len(sec))
                if -Y[i, in_cols].sum() > Z[i].sum() + sum(Y[i, j] for j in range(len(fd))
                                                          if j not in out_cols + in_cols)
                + 1e-9 * X]
        if over:
            notes.append(Note(f"inflows exceed local use (intermediate + local final use) for "
                              f"{len(over)} product(s): {', '.join(over)} (re-exports / transit)",
                              f"{len(over)} 种产品的流入超过本地使用（中间使用 + 本地最终使用）："
                              f"{'、'.join(over)}（转口 / 过境贸易）"))
    va4 = V[VA_ROWS.index("VA004")]
    zero = [sec[i] for i in range(len(sec)) if va4[i] == 0 and x[i] > 0]
    if zero:
        notes.append(Note(f"as published: operating surplus VA004 = 0 in {', '.join(zero)} "
                          "(mixed income booked as compensation, VA001) — kept as published",
                          f"按公布数据：部门 {'、'.join(zero)} 的营业盈余 VA004 = 0（混合收入记入"
                          "劳动者报酬 VA001）——保留公布值"))
    if "NOF" in pos:
        notes.append(Note("2002 tables publish net outflow (NOF) only: gross imports, inflows, "
                          "exports and outflows are unknown, so there is no local view",
                          "2002 年的表只公布净流出（NOF）：进口、流入、出口和流出的总量均未知，"
                          "因此没有本地视角"))
    if "FU302" in pos or "trade_out" in fd:
        notes.append(Note("trade is not split by partner: outflow (FU302 流出) and inflow (FU304 "
                          "流入) each combine abroad and other provinces",
                          "贸易未按来源和去向区分：流出（FU302）和流入（FU304）都包含国外和其他"
                          "省份两部分"))
    return tuple(notes)


def _provincial(frame: pd.DataFrame, meta: dict, fname: str, via: str, name, rtol) -> IOTable:
    year = meta["year"]
    if year not in FD_BY_YEAR:
        raise FormatError(message(fname, "no provincial layout for this year", found=year,
                                  expected=f"one of {sorted(FD_BY_YEAR)}"))
    p = _province(meta["province"])
    sec = [f"{i:02d}" for i in range(1, 43)]
    fd = list(FD_BY_YEAR[year])
    empty: list = []   # blank cells of the data blocks (read as 0, noted)
    issues: list = []  # published totals that disagree with the detail (noted)
    Z = _block(frame, sec, sec, fname, empty)
    Yraw = _block(frame, sec, fd, fname, empty)
    x = _block(frame, sec, ["GO"], fname)[:, 0]
    V = _block(frame, list(VA_ROWS), sec, fname, empty)
    err = _block(frame, sec, ["ERR"], fname, empty)[:, 0] if year in HAS_ERR else None
    sign = np.array([-1.0 if c in NEGATED else 1.0 for c in fd])
    Y = Yraw * sign
    # published totals
    col = {c: Yraw[:, j] for j, c in enumerate(fd)}
    cols = set(frame.columns)
    for tot, parts in FD_TOTALS.items():
        if tot in cols:
            _check_total(sum(col[c] for c in parts), _block(frame, sec, [tot], fname)[:, 0],
                         Note(f"sum of {'+'.join(parts)}", f"{'+'.join(parts)} 之和"), fname,
                         row=sec, column=tot, issues=issues)
    if "TIU" in cols:
        _check_total(Z.sum(1), _block(frame, sec, ["TIU"], fname)[:, 0],
                     Note("row sum of intermediate use", "中间使用的行合计"), fname, row=sec,
                     column="TIU", issues=issues)
    if "TFU" in cols:
        final = [c for c in fd if c not in NEGATED]
        _check_total(sum(col[c] for c in final), _block(frame, sec, ["TFU"], fname)[:, 0],
                     Note("sum of final-use columns", "最终使用各列之和"), fname, row=sec,
                     column="TFU", issues=issues)
    if "TII" in frame.index:
        _check_total(Z.sum(0), _block(frame, ["TII"], sec, fname)[0],
                     Note("column sum of intermediate inputs", "中间投入的列合计"), fname,
                     row="TII", column=sec, issues=issues)
    _check_total(V.sum(0), _block(frame, ["TVA"], sec, fname)[0],
                 Note("sum of value-added rows", "增加值各行之和"), fname, row="TVA", column=sec,
                 issues=issues)
    _check_total(_block(frame, ["TI"], sec, fname)[0], x,
                 Note("total input (TI) against gross output (GO)", "总投入（TI）与总产出（GO）"),
                 fname, row="TI", column=sec, issues=issues)
    names = sector_names()
    en = [names.loc[(year, c), "name_en"] for c in sec]
    zh = [meta["names"].get(c) or names.loc[(year, c), "name_zh"] for c in sec]
    # the identities themselves (the .rda lists carry no TIU/TII to compare with)
    rows = Z.sum(1) + Y.sum(1) + (err if err is not None else 0.0)
    if not issues:
        _check_total(rows, x, Note("row sum Z·1 + Y·1 (+ ERR) against gross output (GO)",
                                   "行和 Z·1 + Y·1（+ ERR）与总产出（GO）"), fname,
                     row=sec, column="GO", issues=issues)
        _check_total(Z.sum(0) + V.sum(0), x,
                     Note("column sum 1'Z + 1'V against gross output (GO)",
                          "列和 1'Z + 1'V 与总产出（GO）"), fname, row="TI", column=sec,
                     issues=issues)
    notes, rtol, negative = _published_flaws(Z, Y, V, x, sec, [FD[c][0] for c in fd], empty,
                                             issues, rtol)
    notes = _quirks(Z, Y, V, x, fd, sec, year, p.name_zh) + notes
    return IOTable(
        Z, Y, V, x, allow_negative_flows=negative,
        sectors=_label_frame(sec, zh, en),
        final_demand_labels=_label_frame(fd, [FD[c][1] for c in fd], [FD[c][2] for c in fd],
                                         index_name="category", role=[FD[c][0] for c in fd]),
        primary_labels=_label_frame(list(VA_ROWS), [VA_NAMES[r][0] for r in VA_ROWS],
                                    [VA_NAMES[r][1] for r in VA_ROWS], index_name="row",
                                    role=["compensation", "production_taxes", "depreciation",
                                          "surplus"]),
        value_added_rows=VA_ROWS, compensation_row="VA001", household_columns=("FU101", "FU102"),
        discrepancy_=err, unit=UNIT, year=year, rtol=rtol, notes=notes,
        source=f"{p.name_zh} ({p.gb}, {p.name_en}) {year} provincial IO table, 42 sectors, "
               f"competitive imports; {SOURCE}; {via} {fname}",
        name=name or f"cn-prov-{year}-{p.gb}", province=p.gb,
    )


# ---------------------------------------------------------------------------- 1997 provinces
#: the 1997 provincial workbooks' columns after the 38 sectors (header row, Chinese)
P1997_FD = {"居民最终消费": ("THC", "household", "居民消费", "Household consumption"),
            "政府消费": ("FU103", "government", "政府消费", "Government consumption"),
            "固定资本形成总额": ("FU201", "investment", "固定资本形成总额",
                           "Gross fixed capital formation"),
            "存货增加": ("FU202", "inventory", "存货增加", "Changes in inventories"),
            "调出": ("FU302", "trade_out", "调出", FD["FU302"][2]),
            "调入": ("FU304", "trade_in", "调入", FD["FU304"][2])}
P1997_VA = {"劳动者报酬": "VA001", "生产税净额": "VA002", "固定资产折旧": "VA003",
            "营业盈余": "VA004"}


def _province_1997(path: Path, name, rtol, sheet=None) -> IOTable:
    fname = path.name
    book, sh = _sheet(path, 0)
    stem = re.sub(r"97$", "", path.stem)
    other = ""
    if sheet is None:
        # the sheet named after the province, else the first: 辽宁97.xls holds a sheet
        # '辽宁(修正)' first whose rows do not balance (up to 55 %) and the balanced '辽宁'
        sheet = stem if stem in book.sheet_names() else book.sheet_names()[0]
        rest = [s_ for s_ in book.sheet_names() if s_ != sheet and book.sheet_by_name(s_).nrows]
        if rest:
            other = Note(f"the workbook holds other sheets too ({', '.join(rest)}); sheet "
                         f"{sheet!r} is read",
                         f"工作簿中还有其他工作表（{'、'.join(rest)}）；读取的是工作表 {sheet!r}")
    sh = book.sheet_by_name(sheet)
    cells = _cells(sh)
    head = [_clean(v) for v in cells[0]]
    n = 38
    try:
        j_tiu, j_go = head.index("中间使用合计"), head.index("总产出")
    except ValueError:
        raise FormatError(message(fname, "header row not recognised", row=1, found=head[36:52],
                                  expected="… 中间使用合计, final use …, 总产出")) from None
    if j_tiu != n + 1:
        raise FormatError(message(fname, "expected 38 sector columns", row=1,
                                  found=j_tiu - 1, expected=n))
    labels = [_clean(r[0]) if r else "" for r in cells]
    rows = {lab: i for i, lab in enumerate(labels) if lab}
    for need in ("中间投入合计", "增加值合计", "总投入", *P1997_VA):
        if need not in rows:
            raise FormatError(message(fname, "row missing", row=need,
                                      expected="38 sectors, 中间投入合计, VA rows, 增加值合计, 总投入"))
    sec_rows = list(range(1, n + 1))
    zh = [labels[r] for r in sec_rows]
    empty: list = []
    issues: list = []

    def get(r, c):
        v = cells[r][c] if c < len(cells[r]) else ""
        if isinstance(v, str) and not v.strip():
            empty.append((labels[r] or r, head[c] or c))
            return 0.0
        return _num(v, fname, labels[r] or r, head[c] or c)

    Z = np.array([[get(r, c) for c in range(1, n + 1)] for r in sec_rows])
    fd_cols = [head.index(k) for k in P1997_FD]
    Yp = np.array([[get(r, c) for c in fd_cols] for r in sec_rows])
    err = np.array([get(r, head.index("误差")) for r in sec_rows])
    x = np.array([get(r, j_go) for r in sec_rows])
    V = np.array([[get(rows[k], c) for c in range(1, n + 1)] for k in P1997_VA])
    # 调入 (inflow) is published negative already, the sign Y needs
    if (Yp[:, 5] > 0).any():
        i = int(np.argmax(Yp[:, 5] > 0))
        raise FormatError(message(fname, "调入 (inflow) is published negative in the 1997 "
                                  "workbooks; a positive entry is not understood", row=zh[i],
                                  column="调入", found=Yp[i, 5], expected="≤ 0"))
    _check_total(np.array([get(r, j_tiu) for r in sec_rows]), Z.sum(1),
                 Note("row sum of intermediate use", "中间使用的行合计"), fname, row=zh,
                 column="中间使用合计", issues=issues)
    _check_total(V.sum(0), [get(rows["增加值合计"], c) for c in range(1, n + 1)],
                 Note("sum of value-added rows", "增加值各行之和"), fname, row="增加值合计",
                 column=zh, issues=issues)
    _check_total([get(rows["总投入"], c) for c in range(1, n + 1)], x,
                 Note("total input", "总投入"), fname, row="总投入", column=zh, issues=issues)
    p = _province(stem)
    codes = [f"{i:02d}" for i in range(1, n + 1)]
    names = sector_names()
    en = [names.loc[(1997, c), "name_en"] for c in codes]
    fd = [v[0] for v in P1997_FD.values()]
    _check_total(Z.sum(1) + Yp.sum(1) + err, x,
                 Note("row sum Z·1 + Y·1 + 误差 against 总产出", "行和 Z·1 + Y·1 + 误差 与总产出"),
                 fname, row=zh, column="总产出", issues=issues)
    _check_total(Z.sum(0) + V.sum(0), x,
                 Note("column sum 1'Z + 1'V against 总产出", "列和 1'Z + 1'V 与总产出"), fname,
                 row="总投入", column=zh, issues=issues)
    fd_roles = [v[1] for v in P1997_FD.values()]
    flaws, rtol, negative = _published_flaws(Z, Yp, V, x, codes, fd_roles, empty, issues, rtol)
    notes = _quirks(Z, Yp, V, x, fd, codes, 1997, p.name_zh)
    if not Yp[:, 5].any():
        notes += (Note("as published: 调入 (inflow) is 0 for every product, so 调出 may be a net "
                       "outflow — kept as published",
                       "按公布数据：所有产品的调入均为 0，因此调出可能是净调出——保留公布值"),)
    if not Yp[:, 5].any() and (Yp[:, 4] < 0).any():
        # no inflows and negative outflows: 调出 is a net outflow here (a role, not a guess
        # at gross flows); the empty 调入 column is dropped
        fd_roles[4] = "net_outflow"
        Yp = Yp[:, :5]
        fd = fd[:5]
        notes = tuple(s for s in notes if "调入 (inflow) is 0" not in s) + (Note(
            "as published: 调入 (inflow) is 0 for every product and 调出 has negative entries: "
            "调出 is read as net outflow (role net_outflow, no gross trade, no local view)",
            "按公布数据：所有产品的调入均为 0，且调出有负值：调出按净调出读取（角色 net_outflow，"
            "无贸易总量，无本地视角）"),)
        flaws, _, negative = _published_flaws(Z, Yp, V, x, codes, fd_roles[:5], empty, issues,
                                              rtol)
    net = "net_outflow" in fd_roles[:len(fd)]
    partner = ("" if net else "1997: trade is not split by partner: 调出 (outflow) and 调入 "
               "(inflow) each combine abroad and other provinces; ")
    partner_zh = "" if net else "1997 年：贸易未按来源和去向区分：调出和调入都包含国外和其他省份两部分；"
    notes = tuple(s for s in notes if "not split by partner" not in s) + flaws + (Note(
        partner + "the columns beyond 总产出 (出口/进口 memo items in some workbooks) are not "
        "read", partner_zh + "总产出之后的列（部分工作簿中的出口/进口备忘项）不读取"),) + (
        (other,) if other else ())
    return IOTable(
        Z, Yp, V, x, sectors=_label_frame(codes, zh, en), allow_negative_flows=negative,
        final_demand_labels=_label_frame(fd, [v[2] for v in P1997_FD.values()][:len(fd)],
                                         [v[3] for v in P1997_FD.values()][:len(fd)],
                                         index_name="category", role=fd_roles[:len(fd)]),
        primary_labels=_label_frame(list(P1997_VA.values()),
                                    [VA_NAMES[r][0] for r in VA_ROWS],
                                    [VA_NAMES[r][1] for r in VA_ROWS], index_name="row",
                                    role=["compensation", "production_taxes", "depreciation",
                                          "surplus"]),
        value_added_rows=VA_ROWS, compensation_row="VA001", household_columns=("THC",),
        discrepancy_=err, unit=UNIT, year=1997, rtol=rtol, notes=notes,
        source=f"{p.name_zh} ({p.gb}, {p.name_en}) 1997 provincial IO table, 38 sectors, "
               f"competitive; {SOURCE}; workbook {fname} sheet {sheet}",
        name=name or f"cn-prov-1997-{p.gb}", province=p.gb)


# ---------------------------------------------------------------------------- open
def read_chnio(path, *, province=None, year: int | None = None, name: str | None = None,
               rtol: float = 1e-4, sheet: str | None = None) -> IOTable:
    """Read a CHNIO table: a provincial workbook (``.xls``), a year's R list (``.rda``, with
    ``province=`` a GB/T 2260 code, pinyin or Chinese name), a 1997 provincial workbook
    (``sheet=`` picks a sheet; default: the one named after the province, else the first) or
    a national workbook ``全国/{year}.xls`` (1990–2000)."""
    path = Path(path)
    fname = path.name
    suf = path.suffix.lower()
    if suf in (".rda", ".rdata"):
        frame, meta = _frame_from_rda(path, province, year)
        return _provincial(frame, meta, fname, "R list", name, rtol)
    if suf != ".xls":
        raise FormatError(message(fname, "not a CHNIO file", found=f"extension {suf!r}",
                                  expected=".xls workbook or .rda list"))
    if path.parent.name == "全国":
        return read_national(path, name=name, rtol=rtol)
    if re.fullmatch(r"\D+97", path.stem):
        t = _province_1997(path, name, rtol, sheet)
    else:
        frame, meta = _frame_from_workbook(path)
        t = _provincial(frame, meta, fname, "workbook", name, rtol)
    if province is not None and _province(province).gb != _province_gb(t):
        raise FormatError(message(fname, "the workbook is of another province",
                                  argument="province", found=t.source.split(" (")[0],
                                  expected=_province(province).name_zh))
    return t


def _province_gb(t: IOTable) -> str:
    return t.province or ""


def _guess(path: Path) -> bool:
    path = Path(path)
    suf = path.suffix.lower()
    if suf == ".rda":
        return bool(re.fullmatch(r"io\d{4}", path.stem))
    if suf != ".xls":
        return False
    if path.parent.name == "全国" or re.fullmatch(r"\D+97", path.stem):
        return True
    _, sh = _sheet(path)
    return bool(re.match(r"^\D+\d{4}年投入产出表$", _clean(sh.cell_value(0, 0))))


READER = Reader(
    name="chnio",
    description="China provincial IO tables (CHNIO: published .xls workbooks or the io{year}.rda "
                "lists with province=), 1997–2017, and national tables 1990–2000 (全国/{year}.xls)",
    guess_can_open=_guess,
    open=read_chnio,
)
