"""CLI for the China MRIO (registered on the app as ``lianpu mrio …``): ``build``,
``twin`` (双核联动), ``complement`` (互补共振), ``chain`` (a track's suppliers across provinces),
``dvc`` (国内价值链) and ``carbon`` (CO2 across provinces). Thin: each calls lianpu.analysis and
prints."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer
from ..core.errors import ArgumentError
from ..core.units import fmt_num, fmt_pct
from ._app import app
from ._screen import (columns, money, notes, notes_of, pick, region_name, show, table, unit_line,
                      unit_text)
from ._shared import DATA_DIR, JSON, LANG, UserError, emit, lang_arg, out

mrio_app = typer.Typer(no_args_is_help=True, help="China multi-regional IO table 中国多区域表 "
                       "(31 provinces × 42 sectors) built from the provincial tables.")
app.add_typer(mrio_app, name="mrio")

DECAY = typer.Option(1.0, "--decay", help="Distance-decay exponent β of the gravity model "
                     "(f(d) = d^-β).")
RECONCILE = typer.Option("mean", "--reconcile", help="How national outflows and inflows are "
                         "made to agree: mean, outflows or inflows.")


def _build(year, decay, reconcile, data_dir, rebuild=False):
    from ..analysis.regions.mrio.build import build_china_mrio
    if year not in (2012, 2017):
        raise UserError(f"--year: found {year}, expected 2012 or 2017")
    if reconcile not in ("mean", "outflows", "inflows"):
        raise UserError(f"--reconcile: found {reconcile!r}, expected mean, outflows or inflows")
    if not 0 <= decay <= 10:
        raise UserError(f"--decay: found {decay}, expected a number in [0, 10]")
    return build_china_mrio(year, decay=decay, reconcile=reconcile, data_dir=data_dir,
                            rebuild=rebuild)


def _names(t, lang):
    """(amount formatter, display-unit label, region namer) for the China MRIO's screens:
    money totals via ``Unit.display`` (万元 → 亿元); provinces, ROW (abroad), RoC and the
    groups of data/china_regions.toml by their names in ``lang``."""
    from ..analysis.regions.mrio.groups import region_groups
    k, shown = money(t.unit, lang)

    def amt(v) -> str:
        return fmt_num(None if v is None else v * k, 0)

    def name(code) -> str:
        code = str(code)
        if code == "(discrepancy)":
            return pick("（统计误差）", "(discrepancy)", lang)
        try:
            g = region_groups(code)[code]
        except (ArgumentError, KeyError):
            return region_name(code, lang)
        return g["name_zh"] if lang == "zh" else g["name_en"]
    return amt, shown, name


def _track_name(tid, lang) -> str:
    from ..analysis.tracks.catalogue import tracks
    tr = next((x for x in tracks().values() if x.id == tid), None)
    return tid if tr is None else tr.name(lang)


def _pct(v) -> str:
    return fmt_pct(v, 2)


@mrio_app.command("build")
def build(year: int = typer.Option(2017, "--year", help="2012 or 2017."), decay: float = DECAY,
          reconcile: str = RECONCILE, rebuild: bool = typer.Option(False, "--rebuild",
                                                                    help="Build again even if cached."),
          lang: str = LANG, data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Build (or read from the cache) the China MRIO and report the outflow/inflow gap."""
    from ..analysis.regions.mrio.build import cache_path, trade_gap_report
    lang = lang_arg(lang)
    t0 = time.perf_counter()
    t = _build(year, decay, reconcile, data_dir, rebuild)
    secs = time.perf_counter() - t0
    gap = trade_gap_report(year, data_dir, reconcile=reconcile)
    path = cache_path(year, decay, reconcile, data_dir)
    if as_json:
        d = gap.to_dict()
        d.update(table=t.name, path=str(path), seconds=round(secs, 3), n=t.n,
                 regions=t.regions, notes_table=list(t.notes))
        return emit(d)
    amt, shown, _ = _names(t, lang)
    n = t.n // len(t.regions)
    out.print(pick(f"{t.name}：{len(t.regions)} 个省份 × {n} 个部门，单位 {unit_text(t.unit, 'zh')}；"
                   f"{secs:.2f} 秒；缓存于 {path}",
                   f"{t.name}: {len(t.regions)} provinces × {n} sectors, unit {t.unit}; "
                   f"{secs:.2f} s; cached at {path}", lang))
    tot = gap.totals
    out.print(pick(f"全国调出 {amt(tot['outflows'])} {shown}，调入 {amt(tot['inflows'])} {shown}："
                   f"差额 {amt(tot['gap'])} {shown}（占两者均值的 {tot['gap_pct']:+.1f} %；"
                   f"分产品 Σ|差额| {tot['abs_gap_pct']:.1f} %）；按 '{reconcile}' 协调",
                   f"national outflows {amt(tot['outflows'])} {shown}, inflows "
                   f"{amt(tot['inflows'])} {shown}: gap {amt(tot['gap'])} {shown} "
                   f"({tot['gap_pct']:+.1f} % of their mean; Σ|gap| by product "
                   f"{tot['abs_gap_pct']:.1f} %); reconciled by '{reconcile}'", lang))
    tab = table(pick(f"{year} 年调出与调入差额最大的产品", f"largest outflow − inflow gaps by "
                     f"product, {year}", lang), unit_line(shown, lang))
    columns(tab, [(pick("产品", "product", lang), "code"), (pick("名称", "name", lang), "text"),
                  (pick("调出", "outflows", lang), "num"), (pick("调入", "inflows", lang), "num"),
                  (pick("差额", "gap", lang), "num"), (pick("差额 %", "gap %", lang), "num")])
    for code, r in gap.worst(8).iterrows():
        tab.add_row(str(code), str(r["name_zh" if lang == "zh" else "name_en"]
                                   if f"name_{lang}" in r else r["name_zh"]),
                    amt(r["outflows"]), amt(r["inflows"]), amt(r["gap"]), f"{r['gap_pct']:+.1f}")
    show(tab)


