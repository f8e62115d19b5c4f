"""Bilingual notes 双语说明: a caveat written once, in English and Chinese, where it is made.

A :class:`Note` *is* its English text (a ``str``: it compares, joins, prints and serializes
to JSON as the English sentence, so every existing ``notes`` tuple keeps working) and carries
its Chinese twin in ``.zh``. Whoever writes a note — a reader, a satellite builder, a basis
view, an analysis — writes both, so nothing downstream translates by matching wording.

    >>> n = Note("VA = x − 1'Z", "增加值 = 总产出 − 中间投入合计")
    >>> n == "VA = x − 1'Z", n.zh
    (True, '增加值 = 总产出 − 中间投入合计')
    >>> zh("a user's own note")          # plain text has no twin: shown as written
    "a user's own note"
"""
from __future__ import annotations


class Note(str):
    """English text (the string itself) with its Chinese twin ``zh``."""

    zh: str

    def __new__(cls, en: str, zh: str = ""):
        self = super().__new__(cls, str(en))
        self.zh = str(zh) if zh else str(en)
        return self

    def __reduce__(self):  # pickling (Dask workers, the dashboard's process pool)
        return (Note, (str(self), self.zh))

    def text(self, lang: str = "en") -> str:
        """The note in ``lang`` ("zh" or "en")."""
        return self.zh if lang == "zh" else str(self)

    def __repr__(self) -> str:
        return f"Note({str(self)!r}, {self.zh!r})"


def zh(note) -> str:
    """The Chinese of ``note``: its twin when it is a :class:`Note`, else the text as written
    (a user's own note, or one read back from a file that kept no Chinese)."""
    return note.zh if isinstance(note, Note) else str(note)


def notes_zh(notes) -> tuple:
    """:func:`zh` of each note, in order (parallel to ``notes``)."""
    return tuple(zh(n) for n in notes)


def text(note, lang: str) -> str:
    """``note`` in ``lang``: Chinese under "zh" (:func:`zh`), English otherwise."""
    return zh(note) if lang == "zh" else str(note)


def pair(notes, notes_zh_) -> tuple:
    """Notes rebuilt from parallel English and Chinese lists (a file's ``notes`` and
    ``notes_zh``); a missing or empty Chinese entry leaves the plain English text."""
    zhs = list(notes_zh_ or ())
    out = []
    for i, en in enumerate(notes):
        z = zhs[i] if i < len(zhs) else ""
        out.append(Note(en, z) if z and z != en else str(en))
    return tuple(out)


__all__ = ["Note", "notes_zh", "pair", "text", "zh"]
