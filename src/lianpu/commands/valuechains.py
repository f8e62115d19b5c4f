"""CLI commands for value chains, prices and CBAM (registered on the app of commands._app):
``lianpu gvc``, ``lianpu prices``, ``lianpu cbam``. Thin: each calls lianpu.analysis and prints."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..core.codes import code_str
from ..core.units import fmt_num, fmt_pct
from ._app import app
from ._screen import columns, money, notes, notes_of, pick, region_name, show, table, word
from ._shared import (BASIS, DATA_DIR, FMT, JSON, LANG, UserError, basis_arg, basis_line, emit,
                      lang_arg, load, out)


@app.command()
def gvc(source: str = typer.Argument(..., help="Multi-regional table: dataset id or file "
                                     "(e.g. wiod2013-2011)."),
        country: Optional[str] = typer.Option(None, "--country", help="Exporter to show (code "
                                              "or name, e.g. CHN, 中国); all when omitted."),
        level: str = typer.Option("country", "--level", help="country, sector, bilateral or "
                                  "bilateral_sector."),
        method: str = typer.Option("wwz", "--method", help="kww (9 terms), wwz (16 terms) or "
                                   "bm (Borin–Mancini source/sink)."),
        measures: bool = typer.Option(False, "--participation", help="Also GVC participation "
                                      "and position (Wang et al. 2017; Koopman et al. 2010)."),
        top: int = typer.Option(15, "--top", help="Rows to print (table output)."),
        basis: str = BASIS, fmt: Optional[str] = FMT, lang: str = LANG,
        data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Gross-export decomposition 总出口增加值分解 (KWW, WWZ, Borin–Mancini) and GVC measures."""
    from ..analysis.valuechains import gvc as G
    lang_arg(lang)
    if method not in G.METHODS:
        raise UserError(f"--method: found {method!r}, expected one of {', '.join(G.METHODS)}")
    if level not in G.LEVELS:
        raise UserError(f"--level: found {level!r}, expected one of {', '.join(G.LEVELS)}")
    if method == "kww" and level != "country":
        raise UserError(f"--level: found {level!r} with --method kww, expected country "
                        "(KWW's terms are for total exports; use --method wwz or bm)")
    t = load(source, data_dir, fmt)
    res = G.decompose(t, method, level, country=country, basis=basis_arg(basis))
    extra = {}
    if measures:
        extra["participation"] = G.participation(t, country=country, basis=basis_arg(basis))
        extra["position"] = G.position(t, country=country, basis=basis_arg(basis))
    if as_json:
        d = res.to_dict()
        for k, r in extra.items():
            d[k] = {"by_country": r.to_dict()["by_country"], "rows": r.to_dict()["rows"],
                    "source": r.source}
        return emit(d)
    df = res.frame
    groups = {"kww": ["VAX", "RDV", "DVA", "DDC", "FVA", "FDC", "VS"],
              "wwz": ["DVA_FIN", "DVA_INT", "DVA_INTrex", "RDV", "DDC", "FVA", "FDC"],
              "bm": [f"{a}_{k}" for a in ("source", "sink") for k in ("DVA", "DDC", "FVA", "FDC")]
              }[method]
    k, shown = money(res.unit, lang)
    tab = table(pick(f"{method.upper()} 总出口分解 — {t.name}（{_LEVELS.get(level, level)}）",
                     f"{method.upper()} decomposition of gross exports — {t.name} ({level})", lang),
                pick(f"总出口单位：{shown}；各项为占总出口的比例（项目名为文献通用缩写）",
                     f"gross exports in {shown}; terms as shares of gross exports", lang)
                + f"; {res.source}")
    columns(tab, [(pick("行", "row", lang), "code"), (pick("总出口", "gross exports", lang), "num")]
            + [(g.replace("source_", "src ").replace("sink_", "snk "), "num") for g in groups])
    for idx, r in df.head(top).iterrows():
        key = code_str(idx)
        ge = r.gross_exports if r.gross_exports else float("nan")
        tab.add_row(key, fmt_num(r.gross_exports * k, 1), *(fmt_pct(r[g] / ge) for g in groups))
    show(tab)
    out.print(basis_line(res.basis.note_en, res.basis.note_zh, lang))
    notes(notes_of(res, lang), lang, style="")
    if measures:
        p = extra["participation"].extra["by_country"]
        q = extra["position"].extra["by_country"]
        tab2 = table(pick("全球价值链参与度与地位（按经济体）",
                          "GVC participation and position (by country)", lang))
        heads = [("代码", "code"), ("经济体", "country"), ("前向参与", "forward"),
                 ("后向参与", "backward"), ("增加值生产长度", "PLv_GVC"),
                 ("最终品生产长度", "PLy_GVC"), ("地位（Wang）", "position (Wang)"),
                 ("地位（Koopman）", "position (Koopman)")]
        columns(tab2, [(pick(zh_, en_, lang), "code" if i == 0 else "text" if i == 1 else "num")
                       for i, (zh_, en_) in enumerate(heads)])
        for c, r in p.head(top).iterrows():
            tab2.add_row(str(c), region_name(c, lang), fmt_pct(r.forward), fmt_pct(r.backward),
                         fmt_num(r.PLv_GVC, 3), fmt_num(r.PLy_GVC, 3), fmt_num(r.position, 3),
                         fmt_num(q.loc[c, "koopman_position"], 3))
        show(tab2)


