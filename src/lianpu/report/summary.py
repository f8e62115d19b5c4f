"""The executive summary 报告摘要: 5–8 sentences and a key-figure strip, generated from the
sections the report has already built.

Every figure is read from a section's own table (the text the body shows, formatted by
:func:`.render.cell_text` with the column's decimals) or from the result a section's text was
written from (formatted as that text formats it), and is marked
``<b class="fig" data-src="ANCHOR">`` with the id of the table (``sheet-KEY``) or section that
shows it, so a reader — and the tests — can find it there. A part whose section is missing
(no carbon inventory, no track on this table) is left out, never filled in.
"""
from __future__ import annotations

from markupsafe import Markup

from .i18n import tr
from .model import Section, anchor
from .render import cell_text, numeric_columns, row_class

TOP = 3


def _walk(sections):
    for s in sections:
        yield from s.walk()


def _sheet(sections, key):
    return next((sh for s in _walk(sections) for sh in s.sheets if sh.key == key), None)


def _section(sections, key):
    return next((s for s in _walk(sections) if s.key == key), None)


def _value(sh, row, col) -> str:
    """The text the body's table shows for ``sh.frame.iloc[row, col]``."""
    cls = row_class(sh.frame, numeric_columns(sh.frame)[col], row)
    return cell_text(sh.frame.iloc[row, col], cls)


def _fig(text, src) -> Markup:
    return Markup('<b class="fig" data-src="{}">{}</b>').format(src, text)


def _unit(header) -> str:
    h = str(header)
    return h[h.rindex("[") + 1:-1] if h.endswith("]") and "[" in h else ""


def _join(items, lang) -> Markup:
    items = list(items)
    if lang == "zh":
        return Markup("、").join(items[:-1]) + (Markup("和") if len(items) > 1 else "") + items[-1]
    head = Markup(", ").join(items[:-1])
    return head + (Markup(" and ") if len(items) > 1 else "") + items[-1]


def _named(name, value, lang, pct=False) -> Markup:
    v = value + ("%" if pct else "")
    return (Markup("{}（{}）") if lang == "zh" else Markup("{} ({})")).format(name, v)


def _card(label, value, unit, note, href) -> dict:
    return {"label": label, "value": value, "unit": unit, "note": note, "href": href}


def summary_section(table, sections, lang, track_ids=(), project=None,
                    region=None) -> Section:
    """The summary of ``sections`` (the report's, in order) for ``table`` in ``lang``;
    ``track_ids``: the report's tracks; ``project``: the scenario's demand (None: the example
    project, :func:`lianpu.analysis.defaults.example_demand`); ``region``: the region the
    chains were traced in (an MRIO table)."""
    sec = Section("summary", tr("summary", lang), tr("summary_lead", lang))
    for part in (_economy, _multipliers, _keysectors, _weak, _carbon, _project):
        part(sec, table, sections, lang, track_ids, project, region)
    return sec


def _economy(sec, table, sections, lang, *_):
    from .i18n import source_text
    sh = _sheet(sections, "overview")
    if sh is None:
        return
    labels = list(sh.frame.iloc[:, 0])
    out_key, va_key = tr("gross_output", lang), tr("value_added", lang)
    row = {lab.split(" [")[0]: i for i, lab in enumerate(labels)}
    if out_key not in row or va_key not in row:
        return
    src = f"sheet-{sh.key}"
    unit = _unit(labels[row[out_key]])
    fig = {k: _fig(_value(sh, row[name], 1), src) for k, name in (
        ("n", tr("sectors", lang)), ("output", out_key), ("va", va_key),
        ("rate", tr("va_rate", lang)))}
    sec.paragraphs.append(Markup(tr("sum_economy", lang)).format(
        source=source_text(table, lang), unit=unit, **fig))
    sec.keyfigs.append(_card(tr("kf_output", lang), _value(sh, row[out_key], 1), unit, "",
                             "#overview"))
    sec.keyfigs.append(_card(tr("kf_va_rate", lang), _value(sh, row[tr("va_rate", lang)], 1),
                             "", "", "#overview"))
    va = _sheet(sections, "va_by_sector")
    if va is not None and len(va.frame):
        items = [_named(va.frame.iloc[i, 1], _fig(_value(va, i, 3), f"sheet-{va.key}"), lang,
                        pct=True) for i in range(min(TOP, len(va.frame)))]
        sec.paragraphs.append(Markup(tr("sum_top_va", lang)).format(items=_join(items, lang)))


def _multipliers(sec, table, sections, lang, *_):
    sh = _sheet(sections, "multipliers")
    if sh is None or not len(sh.frame) or len(sh.frame.columns) < 3:
        return
    head = str(sh.frame.columns[2])
    src = f"sheet-{sh.key}"
    items = [_named(sh.frame.iloc[i, 1], _fig(_value(sh, i, 2), src), lang)
             for i in range(min(TOP, len(sh.frame)))]
    label = head.split(" [")[0]
    sec.paragraphs.append(Markup(tr("sum_multipliers", lang)).format(
        label=label if lang == "zh" or label.startswith("Type") else
        label[:1].lower() + label[1:],
        items=_join(items, lang)))
    sec.keyfigs.append(_card(tr("kf_multiplier", lang), _value(sh, 0, 2), _unit(head),
                             str(sh.frame.iloc[0, 1]), "#multipliers"))


