"""The planner's lists of one track — 短板清单, 风险清单, 招商清单, 优势环节 — and the chain's
supply structure (domestic vs imported inputs), from ``lianpu.weaklinks``."""
from __future__ import annotations

import pandas as pd

from ..analysis._result import code_str
from ..core.units import Unit
from . import figures as fg
from .i18n import source_text, tr
from .model import Figure, Section, Sheet

TOP = 10


def weak_result(table, track, region=None):
    """``lianpu.weaklinks`` of a track or sector list (in ``region`` of an MRIO), cached per
    table."""
    from ..analysis.chains.weaklinks import weaklinks
    from ..analysis.defaults import chain_region
    from .common import analysis
    reg = chain_region(table, region)
    key = ("weaklinks", track if isinstance(track, str) else tuple(map(str, track)), reg)
    return analysis(table, key, lambda t: weaklinks(t, track if isinstance(track, str)
                                                   else list(track), top=TOP, region=reg))


def _pct(v):
    return 100 * pd.to_numeric(v, errors="coerce").to_numpy(dtype=float)


def _base(df, table, lang):
    names = table.label(lang)
    return pd.DataFrame({tr("rank", lang): df["rank"].to_numpy() if "rank" in df else
                         range(1, len(df) + 1),
                         tr("code", lang): [code_str(c) for c in df.index],
                         tr("sector", lang): [names.get(c, df.loc[c, "name_zh"])
                                              for c in df.index]})


def _reason(lang, **kv):
    parts = []
    for k, v in kv.items():
        if v is None or v != v:
            continue
        label = tr(k, lang)
        parts.append(f"{label}{v:.1f}%" if lang == "zh" else f"{label} {v:.1f}%")
    return "，".join(parts) if lang == "zh" else ", ".join(parts)


