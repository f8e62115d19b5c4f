"""NBS national IO tables (国家统计局投入产出表) in the layout published by the R package ionet.

Layout (CSV or XLSX, first sheet)::

    Code, Description, DescriptionInChinese, [Origin], <sector codes…>, TIU,
        <final-use codes…>, [IM], [ERR], GO

Rows: n sector rows (competitive) or n ``Domestic`` + n ``Imports`` rows (non-competitive),
then ``TII, VA001, VA002, VA003, VA004, TVA, TI``. Which final-use columns exist differs by
year, so they are read from the header:

- detail columns become Y: household consumption ``FU101``/``FU102`` (or ``THC``), government
  ``FU103``, (or ``TC`` when consumption is not split, as in the 2017/2018/2020 42-sector
  non-competitive files), ``FU201``/``FU202`` (or ``GCF``), ``EX``;
- ``IM`` (stored positive) becomes the negative column ``IM`` of Y;
- ``ERR`` becomes the table's discrepancy vector;
- totals (``TIU, THC, TC, GCF, TFU, TII, TVA, TI``) are not stored: they are checked against
  the detail and a mismatch is an error naming the cell.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import FormatError, TableError, message
from ..table import IOTable, _label_frame
from .base import (Reader, check_id, csv_rows, diagnose_csv, read_text, sniff,
                   workbook_errors)

FD_NAMES = {
    "FU101": ("农村居民消费支出", "Rural household consumption"),
    "FU102": ("城镇居民消费支出", "Urban household consumption"),
    "THC": ("居民消费支出", "Household consumption"),
    "FU103": ("政府消费支出", "Government consumption"),
    "TC": ("最终消费支出", "Final consumption"),
    "FU201": ("固定资本形成总额", "Gross fixed capital formation"),
    "FU202": ("存货变动", "Changes in inventories"),
    "GCF": ("资本形成总额", "Gross capital formation"),
    "EX": ("出口", "Exports"),
    "IM": ("进口", "Imports"),
}
#: the role of each final-use code (lianpu.core.roles), set here by the reader
FD_ROLES = {"FU101": "household", "FU102": "household", "THC": "household",
            "FU103": "government", "TC": "consumption", "FU201": "investment",
            "FU202": "inventory", "GCF": "capital", "EX": "export", "IM": "import"}
VA_ROWS = ["VA001", "VA002", "VA003", "VA004"]
VA_ROLES = ("compensation", "production_taxes", "depreciation", "surplus")
TOTAL_ROWS = ["TII", "TVA", "TI"]
LEAD = ["Code", "Description", "DescriptionInChinese"]
UNIT = "10,000 CNY (万元)"


def _read_raw(path: Path) -> pd.DataFrame:
    """All cells as text/None; header taken verbatim (pandas would rename duplicates 'x.1')."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            raw = pd.read_excel(path, sheet_name=0, dtype=object, header=None)
        except workbook_errors() as exc:  # only pandas/openpyxl run here: parsing bytes
            raise FormatError(message(path.name, "cannot read the workbook",
                                      found=f"{type(exc).__name__}: {str(exc)[:160]}",
                                      expected="an .xlsx file as Excel writes it")) from None
        raw = raw.astype(object).where(raw.notna(), None)
    else:
        rows = csv_rows(read_text(path), path.name)
        if not rows:
            raise FormatError(message(path.name, "the file is empty", expected="a header row"))
        head = len(rows[0])
        lead = [c.strip() for c in rows[0][:3]]
        if lead != LEAD:
            raise FormatError(message(path.name, "header does not start with the NBS lead "
                                      "columns", row="header", found=lead, expected=LEAD))
        for k, r in enumerate(rows[1:], start=2):
            if len(r) > head and any(c.strip() for c in r[head:]):
                raise FormatError(message(path.name, "row has more cells than the header",
                                          row=f"line {k}", found=f"{len(r)} cells",
                                          expected=f"{head} (the header's columns)"))
        rows = [r[:head] for r in rows]
        width = head
        raw = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
        raw = raw.where(raw != "", None)
    df = raw.iloc[1:].reset_index(drop=True)
    df.columns = ["" if c is None else str(c).strip() for c in raw.iloc[0]]
    return df


