"""OECD national input-output tables (OECD IOTs, 2021 edition) in the layout published by the
R package ionet (China, 1995–2018, 45 industries, million USD).

Layout (one CSV per year)::

    Code, Description, 01 … 45, HFCE, NPISH, GGFC, GFCF, INVNT, CONS_ABR, CONS_NONRES, EXPO, IMPO

Rows: the 45 industries, then ``TXS_IMP_FNL, TXS_INT_FNL, TTL_INT_FNL, VALU, OUTPUT``.

How the file maps onto :class:`~lianpu.table.IOTable` (checked on every file, 1995–2018):

- The table is **competitive**: ``IMPO`` is stored negative-signed (every entry ≤ 0) and the
  industry rows balance as Z·1 + Y·1 = x with it, so Z mixes domestic and imported products.
  ``IMPO`` becomes the final-demand column ``IM``; ``EXPO`` becomes ``EX`` (the exports code
  that :meth:`IOTable.domestic` knows), the other final-demand codes are kept.
  ``CONS_ABR`` (direct purchases abroad by residents, offset inside ``IMPO``) and
  ``CONS_NONRES`` (direct purchases by non-residents, an export) are both ≥ 0 in these files.
- V has three rows, so that 1'Z + 1'V = x: ``TXS_IMP_FNL`` and ``TXS_INT_FNL`` (taxes less
  subsidies on products, paid abroad / at home; they can be negative) and ``VALU``.
  **Value added is ``VALU`` alone** (value added at basic prices, GVA): taxes less subsidies on
  products are part of GDP at purchasers' prices but are not income of the producing industry,
  so they are primary inputs but not value added. ``value_added_rows=("VALU",)``.
- ``TTL_INT_FNL`` (intermediate consumption at purchasers' prices) is a total: it is checked
  against 1'Z + the two tax rows and not stored. ``OUTPUT`` is x.
- Not stored: the taxes on final products (tax rows × final-demand columns), which belong to
  no industry column.
- There is no compensation-of-employees row, so ``compensation_row`` is None (income
  multipliers and Type II closure then raise a clear error).
- Industry 45 (households as employers) has zero output in every year; its coefficients are 0.

Numbers are published to one decimal (0.1 million USD). Each row/column sum adds ~55 rounded
cells, so residuals reach 0.8 million USD, i.e. up to 2.0e-4 of output in the smallest industry
(1995–1997, 2003); the default ``rtol=1e-3`` covers that with margin and still flags any real
inconsistency above 0.1 % of output.
"""
from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import FormatError, TableError, message
from ..core.notes import Note
from ..table import IOTable, _label_frame
from .base import Reader, check_id, csv_rows, diagnose_csv, read_text, sniff

LEAD = ["Code", "Description"]
# file code -> (table code, name_zh, name_en)
FD = {
    "HFCE": ("HFCE", "居民最终消费支出", "Household final consumption expenditure"),
    "NPISH": ("NPISH", "为住户服务的非营利机构最终消费支出",
              "Final consumption expenditure of non-profit institutions serving households"),
    "GGFC": ("GGFC", "政府最终消费支出", "General government final consumption expenditure"),
    "GFCF": ("GFCF", "固定资本形成总额", "Gross fixed capital formation"),
    "INVNT": ("INVNT", "存货变动", "Changes in inventories and valuables"),
    "CONS_ABR": ("CONS_ABR", "居民在国外的直接购买", "Direct purchases abroad by residents"),
    "CONS_NONRES": ("CONS_NONRES", "非居民在国内的直接购买", "Direct purchases by non-residents"),
    "EXPO": ("EX", "出口", "Exports"),
    "IMPO": ("IM", "进口", "Imports (negative-signed)"),
}
#: roles (lianpu.core.roles) of the final-demand columns and primary rows, by file code
FD_ROLES = {"HFCE": "household", "NPISH": "npish", "GGFC": "government", "GFCF": "investment",
            "INVNT": "inventory", "CONS_ABR": "consumption_abroad",
            "CONS_NONRES": "nonresident", "EXPO": "export", "IMPO": "import"}
PRIMARY_ROLES = {"TXS_IMP_FNL": "product_taxes", "TXS_INT_FNL": "product_taxes",
                 "VALU": "value_added"}
PRIMARY = {
    "TXS_IMP_FNL": "产品税减补贴（在国外支付）",
    "TXS_INT_FNL": "产品税减补贴（在国内支付，含进口关税）",
    "VALU": "基本价格增加值",
}
TOTAL_ROWS = ["TTL_INT_FNL", "OUTPUT"]
UNIT = "million USD"


