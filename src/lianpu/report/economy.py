"""Key sectors (影响力系数 × 感应度系数), production inducement by final-use item and the
economy's multipliers — from ``lianpu.keysectors`` and ``lianpu.multipliers``."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..analysis._result import code_str
from ..core.units import Unit
from . import figures as fg
from .common import analysis, multipliers_block
from .i18n import source_text, tr
from .model import Figure, Section, Sheet

QUADRANT_OF_TYPE = {"key": "q1", "forward": "q2", "weak": "q3", "backward": "q4"}
ITEMS = ("consumption", "capital", "exports", "other")


def keysector_frame(table):
    """``lianpu.keysectors(table)``, cached per table (see :func:`.common.analysis`)."""
    from ..analysis.chains.keysectors import keysectors
    return analysis(table, ("keysectors",), keysectors)


def quadrant_frame(table, lang) -> pd.DataFrame:
    ks = keysector_frame(table)
    names = table.label(lang)
    return pd.DataFrame({
        "code": [code_str(c) for c in ks.index], "name": [names[c] for c in ks.index],
        "power": ks["power_of_dispersion"].to_numpy(), "sensitivity": ks["sensitivity"].to_numpy(),
        "type": ks["type"].to_numpy(),
        "type_name": ks["type_zh" if lang == "zh" else "type_en"].to_numpy(),
        "quadrant": [QUADRANT_OF_TYPE[t] for t in ks["type"]], "size": table.x.to_numpy()})


def quadrant_figure(table, lang, highlight=None, color=None, key="quadrant"):
    src, year = source_text(table, lang), table.year
    title = tr("quadrant_title", lang)
    fig = fg.quadrant(quadrant_frame(table, lang), title, src, year, lang,
                      type_names=_type_names(table, lang), highlight=highlight, color_of=color)
    return Figure(key, title, fig, tr("ratio_unit", lang), src, year,
                  note=tr("size_is_output", lang))


def _type_names(table, lang):
    types = keysector_frame(table).attrs["types"]
    return {QUADRANT_OF_TYPE[k]: v[0 if lang == "zh" else 1] for k, v in types.items()}


def keysectors_section(table, lang) -> Section:
    ks = keysector_frame(table)
    sec = Section("keysectors", tr("keysectors", lang), tr("keysectors_lead", lang))
    sec.figures.append(quadrant_figure(table, lang))
    names = table.label(lang)
    L = _namer(ks, lang)
    unit = Unit.parse(table.unit).text(lang)
    typ = "type_zh" if lang == "zh" else "type_en"
    frame = pd.DataFrame({
        tr("code", lang): [code_str(c) for c in ks.index],
        tr("sector", lang): [names[c] for c in ks.index],
        L("power_of_dispersion"): ks["power_of_dispersion"].to_numpy(),
        L("sensitivity"): ks["sensitivity"].to_numpy(), tr("sector_type", lang): ks[typ].to_numpy(),
        f"{L('hem_total_output')} [{unit}]": ks["hem_total_output"].to_numpy(),
        f"{L('hem_total_output_share')} [%]": 100 * ks["hem_total_output_share"].to_numpy()})
    key = frame[ks["type"].to_numpy() == "key"].sort_values(frame.columns[2], ascending=False)
    sec.sheets.append(Sheet("keysectors-key", tr("key_list", lang), key.reset_index(drop=True),
                            note=_basis_note(ks, lang), show=20))
    allf = frame.sort_values(frame.columns[2], ascending=False).reset_index(drop=True)
    sec.sheets.append(Sheet("keysectors-all", tr("keysectors_all", lang), allf, show=15))
    sec.children.append(inducement_section(table, lang))
    fig, sheet = multipliers_block(table, lang, "multipliers", title=tr("top_multipliers", lang))
    sec.children.append(Section("multipliers", tr("multipliers", lang), figures=[fig],
                                sheets=[sheet]))
    return sec


def _namer(ks, lang):
    """Column id → the analysis' own display name in ``lang``."""
    names = ks.attrs["zh" if lang == "zh" else "en"]

    def name(key):
        return names[key]
    return name


def _basis_note(ks, lang):
    basis = ks.attrs["basis_note_zh" if lang == "zh" else "basis_note"]
    return (f"计算口径（影响力系数、感应度系数、抽取法与诱发系数同一口径）：{basis}。感应度系数按完全分配系数（戈什逆）行和计算。"
            if lang == "zh" else
            f"Basis (the same for dispersion, sensitivity, extraction and inducement): {basis}. "
            "Sensitivity uses row sums of the Ghosh inverse.")


def inducement_section(table, lang) -> Section:
    ks = keysector_frame(table)
    L = _namer(ks, lang)
    items = [i for i in ITEMS if f"inducement_{i}" in ks]
    src, year = source_text(table, lang), table.year
    unit = Unit.parse(table.unit).text(lang)
    sec = Section("inducement", tr("inducement", lang), tr("inducement_lead", lang))
    item_name = {i: L(f"inducement_{i}").replace("生产诱发系数", "") if lang == "zh"
                 else L(f"inducement_{i}").split(": ")[-1] for i in items}
    totals = [float(ks[f"inducement_{i}"].sum()) for i in items]
    sec.figures.append(Figure("inducement-items", tr("inducement_chart", lang), fg.bars_grouped(
        [item_name[i] for i in items], {tr("inducement_coef", lang): totals},
        tr("inducement_chart", lang), tr("inducement_unit", lang), src, year, lang, height=360),
        tr("inducement_unit", lang), src, year))
    top = np.argsort(-table.x.to_numpy())[:15]
    names = table.label(lang)
    series = {item_name[i]: 100 * ks[f"dependence_{i}"].to_numpy()[top] for i in items}
    sec.figures.append(Figure("dependence", tr("dependence_chart", lang), fg.bars_grouped(
        [names.iloc[j] for j in top], series, tr("dependence_chart", lang), "%", src, year, lang,
        stacked=True, horizontal=True, height=560), "%", src, year))
    order = np.argsort(-table.x.to_numpy())
    base = pd.DataFrame({tr("code", lang): [code_str(ks.index[j]) for j in order],
                         tr("sector", lang): [names.iloc[j] for j in order]})
    note = _basis_note(ks, lang)
    for what, title_key, unit_txt, scale in (
            ("induced", "inducement_amount", unit, 1.0),
            ("inducement", "inducement_coef", tr("inducement_unit", lang), 1.0),
            ("dependence", "dependence", "%", 100.0)):
        frame = base.copy()
        for i in items:
            frame[f"{L(f'{what}_{i}')} [{unit_txt}]"] = scale * ks[f"{what}_{i}"].to_numpy()[order]
        sec.sheets.append(Sheet(f"{what}", tr(title_key, lang), frame, show=15, note=note))
        note = ""
    return sec
