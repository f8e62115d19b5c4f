"""CLI commands for the carbon analyses (registered on the app of :mod:`lianpu.commands._app`).

``lianpu footprint``, ``lianpu emissions``, ``lianpu sda``, ``lianpu position``.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Optional

import typer

from ..core.codes import code_str
from ..core.errors import LianpuError
from ..core.notes import Note, text as note_text, zh as note_zh
from ..core.units import Unit, fmt_num
from ..safe_text import esc
from ._app import app
from ._screen import (WORDS, columns, money, notes, notes_of, pick, region_name, show, table,
                      unit_line, unit_text, word)
from ._shared import DATA_DIR, FMT, JSON, LANG, UserError, at_least, emit, lang_arg, load, out


def _records(frame, lang):
    from ..analysis._result import jsonable
    rows = []
    for code, r in frame.iterrows():
        d = {"code": code_str(code)}
        d.update({k: jsonable(v) if isinstance(v, float) else v for k, v in r.items()})
        d["name"] = r.get("name_zh" if lang == "zh" else "name_en", "")
        rows.append(d)
    return rows


@app.command()
def footprint(source: str = typer.Argument(..., help="Dataset id or table file (NBS table)."),
              satellite: str = typer.Option("co2", "--satellite", help="Satellite to account "
                                            "(co2 is added from CEADs when missing)."),
              by: str = typer.Option("category", "--by", help="category, sector or track."),
              tracks: Optional[Path] = typer.Option(None, "--tracks", help="User tracks file "
                                                    "(--by track)."),
              top: int = typer.Option(0, "--top", help="Show only the N largest rows (0 = all)."),
              mrio: bool = typer.Option(False, "--mrio", help="Also show the MRIO footprint of "
                                        "the same year beside the DTA one (WIOD 2013, "
                                        "1995–2011; foreign intensities are missing and said "
                                        "so)."),
              fmt: Optional[str] = FMT,
              lang: str = LANG, data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Production-based emissions 生产侧排放 and the DTA footprint 国内技术假设下的消费侧足迹.

    The consumption side assumes imports are made with China's technology (DTA): it gives
    emissions avoided by importing, not the emissions foreign producers emit. A WIOD table
    (wiod2013-YEAR) gives China's MRIO footprint instead."""
    from ..analysis.carbon.footprint import BASIS, BASIS_ZH, TOTAL_NAMES
    from ..analysis.carbon.footprint import footprint as calc
    lang_arg(lang)
    if by not in ("category", "sector", "track"):
        raise UserError(f"--by: found {by!r}, expected 'category', 'sector' or 'track'")
    at_least("--top", top, 0)
    t = load(source, data_dir, fmt)
    if t.is_multiregional:
        return _mrio_footprint(t, top, lang, data_dir, as_json)
    r = calc(t, satellite, by=by, data_dir=data_dir, tracks=tracks)
    cmp_ = _mrio_beside(r, t, data_dir) if mrio else None
    key = {"category": "total_dta", "sector": "direct", "track": "footprint_dta"}[by]
    frame = r.frame.sort_values(key, ascending=False) if by != "category" else r.frame
    if top:
        frame = frame.head(top)
    if as_json:
        d = r.to_dict()
        d["rows"] = _records(frame, lang)
        if cmp_ is not None:
            d["mrio_comparison"] = {"unit": r.unit, "note": cmp_[2],
                                    "table": cmp_[1].table if cmp_[1] is not None else None,
                                    "rows": _records(cmp_[0], lang)}
        return emit(d)
    zh = lang == "zh"
    unit = unit_text(r.unit, lang)
    tab = table(f"{r.satellite} " + pick("生产侧排放与国内技术假设（DTA）足迹",
                                         "production-based emissions and DTA footprint", lang)
                + f" — {r.table} ({r.year})", unit_line(unit, lang) + pick(
                    "；DTA：国内技术假设", "; DTA: domestic-technology assumption", lang))
    comps = [c for c in frame.columns if c.startswith("fp_")]
    cols = {"category": ["domestic", "avoided_by_imports_dta", "household_direct", "total_dta"],
            "sector": ["direct", "footprint_domestic", "avoided_by_imports_domestic_use",
                       "footprint_dta", "embodied_in_exports_domestic", "multiplier_domestic"],
            "track": ["direct", "direct_share", "footprint_dta", *comps]}[by]
    direct = pick("直接排放", "direct", lang)
    columns(tab, [(word("code", lang), "text" if by == "track" else "code"),
                  (word("name", lang), "text")]
            + [(direct if c == "direct" else _fp_head(c, frame, lang), "num") for c in cols])
    for row in _records(frame, lang):
        tab.add_row(row["code"], str(row["name"]),
                    *[fmt_num(row[c], 3 if c.endswith("share") or c.startswith("multi") else 1)
                      for c in cols])
    show(tab)
    for k, v in r.totals.items():
        label = TOTAL_NAMES.get(k, (k, k))[0 if zh else 1]
        out.print(f"{label}: {v:,.2f} {unit}" if zh else f"{k} {label}: {v:,.2f} {unit}")
    out.print(f"[bold]{'口径' if zh else 'basis'}:[/] {esc(BASIS_ZH if zh else BASIS)}", markup=True)
    if cmp_ is not None:
        _print_compare(*cmp_, r.unit, zh)
    if by == "track":  # each track's caveat (a negative component, a coarse mapping)
        for n in r.frame["note_zh" if zh else "note_en"]:
            if n:
                out.print(f"[yellow]{'说明：' if zh else 'note: '}{esc(n)}[/]", markup=True)
    for n in notes_of(r, "zh" if zh else "en"):  # notes_zh under --lang zh
        out.print(f"[dim]{'说明：' if zh else 'note: '}{esc(n)}[/]", markup=True)


