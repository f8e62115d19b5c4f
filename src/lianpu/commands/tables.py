"""Table commands (registered on the app): ``datasets``, ``download``, ``formats``, ``info``,
``multipliers``, ``export`` and ``template``. Thin: each calls the library and prints."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..core.codes import code_str
from ..core.notes import notes_zh, text as note_text
from ..safe_text import esc
from ._app import app
from ..core.roles import role_name
from ..core.units import fmt_num
from ._screen import columns, show, table, unit_line, word
from ._shared import (BASIS, DATA_DIR, DOMESTIC, FMT, JSON, LANG, at_least, basis_arg,
                      basis_line, emit, err, fail, lang_arg, load, out)


# --------------------------------------------------------------------------- datasets
@app.command()
def datasets(data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON, lang: str = LANG):
    """List registry datasets and whether each is in the cache."""
    from ..data import registry
    rows = [{"id": d.id, "title_zh": d.title_zh, "title_en": d.title_en, "year": d.year,
             "sectors": d.sectors, "format": d.format, "unit": d.unit,
             "cached": registry.is_cached(d.id, data_dir)}
            for d in registry.datasets(auxiliary=True)]
    if as_json:
        return emit(rows)
    lang = lang_arg(lang)
    zh = lang == "zh"
    tab = table("lianpu " + ("数据集" if zh else "datasets"))
    columns(tab, [("id", "code"), ("名称" if zh else "title", "text"),
                  ("部门数" if zh else "sectors", "num"), ("已缓存" if zh else "cached", "code")])
    for r in rows:
        tab.add_row(r["id"], r["title_zh"] if zh else r["title_en"],
                    "—" if r["sectors"] is None else str(r["sectors"]),
                    "✓" if r["cached"] else "—")
    show(tab)


@app.command()
def download(ids: List[str] = typer.Argument(None, help="Dataset ids (see `lianpu datasets`)."),
             all_: bool = typer.Option(False, "--all", help="All registry datasets."),
             from_dir: Optional[Path] = typer.Option(None, "--from", help="Seed the cache from a "
                                                     "local copy laid out like shared/data."),
             force: bool = typer.Option(False, "--force", help="Fetch again even if cached."),
             verify: bool = typer.Option(False, "--verify", help="Recompute the sha256 of the "
                                         "cached files instead of downloading."),
             data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Fetch public sources (sha256-verified) into the cache, or seed it with --from DIR."""
    from ..data import download as dl
    from ..data import registry
    if all_ == bool(ids):
        fail("give dataset ids or --all (exactly one of them)")
    targets = [d.id for d in registry.datasets(auxiliary=True)] if all_ else list(ids)
    for i in targets:
        registry.get(i)  # unknown id → DatasetError before any transfer
    if verify:
        problems = dl.verify(targets, data_dir=data_dir)
        if as_json:
            emit({"ok": not problems, "datasets": targets, "problems": problems})
        else:
            for p in problems:
                err.print("corrupt: " + p, soft_wrap=True)
            if not problems:
                out.print(f"[green]✓[/] {len(targets)} dataset(s) verified (sha256)", markup=True)
        return 2 if problems else 0
    paths = dl.download(targets, data_dir=data_dir, from_dir=from_dir, force=force,
                        progress=not as_json)
    if as_json:
        return emit({"ok": True, "datasets": targets, "files": [str(p) for p in paths]})
    from ..data.cache import data_dir as cache_dir
    out.print(f"[green]✓[/] {len(targets)} dataset(s) ready in {esc(cache_dir(data_dir))}",
              markup=True)


@app.command()
def formats(as_json: bool = JSON):
    """List the table formats lianpu can read."""
    from ..readers.base import readers
    rows = [{"name": r.name, "description": r.description} for r in readers().values()]
    if as_json:
        return emit(rows)
    for r in rows:
        out.print(f"[bold]{esc(r['name'])}[/]: {esc(r['description'])}", markup=True)


