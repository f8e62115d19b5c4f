"""Bilingual text for the report and the dashboard (strings in ``strings.toml``). Chinese is
the default language. Numbers and units are formatted by :mod:`lianpu.core.units` (``fmt_num``,
``fmt_pct``, ``Unit.parse(u).text(lang)`` / ``.display(lang)``), the language is checked by
:func:`lianpu.core.errors.check_lang` — one of each for the CLI, the report and the dashboard."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from ..core.errors import LANGS, check_lang
from ..core.notes import text as _note_text
from ..core.notes import zh as _note_zh

__all__ = ["LANGS", "Text", "basis_text", "both", "join_notes", "note_text", "result_notes",
           "source_text", "tr"]


@cache
def _strings() -> dict[str, tuple[str, str]]:
    with open(Path(__file__).with_name("strings.toml"), "rb") as fh:
        raw = tomllib.load(fh)
    return {k: (v[0], v[1]) for k, v in raw.items()}


def tr(key: str, lang: str = "zh", **fmt) -> str:
    """The text for ``key`` in ``lang``; ``fmt`` fills ``{placeholders}``."""
    zh, en = _strings()[key]
    s = zh if lang == "zh" else en
    return s.format(**fmt) if fmt else s


class Text:
    """``T.key`` / ``T("key", n=3)`` shortcut bound to one language (used in templates)."""

    def __init__(self, lang: str):
        self.lang = check_lang(lang)

    def __getattr__(self, key: str) -> str:
        if key.startswith("_") or key not in _strings():
            raise AttributeError(key)
        return tr(key, self.lang)

    def __call__(self, key: str, **fmt) -> str:
        return tr(key, self.lang, **fmt)


def both(key: str) -> str:
    """'中文 English' — for Excel headers and sheet names that serve both readers."""
    zh, en = _strings()[key]
    return f"{zh} {en}"


_ORGS = {"nbs": ("国家统计局，经 R 包 ionet", "NBS via R package ionet"),
         "oecd": ("OECD，经 R 包 ionet", "OECD via R package ionet"),
         "wiod": ("WIOD 2013 版，经 R 包 wiod", "WIOD release 2013 via R package wiod")}


def source_text(table, lang: str) -> str:
    """Where the table comes from, in ``lang`` (registry title for known datasets)."""
    from ..core.errors import DatasetError
    from ..data import registry
    try:
        ds = registry.get(table.name)
    except DatasetError:  # an uploaded or user table: say what the table says of itself
        return table.source or table.name
    title = ds.title_zh if lang == "zh" else ds.title_en
    org = _ORGS.get(ds.format, (ds.source, ds.source))
    return f"{title}（{org[0]}）" if lang == "zh" else f"{title} ({org[1]})"


def basis_text(basis: str, lang: str) -> str:
    """The computation basis an analysis reports (a Basis or its English note), in ``lang``."""
    from ..analysis.basis import note_text
    return note_text(basis, lang)


def note_text(note, lang: str) -> str:
    """One note (:class:`lianpu.core.notes.Note` or plain text) in ``lang``: its Chinese under
    ``zh``, its English otherwise; plain text as written."""
    return _note_text(note, lang)


def result_notes(result, lang: str, keep=None) -> list[str]:
    """A result's (or a table's) ``notes`` in ``lang``: under ``zh`` its ``notes_zh`` where it
    has them (parallel to ``notes``), else the Chinese of each note. ``keep(english)`` selects
    notes by their English text (the same notes in either language)."""
    en = list(result.notes)
    zhs = list(getattr(result, "notes_zh", ()) or ()) if lang == "zh" else []
    shown = [zhs[i] if i < len(zhs) and zhs[i] else (_note_zh(n) if lang == "zh" else str(n))
             for i, n in enumerate(en)]
    return [s for n, s in zip(en, shown) if keep is None or keep(str(n))]


def join_notes(notes, lang: str) -> str:
    """Notes as one line: joined with ``；`` in Chinese, ``; `` in English."""
    return ("；" if lang == "zh" else "; ").join(_note_text(n, lang) for n in notes if n)
