"""Which sections a report has, and the multipliers shared by the economy and each track.

Sections are built only from lianpu's analysis API (``lianpu.multipliers``,
``lianpu.keysectors``, ``lianpu.chain``, ``lianpu.weaklinks``, ``lianpu.impact``,
``lianpu.footprint``); this module decides what to show, never how to compute it.
"""
from __future__ import annotations

from functools import partial

import pandas as pd

from ..analysis.multipliers import multipliers as calc_multipliers
from ..core.errors import LianpuError
from . import figures as fg
from .i18n import short_unit, source_text, tr
from .model import Figure, Section, Sheet

#: default chains when none are asked for (those the track registry knows are used)
DEFAULT_TRACKS = ("electronic_information", "aerospace", "new_energy", "biomedicine")


def plan(table, tracks=None, scenario=None, data_dir=None, region=None):
    """[(progress label, callable(lang) → Section)] in report order, and the track ids."""
    from . import economy
    from . import tracks as trk
    from ..analysis.households import remember_data_dir
    remember_data_dir(table, data_dir)  # Type II household split: detailed table in this cache
    ids = trk.selected(table, tracks)
    steps = [("overview", partial(_overview, table)),
             ("key sectors", partial(economy.keysectors_section, table))]
    for i in ids:
        steps.append((f"chain {i}", partial(trk.track_section, table, i, region=region)))
    steps.append(("carbon", partial(_carbon, table, data_dir, tuple(ids))))
    steps.append(("scenario", partial(_scenario, table, tuple(ids), scenario)))
    from .valuechains import step as valuechains_step
    steps.append(valuechains_step(table, data_dir))
    if region is not None:  # 区域联动 on the China MRIO (lianpu report cn-mrio-2017 --region 四川)
        from .regional import step as regional_step
        steps.append(regional_step(table, region, data_dir))
    return steps, ids


def _carbon(table, data_dir, ids, lang):
    from .extras import carbon_section
    return carbon_section(table, lang, data_dir=data_dir, track_ids=ids)


def _scenario(table, ids, project, lang):
    from .extras import scenario_section
    return scenario_section(table, lang, ids, project)


def _overview(table, lang):
    from .overview import overview
    return overview(table, lang)


def default_region(table, region=None):
    """The region a chain is traced in on a multi-regional table: ``region`` when given (the
    report's ``--region``), else China where present (the planners' own economy), else the
    first region; None for a single-region table."""
    if region is not None and table.is_multiregional:
        from ..analysis.regions.mrio.build import region_code
        return region_code(table, region)
    if not table.is_multiregional:
        return None
    return "CHN" if "CHN" in table.regions else table.regions[0]


def domestic_view(table):
    """(table for effects, how): the view :func:`lianpu.analysis.basis.resolve_basis` chooses
    by default (the same one the CLI, the Python API and the dashboard use), with how = the
    basis name when the view differs from the table as published ("domestic", "local"), else
    ""."""
    from ..analysis.basis import resolve_basis
    view, b = resolve_basis(table, "auto")  # cached on the table: one view, one LU
    return view, ("" if view is table else b.name)


def table_basis(table):
    """The :class:`~lianpu.analysis.basis.Basis` every section of the report uses."""
    from ..analysis.basis import resolve_basis
    return resolve_basis(table, "auto")[1]


def analysis(table, key, fn):
    """``fn(table)``, computed once per (immutable) table: the report's sections, the dashboard
    and every chain share one result."""
    from ..analysis._common import cached
    return cached(table, ("report",) + tuple(key), lambda: fn(table))


def type2_households(table):
    """Households closed for Type II: always the library's default (None: the table's own
    household columns, else households split from total consumption TC by the same year's
    detailed table, :func:`lianpu.analysis.households.closure`); where Type II cannot close
    households the analysis says why and the report shows that reason."""
    return None


def multiplier_frame(table, lang: str, codes=None) -> tuple[pd.DataFrame, list[str]]:
    """Output (Type I, II), value-added and income multipliers (final-demand form) by sector,
    the values of ``lianpu.multipliers``; returns the frame and notes on what was left out."""
    notes, cols = [], {}
    unit = short_unit(table.unit, lang)
    orig = table
    table, how = domestic_view(table)
    b = table_basis(orig)
    notes.append(("计算口径：" + b.note_zh + "。") if lang == "zh" else ("Basis: " + b.note_en + "."))
    if how:
        notes.append(tr("domestic_basis_note", lang))
        notes.extend(n for n in table.notes if n.startswith("re-exports"))
    per = f"{unit}/{unit}"
    specs = [("output", "I", {}), ("output", "II", {}), ("value_added", "I", {}),
             ("income", "I", {})]
    for kind, typ, kw in specs:
        try:
            m = calc_multipliers(table, kind, type=typ, **kw)
        except LianpuError as exc:  # e.g. OECD tables have no compensation row: say so
            notes.append(_skip_note("type_ii" if typ == "II" else kind, lang, str(exc)))
            continue
        if "closure" in m.attrs:  # Type II: which households were closed
            notes.append(("II型居民收口：" if lang == "zh" else "Type II closure: ")
                         + m.attrs["closure"][f"text_{lang}"] + ("。" if lang == "zh" else "."))
        name = m.attrs["name_zh" if lang == "zh" else "name_en"]
        cols[f"{name} [{per}]"] = m
    names = orig.label(lang)
    idx = table.index if codes is None else pd.Index(codes)
    frame = pd.DataFrame({tr("code", lang): [_code(c) for c in idx],
                          tr("sector", lang): [names[c] for c in idx]})
    for k, s in cols.items():
        frame[k] = s.reindex(idx).to_numpy()
    return frame, notes


def multipliers_block(table, lang, key, codes=None, title=None, color="#1f77b4", top=15):
    """Sheet + chart of multipliers for ``codes`` (all sectors if None)."""
    frame, notes = multiplier_frame(table, lang, codes)
    out_cols = [c for c in frame.columns[2:]]
    frame = frame.sort_values(out_cols[0], ascending=False).reset_index(drop=True)
    src, year = source_text(table, lang), table.year
    unit = short_unit(table.unit, lang)
    title = title or tr("multipliers", lang)
    head = frame.head(top)
    series = {c.split(" [")[0]: head[c].to_numpy() for c in out_cols[:2]}
    fig = fg.bars_grouped(list(head[tr("sector", lang)]), series, title, f"{unit}/{unit}", src,
                          year, lang, colors=[color, fg.NEUTRAL], horizontal=True,
                          height=max(360, 30 * len(head) + 160))
    sheet = Sheet(key, title, frame, note=" ".join(notes), show=top)
    return Figure(key, title, fig, f"{unit}/{unit}", src, year), sheet


def _skip_note(what, lang, why):
    label = tr(what, lang) if what in ("type_ii",) else what
    return (f"未计算{label}：{why}。" if lang == "zh" else f"{label} not computed: {why}.")


def _code(c):
    return "/".join(map(str, c)) if isinstance(c, tuple) else str(c)


def section(key, lang, title_key, lead_key=None, **kw) -> Section:
    return Section(key, tr(title_key, lang), tr(lead_key, lang) if lead_key else "", **kw)