def _number(df: pd.DataFrame, rows: list[int], cols: list[str], fname: str) -> np.ndarray:
    """Numeric block; a text cell is an error naming its row code and column."""
    out = np.zeros((len(rows), len(cols)))
    for jj, c in enumerate(cols):
        col = df[c].iloc[rows]
        num = pd.to_numeric(col, errors="coerce")
        bad = num.isna() & col.notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise FormatError(message(fname, "cell is not a number",
                                      row=str(df["Code"].iloc[rows[i]]), column=str(c),
                                      found=repr(col.iloc[i]), expected="a number"))
        missing = num.isna()
        if missing.any():
            i = int(np.flatnonzero(missing.to_numpy())[0])
            raise FormatError(message(fname, "cell is empty", row=str(df["Code"].iloc[rows[i]]),
                                      column=str(c), expected="a number (0 for none)"))
        vals = num.to_numpy(float)
        if not np.isfinite(vals).all():
            i = int(np.flatnonzero(~np.isfinite(vals))[0])
            raise FormatError(message(fname, "cell is not a finite number",
                                      row=str(df["Code"].iloc[rows[i]]), column=str(c),
                                      found=repr(col.iloc[i]), expected="a finite number"))
        out[:, jj] = vals
    return out


def _check_total(found: np.ndarray, expected: np.ndarray, what: str, labels, fname: str,
                 axis_word: str, total_code: str, rtol=1e-4):
    atol = 1e-7 * max(float(np.abs(expected).max(initial=1.0)), 1.0)
    res = found - expected
    bad = np.abs(res) > rtol * np.abs(expected) + atol
    if bad.any():
        i = int(np.argmax(np.abs(res) / np.maximum(np.abs(expected), atol)))
        kw = {"row": labels[i], "column": total_code} if axis_word == "row" else \
            {"row": total_code, "column": labels[i]}
        raise TableError(message(fname, f"{what} does not match the published total",
                                 found=f"{found[i]:.6g}", expected=f"{expected[i]:.6g} ± {rtol:g}",
                                 **kw))


