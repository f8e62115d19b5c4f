"""Per-track "maps and lists" (N图N清单): chain panorama map, tier table, weak-link, risk and
investment-attraction lists, strengths and multipliers — from ``lianpu.chain``,
``lianpu.weaklinks`` and ``lianpu.multipliers``."""
from __future__ import annotations

import pandas as pd

from ..analysis._result import code_str
from ..analysis.defaults import chain_region, effects_view
from ..core.units import Unit
from . import figures as fg
from .common import analysis, multipliers_block
from .i18n import basis_text, source_text, tr
from .model import Figure, Section, Sheet
from .panorama import panorama

TIER_ROWS = 20


def all_track_ids() -> list[str]:
    from ..analysis.tracks.catalogue import tracks
    return list(tracks())


def color_of(track_id) -> str:
    if isinstance(track_id, str):
        return fg.track_color(track_id, all_track_ids())
    return fg.PALETTE[-1]  # a custom sector selection


def tracks_section(table, ids, lang, children=None) -> Section:
    """The chains chapter: one child per track (built here from ``ids``, or given)."""
    sec = Section("tracks", tr("tracks", lang), tr("tracks_lead", lang))
    sec.children = list(children) if children is not None else [
        track_section(table, i, lang) for i in ids]
    if not sec.children:
        sec.paragraphs.append(tr("no_tracks", lang))
    return sec


def chain_result(table, track, region=None):
    """``lianpu.chain`` of a track or sector list (in ``region`` of an MRIO), cached per table."""
    from ..analysis.chains.chainmap import chain
    reg = chain_region(table, region)
    key = ("chain", track if isinstance(track, str) else tuple(map(str, track)), reg)
    return analysis(table, key, lambda t: chain(t, track if isinstance(track, str)
                                               else list(track), region=reg))


def track_section(table, track, lang, region=None) -> Section:
    """One track (id) or a custom selection (sequence of sector codes)."""
    if isinstance(track, str):  # a track carved out of a sector: analysed on the split table
        from ..analysis.tracks.carveout import carved_table
        table = carved_table(table, track)
    cm = chain_result(table, track, region)
    tid = track if isinstance(track, str) else "custom-" + "-".join(map(str, track))[:40]
    name = cm.name_zh if lang == "zh" else cm.name_en
    if not isinstance(track, str):
        name = f"{name}：{'、'.join(map(str, track))}" if lang == "zh" else \
            f"{name}: {', '.join(map(str, track))}"
    color = color_of(track)
    src, year = source_text(table, lang), table.year
    k, dunit = Unit.parse(table.unit).display(lang)
    sec = Section(f"track-{tid}", name, color=color)
    sec.paragraphs.append(_summary(cm, table, lang))
    note = (cm.note_zh or cm.note) if lang == "zh" else cm.note
    if note:
        sec.paragraphs.append(("产业链与投入产出部门的对应：" if lang == "zh" else
                               "Mapping to IO sectors: ") + note)
    basis = effects_view(table)[0]  # the same view lianpu.chain uses (domestic=True)
    fig, _ = panorama(cm, lang, color, src, year, unit_k=k, unit=dunit,
                      Z=basis.Z.to_numpy(), index=basis.index)
    sec.figures.append(Figure(f"{tid}-panorama", tr("panorama", lang), fig, dunit, src, year,
                              note=tr("panorama_note", lang)))
    sec.sheets.append(Sheet(f"tiers-{tid}", f"{tr('tier_table', lang)}·{name}"[:60],
                            tier_frame(cm, table, lang), show=TIER_ROWS))
    from .lists import list_sections
    sec.children.extend(list_sections(table, track, tid, name, lang, color, region=region))
    mfig, msheet = multipliers_block(table, lang, f"mult-{tid}", codes=list(cm.track_sectors),
                                     title=f"{tr('track_multipliers', lang)}·{name}"[:60],
                                     color=color)
    sec.children.append(Section(f"{tid}-multipliers", tr("track_multipliers", lang),
                                figures=[mfig], sheets=[msheet]))
    return sec


def _summary(cm, table, lang) -> str:
    s = cm.summary
    k, dunit = Unit.parse(table.unit).display(lang)
    return tr("chain_summary", lang, n=len(cm.track_sectors), output=s["track_output"] * k,
              fd=s["final_demand"] * k, total=s["total_requirement"] * k,
              mult=s["output_multiplier"], indirect=s["indirect_requirement"] * k, unit=dunit,
              basis=basis_text(cm.basis, lang))


def tier_frame(cm, table, lang) -> pd.DataFrame:
    """Core sectors, then upstream suppliers by indirect requirement, then direct buyers."""
    up, down = cm.upstream, cm.downstream
    names = table.label(lang)
    unit = Unit.parse(table.unit).text(lang)
    rows = []
    for c, r in up[up.in_track].iterrows():
        rows.append([code_str(c), names.get(c, r["name_zh"]), tr("core", lang), r["output"],
                     r["direct_input"], r["total"], r["apl"], r["upstreamness"]])
    sup = up[~up.in_track & (up["indirect"] > 0)].head(TIER_ROWS)
    for c, r in sup.iterrows():
        t = int(r["tier"])
        tier = (f"{tr('upstream', lang)}（第{t}层）" if lang == "zh" else
                f"{tr('upstream', lang)} (tier {t})") if t else tr("upstream", lang)
        rows.append([code_str(c), names.get(c, r["name_zh"]), tier, r["output"], r["direct_input"],
                     r["indirect"], r["apl"], r["upstreamness"]])
    buy = down[~down.in_track & (down["direct_sales"] > 0)].head(10)
    for c, r in buy.iterrows():
        rows.append([code_str(c), names.get(c, r["name_zh"]), tr("downstream", lang),
                     float(table.x.loc[c]) if c in table.x.index else float("nan"),
                     r["direct_sales"], r["forward_total"], r["apl_forward"],
                     float(up.loc[c, "upstreamness"]) if c in up.index else float("nan")])
    cols = [tr("code", lang), tr("sector", lang), tr("tier", lang),
            f"{tr('gross_output', lang)} [{unit}]", f"{tr('tier_direct', lang)} [{unit}]",
            f"{tr('tier_total', lang)} [{unit}]", f"{tr('apl', lang)} [{tr('steps', lang)}]",
            f"{tr('upstreamness', lang)} [{tr('ratio_unit_short', lang)}]"]
    return pd.DataFrame(rows, columns=cols)
