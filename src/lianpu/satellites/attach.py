"""The shipped satellites by name 按名称附加卫星账户: ``jobs`` (employment statistics) and ``co2``
(CEADs inventories), attached to a table that lacks them — one rule for the CLI and the
project report, which must say which year's data they used."""
from __future__ import annotations

import re
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
    note_zh: str = ""  # the note in Chinese (:func:`note_zh`)


#: (pattern of a note lianpu's data steps write on a table, its Chinese with the same groups):
#: the shipped satellites (satellites/co2/satellite.py, satellites/employment.py and the year
#: rule :func:`lianpu.satellites.co2.satellite.match_year`) and the basis views (table_views.py)
_WHY_ZH = (
    (r"the table is of (\d+) but CEADs publishes inventories only for (\d+)–(\d+), so (\d+) "
     r"emissions are used \(nearest year\)",
     r"表为\1年，CEADs只发布\2–\3年的排放清单，故采用最近年份\4年的排放"),
    (r"the table is of (\S+); (\d+) emissions were asked for", r"表为\1年；按指定采用\2年的排放"),
)
_NOTES_ZH = (
    (r"co2: CEADs national inventory (\d+) \(scope 1, IPCC sectoral, Mt CO2; (.+?)\) put on (\S+) "
     r"sectors by (\S+?)(?:; (.*))?$",
     r"二氧化碳：CEADs全国排放清单\1年（范围1，IPCC部门法，Mt CO2；\2），按\4分配到\3的部门"),
    (r"co2: CEADs inventory of (\S+) \((.+?)\) (\d+) \(scope 1, IPCC sectoral, Mt CO2; (.+?)\) "
     r"put on (\S+) sectors by (\S+?)(?:; (.*))?$",
     r"二氧化碳：CEADs\1（\2）\3年排放清单（范围1，IPCC部门法，Mt CO2；\4），按\6分配到\5的部门"),
    (r"jobs: the table is for (\S+), employment data end in (\d+): (\d+) employment used \(万人\)$",
     r"就业：表为\1年，就业统计截至\2年，采用\3年的就业人数（万人）"),
    (r"jobs: (\d+) employment by industry \((\S+)\) mapped to (\S+) by (\S+), divisions split "
     r"by compensation shares$",
     r"就业：\1年分行业就业人数（\2）按\4对应到\3，门类内按劳动者报酬占比拆分"),
    (r"jobs: the table's own satellite$", "就业：表自带的卫星账户"),
    (r"co2: the table's own satellite$", "二氧化碳：表自带的卫星账户"),
    (r"jobs: (\S+)$", r"就业：\1年数据"),
    (r"co2: (\S+)$", r"二氧化碳：\1年数据"),
    (r"domestic view by import proportionality$", "国内视角：按进口比例假设把中间使用和最终使用拆分为"
     "国产品和进口品"),
    (r"re-exports: imports exceed domestic use for (.+); their import share is spread over "
     r"exports too$", r"转口：\1的进口超过国内使用，其进口占比也分摊到出口"),
    (r"local view 本地视角 by proportionality: imports from abroad in Zm/Ym, inflows from other "
     r"provinces in Zr/Yr$", "本地视角：按比例假设拆分，国外进口计入Zm/Ym，外省调入计入Zr/Yr"),
    (r"re-exports / transit: supply from outside exceeds local use for (.+); their shares are "
     r"spread over exports and outflows too$",
     r"转口/过境：\1的外部供给超过本地使用，其占比也分摊到出口和调出"),
)


def note_zh(note: str) -> str:
    """The Chinese of a note lianpu's data steps write on a table (:data:`_NOTES_ZH`: the
    shipped satellites' data and year, the basis views); any other note — a reader's or the
    user's own text — is returned as it is."""
    for pat, zh in _NOTES_ZH:
        m = re.match(pat, note)
        if m:
            out = m.expand(zh)
            why = m.group(m.re.groups) if pat.startswith("co2: CEADs") else None
            if why:
                for wp, wz in _WHY_ZH:
                    why = re.sub(wp, wz, why)
                out += f"；{why}"
            return out
    return note


def notes_zh(notes) -> tuple:
    """:func:`note_zh` of each note, in order (parallel to ``notes``)."""
    return tuple(note_zh(n) for n in notes)


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
        note = notes[-1] if notes else f"{kind}: the table's own satellite"
        return Attached(table, kind, table.year, note, False, note_zh(note))
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
    note = " ".join(new) or f"{kind}: {year}"
    return Attached(t, kind, year, note, True, "；".join(note_zh(n).rstrip("。；") for n in new) or note_zh(note))
