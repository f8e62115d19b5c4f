"""Tracks carved out of a sector (集成电路 inside 电子元器件): the table a chain map is computed on.

A track file may declare, per classification, ``carve_out = {parent, code, share, source,
source_zh, year}`` (:class:`lianpu.analysis.tracks.file.CarveOut`). :func:`carve_out_for` splits
the parent in a *copy* of the table with :func:`lianpu.analysis.aggregate.split_sector`
(output share as declared, or as the user gives it; input and sales structure of the parent)
and returns the new table with the selection of the new sector. The table passed in is
never changed (tables are immutable).

A shipped share holds for the year of its source only: for a table of another year, or where
no share is shipped, the user gives one with its source (``share=``, ``share_source=``; CLI
``--share``, ``--share-source``).
"""
from __future__ import annotations

from pathlib import Path

from ...core.errors import ArgumentError, message
from ...core.notes import Note, zh as zh_of
from .catalogue import classification_of, find_track, tracks as load_tracks
from .file import Selection, Track


def _give(track, cid, why: str) -> ArgumentError:
    return ArgumentError(message(
        None, f"track {track.id!r} ({track.name_zh}) is carved out of a sector by an output "
        f"share, and {why}: give --share (the source you use) with --share-source "
        "(API: share=, share_source=)", argument="share",
        expected="0 < share < 1 of the parent's gross output, e.g. --share 0.12 --share-source "
                 "'<publication, year>'"))


def carve_out_for(table, track_or_sectors, tracks=None, *, share: float | None = None,
                  share_source: str | None = None, region: str | None = None):
    """``(table, None)`` when ``track_or_sectors`` is not a track with a carve-out for the
    table's classification; otherwise ``(split table, Selection of the new sector)``.

    ``share``/``share_source`` override the shipped share (and are required where none is
    shipped or the table's year differs from the share's)."""
    if share is not None and not (isinstance(share, (int, float)) and 0 < share < 1):
        raise ArgumentError(message(None, "the output share must be between 0 and 1",
                                    argument="share", found=repr(share), expected="0 < share < 1"))
    if not isinstance(track_or_sectors, (Track, str)):
        if share is not None:
            raise ArgumentError(message(None, "a share applies to a track with a carve-out, not "
                                        "to a list of sector codes", argument="share",
                                        found=repr(share), expected="no share"))
        return table, None
    ts = load_tracks(tracks) if isinstance(tracks, (str, Path)) else (tracks or load_tracks())
    track = find_track(track_or_sectors, ts)
    cid = classification_of(table, ts) if track.carve_out else None
    co = track.carve_out.get(cid) if cid else None
    if co is not None and co.code in {str(c[-1]) if isinstance(c, tuple) else str(c)
                                      for c in table.index}:
        # carved already (by carved_table): select the new sector, say how it was made
        new = (region, co.code) if table.is_multiregional else co.code
        if new not in list(table.index):
            return table, None
        how = next((n for n in table.notes if str(n).startswith("split_sector:")
                    and co.code in str(n)), "")
        en, zh = track.note(cid, "en"), track.note(cid, "zh")
        pos = list(table.index).index(new)
        how_zh = zh_of(how)  # the split_sector note's Chinese, where it carries one
        return table, Selection((pos,), (new,), cid, track, f"{how}. {en}".strip(". "), region,
                                f"{how_zh}。{zh}" if how else zh)
    if co is None:
        if share is not None:
            have = ", ".join(track.carve_out) or "none"
            raise ArgumentError(message(None, f"track {track.id!r} ({track.name_zh}) declares no "
                                        f"carve-out for this table's classification {cid!r} "
                                        f"(carve-outs: {have})", argument="share",
                                        found=repr(share), expected="no share"))
        return table, None
    if share is None:
        if co.share is None:
            raise _give(track, cid, f"no published share is shipped for {cid}")
        if co.year is not None and table.year is not None and table.year != co.year:
            raise _give(track, cid, f"the shipped share {co.share:g} ({cid}) is for {co.year}, "
                                    f"this table is of {table.year}")
        s, src, src_zh = co.share, co.source, co.source_zh or co.source
    else:
        if not (share_source or "").strip():
            raise ArgumentError(message(None, "a share needs its source", argument="share_source",
                                        found=repr(share_source),
                                        expected="--share-source '<publication, year>'"))
        s, src = float(share), share_source.strip()
        src_zh = src  # the user's citation, as given
    if table.is_multiregional:
        if region is None:
            raise ArgumentError(message(table.name, "a carve-out in a multi-regional table needs "
                                        "the region", argument="region",
                                        expected=f"one of {table.regions}"))
        parent = (region, co.parent)
    else:
        parent = co.parent
    split = table.split_sector(parent, {co.code: (track.name_zh, track.name_en)}, s,
                               source=Note(src, src_zh))
    idx = list(split.index)
    new = (region, co.code) if table.is_multiregional else co.code
    pos = idx.index(new)
    pname_zh = str(table.sectors["name_zh"].loc[parent])
    pname_en = str(table.sectors["name_en"].loc[parent])
    note = (f"{co.code} carved out of {co.parent} {pname_en or pname_zh}: {s:.4g} of its output "
            f"({src}); inputs and sales as the parent's, so its coefficients and multipliers are "
            "the parent's — the carve-out sizes the track, it does not give it its own "
            "technology." + (f" {co.note}" if co.note else ""))
    note_zh = (f"{co.code} 由{co.parent} {pname_zh or pname_en}拆分：占其总产出{s:.4g}（{src_zh}）；"
               "投入和销售结构沿用母部门，因此其系数和乘数与母部门相同——拆分确定的是产业链的规模，"
               "不是其自身的技术结构。" + (co.note_zh or co.note))
    return split, Selection((pos,), (split.index[pos],), cid, track, note, region, note_zh)


def carved_table(table, track, tracks=None, *, share: float | None = None,
                 share_source: str | None = None, region: str | None = None):
    """The table a track is analysed on: ``table`` with the track's sector carved out when the
    track declares a carve-out for its classification, else ``table`` itself. Every analysis
    that resolves the track on it (chain, weak links, multipliers) then finds the new sector."""
    return carve_out_for(table, track, tracks, share=share, share_source=share_source,
                         region=region)[0]
