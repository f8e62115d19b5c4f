"""The shipped satellites by name 按名称附加卫星账户: ``jobs`` (employment statistics) and ``co2``
(CEADs inventories), attached to a table that lacks them — one rule for the CLI and the
project report, which must say which year's data they used."""
from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import TableError, message

#: satellites lianpu can attach from its own data (name → what it is)
SHIPPED = {"jobs": ("就业", "employment"), "co2": ("二氧化碳排放", "CO2 emissions")}


@dataclass(frozen=True)
class Attached:
    """The table with the satellite, the data year used and the note saying so."""

    table: object
    kind: str
    year: int | None
    note: str
    attached: bool  # False when the table already had the satellite


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
        return Attached(table, kind, table.year, notes[-1] if notes else
                        f"{kind}: the table's own satellite", False)
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
    return Attached(t, kind, year, " ".join(new) or f"{kind}: {year}", True)