def _fp_head(col, frame, lang):
    """The header of a footprint column: a word of :data:`WORDS`, or for a track's ``fp_*``
    component the final-use category it stands for."""
    if col.startswith("fp_") and col not in WORDS:
        return pick(f"足迹·{col[3:]}", f"footprint {col[3:]}", lang)
    return word(col, lang)


def _mrio_beside(r, t, data_dir):
    """(comparison frame, MRIO result or None, note) for ``--mrio``."""
    from ..analysis.carbon.mrio import compare, nearest_wiod_year, wiod_footprint
    y, why = nearest_wiod_year(t.year)
    m = None
    if y is not None:
        try:
            m = wiod_footprint(load(f"wiod2013-{y}", data_dir), data_dir=data_dir)
        except LianpuError as exc:
            why = Note(f"no MRIO footprint for {y}: {exc}", f"{y}年没有多区域足迹：{exc}")
    parts = [x for x in (why, m.notes[-2] if m is not None and len(m.notes) > 1 else "") if x]
    return compare(r, m), m, Note("; ".join(parts), "；".join(note_zh(x) for x in parts))


def _print_compare(frame, m, note, unit, zh):
    lang = "zh" if zh else "en"
    tab = table(pick("DTA 足迹与 MRIO 足迹对照", "DTA footprint beside the MRIO one", lang)
                + (f" — {m.table}" if m is not None else ""), unit_line(unit_text(unit, lang), lang))
    columns(tab, [(pick("指标", "quantity", lang), "text"),
                  (pick("国内技术假设", "DTA", lang), "num"), (pick("多区域", "MRIO", lang), "num")])
    for k, row in frame.iterrows():
        tab.add_row(row["name_zh" if zh else "name_en"], fmt_num(row["dta"], 1),
                    fmt_num(row["mrio"], 1) if not math.isnan(row["mrio"]) else
                    ("缺（无国外排放强度）" if zh else "missing (no foreign intensities)")
                    if m is not None else "—")
    show(tab)
    if note:
        out.print(f"[yellow]{esc(note_text(note, lang))}[/]", markup=True)


def _mrio_footprint(t, top, lang, data_dir, as_json):
    from ..analysis.carbon.mrio import TOTAL_NAMES, wiod_footprint
    r = wiod_footprint(t, data_dir=data_dir)
    origin = r.by_origin.sort_values("output", ascending=False)
    if top:
        origin = origin.head(top + 1)
    if as_json:
        d = r.to_dict()
        d["by_origin"] = _records(origin, lang)
        return emit(d)
    zh = lang == "zh"
    region = region_name(r.region, lang)
    unit = unit_text(r.unit, lang)
    tab = table(pick(f"{region}二氧化碳多区域足迹", f"CO2 MRIO footprint of {region}", lang)
                + f" — {r.table} ({r.year})", unit_line(unit, lang))
    columns(tab, [(pick("指标", "quantity", lang), "text"), (pick("数值", "value", lang), "num")])
    for k, v in r.totals.items():
        label = TOTAL_NAMES.get(k, (k, k))[0 if zh else 1]
        tab.add_row(label, fmt_num(v, 3 if k.endswith("share") else 1) if v is not None else
                    ("缺（无国外排放强度）" if zh else "missing (no foreign intensities)"))
    show(tab)
    k, shown = money(r.money_unit, lang)
    o = table(pick("最终需求的产出与增加值来源", "Origin of the output and value added in final "
                   "demand", lang), unit_line(shown, lang))
    columns(o, [(word("code", lang), "code"), (word("region", lang), "text"),
                (pick("产出", "output", lang), "num"),
                (pick("增加值率", "value added share", lang), "num"),
                (pick("占国外产出比", "share of foreign output", lang), "num")])
    for row in _records(origin, lang):
        o.add_row(row["code"], region_name(row["code"], lang), fmt_num(row["output"] * k, 1),
                  fmt_num(row["value_added_share"], 3), fmt_num(row["share_of_foreign_output"], 3))
    show(o)
    out.print(f"[bold]{'口径' if zh else 'basis'}:[/] {esc(note_text(r.basis, lang))}", markup=True)
    notes(notes_of(r, lang), lang)


