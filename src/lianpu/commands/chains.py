"""CLI commands for the chains analyses (registered on the app of commands._app): ``tracks``,
``keysectors``, ``chain`` and ``weaklinks``. Thin: each calls lianpu.analysis and prints."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich import box
from rich.table import Table

from ..core.codes import code_str
from ..core.units import Unit, fmt_num, fmt_pct
from ..safe_text import esc
from ._app import app
from ._shared import (BASIS, DATA_DIR, DOMESTIC, FMT, JSON, LANG, at_least, basis_arg,
                      basis_caption, basis_line, emit, lang_arg, load, out)

TRACK = typer.Option(..., "--track", help="Track id, Chinese or English name (see `lianpu "
                     "tracks`), or comma-separated sector codes.")
TRACKS_FILE = typer.Option(None, "--tracks", help="A tracks TOML file (same schema as the "
                           "shipped one) replacing the shipped track list.")
REGION = typer.Option(None, "--region", help="Region of the track in a multi-regional table.")


def _track_arg(track: str):
    return [s.strip() for s in track.split(",") if s.strip()] if "," in track else track.strip()


def _f(v, digits: int | None = None) -> str:
    """Fixed ``digits`` for ratios; otherwise as many as a short number needs: 12,345 · 123 ·
    12.3 · 0.123 (printed by the one formatter, :func:`lianpu.core.units.fmt_num`)."""
    if digits is None and isinstance(v, (int, float)) and v == v:
        a = abs(v)
        digits = 0 if a >= 100 else 1 if a >= 10 else 2 if a >= 1 else 3
    return fmt_num(v, 2 if digits is None else digits)


def _nm(row, lang):
    """Display name; 'Manufacture of ' is dropped in English so narrow columns stay readable."""
    if lang == "zh":
        return row["name_zh"]
    return str(row["name_en"]).removeprefix("Manufacture of ")


def _scale(unit) -> tuple[float, str]:
    """Display factor and unit of money totals, as the report shows them (``Unit.display``:
    万元 tables in 亿元, million USD in billion USD), labelled in both languages."""
    k, zh = Unit.parse(unit).display("zh")
    en = Unit.parse(unit).display("en")[1]
    return k, zh if zh == en else f"{zh} ({en})"


SHORT_TYPE = {"key": ("关键", "key"), "backward": ("后向", "back"), "forward": ("前向", "fwd"),
              "weak": ("弱", "weak")}


def _cols(tab, names, name_width: int = 18):
    """Code and name columns left (names cut with … rather than wrapped), numbers right."""
    for c in names:
        if c in ("code", "#", "类型", "type"):
            tab.add_column(c, no_wrap=True, justify="right" if c == "#" else "left")
        elif c in ("部门", "sector", "input"):
            tab.add_column(c, no_wrap=True, overflow="ellipsis", max_width=name_width)
        else:
            tab.add_column(c, justify="right", no_wrap=True)


@app.command("tracks")
def tracks_cmd(tracks_file: Optional[Path] = TRACKS_FILE, lang: str = LANG, as_json: bool = JSON):
    """List the tracks 赛道/产业链 and the IO sector codes each maps to."""
    from ..analysis.tracks.catalogue import tracks
    lang = lang_arg(lang)
    ts = tracks(tracks_file)
    if as_json:
        return emit({"file": ts.path, "classifications": {
            c.id: {"sectors": c.sectors, "description_zh": c.description_zh,
                   "description_en": c.description_en, "derived_from": c.derived_from}
            for c in ts.classifications.values()},
            "tracks": [{"id": t.id, "name_zh": t.name_zh, "name_en": t.name_en, "group": t.group,
                        "description_zh": t.description_zh, "description_en": t.description_en,
                        "codes": {k: list(v) for k, v in t.codes.items()},
                        "notes": dict(t.notes), "notes_zh": dict(t.notes_zh)}
                       for t in ts.values()],
            "outside": ts.outside, "outside_zh": ts.outside_zh})
    others = sorted({k for t in ts.values() for k in t.codes} - {"nbs42", "nbs153"})
    tab = Table(box=box.SIMPLE_HEAD, title=f"赛道 tracks — {ts.path}", caption=f"also mapped: {', '.join(others)} "
                "(see --json)")
    tab.add_column("id", no_wrap=True)
    tab.add_column("赛道" if lang == "zh" else "track", no_wrap=True)
    tab.add_column("nbs42")
    tab.add_column("nbs153")
    for t in ts.values():
        c153 = list(t.codes.get("nbs153", ()))
        tab.add_row(t.id, t.name(lang), " ".join(t.codes.get("nbs42", ())),
                    " ".join(c153[:6]) + (f" …(+{len(c153) - 6})" if len(c153) > 6 else ""))
    out.print(tab)


@app.command()
def keysectors(source: str = typer.Argument(..., help="Dataset id or table file."),
               top: int = typer.Option(0, "--top", help="Show only the N sectors with the "
                                       "largest power of dispersion (0 = all)."),
               basis: str = BASIS, domestic: bool = DOMESTIC,
               fmt: Optional[str] = FMT, lang: str = LANG, data_dir: Optional[Path] = DATA_DIR,
               as_json: bool = JSON):
    """Key sectors: 影响力系数, 感应度系数, type, hypothetical extraction, 生产诱发系数."""
    from ..analysis.chains.keysectors import keysectors as calc
    lang = lang_arg(lang)
    at_least("--top", top, 0)
    basis = basis_arg(basis, domestic)
    t = load(source, data_dir, fmt)
    df = calc(t, basis=basis).sort_values("power_of_dispersion", ascending=False)
    if top:
        df = df.head(top)
    if as_json:
        from ..analysis._result import frame_records
        return emit({"table": t.name, "year": t.year, "unit": t.unit,
                      "basis": df.attrs["basis"], "basis_note": df.attrs["basis_note"],
                      "columns": {k: [df.attrs["zh"].get(k, k), df.attrs["en"].get(k, k)]
                                  for k in df.columns},
                      "inducement_basis": df.attrs.get("inducement_basis"),
                      "item_totals": df.attrs.get("item_totals"),
                      "sectors": frame_records(df)})
    zh = lang == "zh"
    tab = Table(box=box.SIMPLE_HEAD, title=f"{'关键部门' if zh else 'Key sectors'} — {t.name} ({t.year})",
                caption=("类型: 关键部门/后向关联型/前向关联型/弱关联型; HEM: 完全抽取损失产出占比; "
                         "消费/资本/出口: 生产诱发系数" if zh else
                         "type: key / backward- / forward-oriented / weak; HEM: share of output "
                         "lost by total extraction; C, K, X: production inducement of "
                         "consumption, capital formation, exports")
                + "\n" + basis_line(df.attrs["basis_note"], df.attrs["basis_note_zh"], lang))
    heads = (["code", "部门", "影响力", "感应度", "类型", "HEM", "消费", "资本", "出口"]
             if zh else ["code", "sector", "PoD", "SoD", "type", "HEM", "C", "K", "X"])
    _cols(tab, heads, name_width=12)
    for c, r in df.iterrows():
        tab.add_row(code_str(c), _nm(r, lang), f"{r.power_of_dispersion:.3f}", f"{r.sensitivity:.3f}",
                    SHORT_TYPE[r.type][0 if zh else 1], fmt_pct(r.hem_total_output_share),
                    *(_f(r.get(f"inducement_{k}"), 3) for k in ("consumption", "capital",
                                                                 "exports")))
    out.print(tab)


@app.command()
def chain(source: str = typer.Argument(..., help="Dataset id or table file."),
          track: str = TRACK,
          depth: int = typer.Option(4, "--depth", help="Tiers and highest path order."),
          top: int = typer.Option(20, "--top", help="Structural paths to list."),
          rows: int = typer.Option(12, "--rows", help="Suppliers and buyers to list."),
          driver: str = typer.Option("final_demand", "--driver", help="final_demand or output "
                                     "(for tracks of intermediate goods)."),
          html: Optional[Path] = typer.Option(None, "--html", help="Write the interactive chain "
                                              "map (self-contained HTML, works offline)."),
          graphml: Optional[Path] = typer.Option(None, "--graphml", help="Write the graph as "
                                                 "GraphML."),
          region: Optional[str] = REGION, tracks_file: Optional[Path] = TRACKS_FILE,
          basis: str = BASIS, domestic: bool = DOMESTIC,
          fmt: Optional[str] = FMT, lang: str = LANG, data_dir: Optional[Path] = DATA_DIR,
          as_json: bool = JSON,
          share: Optional[float] = typer.Option(None, "--share", help="For a track carved out "
                                                "of a sector (集成电路, 新能源汽车 …): its share "
                                                "of the parent's output."),
          share_source: Optional[str] = typer.Option(None, "--share-source", help="Where the "
                                                     "--share figure comes from.")):
    """Chain map 产业链全景图: suppliers by tier, buyers, structural paths, chain position."""
    from ..analysis.chains.chainmap import chain as calc
    from ..analysis.tracks.catalogue import tracks
    lang = lang_arg(lang)
    at_least("--depth", depth, 1)
    at_least("--top", top, 1)
    at_least("--rows", rows, 1)
    ts = tracks(tracks_file) if tracks_file else None
    basis = basis_arg(basis, domestic)
    t = load(source, data_dir, fmt)
    cm = calc(t, _track_arg(track), depth=depth, top=top, region=region, tracks=ts,
              driver=driver, rows=rows, basis=basis, share=share, share_source=share_source)
    files = {}
    if html:
        from ..report.chain_svg import to_html
        to_html(cm, html, lang=lang)
        files["html"] = str(html)
    if graphml:
        cm.to_graphml(graphml)
        files["graphml"] = str(graphml)
    if as_json:
        return emit({**cm.to_dict(rows=rows), "files": files})
    zh = lang == "zh"
    s = cm.summary
    name = cm.name_zh if zh else cm.name_en
    head = Table(box=box.SIMPLE_HEAD, title=f"{'产业链' if zh else 'Chain'}: {name} — {cm.table} ({cm.year})",
                 show_header=False, caption=basis_caption(cm.basis, lang))
    head.add_row("sectors 部门", ", ".join(code_str(c) for c in cm.track_sectors))
    k, shown = _scale(cm.unit)
    head.add_row("final demand 最终需求", _f(s["final_demand"] * k) + f" {shown}")
    head.add_row("total requirement 完全需要", _f(s["total_requirement"] * k) +
                 f" (× {s['output_multiplier']:.3f})")
    head.add_row("tiers 各层", " | ".join(_f(v * k) for v in s["tiers"]) +
                 f" | beyond {_f(s['beyond'] * k)}")
    head.add_row("upstreamness 上游度", _f(s["upstreamness"]))
    head.add_row("APL 平均传递步长", _f(s["apl_upstream"]))
    out.print(head)
    note = cm.note_zh if zh else cm.note
    if note:  # how coarse the track's sectors are (a 42-sector 航空航天 is the car industry)
        out.print(("对应说明: " if zh else "mapping: ") + note)
    k, shown = _scale(cm.unit)
    up = Table(box=box.SIMPLE_HEAD, title="上游供应 upstream suppliers (by indirect requirement)",
               caption=f"unit: {shown}; T3+ = tier 3 and beyond; U = upstreamness; "
               "* = in track")
    _cols(up, ["code", "部门" if zh else "sector", "direct", "total", "T1", "T2", "T3+", "APL", "U"])
    for c, r in cm.upstream.head(rows).iterrows():
        rest = sum(r[f"tier_{j}"] for j in range(3, cm.depth + 1)) + r.beyond
        up.add_row(code_str(c) + ("*" if r.in_track else ""), _nm(r, lang), _f(r.direct_input * k),
                   _f(r.total * k), _f(r.tier_1 * k), _f(r.get("tier_2", 0.0) * k),
                   _f(rest * k), _f(r.apl, 2), _f(r.upstreamness, 2))
    out.print(up)
    dn = Table(box=box.SIMPLE_HEAD, title="下游用户 downstream buyers", caption=f"unit: {shown}; Ghosh total = "
               "direct + indirect use of the track's output; * = in track")
    _cols(dn, ["code", "部门" if zh else "sector", "direct sales", "share", "Ghosh total"])
    for c, r in cm.downstream.head(rows).iterrows():
        dn.add_row(code_str(c) + ("*" if r.in_track else ""), _nm(r, lang), _f(r.direct_sales * k),
                   fmt_pct(r.direct_share), _f(r.forward_total * k))
    out.print(dn)
    pt = Table(box=box.SIMPLE_HEAD, title=f"结构路径 structural paths (top {top}, depth ≤ {cm.depth})",
               caption=f"unit: {shown}; share of the total requirement")
    for c in ("#", "value", "share", "order", "path"):
        pt.add_column(c, justify="left" if c == "path" else "right", no_wrap=c != "path")
    for r in cm.paths.itertuples():
        pt.add_row(str(r.rank), _f(r.value * k), fmt_pct(r.share), str(r.order),
                   r.path_zh if zh else r.path_en)
    out.print(pt)
    for k, v in files.items():
        out.print(f"[green]✓[/] wrote {esc(k)}: {esc(v)}", markup=True)


@app.command()
def weaklinks(source: str = typer.Argument(..., help="Dataset id or table file (best: a "
                                           "non-competitive table, e.g. cn-nbs-2020-42)."),
              track: str = TRACK,
              top: int = typer.Option(10, "--top", help="Rows per planner list."),
              region: Optional[str] = REGION, tracks_file: Optional[Path] = TRACKS_FILE,
              basis: str = BASIS, domestic: bool = DOMESTIC,
              fmt: Optional[str] = FMT, lang: str = LANG, data_dir: Optional[Path] = DATA_DIR,
              as_json: bool = JSON):
    """Weak links: 短板清单, 风险清单, 招商清单, chokepoints and strengths of a track."""
    from ..analysis.tracks.catalogue import tracks
    from ..analysis.chains.weaklinks import LIST_NAMES
    from ..analysis.chains.weaklinks import weaklinks as calc
    lang = lang_arg(lang)
    at_least("--top", top, 1)
    ts = tracks(tracks_file) if tracks_file else None
    basis = basis_arg(basis, domestic)
    t = load(source, data_dir, fmt)
    w = calc(t, _track_arg(track), region=region, tracks=ts, top=top, basis=basis)
    if as_json:
        return emit(w.to_dict(rows=top))
    zh = lang == "zh"
    s = w.summary
    head = Table(box=box.SIMPLE_HEAD, title=f"{'短板与风险' if zh else 'Weak links'}: {w.name_zh if zh else w.name_en} — "
                 f"{w.table} ({w.year})", show_header=False, caption=basis_caption(w.basis, lang))
    head.add_row("import content 进口含量", f"{s['import_content']:.3f} per unit of final demand"
                 + (f" (economy {s['economy_import_content']:.3f})"
                    if s.get("economy_import_content") is not None else ""))
    head.add_row("imported share of inputs 投入进口占比", fmt_pct(s["import_share"]))
    provincial = "inflow_share" in s
    if provincial:
        head.add_row("from other provinces 省外调入占比", fmt_pct(s["inflow_share"]))
        head.add_row("bought outside the province 省外+境外合计", fmt_pct(s["outside_share"]))
    out.print(head)
    k, shown = _scale(w.unit)
    specs = {"shortboard": [("import share", "import_share", fmt_pct),
                            ("of inputs", "requirement_share", fmt_pct),
                            ("chokepoint", "supply_chokepoint", fmt_pct)],
             "risk": [("lost at 30% cut", "cut_loss", fmt_pct), ("Ghosh", "ghosh_cut_loss", fmt_pct),
                      ("import share", "import_share", fmt_pct),
                      ("of inputs", "requirement_share", fmt_pct)],
             "attraction": [("imported", "chain_imported", lambda v: _f(v * k)),
                            ("import share", "import_share", fmt_pct),
                            ("per unit FD", "imported_per_unit", lambda v: _f(v, 4))]}
    if w.region:
        specs["risk"] += [("top origin", "top_origin", str), ("HHI", "hhi", lambda v: _f(v, 3))]
    if provincial:  # two leakages, shown apart: abroad (进口) and other provinces (省外调入)
        specs["shortboard"] = [("outside", "outside_share", fmt_pct), ("abroad", "import_share", fmt_pct),
                               ("other prov.", "inflow_share", fmt_pct),
                               ("of inputs", "requirement_share", fmt_pct),
                               ("chokepoint", "supply_chokepoint", fmt_pct)]
        specs["attraction"] = [("outside", "chain_outside", lambda v: _f(v * k)),
                               ("abroad", "chain_imported", lambda v: _f(v * k)),
                               ("other prov.", "chain_inflow", lambda v: _f(v * k)),
                               ("outside share", "outside_share", fmt_pct)]
    notes = {"shortboard": "ranked by import share of the chain's use (inputs ≥ 1% of its inputs)",
             "risk": "ranked by the share of the track's output lost if the input's imports "
                     "fell by 30 % (supply-disruption LP); Ghosh indicator for the same cut "
                     "beside it (usually lower, not an upper bound)",
             "attraction": f"ranked by imported volume ({shown}); import share ≥ 30%"}
    if provincial:
        notes["shortboard"] = ("ranked by the share bought outside the province (abroad + other "
                               "provinces; inputs ≥ 1% of the chain's inputs)")
        notes["attraction"] = (f"ranked by volume bought outside the province ({shown}); "
                               "outside share ≥ 30%")
    for key, cols in specs.items():
        zh_t, en_t = LIST_NAMES[key]
        tab = Table(box=box.SIMPLE_HEAD, title=f"{zh_t} {en_t}", caption=notes[key])
        _cols(tab, ["#", "code", "部门" if zh else "input"] + [h for h, _, _ in cols])
        for c, r in getattr(w, key).iterrows():
            tab.add_row(str(r["rank"]), code_str(c), _nm(r, lang), *(fn(r[col]) for _, col, fn in cols))
        out.print(tab)
        if key == "attraction" and len(w.excluded):
            out.print("[dim]· left out (cannot be attracted): " + esc("; ".join(
                f"{code_str(c)} {r.name_zh if zh else r.name_en} — {r.reason_zh if zh else r.reason_en}"
                for c, r in w.excluded.iterrows())) + "[/]", soft_wrap=True, markup=True)
    ck = Table(box=box.SIMPLE_HEAD, title="卡点 chokepoints", caption="share of the track's output lost if the sector "
               "stops supplying (Ghosh) / disappears as a buyer (Leontief)")
    _cols(ck, ["code", "部门" if zh else "sector", "supply loss", "market loss"])
    for c, r in w.chokepoints.head(top).iterrows():
        ck.add_row(code_str(c), _nm(r, lang), fmt_pct(r.supply_loss_share), fmt_pct(r.market_loss_share))
    out.print(ck)
    st = Table(box=box.SIMPLE_HEAD, title="优势 strengths (track sectors)")
    _cols(st, ["code", "部门" if zh else "sector", "PoD", "SoD", "type", "mult.", "export"])
    for c, r in w.strengths.iterrows():
        st.add_row(code_str(c), _nm(r, lang), _f(r.power_of_dispersion), _f(r.sensitivity),
                   r.type_zh if zh else r.type_en, _f(r.output_multiplier), fmt_pct(r.export_share))
    out.print(st)
