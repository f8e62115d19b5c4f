"""The shipped satellites by name 按名称附加卫星账户: ``jobs`` (employment statistics) and ``co2``
(CEADs inventories), attached to a table that lacks them — one rule for the CLI and the
project report, which must say which year's data they used."""
from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import TableError, message
from ..core.notes import Note, notes_zh, zh

#: the Chinese of a table note (:func:`lianpu.core.notes.zh`): the twin its maker wrote (the
#: shipped satellites, the basis views), or — a reader's or the user's own text, a note read
#: back from a file that kept no Chinese — the note as written; ``notes_zh`` maps it over notes
note_zh = zh

#: satellites lianpu can attach from its own data (name → what it is)
SHIPPED = {"jobs": ("就业", "employment"), "co2": ("二氧化碳排放", "CO2 emissions")}
#: how a note on the satellite begins ("jobs: …" / "co2: …" in English)
_PREFIX_ZH = {"jobs": "就业", "co2": "二氧化碳"}


@dataclass(frozen=True)
class Attached:
    """The table with the satellite, the data year used and the note saying so (a
    :class:`~lianpu.core.notes.Note` where lianpu wrote it; ``note_zh`` is its Chinese)."""

    table: object
    kind: str
    year: int | None
    note: str
    attached: bool  # False when the table already had the satellite
    note_zh: str = ""  # the note in Chinese (:func:`note_zh` of ``note``)


def attach(table, kind: str, data_dir=None) -> Attached:
    """``table`` with satellite ``kind`` ("jobs" or "co2"); unchanged when it already has it.

    jobs: :func:`lianpu.satellites.employment_satellite` (national employment statistics of
    the table's year, 2018 for later tables) — refused for a provincial table, since lianpu
    ships no provincial employment statistics and national jobs would be put on one province.
    co2: :func:`lianpu.analysis.carbon.footprint.co2_satellite` (CEADs national inventory, or the
    province's own inventory for a provincial table; nearest CEADs year)."""
    if kind not in SHIPPED:
        raise TableError(message(table.name, "no shipped satellite of this name", argument="kind",
                                 found=repr(kind), expected=f"one of {list(SHIPPED)}"))
    if kind in table.satellites:
        notes = [n for n in table.notes if n.startswith(kind + ":")]
        note = notes[-1] if notes else Note(f"{kind}: the table's own satellite",
                                            f"{_PREFIX_ZH[kind]}：表自带的卫星账户")
        return Attached(table, kind, table.year, note, False, zh(note))
    if kind == "jobs":
        from .employment import LAST_YEAR, employment_satellite
        if getattr(table, "province", None):
            raise TableError(message(
                table.name, "jobs: lianpu ships national employment statistics only (no "
                "provincial ones), so a provincial table gets no jobs satellite",
                argument="kind", found="a provincial table",
                expected="a national NBS table (cn-nbs-…), or a table with its own 'jobs' "
                         "satellite"))
        t = employment_satellite(table, None, data_dir)
        year = None if table.year is None else min(int(table.year), LAST_YEAR)
    else:
        from .co2.satellite import co2_satellite, match_year
        t = co2_satellite(table, data_dir=data_dir)
        year = match_year(table.year)[0]
    new = [n for n in t.notes[len(table.notes):] if n.startswith(kind + ":")]
    note = (Note(" ".join(new), "；".join(zh(n).rstrip("。；") for n in new)) if new
            else Note(f"{kind}: {year}", f"{_PREFIX_ZH[kind]}：{year}年数据"))
    return Attached(t, kind, year, note, True, note.zh)


__all__ = ["SHIPPED", "Attached", "attach", "note_zh", "notes_zh"]