@app.command()
def emissions(province: str = typer.Option(..., "--province", help="Province in Chinese or "
                                           "English (四川, Sichuan, …)."),
              year: int = typer.Option(..., "--year", help="Inventory year, 1997–2019."),
              top: int = typer.Option(10, "--top", help="Show the N largest sectors (0 = all)."),
              tracks: Optional[Path] = typer.Option(None, "--tracks", help="User tracks file."),
              lang: str = LANG, data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """A province's CO2 emissions by IO sector 省级分部门排放, compared with the nation."""
    from ..analysis.carbon.provinces import provincial_profile
    lang_arg(lang)
    at_least("--top", top, 0)
    r = provincial_profile(province, year, data_dir=data_dir, tracks=tracks)
    frame = r.sectors.sort_values("province", ascending=False)
    if top:
        frame = frame.head(top)
    if as_json:
        d = r.to_dict()
        d["sectors"] = _records(frame, lang)
        d["tracks"] = _records(r.tracks, lang)
        return emit(d)
    name = r.province_zh if lang == "zh" else r.province
    unit = unit_text(r.unit, lang)
    tab = table(pick(f"{name} {r.year} 年分部门二氧化碳排放（{r.table} 部门）",
                     f"{name} {r.year} CO2 by IO sector ({r.table} sectors)", lang),
                unit_line(unit, lang))
    heads = {"province": ("本省排放", "province"), "province_share": ("本省占比", "province share"),
             "national_share": ("全国占比", "national share"),
             "share_ratio": ("占比之比", "share ratio"),
             "province_of_national": ("占全国比", "province of national")}
    cols = list(heads)
    columns(tab, [(word("code", lang), "code"), (word("sector", lang), "text")]
            + [(pick(*heads[c], lang), "num") for c in cols])
    for row in _records(frame, lang):
        tab.add_row(row["code"], str(row["name"]),
                    *[fmt_num(row[c], 2 if c == "province" else 3) for c in cols])
    show(tab)
    for k, v in r.totals.items():
        out.print(f"{k}: {v:,.3f}")
    notes(notes_of(r, lang), lang)


@app.command()
def sda(source_a: str = typer.Argument(..., help="Earlier table (dataset id or file)."),
        source_b: str = typer.Argument(..., help="Later table (dataset id or file)."),
        satellite: Optional[str] = typer.Option(None, "--satellite", help="Decompose this "
                                                "satellite (co2 is added from CEADs)."),
        quantity: str = typer.Option("output", "--quantity", help="output or value_added "
                                     "(ignored with --satellite)."),
        top: int = typer.Option(0, "--top", help="Also list the N sectors with the largest "
                                "change."),
        deflator: Optional[str] = typer.Option(None, "--deflator", help="Price indices (CSV: "
                                               "year,index | sector,year,index | sector,"
                                               "<years>…) or 'cn-gdp' (World Bank GDP deflator "
                                               "of China, shipped): report the SDA in current "
                                               "and in constant prices."),
        base_year: Optional[int] = typer.Option(None, "--base-year", help="Constant prices of "
                                                "this year (default: the earlier table's)."),
        lang: str = LANG, data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Structural decomposition 结构分解: intensity, technology, structure, level.

    Tables are in current prices; --deflator adds the decomposition in constant prices."""
    from ..analysis.change.sda import sda as calc
    lang_arg(lang)
    q = satellite or quantity
    if not satellite and quantity not in ("output", "value_added"):
        raise UserError(f"--quantity: found {quantity!r}, expected 'output' or 'value_added' "
                        "(use --satellite NAME for a satellite)")
    a, b = load(source_a, data_dir), load(source_b, data_dir)
    r = calc(a, b, q, data_dir=data_dir, deflator=deflator, base_year=base_year)
    secs = r.by_sector.reindex(r.by_sector["change"].abs().sort_values(ascending=False).index)
    secs = secs.head(top) if top else secs.iloc[:0]
    if as_json:
        d = r.to_dict()
        d["spread_max_minus_min"] = {f: float(r.effects.loc[f, "max"] - r.effects.loc[f, "min"])
                                     for f in r.effects.index}
        d["sectors"] = _records(secs, lang)
        return emit(d)
    zh = lang == "zh"
    u = Unit.parse(r.unit)
    k, shown = money(u, lang) if u.is_money else (1.0, unit_text(u, lang))
    what = {"output": ("总产出", "output"), "value_added": ("增加值", "value added")}
    for res in (r, r.deflated) if r.deflated is not None else (r,):
        basis = note_text(res.basis, lang)  # a Note: Chinese under zh
        tab = table(pick(f"结构分解 {q}（{what.get(q, (q, q))[0]}）", f"SDA {q}", lang)
                    + f": {res.table_a} → {res.table_b} — {basis}",
                    unit_line(shown, lang) + pick(
                        f"；变化 {fmt_num(res.change * k)}（{fmt_num(res.q_a * k)} → "
                        f"{fmt_num(res.q_b * k)}）；{note_text(res.classification, 'zh')}",
                        f"; change {fmt_num(res.change * k)} ({fmt_num(res.q_a * k)} → "
                        f"{fmt_num(res.q_b * k)}); {res.classification}", lang))
        heads = {"factor": ("因素", "factor"), "mean": ("均值", "mean"), "min": ("最小", "min"),
                 "max": ("最大", "max"), "std": ("标准差", "std"), "share": ("占变化比", "share")}
        columns(tab, [(pick(*heads[c], lang), "text" if c == "factor" else "num") for c in heads])
        for f, row in res.effects.iterrows():
            label = row["name_zh"] if zh else row["name_en"]
            tab.add_row(label, *[fmt_num(row[c] * k) for c in ("mean", "min", "max", "std")],
                        fmt_num(row["share"], 3))
        show(tab)
    for row in _records(secs, lang):
        out.print(f"{row['code']} {row['name']}: " + pick("变化 ", "change ", lang)
                  + f"{fmt_num(row['change'] * k)} {shown}")
    notes(notes_of(r.deflated if r.deflated is not None else r, lang), lang)
    if r.deflated is not None:
        notes([n for n in r.notes if n.startswith('current prices')][:1], lang)


@app.command()
def position(start: int = typer.Option(1995, "--from", help="First year (1995–2018)."),
             end: int = typer.Option(2018, "--to", help="Last year (1995–2018)."),
             html: Optional[Path] = typer.Option(None, "--html", help="Write the chart to this "
                                                 "HTML file (self-contained, offline)."),
             deflator: Optional[Path] = typer.Option(None, "--deflator", help="Price indices "
                                                     "by sector and year (CSV, OECD codes): "
                                                     "import content also in constant prices "
                                                     "of the first year."),
             lang: str = LANG, data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Upstreamness 上游度 and import content 进口含量 of China's sectors over time (OECD)."""
    from ..analysis.change.position_series import YEARS, position_series
    lang_arg(lang)
    if not (YEARS[0] <= start <= end <= YEARS[-1]):
        raise UserError(f"--from/--to: found {start}–{end}, expected {YEARS[0]} ≤ from ≤ to ≤ "
                        f"{YEARS[-1]}")
    r = position_series(start, end, data_dir=data_dir, deflator=deflator)
    if html:
        from ..report.position_figure import write_html
        write_html(r, html, lang)
    if as_json:
        d = r.to_dict()
        if html:
            d["html"] = str(html)
        return emit(d)
    tab = table(pick(f"中国价值链地位 {start}–{end}（OECD 投入产出表）",
                     f"China value-chain position {start}–{end} (OECD IOTs)", lang),
                note_text(r.basis, lang))
    heads = {"upstreamness_output_weighted": ("上游度（产出加权）", "upstreamness (output-weighted)"),
             "import_content_exports": ("出口的进口含量", "import content of exports"),
             "import_content_final_use": ("最终使用的进口含量", "import content of final use"),
             "import_content_exports_deflated": ("出口的进口含量（不变价）",
                                                 "… of exports, constant prices"),
             "import_content_final_use_deflated": ("最终使用的进口含量（不变价）",
                                                   "… of final use, constant prices")}
    columns(tab, [(pick("年份", "year", lang), "num")]
            + [(pick(*heads.get(c, (c, c)), lang), "num") for c in r.summary.columns])
    for y, row in r.summary.iterrows():
        tab.add_row(str(y), *[fmt_num(v, 3) for v in row])
    show(tab)
    last = r.upstreamness.iloc[-1].sort_values(ascending=False).head(5)
    names = r.sectors["name_zh" if lang == "zh" else "name_en"]
    out.print(pick(f"{r.upstreamness.index[-1]} 年最上游的部门：",
                   f"most upstream in {r.upstreamness.index[-1]}: ", lang) +
              pick("；", "; ", lang).join(f"{c} {names[c]} {v:.2f}" for c, v in last.items()))
    notes(notes_of(r, lang), lang)
    if html:
        out.print(f"[green]✓[/] wrote {esc(html)}", markup=True)
