"""HTML and workbook output of report sections (shared by the report and the dashboard)."""
from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..core.units import fmt_num
from ..safe_text import neutralise_writer, xlsx_frame
from .figures import FONT

TEMPLATES = Path(__file__).with_name("templates")
PLOT_CONFIG = {"displaylogo": False, "responsive": True,
               "modeBarButtonsToRemove": ["lasso2d", "select2d"],
               "toImageButtonOptions": {"format": "png", "scale": 2}}


@cache
def env() -> Environment:
    e = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                    autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                    lstrip_blocks=True)
    e.filters["cell"] = cell
    e.globals["FONT"] = FONT
    return e


def plotly_js() -> str:
    """The plotly.js bundled with the plotly package (no network, no CDN)."""
    import plotly
    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text("utf-8")


def figure_div(fig, div_id: str) -> Markup:
    """A figure as a div + inline script (plotly.js itself is included once per page)."""
    html = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                       config=PLOT_CONFIG, default_width="100%")
    return Markup(html)


def column_decimals(values, percent: bool = False) -> int:
    """Decimals for one table column, chosen from its magnitude so that its largest value shows
    about four significant digits (≥ 1,000: none; 100–999: one; 10–99: two; 1–9: three; 0.1–
    0.99: four …, at most six); percentages (values 0–100) one decimal from 10 % on, else two;
    a column of integers none. One column, one number of decimals (HTML and Excel alike)."""
    v = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)
    v = np.abs(v[np.isfinite(v) & (v != 0)])
    if not len(v):
        return 0
    if not percent and np.all(v == np.round(v)) and pd.api.types.is_integer_dtype(
            pd.Series(values).dtype):
        return 0
    e = int(math.floor(math.log10(float(v.max()))))
    return min(max(2 - e, 1), 2) if percent else min(max(3 - e, 0), 6)


def cell_text(v, cls: str = "") -> str:
    """The text of one table cell: ``fmt_num`` with the column's decimals when ``cls`` carries
    them (``d0`` … ``d6``, from :func:`numeric_columns`); otherwise thousands separators and
    four significant digits, percentages (class 'p') with two decimals; '—' if missing."""
    if v is None:
        return "—"
    if isinstance(v, (float, np.floating)):
        if math.isnan(v) or math.isinf(v):
            return "—"
        classes = cls.split()
        digits = next((int(c[1:]) for c in classes if c[:1] == "d" and c[1:].isdigit()), None)
        if digits is not None:
            return fmt_num(float(v), digits)
        a = abs(v)
        if "p" in classes:
            return f"{v:,.2f}"
        if a >= 1000:
            return f"{v:,.0f}"
        if a >= 1 or a == 0:
            return f"{v:,.3f}".rstrip("0").rstrip(".") if a < 100 else f"{v:,.1f}"
        return f"{v:.4g}"
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return fmt_num(int(v))
    return str(v)


def cell(v, cls: str = "") -> Markup:
    """One table cell, formatted for reading (:func:`cell_text`); numbers in a tabular-figure
    span."""
    text = cell_text(v, cls)
    if text == "—" or not isinstance(v, (int, float, np.number)) or isinstance(v, bool):
        return Markup("—") if text == "—" else escape(text)
    return Markup(f'<span class="num">{escape(text)}</span>')


def frame_rows(frame: pd.DataFrame, show: int | None = None) -> list[list]:
    df = frame if show is None else frame.head(show)
    return [list(r) for r in df.itertuples(index=False, name=None)]


#: ``frame.attrs`` key: columns whose rows hold different units (the overview's raw values:
#: totals beside ratios); each value is then formatted by its own size, not the column's
MIXED = "lianpu_mixed_columns"
#: ``frame.attrs`` key: text columns that hold formatted numbers (right-aligned)
NUMBER_TEXT = "lianpu_number_text_columns"
#: ``frame.attrs`` key: the decimals class ('d2' …) of each row, for a table whose rows are in
#: different units (效应合计: 亿元, persons, 万吨): its numeric columns are :data:`MIXED` and
#: each row has one number of decimals (set by :func:`decimals_by_row`)
ROW_DECIMALS = "lianpu_row_decimals"