@cache
def sector_labels() -> pd.DataFrame:
    """The shipped bilingual labels of the 45 OECD industries (index: code)."""
    with (files("lianpu") / "data" / "oecd45_labels.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False).set_index("code")


def _number(df: pd.DataFrame, rows: list[int], cols: list[str], fname: str) -> np.ndarray:
    """Numeric block; a text or empty cell is an error naming its row code and column."""
    block = df.iloc[rows][cols]
    num = block.apply(pd.to_numeric, errors="coerce")
    bad = num.isna().to_numpy()
    if bad.any():
        i, j = (int(v[0]) for v in np.nonzero(bad))
        cell = block.iat[i, j]
        raise FormatError(message(fname, "cell is not a number" if cell else "cell is empty",
                                  row=str(df["Code"].iloc[rows[i]]), column=cols[j],
                                  found=repr(cell) if cell else None, expected="a number"))
    out = num.to_numpy(float)
    if not np.isfinite(out).all():
        i, j = (int(v[0]) for v in np.nonzero(~np.isfinite(out)))
        raise FormatError(message(fname, "cell is not a finite number",
                                  row=str(df["Code"].iloc[rows[i]]), column=cols[j],
                                  found=repr(block.iat[i, j]), expected="a finite number"))
    return out


def _read_frame(path: Path) -> pd.DataFrame:
    """All cells as text; rows longer than the header are an error naming the line."""
    rows = csv_rows(read_text(path), path.name)
    if not rows:
        raise FormatError(message(path.name, "the file is empty", expected="a header row"))
    head = [str(c).strip() for c in rows[0]]
    body = []
    for k, r in enumerate(rows[1:], start=2):
        if len(r) > len(head) and any(c.strip() for c in r[len(head):]):
            raise FormatError(message(path.name, "row has more cells than the header",
                                      row=f"line {k}", found=f"{len(r)} cells",
                                      expected=f"{len(head)} (the header's columns)"))
        if not any(c.strip() for c in r):
            continue
        body.append((r + [""] * len(head))[:len(head)])
    if len(set(head)) != len(head):
        dup = next(c for c in head if head.count(c) > 1)
        raise FormatError(message(path.name, "duplicated column in header", row="header",
                                  column=dup, expected="unique codes"))
    for j, c in enumerate(head):
        check_id(c, path.name, row="header", column=f"#{j + 1}")
    return pd.DataFrame(body, columns=head, dtype=object)


def read_oecd(path, *, name: str | None = None, year: int | None = None,
              rtol: float = 1e-3) -> IOTable:
    """Read one OECD national IOT (2021 edition, ionet CSV layout) into an :class:`IOTable`."""
    path = Path(path)
    fname = path.name
    df = _read_frame(path)
    cols = [str(c).strip() for c in df.columns]
    df.columns = cols
    if cols[:2] != LEAD:
        raise FormatError(message(fname, "header does not start with the OECD lead columns",
                                  row="header", found=cols[:2], expected=LEAD))
    fd_cols = [c for c in cols[2:] if c in FD]
    sec_cols = [c for c in cols[2:] if c not in FD]
    missing = [c for c in FD if c not in fd_cols]
    if missing:
        raise FormatError(message(fname, f"header has no {missing[0]!r} column", row="header",
                              expected=f"final-demand columns {list(FD)} after the industries"))
    first_fd = cols.index(fd_cols[0])
    late = [c for c in cols[first_fd:] if c not in FD]
    if late:
        raise FormatError(message(fname, "unknown column among the final-demand columns",
                                  row="header", column=late[0], expected=f"one of {list(FD)}"))
    if len(set(sec_cols)) != len(sec_cols):
        dup = next(c for c in sec_cols if sec_cols.count(c) > 1)
        raise FormatError(message(fname, "duplicated industry code in header", row="header",
                                  column=dup, expected="unique codes"))
    codes = [c.strip() for c in df["Code"]]
    df["Code"] = codes
    for i, c in enumerate(codes):
        check_id(c, fname, row=f"line {i + 2}", column="Code")
    for r in list(PRIMARY) + TOTAL_ROWS:
        if r not in codes:
            raise FormatError(message(fname, "row missing", row=r,
                                      expected=f"rows {list(PRIMARY) + TOTAL_ROWS} after the "
                                               "industries"))
    sec_rows = [i for i, c in enumerate(codes) if c not in PRIMARY and c not in TOTAL_ROWS]
    got = [codes[i] for i in sec_rows]
    if got != sec_cols:
        miss = [c for c in sec_cols if c not in got]
        extra = [c for c in got if c not in sec_cols]
        raise FormatError(message(
            fname, "industry rows do not match the header's industry columns",
            row=miss[0] if miss else (extra[0] if extra else None),
            found=f"{len(got)} rows" + (f", {miss[0]!r} missing" if miss else "")
            + (f", {extra[0]!r} not in header" if extra else ""),
            expected=f"{len(sec_cols)} rows with the header's codes in the same order"))
    row_of = {c: i for i, c in enumerate(codes)}

    Z = _number(df, sec_rows, sec_cols, fname)
    Yraw = _number(df, sec_rows, fd_cols, fname)
    V = _number(df, [row_of[r] for r in PRIMARY], sec_cols, fname)
    ttl, x = _number(df, [row_of[r] for r in TOTAL_ROWS], sec_cols, fname)

    im = Yraw[:, fd_cols.index("IMPO")]
    if (im > 0).any():
        i = int(np.argmax(im > 0))
        raise FormatError(message(fname, "imports must be stored negative-signed", row=got[i],
                                  column="IMPO", found=f"{im[i]:.6g}", expected="≤ 0"))
    # published total: intermediate consumption at purchasers' prices = 1'Z + taxes on products
    found = Z.sum(0) + V[:2].sum(0)
    res = np.abs(found - ttl)
    bad = res > rtol * np.abs(ttl) + 1e-7 * float(np.abs(x).max(initial=1.0))
    if bad.any():
        j = int(np.argmax(np.where(bad, res, -1)))
        raise TableError(message(fname, "column sum of intermediate inputs and product taxes "
                                 "does not match the published total", row="TTL_INT_FNL",
                                 column=sec_cols[j], found=f"{found[j]:.6g}",
                                 expected=f"{ttl[j]:.6g} ± {rtol:g}"))

    fd = [FD[c][0] for c in fd_cols]
    found_years = re.findall(r"(?<!\d)(\d{4})(?!\d)", path.stem)  # oecd2021_chn_2018: the last
    year = year or (int(found_years[-1]) if found_years else None)
    lab = sector_labels()
    zh = [lab["name_zh"].get(c, "") for c in sec_cols]
    en = [d.strip() for d in df["Description"].iloc[sec_rows]]
    pr_en = [df["Description"].iloc[row_of[r]].strip() for r in PRIMARY]
    return IOTable(
        Z, Yraw, V, x,
        sectors=_label_frame(sec_cols, zh, en),
        final_demand_labels=_label_frame(fd, [FD[c][1] for c in fd_cols],
                                         [FD[c][2] for c in fd_cols], index_name="category",
                                         role=[FD_ROLES[c] for c in fd_cols]),
        primary_labels=_label_frame(list(PRIMARY), list(PRIMARY.values()), pr_en,
                                    index_name="row", role=[PRIMARY_ROLES[r] for r in PRIMARY]),
        value_added_rows=("VALU",), compensation_row=None, household_columns=("HFCE",),
        unit=UNIT, year=year,
        source=f"OECD Input-Output Tables, 2021 edition, China {year or ''} "
               f"({len(sec_cols)} industries), via R package ionet; file {fname}",
        name=name or fname, rtol=rtol,
        notes=(Note("competitive imports: IMPO → IM (negative); EXPO → EX",
                    "竞争型进口：IMPO → IM（取负值）；EXPO → EX"),
               Note("value added = VALU (basic prices); product-tax rows are primary inputs only",
                    "增加值 = VALU（基本价格）；产品税各行只作为初始投入，不计入增加值")),
    )


def _guess(path: Path) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    s = sniff(path, lines=1)
    if s.problem or s.delimiter != "," or not s.rows:
        return False
    cols = [c.strip() for c in s.rows[0]]
    return cols[:2] == LEAD and "HFCE" in cols and "IMPO" in cols


def _diagnose(path: Path):
    d = diagnose_csv(path, "oecd", LEAD, ["HFCE", "IMPO"])
    return None if d is None else (d[0] - 0.05, d[1])  # NBS shares the lead: NBS wins ties


READER = Reader(
    name="oecd",
    description="OECD national IO table, 2021 edition, ionet layout (Code, Description, "
                "industries…, HFCE…IMPO; rows …, VALU, OUTPUT); CSV",
    guess_can_open=_guess,
    open=read_oecd,
    diagnose=_diagnose,
)