def read_nbs(path, *, name: str | None = None, year: int | None = None, rtol: float = 1e-4) -> IOTable:
    path = Path(path)
    fname = path.name
    df = _read_raw(path)
    cols = list(df.columns)
    if cols[:3] != LEAD:
        raise FormatError(message(fname, "header does not start with the NBS lead columns",
                                  row="header", found=cols[:3], expected=LEAD))
    has_origin = len(cols) > 3 and cols[3] == "Origin"
    first = 4 if has_origin else 3
    for req in ("TIU", "GO"):
        if req not in cols:
            raise FormatError(message(fname, f"header has no {req!r} column", row="header",
                                      expected="…, <sector codes>, TIU, <final use>, GO"))
    go_at = cols.index("GO")
    late = [c for c in cols[go_at + 1:] if c]
    if late:
        raise FormatError(message(fname, "column after 'GO'", row="header", column=late[0],
                                  expected="GO as the last column"))
    for j, c in enumerate(cols):
        check_id(c, fname, row="header", column=f"#{j + 1}")
    tiu = cols.index("TIU")
    sec_cols = cols[first:tiu]
    fu_cols = cols[tiu + 1:cols.index("GO")]
    unknown = [c for c in fu_cols if c not in FD_NAMES and c not in ("TFU", "ERR")]
    if unknown:
        raise FormatError(message(fname, "unknown final-use column", row="header",
                                  column=unknown[0],
                                  expected=f"one of {sorted(FD_NAMES) + ['TFU', 'ERR']}"))
    codes = df["Code"].map(lambda v: None if v is None else str(v).strip())
    df["Code"] = codes
    for i, c in enumerate(codes):
        check_id(c, fname, row=f"line {i + 2}", column="Code")
    n = len(sec_cols)
    if len(set(sec_cols)) != n:
        dup = next(c for c in sec_cols if sec_cols.count(c) > 1)
        raise FormatError(message(fname, "duplicated sector code in header", row="header",
                                  column=dup, expected="unique codes"))
    if has_origin:
        origin = df["Origin"].map(lambda v: str(v).strip() if v is not None else "")
        dom = [i for i in range(len(df)) if origin.iloc[i] == "Domestic"]
        imp = [i for i in range(len(df)) if origin.iloc[i] == "Imports"]
    else:
        dom = [i for i in range(len(df)) if codes.iloc[i] not in VA_ROWS + TOTAL_ROWS]
        imp = []
    for label, idx in (("sector", dom),) + ((("import", imp),) if has_origin else ()):
        got = [codes.iloc[i] for i in idx]
        if got != sec_cols:
            missing = [c for c in sec_cols if c not in got]
            extra = [c for c in got if c not in sec_cols]
            dup = [c for c in got if got.count(c) > 1]
            if dup:
                raise FormatError(message(fname, f"duplicated {label} row", row=dup[0],
                                          expected="each sector code once"))
            if missing:
                raise FormatError(message(fname, f"{label} row missing", row=missing[0],
                                          found=f"{len(got)} {label} rows",
                                          expected=f"{n} rows with the header's sector codes"))
            if extra:
                raise FormatError(message(fname, f"{label} row with a code not in the header",
                                          row=extra[0], expected="one of the header's sector codes"))
            raise FormatError(message(fname, f"{label} rows are not in the header's order",
                                      found=got[:5], expected=sec_cols[:5]))
    row_of = {c: i for i, c in enumerate(codes) if c in VA_ROWS + TOTAL_ROWS}
    for r in VA_ROWS + TOTAL_ROWS:
        if r not in row_of:
            raise FormatError(message(fname, "primary-input row missing", row=r,
                                      expected=f"rows {VA_ROWS + TOTAL_ROWS} after the sectors"))

    Z = _number(df, dom, sec_cols, fname)
    go = _number(df, dom, ["GO"], fname)[:, 0]
    fu = _number(df, dom, fu_cols, fname) if fu_cols else np.zeros((n, 0))
    fuc = {c: fu[:, j] for j, c in enumerate(fu_cols)}
    V = _number(df, [row_of[r] for r in VA_ROWS], sec_cols, fname)
    tot = _number(df, [row_of[r] for r in TOTAL_ROWS], sec_cols, fname)

    # choose the detail final-use columns present in this year's header
    if "FU101" in fuc and "FU102" in fuc:
        cons = ["FU101", "FU102"]
    elif "THC" in fuc:
        cons = ["THC"]
    else:
        cons = []
    household = tuple(cons)
    cons += ["FU103"] if "FU103" in fuc else []
    if not cons:
        cons = ["TC"] if "TC" in fuc else []
    cap = [c for c in ("FU201", "FU202") if c in fuc] or (["GCF"] if "GCF" in fuc else [])
    fd = cons + cap + (["EX"] if "EX" in fuc else [])
    if not fd:
        raise FormatError(message(fname, "no final-use columns found", row="header",
                                  expected="FU101…/TC, FU201…/GCF, EX"))
    Y = np.column_stack([fuc[c] for c in fd])
    if "IM" in fuc:
        Y = np.column_stack([Y, -fuc["IM"]])
        fd.append("IM")
    err = fuc.get("ERR")

    # published totals must agree with the detail
    if "TFU" in fuc:
        tfu_parts = [c for c in fd if c != "IM"]
        _check_total(np.column_stack([fuc[c] for c in tfu_parts]).sum(1), fuc["TFU"],
                     "sum of final-use columns", sec_cols, fname, "row", "TFU", rtol)
    if "TC" in fuc and "TC" not in fd:
        _check_total(np.column_stack([fuc[c] for c in cons]).sum(1), fuc["TC"],
                     "sum of consumption columns", sec_cols, fname, "row", "TC", rtol)
    _check_total(V.sum(0), tot[1], "sum of value-added rows", sec_cols, fname, "column", "TVA", rtol)
    Zm = Ym = None
    if has_origin:
        Zm = _number(df, imp, sec_cols, fname)
        fum = _number(df, imp, fu_cols, fname)
        Ym = np.column_stack([fum[:, fu_cols.index(c)] for c in fd])
        _check_total(Z.sum(0) + Zm.sum(0), tot[0], "column sum of intermediate inputs",
                     sec_cols, fname, "column", "TII", rtol)
    else:
        _check_total(Z.sum(0), tot[0], "column sum of intermediate inputs", sec_cols, fname,
                     "column", "TII", rtol)
    _check_total(Z.sum(1), _number(df, dom, ["TIU"], fname)[:, 0], "row sum of intermediate use",
                 sec_cols, fname, "row", "TIU", rtol)
    _check_total(tot[2], go, "total input (TI)", sec_cols, fname, "column", "TI", rtol)

    m = re.search(r"(\d{4})_(\d+)", path.stem)
    year = year or (int(m.group(1)) if m else None)
    names = df.iloc[dom]
    va_names = df.iloc[[row_of[r] for r in VA_ROWS]]
    kind = "non-competitive" if has_origin else "competitive"
    return IOTable(
        Z, Y, V, go,
        sectors=_label_frame(sec_cols, names["DescriptionInChinese"].fillna(""),
                             names["Description"].fillna("")),
        final_demand_labels=_label_frame(fd, [FD_NAMES[c][0] for c in fd],
                                         [FD_NAMES[c][1] for c in fd], index_name="category",
                                         role=[FD_ROLES[c] for c in fd]),
        primary_labels=_label_frame(VA_ROWS, va_names["DescriptionInChinese"].fillna(""),
                                    va_names["Description"].fillna(""), index_name="row",
                                    role=VA_ROLES),
        value_added_rows=tuple(VA_ROWS), compensation_row="VA001", household_columns=household,
        Zm_=Zm, Ym_=Ym, discrepancy_=err, unit=UNIT, year=year,
        source=f"NBS China input-output table {year or ''} ({n} sectors, {kind} imports), "
               f"via R package ionet; file {fname}",
        name=name or fname, rtol=rtol,
    )


