"""Tracks 赛道 / 产业链 as data: which IO sectors make up a planner's chain.

A track (未来信息, 航空航天, 生物医药 …) is much finer than any IO sector, so a track lists, per
sector *classification*, the codes of the sectors that contain it, with a note on how coarse the
mapping is. The shipped list is ``lianpu/data/tracks.toml``; a user file with the same schema
replaces the track list (its own classifications are added to the shipped ones).

Classifications are detected from a table's sector codes and names (``fingerprint`` in the
file): the three NBS 42-sector tables of 2005, 2015 and 2017–2020 use the same codes 01–42 for
different sectors, so codes alone cannot tell them apart. Classifications declared
``derived_from`` another one get a track's codes through a concordance.

Examples
--------
>>> import lianpu
>>> ts = lianpu.tracks()
>>> ts["aerospace"].name_zh, ts["aerospace"].codes["nbs153"]
('航空航天', ('083', '092'))
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ...core.errors import FormatError, TableError, message
from .._result import code_str
from .file import (
    Classification,
    Selection,
    Track,
    TrackSet,
    _check_keys,
    _classification,
    _read,
    _track,
    expand,
)

__all__ = ["Classification", "Selection", "Track", "TrackSet", "classification_of",
           "classifications", "expand", "find_track", "resolve", "resolve_track", "track_codes",
           "tracks"]


def classifications(path=None) -> dict[str, Classification]:
    """The shipped classifications, plus those a user file defines (same id: the user's wins)."""
    return dict(tracks(path).classifications)


def tracks(path=None) -> TrackSet:
    """Load tracks: the shipped file, or a user file ``path`` with the same schema.

    Returns a ``dict[id, Track]`` (a :class:`TrackSet`, which also holds ``classifications``
    and ``outside``: sectors that belong to no track, with the reason; ``outside_zh``: the
    reasons in Chinese).
    Errors name the file, the track and the key.
    """
    key = None
    if path is not None and Path(path).is_file():      # edited files are read again
        st = Path(path).stat()
        key = (str(Path(path).resolve()), st.st_mtime_ns, st.st_size)
    if key in _CACHE and (key is not None or path is None):
        return _CACHE[key]
    fname, data = _read(None)
    classes = {cid: _classification(fname, cid, d)
               for cid, d in data.get("classifications", {}).items()}
    if path is not None:
        fname, data = _read(path)
        _check_keys(fname, data, {"schema", "classifications", "tracks", "outside",
                                  "outside_zh"})
        for cid, d in data.get("classifications", {}).items():
            classes[cid] = _classification(fname, cid, d)
    if data.get("schema", 1) != 1:
        raise FormatError(message(fname, "unsupported schema", found=data.get("schema"),
                                  expected=1))
    raw = data.get("tracks")
    if not isinstance(raw, dict) or not raw:
        raise FormatError(message(fname, "no [tracks.*] tables", expected="at least one track"))
    out = TrackSet({tid: _track(fname, tid, d, classes) for tid, d in raw.items()})
    names = {}
    for t in out.values():
        for nm in (t.name_zh, t.name_en.lower()):
            if nm in names and names[nm] != t.id:
                raise FormatError(message(f"{fname}: track {t.id!r}", f"name {nm!r} is also "
                                          f"used by track {names[nm]!r}", expected="unique names"))
            names[nm] = t.id
    out.classifications = classes
    out.outside = {cid: dict(v) for cid, v in data.get("outside", {}).items()}
    out.outside_zh = {cid: dict(v) for cid, v in data.get("outside_zh", {}).items()}
    out.path = fname
    _CACHE[key] = out
    return out


_CACHE: dict = {}


# --------------------------------------------------------------------------- detection
def _sector_codes(table) -> list[str]:
    idx = table.index
    codes = idx.get_level_values(-1) if table.is_multiregional else idx
    return list(dict.fromkeys(str(c) for c in codes))


def _names(table) -> dict[str, str]:
    codes = (table.index.get_level_values(-1) if table.is_multiregional else table.index)
    out = {}
    for c, zh, en in zip(codes, table.sectors["name_zh"], table.sectors["name_en"]):
        out.setdefault(str(c), f"{zh} {en}".lower())
    return out


def _fingerprint_ok(cls: Classification, names) -> bool | None:
    """True/False when names are there to check, None when the table has no names."""
    if not cls.fingerprint:
        return None
    if not any(n.strip() for n in names.values()):
        return None
    return all(any(k.lower() in names.get(code, "") for k in kws)
               for code, kws in cls.fingerprint.items())


def classification_of(table, tracks_set: TrackSet | None = None) -> str:
    """The sector classification of ``table``: 'nbs153', 'nbs149', 'nbs42', 'nbs42_2015',
    'nbs42_2005', 'nbs41', 'oecd45', 'wiod35' or one a user file defines.

    Decided by the sector codes (the whole set must match), then the sector names against each
    candidate's fingerprint, then ``table.source``. Raises TableError when it cannot tell.
    """
    ts = tracks_set or tracks()
    classes = ts.classifications
    # sectors carved out by a track (094.IC …, lianpu.analysis.tracks.carveout) are not the
    # classification's own
    carved = {co.code for t in ts.values() for co in t.carve_out.values()}
    codes = set(_sector_codes(table)) - carved
    names = _names(table)
    cands = [c for c in classes.values() if c.universe and set(c.universe) == codes]
    if not cands:
        raise TableError(message(table.name, "cannot tell the sector classification",
                                 found=f"{len(codes)} sector codes ({sorted(codes)[:3]}…)",
                                 expected="one of " + ", ".join(
                                     f"{c.id} ({c.sectors})" for c in classes.values())))
    checked = [(c, _fingerprint_ok(c, names)) for c in cands]
    good = [c for c, ok in checked if ok]
    if len(good) == 1:
        return good[0].id
    unknown = [c for c, ok in checked if ok is None]
    if not good and unknown:
        by_source = [c for c in unknown if c.source and c.source.lower() in table.source.lower()]
        if len(by_source) == 1:
            return by_source[0].id
        if len(unknown) == 1:
            return unknown[0].id
    raise TableError(message(table.name, "cannot tell the sector classification from codes and "
                             "names", found=f"candidates {[c.id for c in cands]}, matching "
                             f"names: {[c.id for c in good]}",
                             expected="sector names as published, or pass a list of sector "
                             "codes instead of a track"))


# --------------------------------------------------------------------------- resolving
def find_track(track, tracks_set: TrackSet | None = None) -> Track:
    """A Track from itself, its id, its Chinese name or its English name (case-insensitive)."""
    ts = tracks_set or tracks()
    if isinstance(track, Track):
        return track
    key = str(track).strip()
    for t in ts.values():
        if key in (t.id, t.name_zh) or key.lower() == t.name_en.lower():
            return t
    known = ", ".join(f"{t.id} ({t.name_zh})" for t in ts.values())
    raise TableError(message(ts.path, f"unknown track {key!r}", argument="track",
                             expected=f"one of: {known}"))


def track_codes(track: Track, cid: str, tracks_set: TrackSet | None = None,
                lang: str = "en") -> tuple[tuple, str]:
    """(codes, note) of ``track`` in classification ``cid``; derived by concordance if needed.
    The note is in ``lang`` ('en' or 'zh', see :meth:`Track.note`)."""
    ts = tracks_set or tracks()
    if cid in track.codes:
        return track.codes[cid], track.note(cid, lang)
    cls = ts.classifications.get(cid)
    if cls is not None and cls.derived_from and cls.derived_from in track.codes:
        src = track.codes[cls.derived_from]
        mapped = tuple(dict.fromkeys(c2 for c in src for c2 in cls.concordance.get(c, (c,))))
        how = (f"由{cls.derived_from}的代码{'、'.join(src)}按{cid}对照表换算；" if lang == "zh" else
               f"derived from {cls.derived_from} codes {list(src)} by the {cid} concordance; ")
        return mapped, how + track.note(cls.derived_from, lang)
    derivable = [c.id for c in ts.classifications.values()
                 if c.derived_from and c.derived_from in track.codes]
    have = list(track.codes) + [f"{d} (by concordance)" for d in derivable]
    raise TableError(message(ts.path, f"track {track.id!r} ({track.name_zh}) has no codes for "
                             f"classification {cid!r}", argument="track",
                             expected=f"a table in one of: {', '.join(have)}"))


def _index_of(table):
    return {c: i for i, c in enumerate(table.index)}


def _parse_code(c):
    if isinstance(c, tuple):
        return tuple(map(str, c))
    s = str(c)
    return tuple(s.split("/", 1)) if "/" in s else s


def resolve_track(table, track_or_sectors, tracks_set: TrackSet | None = None, *,
                  region: str | None = None) -> Selection:
    """Sector positions for a track (Track, id, zh or en name) or a list of sector codes.

    For a multi-regional table, bare codes select that sector in every region, or in
    ``region`` when given; codes may also be 'REGION/code' or (region, code) tuples.
    ``tracks_set`` is a :class:`TrackSet` or the path of a tracks file (default: shipped).
    """
    ts = tracks(tracks_set) if isinstance(tracks_set, (str, Path)) else (tracks_set or tracks())
    if region is not None and table.is_multiregional and region not in table.regions:
        raise TableError(message(table.name, f"unknown region {region!r}", argument="region",
                                 expected=f"one of {table.regions}"))
    if region is not None and not table.is_multiregional:
        raise TableError(message(table.name, "region given for a single-region table",
                                 argument="region", found=repr(region), expected="no region"))
    track, note, note_zh, cid = None, "", "", None
    if isinstance(track_or_sectors, (Track, str)):
        track = find_track(track_or_sectors, ts)
        cid = classification_of(table, ts)
        codes, note = track_codes(track, cid, ts)
        note_zh = track_codes(track, cid, ts, lang="zh")[1]
        co = track.carve_out.get(cid)
        if co is not None and co.code in set(_sector_codes(table)):  # a table already carved
            codes = (co.code,)
    elif isinstance(track_or_sectors, Sequence) and len(track_or_sectors) > 0:
        codes = tuple(_parse_code(c) for c in track_or_sectors)
    else:
        raise TableError(message(table.name, "nothing to select", argument="track",
                                 found=repr(track_or_sectors),
                                 expected="a track id or name, or a non-empty list of codes"))
    pos = _index_of(table)
    out = []
    regions = ([region] if region else table.regions) if table.is_multiregional else [None]
    for c in codes:
        keys = [c] if isinstance(c, tuple) or not table.is_multiregional else \
               [(r, c) for r in regions]
        for k in keys:
            if k not in pos:
                what = f"track {track.id!r} ({cid}) code" if track else "sector code"
                raise TableError(message(table.name, f"{what} {code_str(k) if isinstance(k, tuple) else repr(k)} "
                                         "is not a sector of this table", argument="track",
                                         expected=f"codes like {list(table.index[:3])}"))
            out.append(pos[k])
    out = tuple(dict.fromkeys(out))
    return Selection(out, tuple(table.index[i] for i in out), cid, track, note, region, note_zh)


def resolve(table, track_or_sectors, tracks=None, *, region: str | None = None) -> list[int]:
    """Positions (0-based) of the sectors a track or a code list selects in ``table``.

    Unknown track → TableError listing the known ones; a track without codes for this table's
    classification → TableError naming the classifications it has.
    """
    return list(resolve_track(table, track_or_sectors, tracks, region=region).indices)
