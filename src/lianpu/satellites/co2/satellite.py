"""The CO2 satellite 二氧化碳卫星账户 from the CEADs inventories: where the data are read.

The analyses (:mod:`lianpu.analysis.carbon`, :mod:`lianpu.analysis.change.sda`,
:mod:`lianpu.analysis.valuechains`) take tables that carry a ``co2`` satellite; this module
builds one from the CEADs workbooks (:mod:`.inventory`) and the shipped concordance
(:mod:`.concordance`), and reads the inventories a provincial profile compares:

- :func:`match_year` — the CEADs year used for a table's year (nearest published year);
- :func:`co2_satellite` — a table with satellite ``co2`` (Mt CO2), national or provincial;
- :func:`profile_inputs` — a province's and the nation's emissions by CEADs sector, and the
  national NBS table whose sectors they are put on.
"""
from __future__ import annotations

from ...core.errors import TableError, message
from ...core.notes import Note
from . import concordance
from . import inventory as inv

CO2_ZH, CO2_EN = "二氧化碳排放", "CO2 emissions"

#: national NBS tables by year (the sectors a provincial profile is placed on)
NBS_TABLE_YEARS = {2002: "cn-nbs-2002-122", 2005: "cn-nbs-2005-42", 2007: "cn-nbs-2007-135",
                   2010: "cn-nbs-2010-41", 2012: "cn-nbs-2012-139", 2015: "cn-nbs-2015-42",
                   2017: "cn-nbs-2017-42", 2018: "cn-nbs-2018-42", 2020: "cn-nbs-2020-42"}


def match_year(year: int) -> tuple[int, str]:
    """The CEADs inventory year used for a table of ``year``, and why (empty when equal; else a
    :class:`~lianpu.core.notes.Note`, English with its Chinese)."""
    from ...data.registry import CEADS_YEARS
    first, last = CEADS_YEARS[0], CEADS_YEARS[-1]
    if year is None:
        raise TableError(message(None, "the table has no year", argument="year",
                                 expected="year= to choose the CEADs inventory year"))
    if first <= year <= last:
        return int(year), ""
    use = last if year > last else first
    return use, Note(f"the table is of {year} but CEADs publishes inventories only for "
                     f"{first}–{last}, so {use} emissions are used (nearest year)",
                     f"表为{year}年，CEADs只发布{first}–{last}年的排放清单，故采用最近年份{use}年的排放")


def co2_satellite(table, year: int | None = None, data_dir=None, *, inventory=None):
    """A new table with satellite ``co2`` (Mt CO2) from the CEADs national inventory — or, for
    a provincial table (``table.province`` set), from that province's CEADs inventory of the
    same year (30 provinces; Tibet has none).

    Emissions by CEADs sector are put on the table's sectors with the shipped concordance
    (:mod:`lianpu.satellites.co2.concordance`); urban and rural household emissions become direct
    emissions of the household final-demand columns. ``year`` defaults to the table's year
    (2020 → 2019, see :func:`match_year`); the choice is written in ``table.notes``.
    ``inventory`` (an :class:`~lianpu.satellites.co2.inventory.Inventory`) replaces the read.
    """
    use, why = match_year(table.year if year is None else int(year))
    if year is not None and int(year) != table.year and not why:
        why = Note(f"the table is of {table.year}; {use} emissions were asked for",
                   f"表为{table.year}年；按指定采用{use}年的排放")
    prov = getattr(table, "province", None)
    if prov:
        from ...data.registry import province as province_of
        p = province_of(prov)
        region = inv.province(p.name_en)
        invent = inventory if inventory is not None else inv.read_provinces(
            use, region, data_dir=data_dir)
        what = f"CEADs inventory of {p.name_zh} ({region}) {use}"
        what_zh = f"CEADs{p.name_zh}（{region}）{use}年排放清单"
    else:
        region = "China"
        invent = inventory if inventory is not None else inv.read_national(use, data_dir=data_dir)
        what = f"CEADs national inventory {use}"
        what_zh = f"CEADs全国排放清单{use}年"
    by_ceads = invent.sector_totals(region, use)
    values, hh = concordance.to_table(table, by_ceads)
    key = concordance.table_key(table)
    note = Note(f"co2: {what} (scope 1, IPCC sectoral, Mt CO2; Shan et al. 2018, 2020) put on "
                f"{key} sectors by ceads47_to_nbs42.csv" + (f"; {why}" if why else ""),
                f"二氧化碳：{what_zh}（范围1，IPCC部门法，Mt CO2；Shan et al. 2018, 2020），"
                f"按ceads47_to_nbs42.csv分配到{key}的部门" + (f"；{why.zh}" if why else ""))
    from ...table import Satellite
    sats = dict(table.satellites)
    sats["co2"] = Satellite("co2", values, inv.UNIT, CO2_ZH, CO2_EN, hh)
    return table.evolve(satellites=sats, notes=tuple(table.notes) + (note,))  # one validation


def nearest_table(year: int) -> str:
    """The NBS table id used to place a year's emissions (nearest year, ties to the earlier)."""
    best = min(NBS_TABLE_YEARS, key=lambda y: (abs(y - year), y))
    return NBS_TABLE_YEARS[best]


def profile_inputs(province: str, year: int, *, data_dir=None, table=None):
    """What :func:`lianpu.analysis.carbon.provinces.provincial_profile` compares, read here:
    (CEADs name of the province, national NBS table, the province's and the nation's scope-1
    emissions by CEADs sector in ``year``). ``table`` replaces the nearest national table."""
    en = inv.province(province)
    year = int(year)
    if table is None:
        from ...io import load
        table = load(nearest_table(year), data_dir=data_dir)
    prov = inv.read_provinces(year, [en], data_dir=data_dir).sector_totals(en, year)
    nat = inv.read_national(year, data_dir=data_dir).sector_totals("China", year)
    return en, table, prov, nat


__all__ = ["CO2_EN", "CO2_ZH", "NBS_TABLE_YEARS", "co2_satellite", "match_year",
           "nearest_table", "profile_inputs"]
