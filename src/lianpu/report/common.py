"""What the report's section modules share: the results memo of one build and the multiplier
block shown for the economy and for each track.

This module imports no section module (overview, economy, tracks, lists, extras …); they
import it. :mod:`.content` (the report's plan) imports the section modules.

Results are memoised per build, never on the table: :func:`memo` opens a memo for one report
build (a dict) or for the dashboard (its bounded store, :class:`lianpu.web.store.ResultMemo`);
:func:`analysis` computes ``fn(table)`` once per (table, key) inside it, and simply computes
it outside one. The table's own memo holds derived numerics only (issue 11).
"""
from __future__ import annotations

import contextlib
from contextvars import ContextVar

import pandas as pd

from ..analysis._result import code_str
from ..analysis.defaults import effects_basis, effects_view
from ..analysis.multipliers import multipliers as calc_multipliers
from ..core.errors import LianpuError
from ..core.units import Unit
from . import figures as fg
from .i18n import result_notes, source_text, tr
from .model import Figure, Sheet

_MEMO: ContextVar = ContextVar("lianpu_report_memo", default=None)


@contextlib.contextmanager
def memo(store=None):
    """Memoise :func:`analysis` results in ``store`` (a fresh dict if None: one build) while
    the block runs; an enclosing memo is reused when ``store`` is None."""
    if store is None and _MEMO.get() is not None:
        yield _MEMO.get()
        return
    store = {} if store is None else store
    token = _MEMO.set(store)
    try:
        yield store
    finally:
        _MEMO.reset(token)


def analysis(table, key, fn):
    """``fn(table)``, computed once per table and ``key`` inside :func:`memo` (the sections of
    one report build, or of the dashboard, share one result); computed afresh outside one."""
    store = _MEMO.get()
    if store is None:
        return fn(table)
    k = (id(table),) + tuple(key)
    hit = store.get(k)
    if hit is not None and hit[0] is table:  # the entry holds its table: the id is not reused
        return hit[1]
    value = fn(table)
    store[k] = (table, value)
    return value


def multiplier_frame(table, lang: str, codes=None) -> tuple[pd.DataFrame, list[str]]:
    """Output (Type I, II), value-added and income multipliers (final-demand form) by sector,
    the values of ``lianpu.multipliers``; returns the frame and notes on what was left out."""
    notes, cols = [], {}
    unit = Unit.parse(table.unit).text(lang)
    orig = table
    table, how = effects_view(table)
    b = effects_basis(orig)
    notes.append(("计算口径：" + b.note_zh + "。") if lang == "zh" else ("Basis: " + b.note_en + "."))
    if how:
        notes.append(tr("domestic_basis_note", lang))
        notes.extend(result_notes(table, lang, keep=lambda n: n.startswith("re-exports")))
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
    frame = pd.DataFrame({tr("code", lang): [code_str(c) for c in idx],
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
    unit = Unit.parse(table.unit).text(lang)
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
