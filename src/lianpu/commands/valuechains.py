"""CLI commands for value chains, prices and CBAM (registered on the app of commands._app):
``lianpu gvc``, ``lianpu prices``, ``lianpu cbam``. Thin: each calls lianpu.analysis and prints."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from ..core.codes import code_str
from ..core.units import fmt_num, fmt_pct
from ..safe_text import esc
from ._app import app
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
    tab = Table(title=f"{method.upper()} decomposition of gross exports — {esc(t.name)} ({level})",
                caption=f"unit: {res.unit}; shares of gross exports; {esc(res.source)}")
    tab.add_column("row")
    tab.add_column("gross exports", justify="right")
    for g in groups:
        tab.add_column(g.replace("source_", "src ").replace("sink_", "snk "), justify="right")
    for idx, r in df.head(top).iterrows():
        key = code_str(idx)
        ge = r.gross_exports if r.gross_exports else float("nan")
        tab.add_row(esc(key), fmt_num(r.gross_exports, 0), *(fmt_pct(r[g] / ge) for g in groups))
    out.print(tab)
    out.print(basis_line(res.basis.note_en, res.basis.note_zh, lang))
    for n in res.notes:
        out.print(f"note: {esc(n)}")
    if measures:
        p = extra["participation"].extra["by_country"]
        q = extra["position"].extra["by_country"]
        tab2 = Table(title="GVC participation and position (by country)")
        for c in ("country", "forward", "backward", "PLv_GVC", "PLy_GVC", "position (Wang)",
                  "position (Koopman)"):
            tab2.add_column(c, justify="left" if c == "country" else "right")
        for c, r in p.head(top).iterrows():
            tab2.add_row(str(c), fmt_pct(r.forward), fmt_pct(r.backward), fmt_num(r.PLv_GVC, 3),
                         fmt_num(r.PLy_GVC, 3), fmt_num(r.position, 3),
                         fmt_num(q.loc[c, "koopman_position"], 3))
        out.print(tab2)


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
    tab = Table(title=f"Price changes 价格变动 — {esc(t.name)}",
                caption=f"{esc(res.pass_through['text_' + lang])}; unit: % of the base price")
    for c in ("sector", "name", "direct cost", "price change"):
        tab.add_column(c, justify="right" if c in ("direct cost", "price change") else "left")
    for code, r in res.by_sector.sort_values("price_change", ascending=False).head(top).iterrows():
        tab.add_row(str(code), esc(str(r[name])), fmt_pct(r.direct, 2), fmt_pct(r.price_change, 2))
    out.print(tab)
    for k, r in res.households.iterrows():
        out.print(f"cost of living 生活成本 {esc(str(r[name]))}: {fmt_pct(r.cost_of_living_change, 3)} "
                  f"({esc(str(r.basket_source))})")
    if len(res.by_track):
        out.print("tracks 赛道: " + "; ".join(f"{esc(str(r[name]))} {fmt_pct(r.price_change, 2)}"
                                             for _, r in res.by_track.iterrows()))
    out.print(basis_line(res.basis.note_en, res.basis.note_zh, lang))
    for n in res.notes:
        out.print(f"note: {esc(n)}")


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
    tab = Table(title=f"CBAM exposure CBAM敞口 — {esc(res.region)} ({esc(t.name)})",
                caption=f"{res.assumptions['price_gap_eur_per_t']:g} EUR/t × "
                        f"{res.assumptions['eur_cny']:g} 元/EUR; exports and charges in {res.unit}")
    for c in ("sector", "name", "groups", "exports", "t CO2/万元", "charge", "share of exports"):
        tab.add_column(c, justify="left" if c in ("sector", "name", "groups") else "right")
    for code, r in res.by_sector.iterrows():
        tab.add_row(str(code), esc(str(r[name])), esc(r.groups), fmt_num(r.exports, 0),
                    fmt_num(r.intensity_t_per_10k_yuan, 3), fmt_num(r.charge, 0),
                    fmt_pct(r.charge_share_of_exports, 2))
    out.print(tab)
    tot = res.total
    out.print(f"total 合计: {fmt_num(tot['charge'], 0)} ({res.unit}) = {fmt_pct(tot['charge_share_of_cbam_exports'], 2)} "
              f"of CBAM-sector exports, {fmt_pct(tot['charge_share_of_all_exports'], 3)} of all exports")
    out.print(ESTIMATE_ZH if lang == "zh" else ESTIMATE_EN)
    out.print(basis_line(res.basis.note_en, res.basis.note_zh, lang))
    for n in res.notes[:-1]:
        out.print(f"note: {esc(n)}")


__all__ = ["cbam", "gvc", "prices"]
