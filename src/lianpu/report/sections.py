"""One entry point for the dashboard: build a named report section for a table."""
from __future__ import annotations

from ..core.errors import TableError, check_choice

WHAT = ("overview", "keysectors", "multipliers", "chain", "impact", "valuechains", "regional")


def build(table, what: str, lang: str, **args):
    """Section ``what`` (one of :data:`WHAT`) for ``table`` in ``lang``.

    ``chain`` takes ``track`` (an id or a tuple of sector codes); ``impact`` takes ``demand``
    ({sector: amount in the table's unit}) and ``type`` ("I" or "II"); ``regional`` (the China
    MRIO) takes ``region`` (a province; default :func:`lianpu.analysis.defaults.
    regional_province`). Results are shared inside the enclosing :func:`.common.memo` (the
    dashboard's bounded store), else within this one build."""
    from .common import memo
    check_choice(what, WHAT, argument="what")
    with memo():
        return _build(table, what, lang, **args)


def _build(table, what, lang, **args):
    if what == "overview":
        from .overview import overview
        return overview(table, lang)
    if what == "keysectors":
        from .economy import keysectors_section
        return keysectors_section(table, lang)
    if what == "multipliers":
        from .common import multipliers_block
        from .i18n import tr
        from .model import Section
        fig, sheet = multipliers_block(table, lang, "multipliers")
        return Section("multipliers", tr("multipliers", lang), figures=[fig], sheets=[sheet])
    if what == "chain":
        from .tracks import track_section
        return track_section(table, args["track"], lang, region=args.get("region"))
    if what == "impact":
        from .extras import impact_section
        from .i18n import tr
        return impact_section(table, lang, args["demand"], type=args.get("type", "I"),
                              title=tr("results", lang))
    if what == "valuechains":
        from .valuechains import valuechains_section
        return valuechains_section(table, lang, data_dir=args.get("data_dir"))
    from ..analysis.defaults import regional_province
    from .regional import regional_section
    return regional_section(table, regional_province(table, args.get("region")), lang,
                            data_dir=args.get("data_dir"))


def available_tracks(table, lang: str) -> list[dict]:
    """Every registered track with its colour and whether this table can resolve it."""
    from ..analysis.tracks.catalogue import resolve_track, tracks
    from .tracks import color_of
    out = []
    for tid, t in tracks().items():
        try:
            sel = resolve_track(table, tid)
            ok, codes, why = True, [str(c) for c in sel.codes], ""
        except TableError as exc:
            ok, codes, why = False, [], str(exc)
        out.append({"id": tid, "name": t.name(lang), "group": t.group, "color": color_of(tid),
                    "ok": ok, "sectors": codes, "why": why})
    return out
