"""Reading and validating track files (``tracks.toml`` schema 1): the data classes and the
checks that turn a malformed file into an error naming the file, the track and the key.
Public use goes through :mod:`lianpu.analysis.tracks.catalogue`."""
from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from ...core.errors import FormatError, message
from .._result import Result, code_str

SHIPPED = "tracks.toml"
TRACK_KEYS = {"name_zh", "name_en", "description_zh", "description_en", "group", "codes", "notes",
              "notes_zh", "carve_out"}
CARVE_KEYS = {"parent", "code", "share", "source", "source_zh", "year", "note", "note_zh"}
CLASS_KEYS = {"sectors", "description_zh", "description_en", "fingerprint", "parent", "to_parent",
              "derived_from", "concordance", "codes", "source"}


@dataclass(frozen=True)
class CarveOut:
    """A track that is a sub-industry of one IO sector in a classification: ``share`` of the
    ``parent``'s output (``None``: no figure shipped, the user gives one) from ``source`` for
    ``year`` (``source_zh``: the same citation in Chinese, "" where the file gives none — the
    Chinese note then shows ``source``); applied by :func:`lianpu.analysis.tracks.carveout.carve_out_for` with
    :func:`lianpu.analysis.aggregate.split_sector` as sector ``code``."""

    classification: str
    parent: str
    code: str
    share: float | None = None
    source: str = ""
    year: int | None = None
    note: str = ""
    note_zh: str = ""
    source_zh: str = ""


@dataclass(frozen=True)
class Track:
    """One track: bilingual names and, per classification, the sector codes it maps to and a
    note on the mapping (``notes`` English, ``notes_zh`` Chinese; see :meth:`note`)."""

    id: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    codes: Mapping[str, tuple]
    notes: Mapping[str, str]
    group: str = ""
    notes_zh: Mapping[str, str] = field(default_factory=dict)
    #: classification → :class:`CarveOut` (tracks carved out of a sector, e.g. 集成电路)
    carve_out: Mapping[str, CarveOut] = field(default_factory=dict)

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def note(self, classification: str, lang: str = "zh") -> str:
        """The mapping note for ``classification`` in ``lang``; zh falls back to the English
        note where a file has no ``notes_zh`` for it, and "" where there is no note."""
        en = self.notes.get(classification, "")
        return self.notes_zh.get(classification, en) if lang == "zh" else en


@dataclass(frozen=True)
class Classification:
    """A sector classification: its code universe, fingerprint and concordances."""

    id: str
    sectors: int
    description_zh: str = ""
    description_en: str = ""
    fingerprint: Mapping[str, tuple] = field(default_factory=dict)
    universe: tuple = ()                   # every code, in order
    parent: str | None = None              # coarser classification (e.g. nbs42)
    to_parent: Mapping[str, tuple] = field(default_factory=dict)   # parent code → own codes
    derived_from: str | None = None        # track codes obtained from this classification …
    concordance: Mapping[str, tuple] = field(default_factory=dict)  # … by this map
    source: str = ""

    def parent_of(self, code: str) -> str | None:
        for p, kids in self.to_parent.items():
            if code in kids:
                return p
        return None


class TrackSet(dict):
    """``dict[id, Track]`` that also carries the classifications it was loaded with."""

    classifications: dict
    outside: dict
    outside_zh: dict
    path: str


@dataclass(frozen=True)
class Selection(Result):
    """What :func:`resolve_track` (or a carve-out, :func:`~lianpu.analysis.tracks.carveout.
    carve_out_for`) found: sector positions, codes and the mapping used. A selection of
    sectors has no unit and no accounting basis (both ``null`` in its JSON)."""

    indices: tuple
    codes: tuple
    classification: str | None
    track: Track | None = None
    note: str = ""
    region: str | None = None
    note_zh: str = ""

    @property
    def label_zh(self) -> str:
        return self.track.name_zh if self.track else "自选部门"

    @property
    def label_en(self) -> str:
        return self.track.name_en if self.track else "selected sectors"

    def to_dict(self) -> dict:
        return {"track": self.track.id if self.track else None, "name_zh": self.label_zh,
                "name_en": self.label_en, "classification": self.classification,
                "region": self.region, "positions": list(self.indices),
                "codes": [code_str(c) for c in self.codes], "note": self.note,
                "note_zh": self.note_zh, "unit": None, "basis": None}