def _keysectors(sec, table, sections, lang, *_):
    sh = _sheet(sections, "keysectors-key")
    if sh is None or not len(sh.frame):
        return
    items = [_named(sh.frame.iloc[i, 1], _fig(_value(sh, i, 2), f"sheet-{sh.key}"), lang)
             for i in range(min(TOP, len(sh.frame)))]
    sec.paragraphs.append(Markup(tr("sum_key", lang)).format(items=_join(items, lang)))


def _weak(sec, table, sections, lang, track_ids, _project, region):
    """The first entry of each track's weak-link list, and the chain most dependent on
    imported inputs (the share its weak-link section's lead states)."""
    from ..analysis.tracks.carveout import carved_table
    from .lists import weak_result
    items, best = [], None
    for tid in track_ids:
        chain = _section(sections, f"track-{tid}")
        sh = _sheet(sections, f"weak-{tid}")
        if chain is None or sh is None:
            continue
        if len(sh.frame):
            col = next(j for j, c in enumerate(sh.frame.columns)
                       if str(c).startswith(tr("import_share", lang)))
            items.append(Markup("{}——{}").format(chain.title, _named(
                sh.frame.iloc[0, 2], _fig(_value(sh, 0, col), f"sheet-{sh.key}"), lang,
                pct=True)) if lang == "zh" else Markup("{}: {}").format(chain.title, _named(
                    sh.frame.iloc[0, 2], _fig(_value(sh, 0, col), f"sheet-{sh.key}"), lang,
                    pct=True)))
        share = weak_result(carved_table(table, tid), tid, region).summary["import_share"]
        if best is None or share > best[0]:
            best = (share, chain.title, anchor(f"{tid}-weak"))
    if items:
        sep = Markup("；") if lang == "zh" else Markup("; ")
        sec.paragraphs.append(Markup(tr("sum_weak", lang)).format(items=sep.join(items)))
    if best is not None:
        text = f"{100 * best[0]:.1f}%"  # as the weak-link lead writes it (strings: weak_lead)
        sec.paragraphs.append(Markup(tr("sum_dependence", lang)).format(
            chain=best[1], share=_fig(text, best[2])))
        sec.keyfigs.append(_card(tr("kf_dependence", lang), text, "", best[1],
                                 f"#{best[2]}"))


def _carbon(sec, table, sections, lang, *_):
    tot, by = _sheet(sections, "carbon-totals"), _sheet(sections, "carbon-sectors")
    if tot is None or by is None or len(tot.frame) < 2 or not len(by.frame):
        return
    src = f"sheet-{tot.key}"
    unit = _unit(tot.frame.columns[1])
    prod = _value(tot, 0, 1)  # rows in the order of extras.carbon_section: production first
    sec.paragraphs.append(Markup(tr("sum_co2", lang)).format(
        prod=_fig(prod, src), fp=_fig(_value(tot, 1, 1), src), unit=unit,
        sector=by.frame.iloc[0, 1], mult=_fig(_value(by, 0, 4), f"sheet-{by.key}"),
        iunit=_unit(by.frame.columns[4])))
    sec.keyfigs.append(_card(tr("kf_co2", lang), prod, unit, "", "#carbon"))


def _project(sec, table, sections, lang, track_ids, project, _region):
    from ..analysis.defaults import example_demand
    from ..analysis.scenarios.impact import INDICATOR_NAMES
    sh = _sheet(sections, "scenario-totals")
    if sh is None or not len(sh.frame):
        return
    f = sh.frame
    src = f"sheet-{sh.key}"
    rows = {str(v): i for i, v in enumerate(f.iloc[:, 0])}
    i = 0 if lang == "zh" else 1  # the totals' row names (extras.impact_section)
    out, va = (rows.get(INDICATOR_NAMES[k][i]) for k in ("output", "value_added"))
    if out is None:
        return
    col = {str(c): j for j, c in enumerate(f.columns)}
    figs = {k: _fig(_value(sh, out, col[tr(k, lang)]), src)
            for k in ("direct", "indirect", "induced", "total") if tr(k, lang) in col
            and _value(sh, out, col[tr(k, lang)]) != "—"}
    if not {"total", "direct", "indirect"} <= set(figs):
        return
    demand = project or example_demand(table, track_ids)
    names = table.label(lang)
    first = names[next(iter(demand))]
    sector = first + (("等" if lang == "zh" else " and others") if len(demand) > 1 else "")
    parts = {k: figs[k] for k in ("direct", "indirect", "induced") if k in figs}
    unit = str(f.iloc[out, 1])
    total = col[tr("total", lang)]
    key = "sum_project" if "induced" in parts else "sum_project_i"  # Type I only: said so
    sec.paragraphs.append(Markup(tr(key, lang)).format(
        sector=sector, total=figs["total"], unit=unit,
        va=_fig(_value(sh, va, total), src) if va is not None else "—", **parts))
    sec.keyfigs.append(_card(tr("kf_project", lang), _value(sh, out, total), unit, sector,
                             "#scenario"))


__all__ = ["summary_section"]
