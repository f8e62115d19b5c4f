"""CLI commands for the chains analyses (registered on the app of commands._app): ``tracks``,
``keysectors``, ``chain`` and ``weaklinks``. Thin: each calls lianpu.analysis and prints."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from ..core.codes import code_str
from ..core.notes import zh as note_zh
from ..core.units import fmt_num, fmt_pct
from ..safe_text import esc
from ._app import app
from ._screen import columns, money, pick, region_name, show, table, unit_line, word
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
    """The sector's whole name in ``lang`` (wrapped on screen, never cut)."""
    return row["name_zh"] if lang == "zh" else row["name_en"]


SHORT_TYPE = {"key": ("关键", "key"), "backward": ("后向", "backward"),
              "forward": ("前向", "forward"), "weak": ("弱", "weak")}


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
    tab = table(pick("赛道", "Tracks", lang) + f" — {ts.path}",
                pick(f"其他分类也有对应：{'、'.join(others)}（见 --json）",
                     f"also mapped: {', '.join(others)} (see --json)", lang))
    columns(tab, [("id", "code"), (pick("赛道", "track", lang), "text"), ("nbs42", "text"),
                  ("nbs153", "text")])
    for t in ts.values():
        tab.add_row(t.id, t.name(lang), " ".join(t.codes.get("nbs42", ())),
                    " ".join(t.codes.get("nbs153", ())))
    show(tab)


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
    tab = table(f"{pick('关键部门', 'Key sectors', lang)} — {t.name} ({t.year})",
                pick("类型：关键部门/后向关联型/前向关联型/弱关联型；抽取损失占比：完全抽取该部门后"
                     "损失的产出占比；消费/资本/出口诱发：最终需求各项的生产诱发系数",
                     "type: key / backward- / forward-oriented / weak; dispersion, sensitivity: "
                     "power and sensitivity of dispersion; HEM loss: share of output lost by "
                     "total extraction; C, K, X ind.: production inducement of consumption, "
                     "capital formation, exports", lang)
                + "\n" + basis_line(df.attrs["basis_note"], df.attrs["basis_note_zh"], lang))
    keys = ["pod", "sod", "type", "hem", "ind_consumption", "ind_capital", "ind_exports"]
    columns(tab, [(word("code", lang), "code"), (word("sector", lang), "text")]
            + [(word(k, lang), "code" if k == "type" else "num") for k in keys])
    for c, r in df.iterrows():
        tab.add_row(code_str(c), _nm(r, lang), f"{r.power_of_dispersion:.3f}", f"{r.sensitivity:.3f}",
                    SHORT_TYPE[r.type][0 if zh else 1], fmt_pct(r.hem_total_output_share),
                    *(_f(r.get(f"inducement_{k}"), 3) for k in ("consumption", "capital",
                                                                 "exports")))
    show(tab)


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
    k, shown = money(cm.unit, lang)
    head = table(f"{pick('产业链', 'Chain', lang)}: {name} — {cm.table} ({cm.year})",
                 unit_line(shown, lang) + "\n" + basis_caption(cm.basis, lang), header=False)
    columns(head, [("", "text"), ("", "text")])
    names = dict(zip(map(code_str, cm.upstream.index), cm.upstream[f"name_{lang}"]))
    head.add_row(word("sector", lang), pick("、", ", ", lang).join(
        f"{code_str(c)} {names.get(code_str(c), '')}".strip() for c in cm.track_sectors))
    head.add_row(pick("最终需求", "final demand", lang), _f(s["final_demand"] * k) + f" {shown}")
    head.add_row(pick("完全需要", "total requirement", lang), _f(s["total_requirement"] * k) +
                 f" {shown} (× {s['output_multiplier']:.3f})")
    head.add_row(pick("各层", "tiers", lang), " | ".join(_f(v * k) for v in s["tiers"]) +
                 f" | {pick('更远层', 'beyond', lang)} {_f(s['beyond'] * k)}")
    head.add_row(word("upstreamness", lang), _f(s["upstreamness"]))
    head.add_row(word("apl", lang), _f(s["apl_upstream"]))
    show(head)
    note = (cm.note_zh or note_zh(cm.note)) if zh else cm.note
    if note:  # how coarse the track's sectors are (a 42-sector 航空航天 is the car industry)
        out.print(("对应说明：" if zh else "mapping: ") + note)
    mark = pick("* 为赛道内部门", "* = in track", lang)
    up = table(pick("上游供应（按间接需要排序）", "Upstream suppliers (by indirect requirement)", lang),
               unit_line(shown, lang) + pick(f"；{mark}", f"; {mark}", lang))
    columns(up, [(word("code", lang), "code"), (word("sector", lang), "text")]
            + [(word(c, lang), "num") for c in ("direct", "total", "tier_1", "tier_2", "tier_3",
                                                 "apl", "upstreamness")])
    for c, r in cm.upstream.head(rows).iterrows():
        rest = sum(r[f"tier_{j}"] for j in range(3, cm.depth + 1)) + r.beyond
        up.add_row(code_str(c) + ("*" if r.in_track else ""), _nm(r, lang), _f(r.direct_input * k),
                   _f(r.total * k), _f(r.tier_1 * k), _f(r.get("tier_2", 0.0) * k),
                   _f(rest * k), _f(r.apl, 2), _f(r.upstreamness, 2))
    show(up)
    dn = table(pick("下游用户", "Downstream buyers", lang), unit_line(shown, lang) + pick(
        f"；完全供给（Ghosh）= 对赛道产出的直接与间接使用；{mark}",
        f"; Ghosh total = direct + indirect use of the track's output; {mark}", lang))
    columns(dn, [(word("code", lang), "code"), (word("sector", lang), "text")]
            + [(word(c, lang), "num") for c in ("direct_sales", "share", "ghosh_total")])
    for c, r in cm.downstream.head(rows).iterrows():
        dn.add_row(code_str(c) + ("*" if r.in_track else ""), _nm(r, lang), _f(r.direct_sales * k),
                   fmt_pct(r.direct_share), _f(r.forward_total * k))
    show(dn)
    pt = table(pick(f"结构路径（前 {top} 条，阶数 ≤ {cm.depth}）",
                    f"structural paths (top {top}, depth ≤ {cm.depth})", lang),
               unit_line(shown, lang) + pick("；占比：占完全需要的比例",
                                             "; share of the total requirement", lang))
    columns(pt, [(word(c, lang), "num") for c in ("#", "value", "share", "order")]
            + [(word("path", lang), "text")])
    for r in cm.paths.itertuples():
        pt.add_row(str(r.rank), _f(r.value * k), fmt_pct(r.share), str(r.order),
                   r.path_zh if zh else r.path_en)
    show(pt)
    for k, v in files.items():
        out.print(f"[green]✓[/] {pick('已写入', 'wrote', lang)} {esc(k)}: {esc(v)}", markup=True)


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
    k, shown = money(w.unit, lang)
    head = table(f"{pick('短板与风险', 'Weak links', lang)}: {w.name_zh if zh else w.name_en} — "
                 f"{w.table} ({w.year})", basis_caption(w.basis, lang), header=False)
    columns(head, [("", "text"), ("", "text")])
    eco = s.get("economy_import_content")
    head.add_row(pick("进口含量", "import content", lang), f"{s['import_content']:.3f} " + pick(
        "（每单位最终需求）", "per unit of final demand", lang) + ("" if eco is None else pick(
            f"（全经济 {eco:.3f}）", f" (economy {eco:.3f})", lang)))
    head.add_row(pick("投入进口占比", "imported share of inputs", lang), fmt_pct(s["import_share"]))
    provincial = "inflow_share" in s
    if provincial:
        head.add_row(pick("省外调入占比", "from other provinces", lang), fmt_pct(s["inflow_share"]))
        head.add_row(pick("省外+境外合计", "bought outside the province", lang),
                     fmt_pct(s["outside_share"]))
    show(head)
    note = (w.note_zh or note_zh(w.note)) if zh else w.note
    if note:  # how coarse the track's sectors are (a 42-sector 航空航天 is the car industry)
        out.print(("对应说明：" if zh else "mapping: ") + note)
    amount = lambda v: _f(v * k)  # noqa: E731 — money totals in the display unit
    specs = {"shortboard": [("import_share", "import_share", fmt_pct),
                            ("of_inputs", "requirement_share", fmt_pct),
                            ("chokepoint", "supply_chokepoint", fmt_pct)],
             "risk": [("cut_loss", "cut_loss", fmt_pct), ("ghosh_cut", "ghosh_cut_loss", fmt_pct),
                      ("import_share", "import_share", fmt_pct),
                      ("of_inputs", "requirement_share", fmt_pct)],
             "attraction": [("imported", "chain_imported", amount),
                            ("import_share", "import_share", fmt_pct),
                            ("per_unit_fd", "imported_per_unit", lambda v: _f(v, 4))]}
    if w.region:
        specs["risk"] += [("top_origin", "top_origin", lambda v: region_name(v, lang)),
                          ("hhi", "hhi", lambda v: _f(v, 3))]
    if provincial:  # two leakages, shown apart: abroad (进口) and other provinces (省外调入)
        specs["shortboard"] = [("outside", "outside_share", fmt_pct),
                               ("abroad", "import_share", fmt_pct),
                               ("other_prov", "inflow_share", fmt_pct),
                               ("of_inputs", "requirement_share", fmt_pct),
                               ("chokepoint", "supply_chokepoint", fmt_pct)]
        specs["attraction"] = [("outside", "chain_outside", amount),
                               ("abroad", "chain_imported", amount),
                               ("other_prov", "chain_inflow", amount),
                               ("outside_share", "outside_share", fmt_pct)]
    captions = {
        "shortboard": pick("按产业链使用中的进口占比排序（占链条投入 ≥ 1% 的投入品）",
                           "ranked by import share of the chain's use (inputs ≥ 1% of its inputs)",
                           lang),
        "risk": pick("按该投入品进口减少 30% 时赛道产出的损失占比排序（供给中断线性规划）；"
                     "供给推动指标为同一冲击的 Ghosh 模型指标（通常更低，并非上限）",
                     "ranked by the share of the track's output lost if the input's imports fell "
                     "by 30 % (supply-disruption LP); Ghosh indicator for the same cut beside it "
                     "(usually lower, not an upper bound)", lang),
        "attraction": pick(f"按进口额排序（{shown}）；进口占比 ≥ 30%",
                           f"ranked by imported volume ({shown}); import share ≥ 30%", lang)}
    if provincial:
        captions["shortboard"] = pick(
            "按省外购入占比（境外进口＋省外调入）排序（占链条投入 ≥ 1% 的投入品）",
            "ranked by the share bought outside the province (abroad + other provinces; "
            "inputs ≥ 1% of the chain's inputs)", lang)
        captions["attraction"] = pick(f"按省外购入额排序（{shown}）；省外占比 ≥ 30%",
                                      f"ranked by volume bought outside the province ({shown}); "
                                      "outside share ≥ 30%", lang)
    for key, cols in specs.items():
        tab = table(pick(*LIST_NAMES[key], lang), captions[key])
        columns(tab, [(word("#", lang), "num"), (word("code", lang), "code"),
                      (word("input", lang), "text")]
                + [(word(h, lang), "text" if h == "top_origin" else "num") for h, _, _ in cols])
        for c, r in getattr(w, key).iterrows():
            tab.add_row(str(r["rank"]), code_str(c), _nm(r, lang), *(fn(r[col]) for _, col, fn in cols))
        show(tab)
        if key == "attraction" and len(w.excluded):
            out.print(pick("· 未列入（无法招商引入）：", "· left out (cannot be attracted): ", lang)
                      + pick("；", "; ", lang).join(
                f"{code_str(c)} {_nm(r, lang)} — {r.reason_zh if zh else r.reason_en}"
                for c, r in w.excluded.iterrows()), soft_wrap=True, style="dim")
    ck = table(pick("卡点", "Chokepoints", lang), pick(
        "该部门停止供货（Ghosh）/ 不再采购（Leontief）时赛道产出的损失占比",
        "share of the track's output lost if the sector stops supplying (Ghosh) / disappears "
        "as a buyer (Leontief)", lang))
    columns(ck, [(word("code", lang), "code"), (word("sector", lang), "text"),
                 (word("supply_loss", lang), "num"), (word("market_loss", lang), "num")])
    for c, r in w.chokepoints.head(top).iterrows():
        ck.add_row(code_str(c), _nm(r, lang), fmt_pct(r.supply_loss_share), fmt_pct(r.market_loss_share))
    show(ck)
    st = table(pick("优势（赛道内部门）", "Strengths (track sectors)", lang))
    columns(st, [(word("code", lang), "code"), (word("sector", lang), "text")]
            + [(word(h, lang), "text" if h == "type" else "num")
               for h in ("pod", "sod", "type", "output_multiplier", "export_share")])
    for c, r in w.strengths.iterrows():
        st.add_row(code_str(c), _nm(r, lang), _f(r.power_of_dispersion), _f(r.sensitivity),
                   r.type_zh if zh else r.type_en, _f(r.output_multiplier), fmt_pct(r.export_share))
    show(st)