# --------------------------------------------------------------------------- loading
def expand(spec: str) -> list[str]:
    """Expand '001-005' → ['001', …, '005'] and 'c1-c35' → ['c1', …, 'c35'] (single codes kept)."""
    m = re.fullmatch(r"([A-Za-z]*)(\d+)-([A-Za-z]*)(\d+)", spec.strip())
    if not m:
        return [spec.strip()]
    pre, a, _, b = m.groups()
    width = len(a) if a.startswith("0") else 0
    return [f"{pre}{i:0{width}d}" for i in range(int(a), int(b) + 1)]


def _str(where, obj, key, required=True):
    v = obj.get(key, None)
    if v is None and not required:
        return ""
    if not isinstance(v, str) or (required and not v.strip()):
        raise FormatError(message(where, f"key {key!r} is missing or not a text",
                                  found=repr(v), expected="a non-empty string"))
    return v


def _check_keys(where, obj, allowed):
    if not isinstance(obj, dict):
        raise FormatError(message(where, "is not a table", found=type(obj).__name__,
                                  expected="a TOML table"))
    extra = sorted(set(obj) - allowed)
    if extra:
        raise FormatError(message(where, f"unknown key {extra[0]!r}",
                                  expected=f"one of {sorted(allowed)}"))


def _code_list(where, v):
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not v or not all(isinstance(c, str) and c for c in v):
        raise FormatError(message(where, "codes must be a non-empty list of texts",
                                  found=repr(v), expected='e.g. ["083", "092"]'))
    if len(set(v)) != len(v):
        dup = next(c for c in v if v.count(c) > 1)
        raise FormatError(message(where, f"code {dup!r} is listed twice", expected="unique codes"))
    return tuple(v)


def _classification(fname, cid, d) -> Classification:
    where = f"{fname}: classification {cid!r}"
    _check_keys(where, d, CLASS_KEYS)
    n = d.get("sectors")
    if not isinstance(n, int) or n < 1:
        raise FormatError(message(where, "key 'sectors' is missing or not a positive integer",
                                  found=repr(n), expected="e.g. 42"))
    fp = {str(k): tuple(str(v).split("|")) for k, v in dict(d.get("fingerprint", {})).items()}
    to_parent = {str(p): tuple(c for part in (v if isinstance(v, list) else [v])
                               for c in expand(str(part)))
                 for p, v in dict(d.get("to_parent", {})).items()}
    if to_parent:
        universe = tuple(sorted({c for kids in to_parent.values() for c in kids}))
    elif "codes" in d:
        universe = tuple(expand(str(d["codes"])))
    else:
        universe = tuple(f"{i:0{len(str(n))}d}" for i in range(1, n + 1))
    if universe and len(universe) != n:
        raise FormatError(message(where, "the code list does not have 'sectors' codes",
                                  found=len(universe), expected=n))
    conc = {str(k): tuple(v) for k, v in dict(d.get("concordance", {})).items()}
    return Classification(cid, n, d.get("description_zh", ""), d.get("description_en", ""),
                          MappingProxyType(fp), universe, d.get("parent"),
                          MappingProxyType(to_parent), d.get("derived_from"),
                          MappingProxyType(conc), d.get("source", ""))