def _guess(path: Path) -> bool:
    suf = path.suffix.lower()
    if suf == ".csv":
        s = sniff(path, lines=1)
        if s.problem or s.delimiter != "," or not s.rows:
            return False
        cols = [c.strip() for c in s.rows[0]]
    elif suf in (".xlsx", ".xlsm"):
        cols = [str(c).strip() for c in pd.read_excel(path, nrows=0).columns]
    else:
        return False
    return cols[:3] == LEAD and "TIU" in cols and "GO" in cols


def _diagnose(path: Path):
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import zipfile
        if not zipfile.is_zipfile(path):
            return 0.2, "not an Excel workbook: the file is not a zip archive"
        with zipfile.ZipFile(path) as z:
            if "xl/workbook.xml" not in z.namelist():
                return 0.2, "a zip archive without xl/workbook.xml: not an Excel workbook"
        try:
            cols = [str(c).strip() for c in pd.read_excel(path, nrows=0).columns]
        except workbook_errors() as exc:  # a diagnosis never raises
            return 0.2, f"cannot open the workbook ({type(exc).__name__}: {str(exc)[:120]})"
        missing = [c for c in LEAD + ["TIU", "GO"] if c not in cols]
        return 0.4, f"first sheet's header lacks {missing} (found {cols[:4]})"
    return diagnose_csv(path, "nbs", LEAD, ["TIU", "GO"])


READER = Reader(
    name="nbs",
    description="NBS China IO table, ionet layout (Code, Description, DescriptionInChinese, "
                "[Origin], sectors…, TIU, final use…, GO); CSV or XLSX",
    guess_can_open=_guess,
    open=read_nbs,
    diagnose=_diagnose,
)
