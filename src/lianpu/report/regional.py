"""Report section 七、区域联动 / 7. The region in China: on the China MRIO (``cn-mrio-{year}``)
for one province — twin cores with its partner (四川 ⇄ 重庆, ``china_questions.dual_core``),
complementarity with 甘肃 for 航空航天 and 新能源 (``complement``), its dependence on inflows
from other provinces and imports from abroad (``inflow_dependence``) and the CO2 its final
demand causes elsewhere (``carbon_flows``). Built only from those analysis results; the charts
are plotly bars from the table's own numbers (no map tiles, nothing remote)."""
from __future__ import annotations

from functools import partial

import pandas as pd

from ..core.errors import LianpuError
from .i18n import join_notes, result_notes
from .model import Figure, Section, Sheet

TITLE = ("七、区域联动（多区域表）", "7. The region in China (multi-regional table)")
PARTNER = {"SC": "CQ", "CQ": "SC"}
SUPPLIER = "GS"
TRACKS = ("aerospace", "new_energy")


def step(table, region, data_dir=None):
    """(progress label, callable(lang) → Section) for :func:`lianpu.report.content.plan`."""
    return ("regional", partial(regional_section, table, region, data_dir=data_dir))


def _yi(v):
    return round(float(v) / 1e4, 1)


def partner_of(table, r: str) -> str:
    """The twin-core partner: 重庆 for 四川 and back, else the nearest provincial capital."""
    if r in PARTNER and PARTNER[r] in table.regions:
        return PARTNER[r]
    from ..analysis.regions.mrio.build import distances
    d = distances()
    d = d.loc[r, [c for c in d.columns if c != r and c in table.regions]]
    return str(d.idxmin())


def regional_section(table, region, lang: str, data_dir=None) -> Section:
    zh = lang == "zh"
    sec = Section("regional", TITLE[0] if zh else TITLE[1])
    try:
        _build(sec, table, region, zh, data_dir)
    except LianpuError as exc:
        sec.paragraphs.append(("本表无法计算：" if zh else "Not available for this table: ") + str(exc))
    return sec


def _name(code, zh):
    from ..data.registry import province
    try:
        p = province(code)
        return p.name_zh if zh else p.name_en
    except LianpuError:
        return {"ROW": "境外" if zh else "abroad"}.get(code, code)