def _track(fname, tid, d, classes) -> Track:
    where = f"{fname}: track {tid!r}"
    _check_keys(where, d, TRACK_KEYS)
    codes_raw = d.get("codes")
    if not isinstance(codes_raw, dict) or not codes_raw:
        raise FormatError(message(where, "key 'codes' is missing or empty",
                                  expected="a table classification = [codes], e.g. nbs153 = ['083']"))
    codes = {}
    for cid, v in codes_raw.items():
        w = f"{where}, key 'codes.{cid}'"
        if cid not in classes:
            raise FormatError(message(w, "unknown classification", found=repr(cid),
                                      expected=f"one of {sorted(classes)}"))
        codes[cid] = _code_list(w, v)
        uni = classes[cid].universe
        bad = [c for c in codes[cid] if uni and c not in uni]
        if bad:
            raise FormatError(message(w, f"code {bad[0]!r} is not a {cid} sector code",
                                      expected=f"one of {uni[0]}…{uni[-1]}"))
    notes, notes_zh = (_notes(where, d, key, classes) for key in ("notes", "notes_zh"))
    return Track(tid, _str(where, d, "name_zh"), _str(where, d, "name_en"),
                 _str(where, d, "description_zh", False), _str(where, d, "description_en", False),
                 MappingProxyType(codes), notes, d.get("group", ""), notes_zh,
                 _carve_outs(where, d.get("carve_out", {}), classes))


def _carve_outs(where, raw, classes) -> Mapping[str, CarveOut]:
    """``[tracks.<id>.carve_out.<classification>]`` tables: parent, code, share (optional),
    source (required with a share), source_zh (optional: its Chinese), year (required with a
    share), note, note_zh."""
    if not isinstance(raw, dict):
        raise FormatError(message(where, "key 'carve_out' must map classifications to tables",
                                  found=repr(raw)[:60]))
    out = {}
    for cid, d in raw.items():
        w = f"{where}, key 'carve_out.{cid}'"
        if cid not in classes:
            raise FormatError(message(w, "unknown classification", found=repr(cid),
                                      expected=f"one of {sorted(classes)}"))
        _check_keys(w, d, CARVE_KEYS)
        parent, code = _str(w, d, "parent"), _str(w, d, "code")
        uni = classes[cid].universe
        if uni and parent not in uni:
            raise FormatError(message(w, f"parent {parent!r} is not a {cid} sector code",
                                      expected=f"one of {uni[0]}…{uni[-1]}"))
        if code in uni or ":" in code or "/" in code:
            raise FormatError(message(w, f"code {code!r} is a sector code already or holds ':' "
                                      "or '/'", expected="a new code such as '094.IC'"))
        share = d.get("share")
        if share is not None:
            if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share < 1:
                raise FormatError(message(w, "share must be a number between 0 and 1",
                                          found=repr(share), expected="0 < share < 1, or no share "
                                          "(the user then gives one)"))
            if not str(d.get("source", "")).strip() or not isinstance(d.get("year"), int):
                raise FormatError(message(w, "a shipped share needs its source and year",
                                          found=f"source={d.get('source')!r}, year={d.get('year')!r}",
                                          expected="source = '<publication>', year = 2020"))
        out[cid] = CarveOut(cid, parent, code, None if share is None else float(share),
                            _str(w, d, "source", False), d.get("year"), _str(w, d, "note", False),
                            _str(w, d, "note_zh", False), _str(w, d, "source_zh", False))
    return MappingProxyType(out)


def _notes(where, d, key, classes) -> Mapping[str, str]:
    notes = d.get(key, {})
    if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
        raise FormatError(message(where, f"key {key!r} must map classifications to texts",
                                  found=repr(notes)[:60]))
    for cid in notes:
        if cid not in classes:
            raise FormatError(message(f"{where}, key '{key}.{cid}'", "unknown classification",
                                      expected=f"one of {sorted(classes)}"))
    return MappingProxyType(dict(notes))


def _read(path) -> tuple[str, dict]:
    if path is None:
        text = resources.files("lianpu.data").joinpath(SHIPPED).read_text(encoding="utf-8")
        fname = SHIPPED
    else:
        p = Path(path)
        if not p.is_file():
            raise FormatError(message(str(p), "tracks file not found", expected="a TOML file"))
        text, fname = p.read_text(encoding="utf-8"), p.name
    try:
        return fname, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(message(fname, f"not valid TOML: {exc}")) from None
