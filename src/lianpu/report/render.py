"""HTML and workbook output of report sections (shared by the report and the dashboard)."""
from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

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


def cell(v, cls: str = "") -> Markup:
    """One table cell, formatted for reading: thousands separators, 4 significant digits,
    percentages (class 'p') with two decimals."""
    if v is None:
        return Markup("—")
    if isinstance(v, (float, np.floating)):
        if math.isnan(v) or math.isinf(v):
            return Markup("—")
        a = abs(v)
        if "p" in cls.split():
            return Markup(f'<span class="num">{v:,.2f}</span>')
        if a >= 1000:
            s = f"{v:,.0f}"
        elif a >= 1 or a == 0:
            s = f"{v:,.3f}".rstrip("0").rstrip(".") if a < 100 else f"{v:,.1f}"
        else:
            s = f"{v:.4g}"
        return Markup(f'<span class="num">{s}</span>')
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return Markup(f'<span class="num">{v:,d}</span>')
    return escape(str(v))


def frame_rows(frame: pd.DataFrame, show: int | None = None) -> list[list]:
    df = frame if show is None else frame.head(show)
    return [list(r) for r in df.itertuples(index=False, name=None)]


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    """CSS class per column: 'r' numbers (right-aligned), 'w' long text (may wrap), '' other
    (kept on one line, so Chinese names never break character by character)."""
    out = []
    for c in frame.columns:
        col = frame[c]
        vals = col.dropna()
        if pd.api.types.is_bool_dtype(col):
            out.append("")
        elif pd.api.types.is_numeric_dtype(col) or (len(vals) and all(
                isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in vals)):
            out.append("r p" if str(c).endswith("[%]") else "r")
        elif col.astype(str).str.len().max() > 28 if len(col) else False:
            out.append("w")
        else:
            out.append("")
    return out


def write_workbook(sheets, path: Path, meta: dict) -> None:
    """One sheet per table (names from :func:`model.assign_sheet_names`), plus 'meta'."""
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for sh in sheets:
            xlsx_frame(sh.frame).to_excel(xw, sheet_name=sh.sheet_name, index=False)
            ws = xw.sheets[sh.sheet_name]
            for i, col in enumerate(sh.frame.columns, start=1):
                width = min(48, max(10, int(1.7 * len(str(col))) if any(
                    "\u4e00" <= ch <= "\u9fff" for ch in str(col)) else len(str(col)) + 2))
                ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
            ws.freeze_panes = "A2"
        pd.DataFrame({"field": list(meta), "value": [str(v) for v in meta.values()]}).to_excel(
            xw, sheet_name="meta", index=False)
        neutralise_writer(xw)  # user text like '=HYPERLINK(…)' stays text, never a formula


def section_workbook(sec, path_or_buf, meta: dict) -> None:
    """One section (with its children) as a workbook: one sheet per table, plus 'meta'."""
    from .model import assign_sheet_names
    write_workbook(assign_sheet_names([sec]), path_or_buf, meta)