def list_sections(table, track, tid, name, lang, color, region=None) -> list[Section]:
    wl = weak_result(table, track, region)
    unit = Unit.parse(table.unit).text(lang)
    src, year = source_text(table, lang), table.year
    k, dunit = Unit.parse(table.unit).display(lang)
    out = []
    # supply structure: the chain's largest inputs, domestic vs imported (a "map" of the lists)
    links = wl.links.head(12)
    names = table.label(lang)
    provincial = "chain_inflow" in links
    parts = {tr("local_supply" if provincial else "domestic_supply", lang):
             links["chain_domestic"].to_numpy() * k,
             tr("imported_supply", lang): links["chain_imported"].to_numpy() * k}
    if provincial:  # local supply, other provinces and abroad: three parts, shown apart
        parts[tr("inflow_supply", lang)] = links["chain_inflow"].to_numpy() * k
    fig = fg.bars_grouped([names.get(c, c) for c in links.index], parts,
                          f"{tr('supply_structure', lang)}·{name}", dunit, src, year, lang,
                          colors=[color, "#9aa3ad", "#e0a458"][:len(parts)], stacked=True,
                          horizontal=True, height=max(380, 30 * len(links) + 170))
    summ = wl.summary
    lead = tr("weak_lead", lang, share=100 * summ["import_share"],
              content=100 * summ["import_content"])
    if provincial:
        lead = tr("weak_lead_province", lang, outside=100 * summ["outside_share"],
                  share=100 * summ["import_share"], inflow=100 * summ["inflow_share"])
    # 短板清单
    sb = wl.shortboard
    f = _base(sb, table, lang)
    if provincial:
        f[f"{tr('outside_share', lang)} [%]"] = _pct(sb["outside_share"])
    f[f"{tr('import_share', lang)} [%]"] = _pct(sb["import_share"])
    if provincial:
        f[f"{tr('inflow_share', lang)} [%]"] = _pct(sb["inflow_share"])
    f[f"{tr('requirement_share', lang)} [%]"] = _pct(sb["requirement_share"])
    f[f"{tr('chain_imported', lang)} [{unit}]"] = sb["chain_imported"].to_numpy()
    if provincial:
        f[f"{tr('chain_inflow', lang)} [{unit}]"] = sb["chain_inflow"].to_numpy()
    f[f"{tr('supply_chokepoint', lang)} [%]"] = _pct(sb["supply_chokepoint"])
    f[tr("reason", lang)] = [_reason(lang, import_share=100 * r.import_share,
                                     requirement_share=100 * r.requirement_share)
                             for r in sb.itertuples()]
    weak = Section(f"{tid}-weak", tr("weak_list", lang), lead,
                   figures=[Figure(f"{tid}-supply", tr("supply_structure", lang), fig, dunit, src,
                                   year, note=tr("supply_note", lang))])
    weak.sheets.append(Sheet(f"weak-{tid}", f"{tr('weak_list', lang)}·{name}"[:60], f,
                             note=tr("weak_note", lang)))
    out.append(_empty_note(weak, f, lang))
    # 风险清单: import stops and domestic supply chokepoints
    rk = wl.risk
    f = _base(rk, table, lang)
    f[f"{tr('import_stop_risk', lang)} [%]"] = _pct(rk["cut_loss"] if rk["cut_loss"].notna().any()
                                                    else rk["ghosh_cut_loss"])
    f[f"{tr('ghosh_cut_loss', lang)} [%]"] = _pct(rk["ghosh_cut_loss"])
    f[f"{tr('import_share', lang)} [%]"] = _pct(rk["import_share"])
    f[f"{tr('requirement_share', lang)} [%]"] = _pct(rk["requirement_share"])
    for col in ("top_origin", "top_origin_share", "hhi"):
        if col in rk:
            f[tr(col, lang)] = rk[col].to_numpy()
    risk = Section(f"{tid}-risk", tr("risk_list", lang), tr("risk_lead", lang))
    risk.sheets.append(Sheet(f"risk-{tid}", f"{tr('risk_list', lang)}·{name}"[:60], f,
                             note=tr("risk_note", lang)))
    ch = wl.chokepoints.head(TOP)
    c = _base(ch.assign(rank=range(1, len(ch) + 1)), table, lang)
    c[f"{tr('supply_loss_share', lang)} [%]"] = _pct(ch["supply_loss_share"])
    c[f"{tr('market_loss_share', lang)} [%]"] = _pct(ch["market_loss_share"])
    c[f"{tr('gross_output', lang)} [{unit}]"] = ch["output"].to_numpy()
    risk.sheets.append(Sheet(f"choke-{tid}", f"{tr('chokepoints', lang)}·{name}"[:60], c,
                             note=tr("choke_note", lang)))
    out.append(_empty_note(risk, f, lang))
    # 招商清单
    at = wl.attraction
    f = _base(at, table, lang)
    f[f"{tr('chain_imported', lang)} [{unit}]"] = at["chain_imported"].to_numpy()
    if provincial:
        f[f"{tr('chain_inflow', lang)} [{unit}]"] = at["chain_inflow"].to_numpy()
        f[f"{tr('outside_share', lang)} [%]"] = _pct(at["outside_share"])
    f[f"{tr('import_share', lang)} [%]"] = _pct(at["import_share"])
    f[f"{tr('requirement_share', lang)} [%]"] = _pct(at["requirement_share"])
    f[f"{tr('imported_per_unit', lang)} [{unit}/{unit}]"] = at["imported_per_unit"].to_numpy()
    attract = Section(f"{tid}-attract", tr("attract_list", lang), tr("attract_lead", lang))
    attract.sheets.append(Sheet(f"attract-{tid}", f"{tr('attract_list', lang)}·{name}"[:60], f,
                                note=tr("attract_note", lang)))
    if len(wl.excluded):
        attract.paragraphs.append(tr("attract_excluded", lang) + ("；" if lang == "zh" else "; ").join(
            f"{names.get(c, r.name_zh)}（{r.reason_zh}）" if lang == "zh" else
            f"{names.get(c, r.name_en)} ({r.reason_en})" for c, r in wl.excluded.iterrows()))
    out.append(_empty_note(attract, f, lang))
    # 优势环节
    st = wl.strengths
    s = _base(st.assign(rank=range(1, len(st) + 1)), table, lang)
    s[tr("power", lang)] = st["power_of_dispersion"].to_numpy()
    s[tr("sensitivity", lang)] = st["sensitivity"].to_numpy()
    s[tr("sector_type", lang)] = st["type_zh" if lang == "zh" else "type_en"].to_numpy()
    s[f"{tr('output_multiplier', lang)} [{unit}/{unit}]"] = st["output_multiplier"].to_numpy()
    s[f"{tr('va_multiplier', lang)} [{unit}/{unit}]"] = st["va_multiplier"].to_numpy()
    s[f"{tr('export_share', lang)} [%]"] = _pct(st["export_share"])
    if "import_content" in st:
        s[f"{tr('import_content', lang)} [{unit}/{unit}]"] = st["import_content"].to_numpy()
    strong = Section(f"{tid}-strengths", tr("strengths", lang), tr("strengths_lead", lang))
    strong.sheets.append(Sheet(f"strength-{tid}", f"{tr('strengths', lang)}·{name}"[:60], s))
    out.append(strong)
    return out


def _empty_note(sec, frame, lang):
    if frame.empty:
        sec.paragraphs.append(tr("none_found", lang))
    return sec