def decimals_by_row(frame: pd.DataFrame) -> pd.DataFrame:
    """Mark ``frame`` (in place; returned) as a table of rows in different units: one number
    of decimals per row, from the row's largest value (:func:`column_decimals`), in HTML and
    Excel alike."""
    cols = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
            and not pd.api.types.is_bool_dtype(frame[c])]
    frame.attrs[MIXED] = tuple(cols)
    frame.attrs[ROW_DECIMALS] = [f"d{column_decimals(list(frame.loc[i, cols].astype(float)))}"
                                 for i in frame.index] if cols else []
    return frame


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    """CSS class per column: 'r' numbers (right-aligned; with 'dN', the column's decimals from
    :func:`column_decimals`, 'm' instead in a column of :data:`MIXED` units, and 'p' for
    percentages), 'w' long text (may wrap), '' other
    (kept on one line, so Chinese names never break character by character)."""
    out = []
    mixed, texts = frame.attrs.get(MIXED, ()), frame.attrs.get(NUMBER_TEXT, ())
    for c in frame.columns:
        col = frame[c]
        vals = col.dropna()
        if pd.api.types.is_bool_dtype(col):
            out.append("")
        elif pd.api.types.is_numeric_dtype(col) or (len(vals) and all(
                isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in vals)):
            pct = str(c).endswith("[%]")
            cls = "r p" if pct else "r"
            out.append(f"{cls} m" if c in mixed else f"{cls} d{column_decimals(col, pct)}")
        elif c in texts:
            out.append("r")
        elif col.astype(str).str.len().max() > 28 if len(col) else False:
            out.append("w")
        else:
            out.append("")
    return out


def row_class(frame: pd.DataFrame, cls: str, row: int) -> str:
    """The class of the cell in ``row`` of a column of class ``cls``: with the row's decimals
    where ``frame`` is marked by :func:`decimals_by_row` (the templates do the same)."""
    rows = frame.attrs.get(ROW_DECIMALS)
    if rows and "m" in cls.split():
        return f"{cls} {rows[row]}"
    return cls


def excel_format(cls: str) -> str | None:
    """The Excel number format of a column class from :func:`numeric_columns` ('r d2' →
    '#,##0.00'); None for a text column or one formatted value by value."""
    digits = next((int(c[1:]) for c in cls.split() if c[:1] == "d" and c[1:].isdigit()), None)
    if digits is None:
        return None
    return "#,##0" + ("." + "0" * digits if digits else "")


def write_workbook(sheets, path: Path, meta: dict) -> None:
    """One sheet per table (names from :func:`model.assign_sheet_names`), plus 'meta'. Numbers
    are stored as numbers with a number format: the column's decimals as in HTML, or the
    sheet's own formats (:attr:`model.Sheet.formats`); ``Sheet.workbook``, where set, is the
    frame written instead of the shown one (numbers where HTML shows formatted text)."""
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for sh in sheets:
            frame = sh.frame if sh.workbook is None else sh.workbook
            xlsx_frame(frame).to_excel(xw, sheet_name=sh.sheet_name, index=False)
            ws = xw.sheets[sh.sheet_name]
            for i, col in enumerate(frame.columns, start=1):
                width = min(48, max(10, int(1.7 * len(str(col))) if any(
                    "\u4e00" <= ch <= "\u9fff" for ch in str(col)) else len(str(col)) + 2))
                ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
            _number_formats(ws, frame, sh.formats)
            ws.freeze_panes = "A2"
        pd.DataFrame({"field": list(meta), "value": [  # numbers (sectors, year) stay numbers
            v if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)
            for v in meta.values()]}, dtype=object).to_excel(xw, sheet_name="meta", index=False)
        neutralise_writer(xw)  # user text like '=HYPERLINK(…)' stays text, never a formula


def _number_formats(ws, frame, own) -> None:
    """Set each numeric cell's number format: ``own[column]`` (one format, or one per row),
    else the column's from :func:`numeric_columns`."""
    rows = frame.attrs.get(ROW_DECIMALS)
    for j, (col, cls) in enumerate(zip(frame.columns, numeric_columns(frame)), start=1):
        fmt = own.get(col, excel_format(cls))
        if fmt is None and rows and col in frame.attrs.get(MIXED, ()):
            fmt = [excel_format(d) for d in rows]
        if fmt is None:
            continue
        for r in range(len(frame)):
            f = fmt[r] if isinstance(fmt, (list, tuple)) else fmt
            c = ws.cell(row=r + 2, column=j)
            if f and c.data_type == "n" and c.value is not None:
                c.number_format = f


def section_workbook(sec, path_or_buf, meta: dict) -> None:
    """One section (with its children) as a workbook: one sheet per table, plus 'meta'."""
    from .model import assign_sheet_names
    write_workbook(assign_sheet_names([sec]), path_or_buf, meta)
