"""Carbon footprint (``lianpu.footprint``) and impact scenarios (``lianpu.impact``)."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..analysis._result import code_str
from ..core.errors import LianpuError
from ..core.units import Unit, fmt_num
from . import figures as fg
from .i18n import result_notes, source_text, tr
from .model import Figure, Section, Sheet
from .render import decimals_by_row

EFFECT_KEYS = ("direct", "indirect", "induced", "total")
EFFECT_COLORS = ("#1f77b4", "#2e8b57", "#d35400")


# --------------------------------------------------------------------------- carbon
def carbon_section(table, lang, data_dir=None, track_ids=()) -> Section:
    """Production-based CO2 and the footprint under the domestic-technology assumption (DTA),
    by final-use category and by track; a table without an emission inventory gets the reason
    instead of numbers. Labels come from :data:`lianpu.analysis.carbon.footprint.TOTAL_NAMES`."""
    from ..analysis.carbon.footprint import (BASIS, BASIS_ZH, COMPONENT_NAMES, TOTAL_NAMES, co2_satellite,
                                   footprint)
    zh = lang == "zh"
    lead = ("生产侧排放按本国生产的直接排放计。消费侧只能在国内技术假设（DTA）下计算：进口品按本国的排放强度"
            "计，得到的是“进口避免的排放”，而不是外国生产者的实际排放；以国外排放强度计算的多区域"
            "（MRIO）研究给出的中国净转移排放要高出数倍。碳排放乘数为单位最终需求引致的全产业链排放。"
            if zh else
            "Production-based emissions are direct emissions of domestic production. The "
            "consumption side can only be computed under the domestic-technology assumption "
            "(DTA): imports are valued with China's emission intensities, which gives emissions "
            "avoided by importing, not what foreign producers emit; MRIO studies with foreign "
            "intensities put China's net transfer several times higher. CO2 multipliers are "
            "supply-chain emissions per unit of final demand.")
    sec = Section("carbon", tr("carbon", lang), lead)
    if getattr(table, "province", None):
        sec.paragraphs.append(
            "省级表：排放取自该省的 CEADs 排放清单（同年份）；“进口”指从本省以外购入的全部产品——境外进口与国内"
            "其他省份调入合并计算，均按本省的投入结构和排放强度估算（DTA），因此不代表其他省份的实际排放；"
            "过境贸易大的省份（如重庆）的“出口隐含排放”会因此偏大。"
            if zh else
            "Provincial table: emissions from the province's own CEADs inventory (same year); "
            "'imports' are everything bought outside the province — imports from abroad and "
            "inflows from other provinces together — valued with the province's own technology "
            "and intensities (DTA), so they are not the other provinces' actual emissions; for "
            "provinces with large transit trade (e.g. Chongqing) the emissions embodied in "
            "outflows are overstated for that reason.")
    try:
        t2 = table if "co2" in table.satellites else co2_satellite(
            table, data_dir=data_dir, inventory=_inventory(table, data_dir))
        cat = footprint(t2, by="category")
        by_sec = footprint(t2, by="sector")
    except LianpuError as exc:  # e.g. no CEADs inventory in the cache, or not an NBS table
        sec.paragraphs.append(tr("carbon_unavailable", lang, why=str(exc)))
        return sec
    src = source_text(table, lang) + ("；CEADs 二氧化碳排放清单" if zh
                                      else "; CEADs CO2 inventory")
    year, unit = table.year, cat.unit
    tot = cat.totals
    name = lambda k: TOTAL_NAMES[k][0 if zh else 1]  # noqa: E731
    keys = ("production_based", "footprint_dta", "footprint_domestic",
            "avoided_by_imports_domestic_use", "embodied_in_exports_domestic",
            "avoided_by_imports", "net_transfer_dta", "household_direct")
    sec.sheets.append(Sheet("carbon-totals", tr("carbon_totals", lang), pd.DataFrame({
        tr("indicator", lang): [name(k) for k in keys],
        f"{tr('value', lang)} [{unit}]": [tot[k] for k in keys]})))
    f = cat.frame
    nm = f["name_zh" if zh else "name_en"]
    own = "本国生产排放" if zh else "Domestic emissions"
    avoided = "进口避免的排放（DTA）" if zh else "Avoided by importing (DTA)"
    total_dta = "合计（DTA）" if zh else "Total (DTA)"
    sec.figures.append(Figure("carbon-category", tr("carbon_by_category", lang), fg.bars_grouped(
        list(nm), {own: f["domestic"].to_numpy(),
                   avoided: f["avoided_by_imports_dta"].to_numpy(),
                   tr("co2_household_direct", lang): f["household_direct"].to_numpy()},
        tr("carbon_by_category", lang), unit, src, year, lang, stacked=True,
        colors=["#7f5539", "#b08968", "#607d8b"]), unit, src, year))
    sec.sheets.append(Sheet("carbon-category", tr("carbon_by_category", lang), pd.DataFrame({
        tr("code", lang): [str(c) for c in f.index], tr("final_use", lang): list(nm),
        f"{own} [{unit}]": f["domestic"].to_numpy(),
        f"{avoided} [{unit}]": f["avoided_by_imports_dta"].to_numpy(),
        f"{tr('co2_household_direct', lang)} [{unit}]": f["household_direct"].to_numpy(),
        f"{total_dta} [{unit}]": f["total_dta"].to_numpy()})))
    m = by_sec.frame
    iunit = by_sec.multipliers.attrs.get("unit", "")
    iunit_show = iunit.replace("10,000 CNY (万元)", "万元" if zh else "10,000 CNY")
    if zh:
        iunit_show = iunit_show.replace("t CO2 per ", "吨CO2/")
    top = m["multiplier_domestic"].sort_values(ascending=False).head(15)
    names = table.label(lang)
    sec.figures.append(Figure("carbon-multipliers", tr("carbon_multipliers", lang), fg.bar_h(
        [names[c] for c in top.index], top.to_numpy(), tr("carbon_multipliers", lang), iunit_show,
        src, year, lang, color="#7f5539"), iunit_show, src, year))
    sheet = pd.DataFrame({tr("code", lang): [code_str(c) for c in m.index],
                          tr("sector", lang): [names[c] for c in m.index],
                          f"{tr('co2_direct', lang)} [{unit}]": m["direct"].to_numpy(),
                          f"{tr('co2_intensity', lang)} [{iunit_show}]": m["intensity"].to_numpy(),
                          f"{tr('co2_multiplier', lang)} [{iunit_show}]":
                              m["multiplier_domestic"].to_numpy()})
    sec.sheets.append(Sheet("carbon-sectors", tr("carbon_by_sector", lang),
                            sheet.sort_values(sheet.columns[4], ascending=False), show=15))
    if track_ids:
        try:
            trk = footprint(t2, by="track").frame
        except LianpuError as exc:
            sec.paragraphs.append(str(exc))
        else:
            trk = trk.loc[[i for i in track_ids if i in trk.index]]
            cols = {tr("track", lang): trk["name_zh" if zh else "name_en"].to_numpy(),
                    tr("code", lang): trk["sectors"].to_numpy(),
                    f"{tr('co2_direct', lang)} [{unit}]": trk["direct"].to_numpy(),
                    f"{tr('co2_direct', lang)} [%]": 100 * trk["direct_share"].to_numpy(),
                    f"{name('footprint_dta')} [{unit}]": trk["footprint_dta"].to_numpy()}
            for c in trk.columns:  # the footprint by final-use role explains its sign
                if c.startswith("fp_") and c != "fp_exports":
                    cols[f"{COMPONENT_NAMES[c[3:]][0 if zh else 1]} [{unit}]"] = \
                        trk[c].to_numpy()
            sec.sheets.append(Sheet("carbon-tracks", tr("carbon_by_track", lang),
                                    pd.DataFrame(cols)))
            sec.paragraphs.extend(n for n in trk["note_zh" if zh else "note_en"] if n)
    sec.paragraphs.append(("口径：" + BASIS_ZH) if zh else ("Basis: " + BASIS))
    _carbon_mrio(sec, table, cat, lang, data_dir, unit)
    sec.paragraphs.extend(result_notes(cat, lang,
                                       keep=lambda n: n.startswith("co2:") or "CEADs" in n))
    return sec


def _carbon_mrio(sec, table, cat, lang, data_dir, unit) -> None:
    """The DTA footprint beside the MRIO one (WIOD 2013, same year, CEADs for China only),
    or a sentence saying why there is none for this year."""
    from ..analysis.carbon.mrio import compare, nearest_wiod_year, wiod_footprint
    from ..data import registry
    zh = lang == "zh"
    y, why = nearest_wiod_year(table.year)
    if y is None or not registry.is_cached(f"wiod2013-{y}", data_dir):
        sec.paragraphs.append(
            (f"本年份（{table.year}）没有可用的多区域投入产出表（WIOD 2013 只到 2011 年，省级多区域表尚未建成），"
             "因此只能给出国内技术假设下的足迹；以国外排放强度计算的研究给出的中国净转移排放要高出数倍。"
             if zh else why or f"wiod2013-{y} is not in the data cache, so no MRIO footprint "
             "is shown beside the DTA one"))
        return
    from ..io import load
    try:
        m = wiod_footprint(load(f"wiod2013-{y}", data_dir=data_dir), data_dir=data_dir,
                           inventory=_inventory(table, data_dir))
    except LianpuError as exc:
        sec.paragraphs.append(str(exc))
        return
    f = compare(cat, m)
    miss = "缺（无国外排放强度）" if zh else "missing (no foreign intensities)"
    sec.sheets.append(Sheet("carbon-mrio", "国内技术假设与多区域足迹对照" if zh else
                            "DTA footprint beside the MRIO footprint", pd.DataFrame({
                                tr("indicator", lang): list(f["name_zh" if zh else "name_en"]),
                                f"DTA [{unit}]": f["dta"].to_numpy(),
                                f"MRIO {m.table} [{unit}]": [miss if np.isnan(v) else v
                                                             for v in f["mrio"]]})))
    sec.paragraphs.append(
        f"多区域表 {m.table} 只有中国的排放强度（CEADs），其他 {len(m.missing)} 个经济体的排放强度不在数据中："
        "进口部分、MRIO 足迹和净转移排放因此缺失，未作估计。" if zh else m.notes[-2])


def _inventory(table, data_dir):
    """The CEADs national inventory for the table's year, read once per process (the workbook
    takes a second to parse); None lets ``co2_satellite`` read it — and word any error."""
    from ..analysis.carbon.footprint import match_year
    from ..data import registry
    if getattr(table, "province", None):  # a province: co2_satellite reads its own inventory
        return None
    if table.year is None or not registry.is_cached("ceads-china", data_dir):
        return None
    path = registry.path_of("ceads-china", data_dir)
    return _read_national(match_year(table.year)[0], str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _read_national(year, path, mtime):
    from ..satellites.co2.inventory import read_national
    return read_national(year, path=path)


# --------------------------------------------------------------------------- scenario
def impact_section(table, lang, demand, type: str = "II", key="impact",
                   title=None, lead=None) -> Section:
    """Direct, indirect (and induced) effects of ``demand`` ({sector: amount in the table's
    unit}, or a parsed :class:`~lianpu.analysis.scenarios.demand.Demand`) on output, value
    added and income; the numbers are ``lianpu.impact``'s."""
    from ..analysis.defaults import demand_items, effects_view, impact_with_fallback
    t = effects_view(table)[0]
    res, why_not_ii = impact_with_fallback(table, demand, type)
    type = res.type
    demand = demand_items(table, demand)
    src, year, unit = source_text(table, lang), table.year, Unit.parse(table.unit).text(lang)
    names = table.label(lang)
    sec = Section(key, title or tr("scenario", lang), lead or "")
    if lead is None:
        parts = [f"{names[c]}（{code_str(c)}）{fmt_num(a, 0)} {unit}" if lang == "zh" else
                 f"{names[c]} ({code_str(c)}) {fmt_num(a, 0)} {unit}" for c, a in demand.items()]
        sec.lead = tr("scenario_run_lead", lang, demand="；".join(parts) if lang == "zh"
                      else "; ".join(parts), type=type)
    effs = res.effects
    tot = res.totals()
    rows = []
    for (ind, _), r in tot.iterrows():
        rows.append([_ind_name(ind, res, lang), r["unit"].replace("10,000 CNY (万元)", unit)]
                    + [float(r[e]) for e in effs])
    sec.sheets.append(Sheet(f"{key}-totals", tr("impact_totals", lang), decimals_by_row(
        pd.DataFrame(rows, columns=[tr("indicator", lang), tr("unit", lang)]
                     + [tr(e, lang) for e in effs]))))  # rows in their own units
    by = pd.DataFrame({tr("code", lang): [code_str(c) for c in t.index],
                       tr("sector", lang): [names[c] for c in t.index]})
    out_name = _ind_name("output", res, lang)
    for e in effs:
        by[f"{out_name}·{tr(e, lang)} [{unit}]"] = res.effect("output", e)[:, 0]
    for ind in [i for i in res.indicators if i != "output"]:
        u = res.units[ind].replace("10,000 CNY (万元)", unit)
        by[f"{_ind_name(ind, res, lang)}·{tr('total', lang)} [{u}]"] = \
            res.effect(ind, "total")[:, 0]
    by = by.sort_values(by.columns[2 + len(effs) - 1], ascending=False).reset_index(drop=True)
    sec.sheets.append(Sheet(f"{key}-sectors", tr("impact_by_sector", lang), by, show=20))
    k, dunit = Unit.parse(table.unit).display(lang)
    head = by.head(15)
    parts = [e for e in effs if e != "total"]
    fig = fg.bars_grouped(list(head[tr("sector", lang)]),
                          {tr(e, lang): head[f"{out_name}·{tr(e, lang)} [{unit}]"].to_numpy() * k
                           for e in parts},
                          tr("impact_chart", lang), dunit, src, year, lang,
                          colors=list(EFFECT_COLORS), stacked=True, horizontal=True,
                          height=max(380, 30 * len(head) + 170))
    sec.figures.append(Figure(f"{key}-chart", tr("impact_chart", lang), fig, dunit, src, year))
    sec.paragraphs.extend(_impact_notes(res, table, lang))
    if why_not_ii:
        sec.paragraphs.append(tr("no_type2", lang, why=why_not_ii))
    return sec