def _build(sec, table, region, zh, data_dir):
    from ..analysis.regions.mrio import questions as cq
    from ..analysis.regions.mrio.build import co2_satellite, region_code
    from . import figures as fg
    from .i18n import source_text
    if not table.is_multiregional:
        raise cq.ArgumentError("--region needs a multi-regional table such as cn-mrio-2017")
    lang = "zh" if zh else "en"
    src = source_text(table, lang)
    r = region_code(table, region)
    rn = _name(r, zh)
    missing = ()
    if "co2" not in table.satellites and str(table.name).startswith("cn-mrio"):
        table, missing = co2_satellite(table, data_dir)
    # --- inflow dependence
    dep = cq.inflow_dependence(table, r)
    own = float(dep.loc[r, "share"])
    abroad = float(dep.loc["ROW", "share"])
    sec.lead = (f"{rn}在全国多区域投入产出表（{table.name}）中的位置：中间投入 {100 * own:.1f}% 来自本省、"
                f"{100 * (1 - own - abroad):.1f}% 从其他省份调入、{100 * abroad:.1f}% 来自境外进口。"
                "省际贸易由引力模型估计（见 docs/china_mrio.md），相邻省份之间的数值随距离衰减参数变化，应注明区间。"
                if zh else
                f"{rn} in the China multi-regional table ({table.name}): {100 * own:.1f}% of its "
                f"intermediate inputs are its own, {100 * (1 - own - abroad):.1f}% come from other "
                f"provinces and {100 * abroad:.1f}% from abroad. Interprovincial trade is a "
                "gravity-model estimate (docs/china_mrio.md); amounts between neighbours depend "
                "on the distance decay — quote them with their range.")
    top = dep[dep["role"] != "own"].head(12)
    labels = [_name(o, zh) for o in top.index]
    title = (f"{rn}中间投入的省外来源（前12）" if zh else f"Where {rn}'s bought-in inputs come from (top 12)")
    unit = "亿元"
    fig = fg.bar_h(labels, [_yi(v) for v in top["inputs"]], title, unit, src, table.year, lang,
                   color="#2c7fb8")
    sec.figures.append(Figure("regional-inflows", title, fig, unit, src, table.year))
    d = pd.DataFrame({("来源" if zh else "origin"): [_name(o, zh) for o in dep.index],
                      ("代码" if zh else "code"): list(dep.index),
                      ("中间投入 [亿元]" if zh else "intermediate inputs [亿元]"): [_yi(v) for v in dep["inputs"]],
                      ("占比 [%]" if zh else "share [%]"): (100 * dep["share"]).round(2).to_numpy(),
                      ("地区" if zh else "group"): dep["group"].to_numpy()})
    sec.sheets.append(Sheet("regional-inflows", "省外调入依赖" if zh else "Inflow dependence", d,
                            note=cq.BASIS_ZH if zh else cq.BASIS))
    # --- twin cores
    b = partner_of(table, r)
    dc = cq.dual_core(table, r, b, missing=missing)
    s = dc.summary
    rows = []
    for key, row in list(s.iterrows()) + list(dc.block.iterrows()):
        rows.append({("方向（被拉动←拉动方）" if zh else "driven ← by final demand of"): key,
                     ("总产出 [亿元]" if zh else "output [亿元]"): _yi(row["output"]),
                     ("增加值 [亿元]" if zh else "value added [亿元]"): _yi(row["value_added"]),
                     ("增加值占比 [%]" if zh else "VA share [%]"): round(100 * row["value_added_share"], 2),
                     "CO2 [Mt]": round(float(row["co2"]), 2) if "co2" in row else None})
    sec.sheets.append(Sheet("regional-twin", (f"双核联动 {rn}⇄{_name(b, zh)}" if zh else
                                              f"Twin cores {rn} ⇄ {_name(b, zh)}"),
                            pd.DataFrame(rows), note=join_notes(result_notes(dc, lang), lang)))
    a2b = s.iloc[0]
    sec.paragraphs.append(
        f"双核联动：{_name(b, zh)}的最终需求拉动{rn}增加值 {_yi(a2b['value_added']):,.0f} 亿元（占{rn}的 "
        f"{100 * a2b['value_added_share']:.1f}%）；反向 {_yi(s.iloc[1]['value_added']):,.0f} 亿元（占 "
        f"{100 * s.iloc[1]['value_added_share']:.1f}%）。"
        if zh else
        f"Twin cores: {_name(b, zh)}'s final demand drives {_yi(a2b['value_added']):,.0f} 亿元 of "
        f"{rn}'s value added ({100 * a2b['value_added_share']:.1f}%); the other way "
        f"{_yi(s.iloc[1]['value_added']):,.0f} 亿元 ({100 * s.iloc[1]['value_added_share']:.1f}%).")
    # --- complementarity with Gansu
    if SUPPLIER in table.regions and r != SUPPLIER:
        target = "chengyu" if r in ("SC", "CQ") else r
        crow = []
        for trk in TRACKS:
            try:
                res = cq.complement(table, SUPPLIER, target, trk, shift=0.2)
            except LianpuError as exc:
                sec.paragraphs.append(f"{trk}: {exc}")
                continue
            tt = res.totals
            crow.append({("产业链" if zh else "track"): res.track,
                         ("甘肃直接供给 [亿元]" if zh else "direct from Gansu [亿元]"): _yi(tt["direct_from_supplier"]),
                         ("占中间投入 [%]" if zh else "share of inputs [%]"): round(100 * tt["direct_share"], 2),
                         ("转移20%采购：甘肃产出 [亿元]" if zh else "shift 0.2: Gansu output [亿元]"): _yi(tt["supplier_output_change"]),
                         ("甘肃CO2 [Mt]" if zh else "Gansu CO2 [Mt]"): round(tt.get("supplier_co2_change", float("nan")), 2),
                         ("进口占比 前→后 [%]" if zh else "import share before→after [%]"):
                             f"{100 * tt['track_import_share_before']:.2f} → {100 * tt['track_import_share_after']:.2f}"})
        if crow:
            sec.sheets.append(Sheet("regional-complement",
                                    "互补共振：甘肃→" + ("成渝" if target == "chengyu" else rn) if zh else
                                    "Complementarity: Gansu → " + ("Chengdu–Chongqing" if target == "chengyu" else rn),
                                    pd.DataFrame(crow),
                                    note=("情景：航天/新能源产业链从境外和东部采购的20%改由甘肃供给（假设无产能约束，非预测）"
                                          if zh else "scenario: 20% of the track's purchases from abroad "
                                          "and the East move to Gansu (no capacity limits; not a forecast)")))
    # --- CO2 transfers
    cf = cq.carbon_flows(table, missing=missing)
    by = cf.by_region
    F = cf.flows
    caused = F[r].drop(r).sort_values(ascending=False).head(12)
    title2 = (f"{rn}最终需求在其他省份引起的CO2排放（前12）" if zh else
              f"CO2 emitted in other provinces for {rn}'s final demand (top 12)")
    fig2 = fg.bar_h([_name(o, zh) for o in caused.index], [round(float(v), 2) for v in caused],
                    title2, "Mt CO2", src, table.year, lang, color="#c0392b")
    sec.figures.append(Figure("regional-co2", title2, fig2, "Mt CO2", src, table.year))
    g = cf.groups
    gz = {"east": "东部", "central": "中部", "west": "西部", "northeast": "东北", "ROW": "出口",
          "(discrepancy)": "误差项"}
    gt = g.copy()
    if zh:
        gt = gt.rename(index=gz, columns=gz)
    gt = gt.round(1).reset_index()
    sec.sheets.append(Sheet("regional-co2-groups", "四大区域间隐含碳（排放地×最终需求地）" if zh else
                            "CO2 by emitting region × final demand of (NBS four regions)", gt,
                            note=join_notes(result_notes(cf, lang), lang)))
    pr = by.loc[r]
    w_e = float(g.loc["west", "east"]) if {"west", "east"} <= set(g.index) else float("nan")
    e_w = float(g.loc["east", "west"]) if {"west", "east"} <= set(g.index) else float("nan")
    sec.paragraphs.append(
        f"碳排放：{rn}生产侧 {pr['production']:.1f} Mt，消费侧 {pr['consumption']:.1f} Mt（各省按本省排放强度，"
        f"境外进口无境外强度，为下限）；为其他省份最终需求排放 {pr['for_other_provinces']:.1f} Mt。"
        f"西部为东部最终需求排放 {w_e:,.0f} Mt，东部为西部 {e_w:,.0f} Mt。"
        if zh else
        f"CO2: {rn} production-based {pr['production']:.1f} Mt, consumption-based "
        f"{pr['consumption']:.1f} Mt (each province at its own intensity; imports from abroad have "
        f"no foreign intensity, so a lower bound); {pr['for_other_provinces']:.1f} Mt emitted for "
        f"other provinces' final demand. The West emits {w_e:,.0f} Mt for the East's final demand, "
        f"the East {e_w:,.0f} Mt for the West's.")
    d3 = by.loc[:, ["production", "consumption", "net_transfer", "for_other_provinces",
                    "for_exports_abroad"]].round(2).reset_index()
    sec.sheets.append(Sheet("regional-co2", "各省生产侧与消费侧CO2 [Mt]" if zh else
                            "Production- and consumption-based CO2 by province [Mt]", d3,
                            note=join_notes(result_notes(cf, lang), lang), show=31))
