"""Economy overview: size, structure and balance of the table (facts the table states)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..analysis._result import code_str
from ..core.units import Unit, fmt_num
from . import figures as fg
from .i18n import join_notes, result_notes, source_text, tr
from .model import Section, Sheet
from .render import NUMBER_TEXT, decimals_by_row


def facts(table) -> dict:
    """Totals in the table's unit (what ``lianpu info`` reports, plus imports and exports)."""
    from ..core import roles
    Y = table.Y.to_numpy()
    Ym = None if table.Ym is None else table.Ym.to_numpy()
    use_cols = [j for j, r in enumerate(table.fd_roles)
                if r not in roles.SUPPLY_FROM_OUTSIDE and r != "discrepancy"]
    imp = table.imports_total_
    exc = table.fd_positions(roles.EXPORTS)
    ex = Y[:, exc].sum() if exc else np.nan
    x = float(table.x.sum())
    va = float(table.value_added_.sum())
    z = float(table.Z.to_numpy().sum()) + (float(table.Zm.to_numpy().sum())
                                           if table.Zm is not None else 0.0)
    fu = float(Y[:, use_cols].sum()) + (float(Ym[:, use_cols].sum()) if Ym is not None else 0.0)
    inc, outc = table.fd_positions(roles.INFLOWS), table.fd_positions({"outflow"})
    return {"sectors": table.n, "gross_output": x, "value_added": va, "intermediate": z,
            "final_use": fu, "imports": float(imp.sum()) if imp is not None else np.nan,
            "exports": float(ex),
            "inflows": float(-Y[:, inc].sum()) if inc else np.nan,
            "outflows": float(Y[:, outc].sum()) if outc else np.nan,
            "va_rate": va / x if x else np.nan,
            "ii_rate": z / x if x else np.nan}


def overview(table, lang: str) -> Section:
    src, year, unit = source_text(table, lang), table.year, Unit.parse(table.unit).text(lang)
    k, dunit = Unit.parse(table.unit).display(lang)
    f = facts(table)
    sec = Section("overview", tr("overview", lang), tr("overview_lead", lang), sheets_first=True)
    money = ("gross_output", "value_added", "intermediate", "final_use", "imports", "exports",
             "inflows", "outflows")
    # shown: the value in a readable unit (亿元); the workbook column keeps the table's unit
    rows = [(tr("table_name", lang), src, None),
            (tr("sectors", lang), str(f["sectors"]), None),
            (tr("imports_kind", lang), tr("competitive" if table.imports == "competitive"
                                          else "non_competitive", lang), None)]
    # the workbook stores numbers: the shown value in the display unit, ratios as fractions
    book = [src, int(f["sectors"]), rows[2][1]]
    shown_fmt, raw_fmt = [None, "0", None], [None, None, None]
    for key in money:
        if not np.isnan(f[key]):
            rows.append((f"{tr(key, lang)} [{dunit}]", fmt_num(f[key] * k, 1), f[key]))
            book.append(f[key] * k)
            shown_fmt.append("#,##0.0")
            raw_fmt.append("#,##0")
    for key in ("va_rate", "ii_rate"):
        rows.append((tr(key, lang), f"{100 * f[key]:.1f}%", f[key]))
        book.append(f[key])
        shown_fmt.append("0.0%")
        raw_fmt.append("0.0000")
    raw = (f"数值 [{unit}；比率为小数]" if lang == "zh"
           else f"value [{unit}; ratios as fractions]")
    cols = [tr("indicator", lang), tr("value", lang), raw]
    frame = pd.DataFrame(rows, columns=cols)
    decimals_by_row(frame)  # totals beside ratios: decimals row by row
    frame.attrs[NUMBER_TEXT] = (cols[1],)
    workbook = frame.assign(**{cols[1]: pd.Series(book, dtype=object)})
    sec.sheets.append(Sheet("overview", tr("overview", lang).split("、")[-1].split(". ")[-1],
                            frame, workbook=workbook,
                            formats={cols[1]: shown_fmt, raw: raw_fmt}))
    sec.paragraphs.append(_balance_text(table, lang))
    if table.notes:  # the reader's data notes, each in the report's language
        sec.paragraphs.append(f"{tr('table_notes', lang)}{'：' if lang == 'zh' else ': '}"
                              + join_notes(result_notes(table, lang), lang))
    # structure: largest sectors by value added, final use and primary inputs
    names = table.label(lang)
    va = pd.Series(table.value_added_, index=table.index)
    top = va.sort_values(ascending=False).head(15)
    sec.figures.append(_fig(
        "top_va", tr("top_va", lang), fg.bar_h([names[c] for c in top.index], top.to_numpy() * k,
                                               tr("top_va", lang), dunit, src, year, lang),
        dunit, src, year))
    share = va / va.sum()
    sv = pd.DataFrame({tr("code", lang): [code_str(c) for c in va.index],
                       tr("sector", lang): list(names),
                       f"{tr('value_added', lang)} [{unit}]": va.to_numpy(),
                       f"{tr('va_share', lang)} [%]": 100 * share.to_numpy()})
    sec.sheets.append(Sheet("va_by_sector", tr("value_added", lang) + ("（按部门）" if lang == "zh"
                                                                       else " by sector"),
                            sv.sort_values(sv.columns[2], ascending=False), show=15))
    fdl = table.final_demand_labels
    fd_tot = table.Y.to_numpy().sum(axis=0) + (table.Ym.to_numpy().sum(axis=0)
                                                if table.Ym is not None else 0)
    fd_names = fdl["name_zh" if lang == "zh" else "name_en"].where(
        fdl["name_zh" if lang == "zh" else "name_en"].astype(bool), [code_str(c) for c in fdl.index])
    sec.figures.append(_fig("fd_structure", tr("fd_structure", lang), fg.bar_h(
        list(fd_names), fd_tot * k, tr("fd_structure", lang), dunit, src, year, lang,
        color="#2e8b57"), dunit, src, year))
    pl = table.primary_labels
    pn = pl["name_zh" if lang == "zh" else "name_en"].where(
        pl["name_zh" if lang == "zh" else "name_en"].astype(bool), [code_str(c) for c in pl.index])
    vtot = table.V_.sum(axis=1)
    if (vtot >= 0).all() and len(vtot) > 1:
        sec.figures.append(_fig("va_structure", tr("va_structure", lang), fg.donut(
            list(pn), vtot * k, tr("va_structure", lang), dunit, src, year, lang),
            dunit, src, year))
    return sec


def _fig(key, title, fig, unit, src, year, note=""):
    from .model import Figure
    return Figure(key, title, fig, unit, src, year, note)



def _balance_text(table, lang: str) -> str:
    b = table.balance.to_dict()
    err = tr("err_used" if b["discrepancy_column_used"] else "err_not_used", lang)
    key = "balance_ok" if b["ok"] else "balance_bad"
    return f"{tr('balance', lang)}：" + tr(key, lang, row=f"{b['max_row_relative']:.1e}",
                                          col=f"{b['max_column_relative']:.1e}", err=err) \
        if lang == "zh" else f"{tr('balance', lang)}: " + tr(
            key, lang, row=f"{b['max_row_relative']:.1e}", col=f"{b['max_column_relative']:.1e}",
            err=err)