_LEVELS = {"country": "经济体", "sector": "部门", "bilateral": "双边",
           "bilateral_sector": "双边分部门"}


def _pairs(items: List[str], flag: str) -> dict:
    out = {}
    for it in items or []:
        for part in it.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise UserError(f"{flag}: found {part!r}, expected CODE=PERCENT (e.g. 03=20)")
            k, v = part.split("=", 1)
            try:
                out[k.strip()] = float(v)
            except ValueError:
                raise UserError(f"{flag}: found {v!r} for {k.strip()}, expected a number") from None
    return out


@app.command()
def prices(source: str = typer.Argument(..., help="Dataset id or table file (national or "
                                        "provincial table)."),
           carbon_price: float = typer.Option(0.0, "--carbon-price", help="元 per t CO2 on "
                                              "direct emissions (CEADs)."),
           wage_rise: float = typer.Option(0.0, "--wage-rise", help="Percent rise of "
                                           "compensation of employees per unit of output."),
           tax_rise: float = typer.Option(0.0, "--tax-rise", help="Percent rise of net "
                                          "production taxes."),
           import_price: List[str] = typer.Option(None, "--import-price", help="CODE=PERCENT "
                                                  "rise of an imported product's price "
                                                  "(repeat or comma-separate)."),
           primary: List[str] = typer.Option(None, "--primary", help="ROW=PERCENT for any "
                                             "primary input (row code or role)."),
           exempt: Optional[str] = typer.Option(None, "--exempt", help="Comma-separated sector "
                                                "codes that hold their prices."),
           share: float = typer.Option(1.0, "--share", help="Pass-through share θ in (0, 1]."),
           top: int = typer.Option(10, "--top", help="Sectors to print."),
           basis: str = BASIS, fmt: Optional[str] = FMT, lang: str = LANG,
           data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Leontief price model 价格模型: cost-push effects on sector prices and household costs."""
    from ..analysis.valuechains.prices import cost_push
    lang_arg(lang)
    if not (0 < share <= 1):
        raise UserError(f"--share: found {share}, expected 0 < share ≤ 1")
    t = load(source, data_dir, fmt)
    res = cost_push(t, wage_rise=wage_rise, tax_rise=tax_rise,
                    primary=_pairs(primary, "--primary"),
                    import_price=_pairs(import_price, "--import-price"),
                    carbon_price=carbon_price,
                    exempt=[c.strip() for c in exempt.split(",")] if exempt else (),
                    share=share, data_dir=data_dir, basis=basis_arg(basis))
    if as_json:
        return emit(res.to_dict())
    name = "name_zh" if lang == "zh" else "name_en"
    tab = table(pick("价格变动", "Price changes", lang) + f" — {t.name}",
                res.pass_through["text_" + lang] + pick("；单位：占基期价格的百分比",
                                                        "; unit: % of the base price", lang))
    columns(tab, [(word("code", lang), "code"), (word("sector", lang), "text"),
                  (pick("直接成本变动", "direct cost", lang), "num"),
                  (pick("价格变动", "price change", lang), "num")])
    for code, r in res.by_sector.sort_values("price_change", ascending=False).head(top).iterrows():
        tab.add_row(str(code), str(r[name]), fmt_pct(r.direct, 2), fmt_pct(r.price_change, 2))
    show(tab)
    for k, r in res.households.iterrows():
        out.print(pick("生活成本 ", "cost of living ", lang) + f"{r[name]}: "
                  f"{fmt_pct(r.cost_of_living_change, 3)} "
                  f"({r.basket_source_zh if lang == 'zh' else r.basket_source})")
    if len(res.by_track):
        out.print(pick("赛道：", "tracks: ", lang) + pick("；", "; ", lang).join(
            f"{r[name]} {fmt_pct(r.price_change, 2)}" for _, r in res.by_track.iterrows()))
    out.print(basis_line(res.basis.note_en, res.basis.note_zh, lang))
    notes(notes_of(res, lang), lang, style="")


@app.command()
def cbam(source: str = typer.Argument(..., help="National or provincial NBS table "
                                      "(e.g. cn-nbs-2020-42, cn-prov-2017-51)."),
         price_gap: Optional[float] = typer.Option(None, "--price-gap", help="EUR per t CO2: "
                                                   "EU ETS price minus China's carbon price "
                                                   "(required; no default is shipped)."),
         eur_cny: Optional[float] = typer.Option(None, "--eur-cny", help="元 per EUR "
                                                 "(required)."),
         emissions: str = typer.Option("cbam", "--emissions", help="cbam (direct, + electricity "
                                       "for cement and fertilisers), direct or total."),
         eu_share: float = typer.Option(1.0, "--eu-share", help="Share of the sectors' exports "
                                        "going to the EU (default 1: all, an upper bound)."),
         phase_in: float = typer.Option(1.0, "--phase-in", help="Share of the full CBAM "
                                        "obligation (free allocation phased out 2026–2034)."),
         basis: str = BASIS, fmt: Optional[str] = FMT, lang: str = LANG,
         data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """EU CBAM exposure 碳边境调节机制敞口 by sector: an estimate at IO-sector resolution."""
    from ..analysis.valuechains.cbam import ESTIMATE_EN, ESTIMATE_ZH, EMISSIONS, exposure
    lang_arg(lang)
    if price_gap is None or eur_cny is None:
        raise UserError(("--price-gap" if price_gap is None else "--eur-cny") + ": required "
                        "(lianpu ships no default carbon price because it cannot cite a current "
                        "one): give --price-gap EUR_PER_T (EU ETS − China ETS, with your date and "
                        "source) and --eur-cny RATE")
    if emissions not in EMISSIONS:
        raise UserError(f"--emissions: found {emissions!r}, expected one of {', '.join(EMISSIONS)}")
    for flag, v in (("--eu-share", eu_share), ("--phase-in", phase_in)):
        if not 0 <= v <= 1:
            raise UserError(f"{flag}: found {v}, expected 0 ≤ value ≤ 1")
    t = load(source, data_dir, fmt)
    res = exposure(t, price_gap=price_gap, eur_cny=eur_cny, emissions=emissions,
                   eu_share=eu_share, phase_in=phase_in, data_dir=data_dir, basis=basis_arg(basis))
    if as_json:
        return emit(res.to_dict())
    name = "name_zh" if lang == "zh" else "name_en"
    k, shown = money(res.unit, lang)
    gap, rate = res.assumptions["price_gap_eur_per_t"], res.assumptions["eur_cny"]
    tab = table(pick("CBAM 敞口", "CBAM exposure", lang) + f" — {res.region} ({t.name})",
                pick(f"{gap:g} 欧元/吨 × {rate:g} 元/欧元；出口额与应缴额单位：{shown}；"
                     "排放强度单位：吨二氧化碳/万元",
                     f"{gap:g} EUR/t × {rate:g} CNY/EUR; exports and charges in {shown}; "
                     "intensity in t CO2 per 10,000 CNY", lang))
    columns(tab, [(word("code", lang), "code"), (word("sector", lang), "text"),
                  (pick("CBAM 产品组", "groups", lang), "text"),
                  (pick("出口", "exports", lang), "num"), (pick("排放强度", "intensity", lang), "num"),
                  (pick("应缴额", "charge", lang), "num"),
                  (pick("占出口比", "share of exports", lang), "num")])
    for code, r in res.by_sector.iterrows():
        tab.add_row(str(code), str(r[name]), r.groups, fmt_num(r.exports * k, 2),
                    fmt_num(r.intensity_t_per_10k_yuan, 3), fmt_num(r.charge * k, 2),
                    fmt_pct(r.charge_share_of_exports, 2))
    show(tab)
    tot = res.total
    out.print(pick(f"合计：{fmt_num(tot['charge'] * k, 2)} {shown}，占 CBAM 部门出口的 "
                   f"{fmt_pct(tot['charge_share_of_cbam_exports'], 2)}，占全部出口的 "
                   f"{fmt_pct(tot['charge_share_of_all_exports'], 3)}",
                   f"total: {fmt_num(tot['charge'] * k, 2)} {shown} = "
                   f"{fmt_pct(tot['charge_share_of_cbam_exports'], 2)} of CBAM-sector exports, "
                   f"{fmt_pct(tot['charge_share_of_all_exports'], 3)} of all exports", lang))
    out.print(ESTIMATE_ZH if lang == "zh" else ESTIMATE_EN)
    out.print(basis_line(res.basis.note_en, res.basis.note_zh, lang))
    notes(notes_of(res, lang)[:-1], lang, style="")


__all__ = ["cbam", "gvc", "prices"]
