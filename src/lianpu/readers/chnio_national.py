"""China's national IO tables before 2002 as kept in CHNIO (``data-raw/中国投入产出表皮皮侠/全国/
{year}.xls``, flows sheet 流量/流量表; the other sheets hold direct and total requirement
coefficients). Unit 万元. Five layouts, described by :data:`SPECS`:

====  =======  ====================================================================
1990  33       names only; MPS-style primary inputs (劳动者收入, 福利基金, 利润和税金,
               固定资产折旧, 其他); 净出口 net exports; 其他 = discrepancy
1992  33       codes row (1…33, TIU, FU101 …, FU301 净出口, TFU, ERR, GO)
1995  33       codes row with subtotal rows and columns (T1, T2, TM, T3, TNM: dropped);
               no discrepancy column
1997  40       codes row (1…40, TIU, FU101 …, EX, TFU, IM, ERR, GO); IM published negative
2000  17       names only; 出口 and 进口 (published negative), 其他 = discrepancy
====  =======  ====================================================================

Cells are found by their header label or code, never by position; published totals are
checked against the detail and disagreements recorded in the notes (as in
:mod:`lianpu.readers.chnio`). Net exports are a ``net_outflow`` column (the role of a net
trade balance); primary inputs keep their published meaning (1990's rows are not SNA value
added components: 福利基金 and 利润和税金 have the role ``other``). Codes of the primary rows
follow the later NBS tables (VA001 compensation, VA002 net production taxes, VA003
depreciation, VA004 operating surplus), whatever the workbook's own row codes (1992–1997 number
depreciation VA001).
"""
from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import FormatError, message
from ..core.notes import Note
from ..table import IOTable, _label_frame
from . import chnio_common as C

# final-use columns: (header label or code, code, role, 中文, English); sign −1: published
# positive and subtracted
_FD92 = [("FU101", "FU101", "household", "农业居民消费", "Rural (agricultural) household consumption"),
         ("FU102", "FU102", "household", "非农业居民消费", "Non-agricultural household consumption"),
         ("FU103", "FU103", "government", "社会消费", "Government (social) consumption"),
         ("FU201", "FU201", "investment", "固定资本形成", "Fixed capital formation"),
         ("FU202", "FU202", "inventory", "库存增加", "Changes in inventories"),
         ("FU301", "NEX", "net_outflow", "净出口", "Net exports")]
_VA = [("劳动者报酬", "VA001", "compensation"), ("生产税净额", "VA002", "production_taxes"),
       ("固定资产折旧", "VA003", "depreciation"), ("营业盈余", "VA004", "surplus")]
SPECS = {
    1990: dict(sheet="流量", n=33, header=[0], labels=[0], by="name",
               fd=[("农业居民消费", "FU101", "household", "农业居民消费",
                    "Rural (agricultural) household consumption"),
                   ("非农业居民消费", "FU102", "household", "非农业居民消费",
                    "Non-agricultural household consumption"),
                   ("政府消费", "FU103", "government", "政府消费", "Government consumption"),
                   ("固定资产形成合计", "FU201", "investment", "固定资产形成合计",
                    "Fixed capital formation"),
                   ("库存增加", "FU202", "inventory", "库存增加", "Changes in inventories"),
                   ("净出口", "NEX", "net_outflow", "净出口", "Net exports")],
               err="其他", go="总产出",
               va=[("劳动者收入", "VA001", "compensation", "劳动者收入", "Labour income"),
                   ("福利基金", "VAW", "other", "福利基金", "Welfare fund"),
                   ("利润和税金", "VAP", "other", "利润和税金", "Profits and taxes"),
                   ("固定资产折旧合计", "VA003", "depreciation", "固定资产折旧",
                    "Depreciation of fixed assets (basic and major repairs)"),
                   ("其他", "VAO", "other", "其他", "Other primary inputs")],
               tiu="中间使用合计", tfu=("最终使用合计", None), tii="中间投入合计",
               tva="最初投入合计", ti="总投入"),
    1992: dict(sheet="流量表", n=33, header=[1, 2], labels=[0, 1], by="code", fd=_FD92,
               err="ERR", go="GO", va=[("劳动报酬", "VA001", "compensation")] + _VA[1:],
               tiu="TIU", tfu=("TFU", None), tii="TII",
               tva="TVA", ti="TI"),
    1995: dict(sheet="流量表", n=33, header=[0, 1, 2, 3, 4], labels=[0, 1, 2, 3, 4], by="code",
               fd=[_FD92[0], _FD92[1],
                   ("FU103", "FU103", "government", "政府消费", "Government consumption"),
                   ("FU201", "FU201", "investment", "固定资本形成总额",
                    "Gross fixed capital formation"),
                   ("FU202", "FU202", "inventory", "存货增加", "Changes in inventories"),
                   _FD92[5]],
               err=None, go="GO", va=_VA, tiu="TIU", tfu=("TFU", None), tii="TII",
               tva="TVA", ti="TI"),
    1997: dict(sheet="流量表", n=40, header=[1, 2, 3, 4, 5], labels=[0, 1, 2], by="code",
               fd=[("FU101", "FU101", "household", "农村居民消费", "Rural household consumption"),
                   ("FU102", "FU102", "household", "城镇居民消费", "Urban household consumption"),
                   ("FU103", "FU103", "government", "政府消费", "Government consumption"),
                   ("FU201", "FU201", "investment", "固定资本形成总额",
                    "Gross fixed capital formation"),
                   ("FU202", "FU202", "inventory", "存货增加", "Changes in inventories"),
                   ("EX", "EX", "export", "出口", "Exports"),
                   ("IM", "IM", "import", "进口", "Imports")],
               err="ERR", go="GO", va=_VA, tiu="TIU", tfu=("TFU", "IM"), tii="TII",
               tva="TVA", ti="TI"),
    2000: dict(sheet="流量", n=17, header=[0], labels=[0], by="name",
               fd=[("农村居民消费", "FU101", "household", "农村居民消费",
                    "Rural household consumption"),
                   ("城镇居民消费", "FU102", "household", "城镇居民消费",
                    "Urban household consumption"),
                   ("政府消费", "FU103", "government", "政府消费", "Government consumption"),
                   ("固定资本形成总额", "FU201", "investment", "固定资本形成总额",
                    "Gross fixed capital formation"),
                   ("存货增加", "FU202", "inventory", "存货增加", "Changes in inventories"),
                   ("出口", "EX", "export", "出口", "Exports"),
                   ("进口", "IM", "import", "进口", "Imports")],
               err="其他", go="总产出", va=_VA, tiu="中间使用合计", tfu=("最终使用", "IM"),
               tii="中间投入合计", tva="增加值合计", ti="总投入"),
}


