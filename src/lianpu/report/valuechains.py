"""Report section 六、价值链与价格 / 6. Value chains and prices, built only from analysis results:
on a multi-regional table the gross-export decomposition (KWW) and GVC participation and
position by country (``lianpu.gvc``); on a single-region table the cost push of a 100 元/t
carbon price (``lianpu.prices``). CBAM exposure needs a carbon-price gap the user states, so
the report only says how to run it."""
from __future__ import annotations

from functools import partial

import pandas as pd

from ..core.errors import LianpuError
from .i18n import join_notes, result_notes
from .model import Figure, Section, Sheet

TITLE = ("六、价值链与价格", "6. Value chains and prices")
CARBON_PRICE = 100.0   # 元/t, an illustrative price for the report (stated in the text)


def step(table, data_dir=None):
    """(progress label, callable(lang) → Section) for :func:`lianpu.report.content.plan`."""
    return ("value chains", partial(valuechains_section, table, data_dir=data_dir))


def _pct(s):
    return (100 * s).round(2)


def valuechains_section(table, lang: str, data_dir=None) -> Section:
    zh = lang == "zh"
    sec = Section("valuechains", TITLE[0] if zh else TITLE[1])
    try:
        if table.is_multiregional:
            _gvc(sec, table, zh)
        else:
            _prices(sec, table, zh, data_dir)
    except LianpuError as exc:
        sec.paragraphs.append(("本表无法计算：" if zh else "Not available for this table: ") + str(exc))
    sec.paragraphs.append(
        "欧盟碳边境调节机制（CBAM）敞口需由使用者给定碳价差（欧盟碳价减中国碳价，注明日期和来源）："
        "lianpu cbam 表 --price-gap 欧元/吨 --eur-cny 汇率；结果为投入产出部门口径的估算。"
        if zh else
        "CBAM exposure needs a carbon-price gap you state (EU ETS minus China's price, with date "
        "and source): lianpu cbam SOURCE --price-gap EUR_PER_T --eur-cny RATE; it is an estimate "
        "at IO-sector resolution.")
    return sec


def _gvc(sec, table, zh):
    from ..analysis.valuechains import gvc
    k = gvc.decompose(table, "kww")
    f = k.frame
    cols = ["VAX", "RDV", "DVA", "DDC", "FVA", "FDC", "VS"]
    df = pd.DataFrame({("总出口" if zh else "gross exports") + f" [{k.unit}]": f.gross_exports})
    for c in cols:
        df[f"{c} [%]"] = _pct(f[f"{c}_share"])
    df.index.name = "国家/地区" if zh else "country"
    sec.lead = ("按 Koopman, Wang & Wei (2014) 将总出口分解为九项：被国外吸收的国内增加值（VAX）、返回本国的"
                "国内增加值（RDV）、重复计算（DDC、FDC）和国外增加值（FVA）；各项之和严格等于总出口。"
                if zh else
                "Gross exports split into Koopman, Wang & Wei's (2014) nine terms: domestic value "
                "added absorbed abroad (VAX), returning home (RDV), double counting (DDC, FDC) and "
                "foreign value added (FVA); the terms sum exactly to gross exports.")
    sec.sheets.append(Sheet("gvc-kww", "总出口分解（KWW）" if zh else "Gross exports (KWW)",
                            df.reset_index(), note=k.basis.text("zh" if zh else "en")))
    from . import figures as fg
    from .i18n import source_text
    top = f.sort_values("gross_exports", ascending=False).head(15)
    title = ("总出口中的国外增加值与重复计算（VS）占比" if zh else
             "Foreign content of gross exports (VS share)")
    src = source_text(table, "zh" if zh else "en")
    fig = fg.bar_h(list(top.index.astype(str)), list(100 * top["VS_share"]), title, "%", src,
                   table.year, "zh" if zh else "en")
    sec.figures.append(Figure("gvc-vs", title, fig, "%", src, table.year))
    p = gvc.participation(table).extra["by_country"]
    q = gvc.position(table).extra["by_country"]
    d2 = pd.DataFrame({"前向参与度 [%]" if zh else "forward participation [%]": _pct(p.forward),
                       "后向参与度 [%]" if zh else "backward participation [%]": _pct(p.backward),
                       "PLv_GVC": p.PLv_GVC.round(3), "PLy_GVC": p.PLy_GVC.round(3),
                       ("位置指数 PLv/PLy" if zh else "position PLv/PLy"): p.position.round(3),
                       ("Koopman地位指数" if zh else "Koopman position"): q.koopman_position.round(3)})
    d2.index.name = "国家/地区" if zh else "country"
    sec.sheets.append(Sheet("gvc-participation", "GVC参与度与地位" if zh else "GVC participation and position",
                            d2.reset_index(), note=p.attrs.get("source", "Wang et al. 2017; Koopman et al. 2010")))


def _prices(sec, table, zh, data_dir):
    from ..analysis.valuechains.prices import cost_push
    r = cost_push(table, carbon_price=CARBON_PRICE, data_dir=data_dir)
    lang = "zh" if zh else "en"
    sec.lead = (f"投入产出价格模型（Miller & Blair 2009 §2.6）：对各部门直接排放征收 {CARBON_PRICE:g} 元/吨"
                f"二氧化碳的碳价（示例价格），{r.pass_through['text_zh']}，各部门价格与居民生活成本的变动。"
                if zh else
                f"Leontief price model (Miller & Blair 2009 §2.6): a carbon price of "
                f"{CARBON_PRICE:g} 元/t CO2 (illustrative) on every sector's direct emissions, "
                f"{r.pass_through['text_en']}; sector prices and household living costs.")
    by = r.by_sector.sort_values("price_change", ascending=False).head(30)
    name = "name_zh" if zh else "name_en"
    df = pd.DataFrame({("部门" if zh else "sector"): by[name],
                       ("直接成本上升 [%]" if zh else "direct cost increase [%]"): _pct(by.direct),
                       ("价格上涨 [%]" if zh else "price increase [%]"): _pct(by.price_change)})
    df.index.name = "代码" if zh else "code"
    sec.sheets.append(Sheet("prices-carbon", "碳价对部门价格的影响" if zh else "Carbon price: sector prices",
                            df.reset_index(), note=r.basis.text(lang)))
    from . import figures as fg
    from .i18n import source_text
    top = by.head(15)
    title = (f"{CARBON_PRICE:g} 元/吨碳价下价格上涨最多的部门" if zh else
             f"Largest price increases at {CARBON_PRICE:g} 元/t CO2")
    src = source_text(table, lang)
    fig = fg.bar_h(list(top[name]), list(100 * top.price_change), title, "%", src, table.year,
                   lang, color="#c0392b")
    sec.figures.append(Figure("prices-carbon-chart", title, fig, "%", src, table.year))
    hh = r.households
    if len(hh):
        d2 = pd.DataFrame({("篮子" if zh else "basket"): hh[name],
                           ("生活成本上升 [%]" if zh else "cost of living [%]"): _pct(hh.cost_of_living_change.astype(float)),
                           ("口径" if zh else "basket used"):
                           hh.basket_source_zh if zh else hh.basket_source})
        sec.sheets.append(Sheet("prices-households", "居民生活成本" if zh else "Household cost of living",
                                d2, note=join_notes(result_notes(r, lang), lang)))