def _ind_name(ind, res, lang):
    from ..analysis.scenarios.impact import INDICATOR_NAMES
    zh, en = INDICATOR_NAMES.get(ind) or res.indicator_names.get(ind, (ind, ind))
    return zh if lang == "zh" else en


def _impact_notes(res, table, lang):
    from ..analysis.defaults import effects_view
    out = []
    b = res.basis
    if b:
        out.append(("计算口径：" + b["note_zh"] + "。") if lang == "zh" else
                   ("Basis: " + b["note_en"] + "."))
    if effects_view(table)[1] == "domestic":
        out.append(tr("impact_domestic_note", lang))
    if res.type == "II":
        out.append(tr("impact_type2_note", lang))
        if res.closure:  # which households were closed, and a warning for an explicit TC
            out.append(("II型居民收口：" if lang == "zh" else "Type II closure: ")
                       + res.closure[f"text_{lang}"] + ("。" if lang == "zh" else "."))
            if res.closure[f"warning_{lang}"]:
                out.append(res.closure[f"warning_{lang}"] + ("。" if lang == "zh" else "."))
    return out


def scenario_section(table, lang, track_ids=(), project=None) -> Section:
    from ..analysis.defaults import example_demand
    demand = project or example_demand(table, track_ids)
    sec = impact_section(table, lang, demand, type="II", key="scenario")
    c, a = next(iter(demand.items()))
    k, dunit = Unit.parse(table.unit).display(lang)
    sec.lead = tr("scenario_lead", lang, sector=table.label(lang)[c],
                  amount=f"{fmt_num(a * k, 0)} {dunit}") + " " + sec.lead
    return sec