@cache
def sector_names() -> pd.DataFrame:
    """Names of the national classifications 1990–2000 (index: (year, code))."""
    with (files("lianpu") / "data" / "chnio_national_sectors.csv").open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    df["year"] = df["year"].astype(int)
    return df.set_index(["year", "code"])


def _keys(values) -> set:
    out = set()
    for v in values:
        k = C._code(v) if not isinstance(v, str) else C._code(C._clean(v))
        if k:
            out.add(k)
    return out


def read_national(path, *, name: str | None = None, rtol: float = 1e-4) -> IOTable:
    path = Path(path)
    fname = path.name
    m = re.fullmatch(r"(\d{4})", path.stem)
    year = int(m.group(1)) if m else None
    if year not in SPECS:
        raise FormatError(message(fname, "no national CHNIO layout for this file",
                                  found=path.stem, expected=f"one of {sorted(SPECS)}.xls"))
    sp = SPECS[year]
    book, _ = C._sheet(path)
    if sp["sheet"] not in book.sheet_names():
        raise FormatError(message(fname, "flows sheet missing", found=book.sheet_names(),
                                  expected=sp["sheet"]))
    cells = C._cells(book.sheet_by_name(sp["sheet"]))
    width = max(len(r) for r in cells)
    cells = [r + [""] * (width - len(r)) for r in cells]
    top = max(sp["header"]) + 1
    left = max(sp["labels"]) + 1
    col_keys = [_keys(cells[r][c] for r in sp["header"]) for c in range(width)]
    row_keys = [_keys(cells[r][c] for c in sp["labels"]) for r in range(len(cells))]
    n = sp["n"]
    codes = [f"{i:02d}" for i in range(1, n + 1)]
    names = sector_names()
    zh = [names.loc[(year, c), "name_zh"] for c in codes]
    en = [names.loc[(year, c), "name_en"] for c in codes]
    keys = codes if sp["by"] == "code" else zh

    def find_col(key, what):
        hit = [c for c in range(left, width) if key in col_keys[c]]
        if len(hit) != 1:
            state = "missing" if not hit else "ambiguous"
            raise FormatError(message(fname, f"{what} column {state}",
                                      column=key, found=f"{len(hit)} columns",
                                      expected="exactly one"))
        return hit[0]

    def find_row(key, what):
        hit = [r for r in range(top, len(cells)) if key in row_keys[r]]
        if len(hit) != 1:
            state = "missing" if not hit else "ambiguous"
            raise FormatError(message(fname, f"{what} row {state}",
                                      row=key, found=f"{len(hit)} rows", expected="exactly one"))
        return hit[0]

    sc = [find_col(k, "sector") for k in keys]
    sr = [find_row(k, "sector") for k in keys]
    empty: list = []

    def num(r, c):
        v = cells[r][c]
        if isinstance(v, str) and not v.strip():
            empty.append((zh[sr.index(r)] if r in sr else C._clean(cells[r][0]) or r,
                          C._clean(cells[top - 1][c]) or c))
            return 0.0
        return C._num(v, fname, r + 1, c + 1)

    grid = lambda rows, cols: np.array([[num(r, c) for c in cols] for r in rows])  # noqa: E731
    Z = grid(sr, sc)
    fdc = [find_col(k, "final-use") for k, *_ in sp["fd"]]
    Y = grid(sr, fdc)
    fd = [f[1] for f in sp["fd"]]
    fd_roles = [f[2] for f in sp["fd"]]
    x = grid(sr, [find_col(sp["go"], "gross output")])[:, 0]
    err = grid(sr, [find_col(sp["err"], "discrepancy")])[:, 0] if sp["err"] else None
    vr = [find_row(k, "primary-input") for k, *_ in sp["va"]]
    V = grid(vr, sc)
    if "IM" in fd and (Y[:, fd.index("IM")] > 0).sum() > (Y[:, fd.index("IM")] < 0).sum():
        raise FormatError(message(fname, "imports are expected negative in this workbook",
                                  column="IM", expected="≤ 0"))
    issues: list = []
    chk = C._check_total
    chk(Z.sum(1), grid(sr, [find_col(sp["tiu"], "total")])[:, 0],
        Note("row sum of intermediate use", "中间使用的行合计"), fname, row=zh,
        column=sp["tiu"], issues=issues)
    tfu, minus = sp["tfu"]
    parts = [j for j, c in enumerate(fd) if c != minus]
    chk(Y[:, parts].sum(1), grid(sr, [find_col(tfu, "total")])[:, 0],
        Note("sum of final-use columns", "最终使用各列之和"), fname, row=zh, column=tfu,
        issues=issues)
    chk(Z.sum(0), grid([find_row(sp["tii"], "total")], sc)[0],
        Note("column sum of intermediate inputs", "中间投入的列合计"), fname, row=sp["tii"],
        column=zh, issues=issues)
    chk(V.sum(0), grid([find_row(sp["tva"], "total")], sc)[0],
        Note("sum of primary-input rows", "初始投入各行之和"), fname, row=sp["tva"], column=zh,
        issues=issues)
    chk(grid([find_row(sp["ti"], "total")], sc)[0], x,
        Note("total input against gross output", "总投入与总产出"), fname, row=sp["ti"],
        column=zh, issues=issues)
    chk(Z.sum(1) + Y.sum(1) + (0.0 if err is None else err), x,
        Note("row sum Z·1 + Y·1 (+ discrepancy) against gross output",
             "行和 Z·1 + Y·1（+ 统计误差）与总产出"), fname, row=zh, column=sp["go"],
        issues=issues)
    nonneg = [(v[1], i) for i, v in enumerate(sp["va"]) if v[2] in ("compensation", "depreciation")]
    flaws, rtol, negative = C._published_flaws(Z, Y, V, x, codes, fd_roles, empty, issues, rtol,
                                               nonneg_rows=nonneg)
    notes = flaws
    if "net_outflow" in fd_roles:
        notes += (Note("net exports (净出口) only: gross exports and imports are not published, "
                       "so there is no domestic (import-split) view",
                       "只公布净出口：出口和进口的总量未公布，因此没有国内视角（区分进口的视角）"),)
    if year == 1990:
        notes += (Note("1990 primary inputs follow the MPS-era layout: 福利基金 (welfare fund) and "
                       "利润和税金 (profits and taxes) are not split into SNA components (role "
                       "'other'); their sum is 最初投入合计 (primary inputs)",
                       "1990 年的初始投入沿用 MPS 时期的格式：福利基金与“利润和税金”未拆分为 SNA "
                       "的各构成项（角色 'other'）；二者之和为最初投入合计（初始投入）"),)
    if year == 1995:
        notes += (Note("the 1995 workbook's subtotal rows and columns (T1, T2, TM, T3, TNM) are "
                       "dropped; it has no discrepancy column",
                       "1995 年工作簿的小计行和列（T1、T2、TM、T3、TNM）已去掉；该表没有统计误差列"),)
    va_codes = [v[1] for v in sp["va"]]
    va_zh = [v[3] if len(v) > 3 else C.VA_NAMES[v[1]][0] for v in sp["va"]]
    va_en = [v[4] if len(v) > 4 else C.VA_NAMES[v[1]][1] for v in sp["va"]]
    return IOTable(
        Z, Y, V, x, sectors=_label_frame(codes, zh, en),
        final_demand_labels=_label_frame(fd, [f[3] for f in sp["fd"]], [f[4] for f in sp["fd"]],
                                         index_name="category", role=fd_roles),
        primary_labels=_label_frame(va_codes, va_zh, va_en, index_name="row",
                                    role=[v[2] for v in sp["va"]]),
        value_added_rows=tuple(va_codes), compensation_row="VA001",
        household_columns=("FU101", "FU102"), discrepancy_=err, unit=C.UNIT, year=year,
        rtol=rtol, notes=notes, allow_negative_flows=negative,
        source=f"China national IO table {year} ({n} sectors, competitive); {C.SOURCE}; "
               f"workbook {fname} sheet {sp['sheet']}",
        name=name or f"cn-nbs-{year}-{n}")