# --------------------------------------------------------------------------- tables
def _source_text(source: str, t, lang: str) -> str:
    """Where a table comes from: under zh a registry dataset's Chinese title (the reader's own
    source text is English), else the table's source as the reader wrote it."""
    if lang == "zh":
        from ..core.errors import DatasetError
        from ..data.registry import get
        try:
            return get(source).title_zh
        except DatasetError:
            pass
    return str(t.source)


@app.command()
def info(source: str = typer.Argument(..., help="Dataset id or table file."),
         fmt: Optional[str] = FMT, lang: str = LANG,
         data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Size, unit, year, imports and the balance report of a table."""
    lang = lang_arg(lang)
    t = load(source, data_dir, fmt)
    bal = t.balance.to_dict()
    for part in ("worst_rows", "worst_columns"):
        for r in bal[part]:
            r["sector"] = code_str(r["sector"])
    d = {
        "name": t.name, "source": t.source, "year": t.year, "unit": t.unit, "sectors": t.n,
        "regions": t.regions, "imports": t.imports,
        "final_demand": list(map(code_str, t.final_demand_labels.index)),
        "final_demand_roles": dict(zip(map(code_str, t.final_demand_labels.index), t.fd_roles)),
        "primary_roles": dict(zip(map(code_str, t.primary_labels.index), t.primary_roles)),
        "primary_inputs": list(map(code_str, t.primary_labels.index)),
        "value_added_rows": list(t.value_added_rows), "satellites": {
            k: s.unit for k, s in t.satellites.items()},
        "gross_output_total": float(t.x_.sum()), "value_added_total": float(t.value_added_.sum()),
        "intermediate_total": float(t.Z_.sum()), "balance": bal, "notes": list(t.notes),
        "notes_zh": list(notes_zh(t.notes)),
    }
    if as_json:
        return emit(d)
    _info_screen(t, d, lang, source)


def _info_screen(t, d, lang, source):
    """The info table in one language; totals in the display unit (万元 tables in 亿元)."""
    from rich.text import Text

    from ._screen import money, pick, region_name, unit_text
    bal = d["balance"]
    k, shown = money(t.unit, lang)
    imports = {"non-competitive": ("非竞争型", "non-competitive"),
               "competitive": ("竞争型", "competitive")}
    tab = table(t.name, header=False)
    columns(tab, [("", "text"), ("", "text")])
    tab.add_row(pick("来源", "source", lang), _source_text(source, t, lang))
    tab.add_row(pick("年份", "year", lang), str(d["year"]))
    tab.add_row(pick("单位", "unit", lang), f"{unit_text(t.unit, lang)}"
                + pick(f"（总量显示为{shown}）", f" (totals shown in {shown})", lang))
    tab.add_row(pick("部门数", "sectors", lang), str(d["sectors"]))
    tab.add_row(pick("进口处理", "imports", lang), pick(*imports.get(t.imports, (t.imports,) * 2), lang))
    if t.regions:
        tab.add_row(pick("地区", "regions", lang), f"{len(t.regions)}: " + pick("、", ", ", lang).join(
            f"{r} {region_name(r, lang)}" for r in t.regions))
        cats = list(dict.fromkeys(c[-1] for c in t.final_demand_labels.index))
        tab.add_row(pick("最终使用", "final demand", lang),
                    pick(f"{len(cats)} 类 × {len(t.regions)} 个地区：",
                         f"{len(cats)} categories × {len(t.regions)} regions: ", lang) + ", ".join(cats))
    else:
        tab.add_row(pick("最终使用", "final demand", lang), pick("、", ", ", lang).join(
            f"{c}（{role_name(r, 'zh')}）" if lang == "zh" else f"{c} ({r})"
            for c, r in d["final_demand_roles"].items()))
    tab.add_row(pick("总产出", "gross output", lang), f"{fmt_num(d['gross_output_total'] * k, 1)} {shown}")
    tab.add_row(pick("增加值", "value added", lang), f"{fmt_num(d['value_added_total'] * k, 1)} {shown}")
    ok = pick("平衡" if bal["ok"] else "不平衡", "ok" if bal["ok"] else "NOT OK", lang)
    tab.add_row(pick("平衡", "balance", lang), ok + pick(
        f"：行最大相对残差 {bal['max_row_relative']:.2e}，列 {bal['max_column_relative']:.2e}"
        f"（占产出；使用误差项：{'是' if bal['discrepancy_column_used'] else '否'}）",
        f" — max row residual {bal['max_row_relative']:.2e}, column "
        f"{bal['max_column_relative']:.2e} of output (ERR used: {bal['discrepancy_column_used']})",
        lang))
    for i, note in enumerate(t.notes):  # data notes from the reader (quirks, never fixed)
        tab.add_row(pick("说明", "notes", lang) if i == 0 else "", Text(note_text(note, lang)))
    show(tab)


@app.command()
def multipliers(source: str = typer.Argument(..., help="Dataset id or table file."),
                kind: str = typer.Option("output", "--kind", help="output, value_added, income "
                                         "or a satellite name."),
                type_: str = typer.Option("I", "--type", help="I or II (households endogenous)."),
                form: str = typer.Option("final_demand", "--form",
                                         help="final_demand or direct_effect."),
                households: Optional[str] = typer.Option(
                    None, "--households", help="Comma list of final-demand columns closed for "
                    "Type II (default: the table's household columns, else households split "
                    "from total consumption TC by the same year's detailed table; TC closes "
                    "TC as it is)."),
                top: int = typer.Option(0, "--top", help="Show only the N largest (0 = all)."),
                basis: str = BASIS, domestic: bool = DOMESTIC,
                fmt: Optional[str] = FMT,
                lang: str = LANG, data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Type I/II multipliers by sector, largest first."""
    from ..analysis.multipliers import multipliers as calc
    lang_arg(lang)
    at_least("--top", top, 0)
    basis = basis_arg(basis, domestic)
    t = load(source, data_dir, fmt)
    sat = None
    if kind in ("jobs", "co2") and kind not in t.satellites:  # the shipped satellites
        from ..satellites.attach import attach
        sat = attach(t, kind, data_dir)
        t = sat.table
    hh = tuple(h.strip() for h in households.split(",")) if households else None
    m = calc(t, kind, type=type_, form=form, households=hh, basis=basis, data_dir=data_dir)
    order = m.sort_values(ascending=False, na_position="last")
    if top:
        order = order.head(top)
    names = t.label(lang)
    from ..analysis._result import jsonable
    rows = [{"rank": i + 1, "sector": code_str(c), "name": names[c], "value": jsonable(v)}
            for i, (c, v) in enumerate(order.items())]
    meta = {k: m.attrs[k] for k in ("kind", "type", "form", "unit", "basis", "basis_note")}
    meta.update(table=t.name, year=t.year, name=m.attrs["name_zh" if lang == "zh" else "name_en"])
    if "closure" in m.attrs:
        meta["closure"] = m.attrs["closure"]
    if sat is not None:  # which year's employment / emissions the satellite holds
        meta["satellite"] = {"kind": kind, "data_year": sat.year, "note": sat.note,
                             "note_zh": sat.note_zh}
    # value added on a competitive table as published: every input is intermediate or value
    # added (imports are not leakages), so Type I value-added multipliers are all 1
    vals = [r["value"] for r in rows if r["value"] is not None]
    va_one = (kind == "value_added" and type_ == "I" and m.attrs["basis"] == "published"
              and t.imports == "competitive" and vals and max(abs(v - 1) for v in vals) < 1e-3)
    if va_one:
        meta["why_all_one"] = (
            "value-added multipliers on a competitive table on the published basis are all 1: "
            "imports are not leakages there, so each unit of final demand ends up as value "
            "added somewhere in the chain; the default basis (auto: the domestic view, the local "
            "view of a provincial table) removes imported inputs — run without --basis published")
    if as_json:
        return emit({**meta, "multipliers": rows})
    tab = table(f"{meta['name']} — {t.name} ({t.year})",
                unit_line(_ratio_unit(m.attrs, t, sat, lang), lang) + "\n"
                + basis_line(m.attrs["basis_note"], m.attrs["basis_note_zh"], lang))
    columns(tab, [(word("#", lang), "num"), (word("code", lang), "code"),
                  (word("sector", lang), "text"), (word("multiplier", lang), "num")])
    for r in rows:
        tab.add_row(str(r["rank"]), r["sector"], r["name"],
                    "—" if r["value"] is None else f"{r['value']:.4f}" if abs(r["value"]) >= 0.01
                    or r["value"] == 0 else f"{r['value']:.4g}")  # jobs, CO2 per 万元 are small
    show(tab)
    if "closure" in m.attrs:  # Type II: which households were closed
        cl = m.attrs["closure"]
        out.print(("居民收口：" if lang == "zh" else "closure: ") + cl[f"text_{lang}"],
                  soft_wrap=True, markup=False)
        if cl[f"warning_{lang}"]:
            out.print("⚠ " + cl[f"warning_{lang}"], soft_wrap=True, markup=False)
    if sat is not None:
        out.print(("数据：" if lang == "zh" else "data: ")
                  + f"{sat.year} — {sat.note_zh if lang == 'zh' and sat.note_zh else sat.note}",
                  soft_wrap=True, markup=False)
    if va_one:
        why = ("竞争型表按原表口径（--basis published）计算时进口不作为漏出，最终需求最终全部转化为"
               "增加值，故增加值乘数均为 1；去掉 --basis published 即按默认口径（国内视角，省级表为"
               "本地视角，扣除进口中间品）计算。" if lang == "zh" else meta["why_all_one"])
        out.print("⚠ " + why, soft_wrap=True, markup=False)


def _ratio_unit(attrs, t, sat, lang) -> str:
    """The multipliers' unit on screen: a ratio per unit of final demand in the table's own
    unit (per-unit ratios are not rescaled), in ``lang``."""
    if lang != "zh":
        return attrs["unit"]
    if attrs["form"] != "final_demand":
        return "倍（完全效应 / 直接效应）"
    from ..core.units import Unit
    u = Unit.parse(t.unit).text("zh") or t.unit
    what = {"output": f"{u}产出", "value_added": f"{u}增加值", "income": f"{u}劳动者报酬"}
    kind = attrs["kind"]
    if kind in what:
        return f"{what[kind]} / {u}最终需求"
    sunit = t.satellites[kind].unit if kind in t.satellites else ""
    return f"{sunit} / {u}最终需求"


@app.command()
def export(source: str = typer.Argument(..., help="Dataset id or table file."),
           to: Path = typer.Option(..., "--to", help="FILE.xlsx, FILE.csv or FILE.parquet."),
           fmt: Optional[str] = FMT,
           data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Write a table to Excel, CSV (generic template layout) or native Parquet (atomic)."""
    from ..export import export_table
    t = load(source, data_dir, fmt)
    path = export_table(t, to)
    if as_json:
        return emit({"ok": True, "path": str(path)})
    out.print(f"[green]✓[/] wrote {esc(path)}", markup=True)


@app.command()
def template(to: Path = typer.Option(..., "--to", help="FILE.csv or FILE.xlsx to create."),
             like: Optional[str] = typer.Option(None, "--like", help="Copy the sector list of "
                                                "this dataset id or table file."),
             sectors: int = typer.Option(3, "--sectors", help="Number of sectors when no --like."),
             data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Write an empty generic template (sectors × final demand) to fill from a yearbook."""
    from ..readers.generic import write_template
    if like:
        t = load(like, data_dir)
        secs = [(code_str(c), r["name_zh"], r["name_en"]) for c, r in t.sectors.iterrows()]
    else:
        at_least("--sectors", sectors, 1)
        secs = [(f"S{i + 1:02d}", f"部门{i + 1}", f"Sector {i + 1}") for i in range(sectors)]
    write_template(to, sectors=secs)
    if as_json:
        return emit({"ok": True, "path": str(to)})
    out.print(f"[green]✓[/] wrote template {esc(to)}", markup=True)