@mrio_app.command("twin")
def twin(year: int = typer.Argument(..., help="2012 or 2017."),
         a: str = typer.Argument("四川", help="First province (name or code)."),
         b: str = typer.Argument("重庆", help="Second province."),
         decay: float = DECAY, reconcile: str = RECONCILE, lang: str = LANG,
         data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """双核联动: each province's output, value added and CO2 driven by the other's final demand;
    Miller spillover/feedback; the two as one block against the rest of China."""
    from ..analysis.regions.mrio.build import co2_satellite
    from ..analysis.regions.mrio.questions import dual_core
    lang = lang_arg(lang)
    t = _build(year, decay, reconcile, data_dir)
    t, missing = co2_satellite(t, data_dir)
    res = dual_core(t, a, b, missing=missing)
    if as_json:
        return emit(res)
    amt, shown, name0 = _names(t, lang)
    block = pick("成渝" if {res.a, res.b} == {"SC", "CQ"} else f"{name0(res.a)}+{name0(res.b)}",
                 f"{name0(res.a)}+{name0(res.b)}", lang)

    def name(code):  # the block of the two (CY) against the rest of China (RoC)
        return block if str(code) == "CY" else name0(code)

    def arrow(key, sep="←"):
        return sep.join(name(x) for x in str(key).split(sep))

    co2 = unit_text(res.co2_unit, lang)
    tab = table(pick("双核联动", "Dual core", lang) + f" {name(res.a)} ⇄ {name(res.b)} — {t.name}",
                pick(f"产出、增加值单位：{shown}；二氧化碳单位：{co2}",
                     f"output and value added in {shown}, CO2 in {co2}", lang))
    share = pick("占比", "share", lang)
    columns(tab, [(pick("拉动方向", "driven", lang), "text"), (pick("产出", "output", lang), "num"),
                  (share, "num"), (pick("增加值", "value added", lang), "num"), (share, "num"),
                  (pick("二氧化碳", "CO2", lang), "num"), (share, "num")])
    for frame in (res.summary, res.block):
        for key, r in frame.iterrows():
            tab.add_row(arrow(key), amt(r["output"]), _pct(r["output_share"]), amt(r["value_added"]),
                        _pct(r["value_added_share"]),
                        "—" if "co2" not in r else f"{r['co2']:.2f}",
                        "—" if "co2" not in r else _pct(r["co2_share"]))
    show(tab)
    m = res.miller.loc["output"]
    tab2 = table(pick("Miller 分解：每单位最终需求的产出（按最终需求结构）",
                      "Miller: output per unit of final demand (final-demand mix)", lang))
    columns(tab2, [(pick("地区", "region", lang), "text")]
            + [(pick(zh, en, lang), "num") for zh, en in (("区域内", "intra"), ("反馈", "feedback"),
                                                           ("溢出", "spillover"), ("合计", "total"))])
    for r, row in m.iterrows():
        tab2.add_row(name(r), *(f"{row[c]:.4f}" for c in ("intra", "feedback", "spillover", "total")))
    show(tab2)
    for key in res.summary.index:
        sec = res.by_sector.loc[key].sort_values("value_added", ascending=False).head(5)
        tab3 = table(arrow(key) + pick("：拉动增加值最多的部门", ": top sectors by value added driven",
                                       lang), unit_line(shown, lang))
        columns(tab3, [(pick("代码", "sector", lang), "code"), (pick("部门", "name", lang), "text"),
                       (pick("产出", "output", lang), "num"),
                       (pick("增加值", "value added", lang), "num"),
                       (pick("占该部门增加值", "share of sector VA", lang), "num")])
        for code, r in sec.iterrows():
            tab3.add_row(str(code), str(r["name"]).split("·")[-1], amt(r["output"]),
                         amt(r["value_added"]), _pct(r["value_added_share"]))
        show(tab3)
    notes(notes_of(res, lang), lang, style="")


@mrio_app.command("complement")
def complement(year: int = typer.Argument(..., help="2012 or 2017."),
               supplier: str = typer.Option("甘肃", "--supplier", help="Supplier province."),
               target: str = typer.Option("成渝", "--target", help="Target province or group "
                                          "(成渝, 西部 … from china_regions.toml)."),
               track: str = typer.Option("aerospace", "--track", help="Track id or name (see "
                                         "`lianpu tracks`)."),
               shift: float = typer.Option(0.2, "--shift", help="Share (0–1) of the track's "
                                           "purchases from abroad and the East moved to the "
                                           "supplier."),
               decay: float = DECAY, reconcile: str = RECONCILE, lang: str = LANG,
               data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """互补共振: realized flows from the supplier to the target's track and a sourcing shift."""
    from ..analysis.regions.mrio.build import co2_satellite
    from ..analysis.regions.mrio.questions import complement as calc
    lang = lang_arg(lang)
    if not 0 <= shift <= 1:
        raise UserError(f"--shift: found {shift}, expected a share in [0, 1]")
    t = _build(year, decay, reconcile, data_dir)
    t, _ = co2_satellite(t, data_dir)
    res = calc(t, supplier, target, track, shift=shift)
    if as_json:
        return emit(res)
    amt, shown, name = _names(t, lang)
    tt = res.totals
    sup, trk = name(res.supplier), _track_name(res.track, lang)
    members = pick("、", "+", lang).join(name(r) for r in res.target_regions)
    out.print(pick(f"互补共振 {sup} → {name(res.target)}（{members}），赛道 {trk} — {t.name}",
                   f"Complementarity {sup} → {name(res.target)} ({members}), track {trk} — "
                   f"{t.name}", lang))
    out.print(pick(
        f"赛道投入 {amt(tt['track_inputs'])} {shown}；直接来自{sup} {amt(tt['direct_from_supplier'])}"
        f"（{_pct(tt['direct_share'])}）；{sup}在链条中的完全产出 "
        f"{amt(tt['total_supplier_output_in_chain'])}",
        f"track inputs {amt(tt['track_inputs'])} {shown}; direct from {sup} "
        f"{amt(tt['direct_from_supplier'])} ({_pct(tt['direct_share'])}); {sup}'s output in the "
        f"chain (total) {amt(tt['total_supplier_output_in_chain'])}", lang))
    out.print(pick(
        f"来自境外 {amt(tt['track_inputs_from_abroad'])}，来自东部 {amt(tt['track_inputs_from_east'])}"
        f"（其中{sup}也生产的产品：{amt(tt['shiftable_from_abroad'])} 和 "
        f"{amt(tt['shiftable_from_east'])}）",
        f"from abroad {amt(tt['track_inputs_from_abroad'])}, from the East "
        f"{amt(tt['track_inputs_from_east'])} (of products {sup} makes: "
        f"{amt(tt['shiftable_from_abroad'])} and {amt(tt['shiftable_from_east'])})", lang))
    co2 = tt.get("supplier_co2_change", float("nan"))
    out.print(pick(
        f"转移 {shift:g}：{sup}产出 {amt(tt['supplier_output_change'])} {shown}"
        f"（{tt['supplier_output_change_pct']:+.2f} %），增加值 {amt(tt['supplier_value_added_change'])}，"
        f"二氧化碳 {co2:+.3f} Mt；东部产出 {amt(tt['east_output_change'])}；目标地区进口依赖 "
        f"{_pct(tt['target_import_dependence_before'])} → {_pct(tt['target_import_dependence_after'])}；"
        f"赛道进口占比 {_pct(tt['track_import_share_before'])} → {_pct(tt['track_import_share_after'])}",
        f"shift {shift:g}: {sup} output {amt(tt['supplier_output_change'])} {shown} "
        f"({tt['supplier_output_change_pct']:+.2f} %), value added "
        f"{amt(tt['supplier_value_added_change'])}, CO2 {co2:+.3f} Mt; East output "
        f"{amt(tt['east_output_change'])}; target import dependence "
        f"{_pct(tt['target_import_dependence_before'])} → "
        f"{_pct(tt['target_import_dependence_after'])}; track import share "
        f"{_pct(tt['track_import_share_before'])} → {_pct(tt['track_import_share_after'])}", lang))
    tab = table(pick("按产品的已实现流量（前 10）", "realized flows by product, top 10", lang),
                unit_line(shown, lang))
    columns(tab, [(pick("产品", "product", lang), "code"), (pick("名称", "name", lang), "text"),
                  (pick("赛道投入", "track inputs", lang), "num"),
                  (pick(f"直接来自{sup}", f"direct from {sup}", lang), "num"),
                  (pick("占比", "share", lang), "num"), (pick("完全", "total", lang), "num")])
    for code, r in res.realized.sort_values("direct", ascending=False).head(10).iterrows():
        tab.add_row(str(code), str(r["name"]), amt(r["inputs_all_origins"]), amt(r["direct"]),
                    _pct(r["direct_share"]), amt(r["total"]))
    show(tab)
    pot = res.potential[res.potential["shiftable"]]
    pot = pot.assign(both=pot["from_abroad"] + pot["from_east"]).sort_values("both",
                                                                            ascending=False)
    tab2 = table(pick(f"赛道从境外和东部购入、{sup}也生产的产品（前 8）",
                      f"the track's purchases from abroad and the East of products {sup} makes, "
                      "top 8", lang), unit_line(shown, lang))
    columns(tab2, [(pick("产品", "product", lang), "code"), (pick("名称", "name", lang), "text"),
                   (pick("来自境外", "from abroad", lang), "num"),
                   (pick("来自东部", "from the East", lang), "num"),
                   (pick(f"{sup}产出", f"{sup} output", lang), "num")])
    for code, r in pot.head(8).iterrows():
        tab2.add_row(str(code), str(r["name"]), amt(r["from_abroad"]), amt(r["from_east"]),
                     amt(r["supplier_output"]))
    show(tab2)
    notes(notes_of(res, lang), lang, style="")


def _mt(v) -> str:
    return fmt_num(v, 1)


@mrio_app.command("chain")
def chain(year: int = typer.Argument(..., help="2012 or 2017."),
          region: str = typer.Argument("四川", help="Province of the track (name or code)."),
          track: str = typer.Option("电子信息", "--track", help="Track id or name (see "
                                    "`lianpu tracks`)."),
          depth: int = typer.Option(4, "--depth", help="Tiers and structural-path order."),
          decay: float = DECAY, reconcile: str = RECONCILE, lang: str = LANG,
          data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Chain map of a track in a province: suppliers by origin province and tier, structural
    paths across provinces, weak links with their origin (a province or abroad)."""
    from ..analysis.regions.mrio.questions import chain_across
    lang = lang_arg(lang)
    if not 1 <= depth <= 8:
        raise UserError(f"--depth: found {depth}, expected 1–8")
    t = _build(year, decay, reconcile, data_dir)
    res = chain_across(t, region, track, depth=depth)
    if as_json:
        return emit(res)
    amt, shown, name = _names(t, lang)
    trk, reg = _track_name(res.track, lang), name(res.region)
    out.print(pick(f"产业链 {trk}（{reg}）— {t.name}：最终需求 {amt(res.final_demand)} {shown}；"
                   f"间接需要 {amt(res.chain.summary['indirect_requirement'])} {shown}",
                   f"Chain {trk} in {reg} — {t.name}: final demand {amt(res.final_demand)} "
                   f"{shown}; indirect requirement "
                   f"{amt(res.chain.summary['indirect_requirement'])} {shown}", lang))
    tiers = [c for c in res.by_origin.columns if c.startswith("tier")]
    tab = table(pick("按来源地的供应（沿链条各层）", "suppliers by origin: tiers up the chain", lang),
                unit_line(shown, lang) + pick("；境外 = 国外进口", "; abroad = imports from abroad",
                                              lang))
    columns(tab, [(pick("来源地", "origin", lang), "text")]
            + [(pick(f"第{c[4:]}层", f"tier {c[4:]}", lang), "num") for c in tiers]
            + [(pick("合计", "total", lang), "num"), (pick("占比", "share", lang), "num")])
    for o, r in res.by_origin.head(12).iterrows():
        tab.add_row(name(o), *(amt(r[c]) for c in tiers), amt(r["total"]), _pct(r["share"]))
    show(tab)
    tab2 = table(pick("外省最大的供应部门", "largest suppliers in other provinces", lang),
                 unit_line(shown, lang))
    columns(tab2, [(pick("来源地", "origin", lang), "text"), (pick("代码", "sector", lang), "code"),
                   (pick("部门", "name", lang), "text"), (pick("第1层", "tier 1", lang), "num"),
                   (pick("合计", "total", lang), "num")])
    for (o, sc), r in res.by_origin_sector.head(10).iterrows():
        tab2.add_row(name(o), str(sc), str(r["name"]), amt(r["tier1"]), amt(r["total"]))
    show(tab2)
    tab3 = table(pick("结构路径", "structural paths", lang), unit_line(shown, lang))
    pz = f"path_{lang}" if f"path_{lang}" in res.paths.columns else (
        "path_zh" if "path_zh" in res.paths.columns else res.paths.columns[1])
    vcol = next((c for c in ("value", "path_value") if c in res.paths.columns), None)
    columns(tab3, [(pick("序号", "rank", lang), "num"), (pick("路径", "path", lang), "text"),
                   (pick("数值", "value", lang), "num")])
    for _, r in res.paths.head(10).iterrows():
        tab3.add_row(str(r.get("rank", "")), str(r[pz]), "" if vcol is None else amt(r[vcol]))
    show(tab3)
    w = res.weak
    tab4 = table(pick("薄弱环节：进口占比与主要来源地", "weak links: imported share and top origin",
                      lang))
    columns(tab4, [(pick("产品", "product", lang), "code"), (pick("名称", "name", lang), "text"),
                   (pick("进口占比", "import share", lang), "num"),
                   (pick("主要来源地", "top origin", lang), "text"),
                   (pick("其占比", "its share", lang), "num"),
                   (pick("卡点", "chokepoint", lang), "num")])
    for code, r in w.head(10).iterrows():
        origin = r.get("top_origin", "")
        tab4.add_row(str(code), str(r.get(f"name_{lang}", r.get("name_zh", ""))),
                     _pct(r.get("import_share")), name(origin) if origin else "",
                     _pct(r.get("top_origin_share")), _pct(r.get("supply_chokepoint")))
    show(tab4)
    notes(notes_of(res, lang), lang, style="")


@mrio_app.command("dvc")
def dvc(year: int = typer.Argument(..., help="2012 or 2017."),
        region: str = typer.Argument("四川", help="Province (name or code)."),
        decay: float = DECAY, reconcile: str = RECONCILE, lang: str = LANG,
        data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """国内价值链: the province's value added absorbed at home, in other provinces and abroad;
    the origins of its final demand; its position in the chains, by sector."""
    from ..analysis.regions.mrio.questions import domestic_chains
    lang = lang_arg(lang)
    t = _build(year, decay, reconcile, data_dir)
    res = domestic_chains(t, region)
    if as_json:
        return emit(res)
    amt, shown, name = _names(t, lang)
    tt, reg = res.totals, name(res.region)
    out.print(pick(
        f"国内价值链 {reg} — {t.name}：增加值 {amt(tt['value_added'])} {shown}，本省吸收 "
        f"{_pct(tt['absorbed_own_share'])}，外省吸收 {_pct(tt['absorbed_other_provinces_share'])}，"
        f"境外吸收 {_pct(tt['absorbed_abroad_share'])}；本省最终需求中：本省增加值 "
        f"{_pct(tt['final_demand_own_va_share'])}，外省 {_pct(tt['final_demand_other_provinces_va_share'])}，"
        f"境外进口 {_pct(tt['final_demand_abroad_share'])}",
        f"Domestic value chains {reg} — {t.name}: value added {amt(tt['value_added'])} {shown}, "
        f"absorbed at home {_pct(tt['absorbed_own_share'])}, in other provinces "
        f"{_pct(tt['absorbed_other_provinces_share'])}, abroad "
        f"{_pct(tt['absorbed_abroad_share'])}; its final demand: own value added "
        f"{_pct(tt['final_demand_own_va_share'])}, other provinces "
        f"{_pct(tt['final_demand_other_provinces_va_share'])}, imports from abroad "
        f"{_pct(tt['final_demand_abroad_share'])}", lang))
    p = res.position.iloc[0]
    out.print(pick(f"地位（产出加权）：Wang PLv/PLy {p['wang_position']:.3f}（>1 偏上游），前向参与 "
                   f"{_pct(p['forward'])}，后向参与 {_pct(p['backward'])}",
                   f"position (output-weighted): Wang PLv/PLy {p['wang_position']:.3f} "
                   f"(>1 upstream), forward participation {_pct(p['forward'])}, backward "
                   f"{_pct(p['backward'])}", lang))
    tab = table(pick("增加值按吸收地（前 10）", "value added absorbed by destination, top 10", lang),
                unit_line(shown, lang))
    columns(tab, [(pick("吸收地", "absorbed in", lang), "text"),
                  (pick("增加值", "value added", lang), "num"), (pick("占比", "share", lang), "num")])
    for key, r in res.absorbed.sort_values("value_added", ascending=False).head(10).iterrows():
        tab.add_row(name(key), amt(r["value_added"]), _pct(r["share"]))
    show(tab)
    tab2 = table(pick("分部门：增加值的吸收地与地位", "by sector: where the value added is absorbed, "
                      "position", lang), unit_line(shown, lang))
    columns(tab2, [(pick("代码", "sector", lang), "code"), (pick("部门", "name", lang), "text"),
                   (pick("增加值", "VA", lang), "num"), (pick("本省", "own", lang), "num"),
                   (pick("外省", "other prov.", lang), "num"), (pick("境外", "abroad", lang), "num"),
                   (pick("残差", "residual", lang), "num"), (pick("地位", "position", lang), "num")])
    for sc, r in res.by_sector.sort_values("value_added", ascending=False).head(15).iterrows():
        tab2.add_row(str(sc), str(r["name"]), amt(r["value_added"]), _pct(r["own_share"]),
                     _pct(r["other_provinces_share"]), _pct(r["abroad_share"]),
                     _pct(r["residual"] / r["value_added"] if r["value_added"] else None),
                     f"{r['wang_position']:.3f}")
    show(tab2)
    notes(notes_of(res, lang), lang, style="")


@mrio_app.command("carbon")
def carbon(year: int = typer.Argument(..., help="2012 or 2017."),
           by: str = typer.Option("province", "--by", help="province or region (the NBS "
                                  "four regions)."),
           track: Optional[str] = typer.Option(None, "--track", help="Also: the CO2 of this "
                                               "track's final demand by emitting province."),
           region: Optional[str] = typer.Option(None, "--region", help="The track's province."),
           decay: float = DECAY, reconcile: str = RECONCILE, lang: str = LANG,
           data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """CO2 across provinces: production- vs consumption-based by province, CO2 embodied in
    interprovincial trade (by the NBS four regions with --by region)."""
    from ..analysis.regions.mrio.build import co2_satellite
    from ..analysis.regions.mrio.questions import carbon_flows
    lang = lang_arg(lang)
    if by not in ("province", "region"):
        raise UserError(f"--by: found {by!r}, expected province or region")
    t = _build(year, decay, reconcile, data_dir)
    t, missing = co2_satellite(t, data_dir)
    res = carbon_flows(t, track=track, track_region=region, missing=missing)
    if as_json:
        return emit(res)
    _, _, name = _names(t, lang)
    tt, unit = res.totals, unit_text(res.unit, lang)
    out.print(pick(f"各省二氧化碳 — {t.name}（{unit}）：生产侧 {_mt(tt['production'])} = 各省最终需求 "
                   f"{_mt(tt['consumption_provinces'])} + 出口境外 {_mt(tt['for_exports_abroad'])}"
                   f" + 误差项 {_mt(tt['for_discrepancy'])}",
                   f"CO2 across provinces — {t.name} ({unit}): production "
                   f"{_mt(tt['production'])} = for provinces' final demand "
                   f"{_mt(tt['consumption_provinces'])} + exports abroad "
                   f"{_mt(tt['for_exports_abroad'])} + discrepancy {_mt(tt['for_discrepancy'])}",
                   lang))
    if by == "region":
        g = res.groups
        tab = table(pick("排放地（行）为各地区最终需求（列）排放的二氧化碳",
                         "CO2 emitted in (rows) for final demand of (columns)", lang),
                    unit_line(unit, lang))
        columns(tab, [(pick("代码", "code", lang), "code"), (pick("排放地", "emitter", lang), "text")]
                + [(name(c), "num") for c in g.columns])
        for key, r in g.iterrows():  # the group's code (data/china_regions.toml) and its name
            tab.add_row(str(key), name(key), *(_mt(v) for v in r))
        show(tab)
    else:
        tab = table(pick("生产侧与消费侧二氧化碳", "production- vs consumption-based CO2", lang),
                    unit_line(unit, lang))
        columns(tab, [(pick("地区", "region", lang), "text"), (pick("生产侧", "production", lang), "num"),
                      (pick("消费侧", "consumption", lang), "num"),
                      (pick("净转移", "net transfer", lang), "num"),
                      (pick("为外省", "for other provinces", lang), "num"),
                      (pick("为出口", "for exports", lang), "num")])
        for key, r in res.by_region.sort_values("production", ascending=False).iterrows():
            tab.add_row(name(key), _mt(r["production"]), _mt(r["consumption"]),
                        _mt(r["net_transfer"]), _mt(r["for_other_provinces"]),
                        _mt(r["for_exports_abroad"]))
        show(tab)
    if res.track is not None:
        tab2 = table(pick(f"{_track_name(res.track_id, lang)}最终需求的二氧化碳（按排放地）",
                          f"CO2 of {_track_name(res.track_id, lang)}'s final demand by emitting "
                          "province", lang), unit_line(unit, lang))
        columns(tab2, [(pick("排放地", "emitter", lang), "text"),
                       (pick("二氧化碳", "CO2", lang), "num"), (pick("占比", "share", lang), "num")])
        for key, r in res.track.head(10).iterrows():
            tab2.add_row(name(key), f"{r['co2']:.2f}", _pct(r["share"]))
        show(tab2)
    notes(notes_of(res, lang), lang, style="")
