"""The dataset registry: which public tables lianpu knows by id, and where they sit in the cache.

Ids::

    cn-nbs-{year}-{n}         NBS China IO tables (12 tables, 2002–2020), unit 10,000 CNY
    cn-oecd-{year}            OECD national IOTs for China, 2021 edition, 1995–2018, million USD
    wiod2013-{year}           World IO table, WIOD release 2013, 1995–2011, million USD
    wiod2013-regions-{year}   the same aggregated to 7 world regions, 1995 and 2011
    cn-nbs-{year}-{n}         national tables before 2002 (CHNIO): 1990, 1992, 1995 (33
                              sectors), 1997 (40), 2000 (17), unit 10,000 CNY
    cn-prov-{year}-{province} provincial IO tables (CHNIO): 1997 (38 sectors), 2002, 2007, 2012,
                              2017 (42 sectors), unit 10,000 CNY; {province} is the GB/T 2260
                              code, the pinyin or the Chinese short name (cn-prov-2017-51 =
                              cn-prov-2017-sichuan = cn-prov-2017-四川; the id is the code)

Big MRIOs (readers ``icio`` and ``exiobase``, docs/big_mrio.md), listed only by
``datasets(big=True)`` and never fetched by ``lianpu download --all`` (multi-GB files)::

    oecd-icio-2023-{year}     OECD ICIO 2023 edition, 1995–2020, million USD (placed by hand)
    exiobase3-{year}-{ixi|pxp} EXIOBASE 3, 1995–2022, M.EUR (Zenodo; verified by size only)

Auxiliary (non-IO) datasets, listed by ``datasets(auxiliary=True)`` and fetched by
``lianpu download`` like the tables, but not readable with ``lianpu.load``::

    cn-employment             employed persons by industry, China 1990–2018 (ionet), 10,000 persons
    ceads-china               CEADs national CO2 inventory 1997–2019 (one sheet a year), Mt CO2
    ceads-provinces-{year}    CEADs inventories of 30 provinces, one file a year 1997–2019, Mt CO2
    ceads-cities              CEADs inventories of 290 cities 1997–2019 (totals), Mt CO2

The provincial and early national tables (format ``chnio``) are listed by
``datasets(provincial=True)`` and by ``datasets(auxiliary=True)`` (what ``lianpu datasets`` and
``lianpu download --all`` use); the plain ``datasets()`` stays the 55 national/world tables.

``load_dataset`` reads a cached table; ``lianpu download ID`` (:mod:`lianpu.data.download`) puts
it in the cache.
"""
from __future__ import annotations

import csv
import difflib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from ..core.errors import DatasetError
from .cache import data_dir as _data_dir

NBS_TABLES = ((2002, 122), (2005, 42), (2007, 135), (2010, 41), (2012, 139), (2015, 42),
              (2017, 149), (2017, 42), (2018, 153), (2018, 42), (2020, 153), (2020, 42))
# these three publish imported inputs as separate rows (Origin = Domestic / Imports)
NBS_NON_COMPETITIVE = {(2017, 42), (2018, 42), (2020, 42)}
OECD_YEARS = tuple(range(1995, 2019))
WIOD_YEARS = tuple(range(1995, 2012))
WIOD_REGION_YEARS = (1995, 2011)
CEADS_YEARS = tuple(range(1997, 2020))
# CHNIO (common2016/CHNIO): provincial tables by year, and the national tables before 2002
CHNIO_YEARS = (1997, 2002, 2007, 2012, 2017)
CHNIO_SECTORS = {1997: 38, 2002: 42, 2007: 42, 2012: 42, 2017: 42}
CHNIO_NATIONAL = ((1990, 33), (1992, 33), (1995, 33), (1997, 40), (2000, 17))
_CHNIO_RAW = "data-raw/中国31省区市42部门投入产出表1997-2017皮皮侠/"
# a province's published workbook: '{year}年各省份投入产出表/[1997年/][NN[-]]{name}[97].xls'
# (the 1997 folder also holds workbooks of several provinces, '上海等七省.xls': not used)
_CHNIO_FILE = re.compile(r"^" + re.escape(_CHNIO_RAW) + r"(\d{4})年各省份投入产出表/(?:\d{4}年/)?"
                         r"(?:\d+-?)?([^/\d等]+?)(?:97)?\.xls$")
# formats that lianpu.load can read; the others are auxiliary data read by their own modules
IO_FORMATS = ("nbs", "oecd", "wiod", "chnio")
# the big MRIOs: IO tables, but not in datasets() unless asked for (nor in --all)
BIG_FORMATS = ("icio", "exiobase")
ICIO_YEARS = tuple(range(1995, 2021))
EXIOBASE_YEARS = tuple(range(1995, 2023))
_AUX_READERS = {
    "employment": "a CSV of employed persons by industry and year (read it with pandas from "
                  "lianpu.data.registry.path_of(id); the scenario analyses use it)",
    "ceads": "a CEADs CO2 inventory; use lianpu.satellites.co2.inventory (read_national, "
             "read_provinces, read_cities) or lianpu.analysis.carbon.footprint.co2_satellite",
}


#: datasets that an analysis builds from other datasets, by format: the builder is named here
#: (module, function) and imported on first use, like the lazy public names of ``lianpu`` —
#: the data layer lists what builds them but does not depend on the analyses
BUILT = {"cn-mrio": ("lianpu.analysis.regions.mrio.build", "build_china_mrio")}


def _builder(fmt: str):
    import importlib
    module, name = BUILT[fmt]
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class Dataset:
    """One table in the registry.

    ``path`` is relative to the cache folder; ``format`` is the reader name used to open it
    (``nbs``, ``oecd``, ``wiod``; ``employment`` and ``ceads`` for auxiliary, non-IO data);
    ``source`` is the key of its public source in ``sources.toml`` (``ionet``, ``wiod`` or
    ``ceads``). ``sectors`` is None for auxiliary datasets; ``year`` is the last year they cover.
    """

    id: str
    title_zh: str
    title_en: str
    year: int
    sectors: int | None
    format: str
    path: str
    source: str
    unit: str
    province: str | None = None  # GB/T 2260 code of a provincial table


def _nbs(year: int, n: int) -> Dataset:
    nc = (year, n) in NBS_NON_COMPETITIVE
    return Dataset(
        id=f"cn-nbs-{year}-{n}",
        title_zh=f"中国{year}年投入产出表（{n}部门{'，非竞争型' if nc else ''}）",
        title_en=f"China IO table {year} ({n} sectors{', non-competitive imports' if nc else ''})",
        year=year, sectors=n, format="nbs", path=f"cn/nbs/cn_io_{year}_{n}.csv",
        source="ionet", unit="10,000 CNY (万元)")


def _oecd(year: int) -> Dataset:
    return Dataset(
        id=f"cn-oecd-{year}",
        title_zh=f"OECD中国{year}年投入产出表（2021年版，45部门）",
        title_en=f"OECD national IO table for China {year} (2021 edition, 45 sectors)",
        year=year, sectors=45, format="oecd", path=f"cn/oecd-icio-2021/oecd2021_chn_{year}.csv",
        source="ionet", unit="million USD")


def _wiod(year: int, regional: bool) -> Dataset:
    if regional:
        return Dataset(
            id=f"wiod2013-regions-{year}",
            title_zh=f"世界投入产出表{year}年（WIOD 2013版，7个地区×35部门）",
            title_en=f"World IO table {year} (WIOD release 2013, 7 world regions × 35 sectors)",
            year=year, sectors=35, format="wiod", path=f"wiod2013/raw/wiot_regional_{year}.RData",
            source="wiod", unit="million USD")
    return Dataset(
        id=f"wiod2013-{year}",
        title_zh=f"世界投入产出表{year}年（WIOD 2013版，41个经济体×35部门）",
        title_en=f"World IO table {year} (WIOD release 2013, 41 economies × 35 sectors)",
        year=year, sectors=35, format="wiod", path=f"wiod2013/raw/wiot_{year}.RData",
        source="wiod", unit="million USD")


def _aux() -> list[Dataset]:
    co2 = "Mt CO2"
    items = [Dataset(
        id="cn-employment", title_zh="中国分行业就业人员（1990–2018年）",
        title_en="China employed persons by industry, 1990–2018", year=2018, sectors=None,
        format="employment", path="cn/cn_employment_1990_2018.csv", source="ionet",
        unit="10,000 persons (万人)")]
    items.append(Dataset(
        id="ceads-china", title_zh="CEADs中国二氧化碳排放清单（1997–2019年，IPCC部门法）",
        title_en="CEADs China CO2 inventory 1997–2019 (IPCC sectoral emissions)", year=2019,
        sectors=None, format="ceads", source="ceads", unit=co2,
        path="ceads/CEADS_china/China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx"))
    for y in CEADS_YEARS:
        # the 1997 file is published with a different capitalization
        name = (f"Emission_inventories_for_30_provinces_{y}.xlsx" if y == 1997
                else f"Emission_Inventories_for_30_Provinces_{y}.xlsx")
        items.append(Dataset(
            id=f"ceads-provinces-{y}", title_zh=f"CEADs 30个省区二氧化碳排放清单（{y}年）",
            title_en=f"CEADs CO2 inventories of 30 provinces, {y}", year=y, sectors=None,
            format="ceads", path=f"ceads/CEADS_china_provinces/{name}", source="ceads", unit=co2))
    items.append(Dataset(
        id="ceads-cities", title_zh="CEADs 290个城市二氧化碳排放清单（1997–2019年）",
        title_en="CEADs CO2 inventories of 290 Chinese cities, 1997–2019", year=2019,
        sectors=None, format="ceads", source="ceads", unit=co2,
        path="ceads/CEADS_china_cities/"
             "The_Emission_Inventories_for_290_Chinese_Cities_from_1997_to_2019.xlsx"))
    return items


def _big() -> list[Dataset]:
    items = [Dataset(
        id=f"oecd-icio-2023-{y}", title_zh=f"OECD国家间投入产出表{y}年（2023年版，77个经济体×45部门）",
        title_en=f"OECD Inter-Country IO table {y} (2023 edition, 76 economies + ROW × 45 industries)",
        year=y, sectors=45, format="icio", path=f"oecd-icio-2023/ICIO2023_{y}.csv",
        source="oecd-icio", unit="million USD") for y in ICIO_YEARS]
    for y in EXIOBASE_YEARS:
        for kind, n in (("ixi", 163), ("pxp", 200)):
            items.append(Dataset(
                id=f"exiobase3-{y}-{kind}",
                title_zh=f"EXIOBASE 3 {y}年（49个地区×{n}{'部门' if kind == 'ixi' else '产品'}）",
                title_en=f"EXIOBASE 3 {y} ({kind}: 49 regions × {n} "
                         f"{'industries' if kind == 'ixi' else 'products'})",
                year=y, sectors=n, format="exiobase", path=f"exiobase3/IOT_{y}_{kind}.zip",
                source="exiobase3", unit="M.EUR"))
    return items


# ---------------------------------------------------------------------------- provinces
@dataclass(frozen=True)
class Province:
    """A province-level division 省级行政区: GB/T 2260 code, ISO 3166-2:CN code, names."""

    gb: str
    iso: str
    name_zh: str
    name_en: str
    pinyin: str

    @property
    def label(self) -> str:
        return f"{self.gb} {self.name_zh} {self.pinyin}"


@cache
def provinces() -> tuple[Province, ...]:
    """The 31 provinces in GB/T 2260 order (from ``data/provinces.csv``)."""
    with resources.files(__package__).joinpath("provinces.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(Province(r["gb2260"], r["code"], r["name_zh"], r["name_en"], r["pinyin"])
                 for r in rows)


_SUFFIX = re.compile(r"(维吾尔自治区|壮族自治区|回族自治区|自治区|省|市)$")


@cache
def _province_keys() -> dict[str, Province]:
    out = {}
    for p in provinces():
        for k in (p.gb, p.iso, p.name_zh, p.name_en, p.pinyin):
            out[k.casefold().replace(" ", "")] = p
    out["tibet"] = out["xizang"]
    out["innermongolia"] = out["neimenggu"]
    return out


def province(text) -> Province:
    """The province named by a GB/T 2260 code ('51'), pinyin ('sichuan'), Chinese short or
    full name ('四川', '四川省'), English name or ISO code ('SC'); else a one-line
    DatasetError listing the valid ones."""
    key = _SUFFIX.sub("", str(text).strip()).casefold().replace(" ", "")
    found = _province_keys().get(key)
    if found is None:
        raise DatasetError(
            f"unknown province {str(text)!r} (expected a GB/T 2260 code, pinyin or Chinese name: "
            + ", ".join(p.label for p in provinces()) + ")")
    return found


# ---------------------------------------------------------------------------- CHNIO
@cache
def _chnio_files() -> dict[tuple[int, str], str]:
    """(year, GB code) → the province's workbook, relative to the CHNIO repository."""
    text = resources.files(__package__).joinpath("sources.toml").read_text(encoding="utf-8")
    out = {}
    for rel in tomllib.loads(text)["chnio"]["sha256"]:
        m = _CHNIO_FILE.match(rel)
        if m and m.group(2) != "中国":
            out[(int(m.group(1)), province(m.group(2)).gb)] = rel
    return out


def _chnio() -> list[Dataset]:
    items = []
    unit = "10,000 CNY (万元)"
    for (year, gb), rel in sorted(_chnio_files().items()):
        p = province(gb)
        n = CHNIO_SECTORS[year]
        items.append(Dataset(
            id=f"cn-prov-{year}-{gb}", title_zh=f"{p.name_zh}{year}年投入产出表（{n}部门）",
            title_en=f"{p.name_en} ({p.name_zh}) IO table {year} ({n} sectors)", year=year,
            sectors=n, format="chnio", path=f"cn/chnio/{rel}", source="chnio", unit=unit,
            province=gb))
    for year, n in CHNIO_NATIONAL:
        items.append(Dataset(
            id=f"cn-nbs-{year}-{n}", title_zh=f"中国{year}年投入产出表（{n}部门，CHNIO）",
            title_en=f"China IO table {year} ({n} sectors, via CHNIO)", year=year, sectors=n,
            format="chnio", path=f"cn/chnio/data-raw/中国投入产出表皮皮侠/全国/{year}.xls",
            source="chnio", unit=unit))
    return items


# China MRIO (lianpu.analysis.regions.mrio.build): built from the provincial tables on first use and
# cached as cn/mrio/cn_mrio_{year}_{hash of the parameters}.parquet; not listed by datasets()
MRIO_YEARS = (2012, 2017)


def _mrio() -> list[Dataset]:
    return [Dataset(
        id=f"cn-mrio-{year}", title_zh=f"中国{year}年31省区市多区域投入产出表（42部门，由省级表构建）",
        title_en=f"China multi-regional IO table {year} (31 provinces × 42 sectors, built from "
                 f"the provincial tables)", year=year, sectors=42, format="cn-mrio",
        path=f"cn/mrio/cn_mrio_{year}", source="chnio", unit="10,000 CNY (万元)")
        for year in MRIO_YEARS]


def _provincial_id(key: str) -> str | None:
    """The registry id of 'cn-prov-{year}-{province}' with any province spelling; None if
    ``key`` is not of that form; a DatasetError for an unknown province or year."""
    m = re.fullmatch(r"cn-prov-(\d{4})-(.+)", key)
    if m is None:
        return None
    year = int(m.group(1))
    if year not in CHNIO_YEARS:
        raise DatasetError(f"unknown dataset {key!r} (provincial tables exist for "
                           f"{', '.join(map(str, CHNIO_YEARS))})")
    try:
        p = province(m.group(2))
    except DatasetError as exc:
        raise DatasetError(f"unknown dataset {key!r}: {exc}") from None
    if (year, p.gb) not in _chnio_files():
        have = [gb for (y, gb) in _chnio_files() if y == year]
        missing = [q.name_zh for q in provinces() if q.gb not in have]
        raise DatasetError(f"no {year} provincial table for {p.gb} {p.name_zh} (the {year} tables "
                           f"cover {len(have)} provinces, without {'、'.join(missing)})")
    return f"cn-prov-{year}-{p.gb}"


@cache
def _by_id() -> dict[str, Dataset]:
    items = ([_nbs(y, n) for y, n in NBS_TABLES] + [_oecd(y) for y in OECD_YEARS]
             + [_wiod(y, False) for y in WIOD_YEARS] + [_wiod(y, True) for y in WIOD_REGION_YEARS]
             + _aux() + _chnio() + _mrio() + _big())
    return {d.id: d for d in items}


def datasets(auxiliary: bool = False, provincial: bool | None = None,
             big: bool = False) -> list[Dataset]:
    """Registered IO tables: NBS first, then OECD, WIOD and WIOD regions, by year.

    ``auxiliary=True`` appends the non-IO datasets (employment, CEADs CO2 inventories), which
    ``lianpu download`` fetches but ``lianpu.load`` does not read. ``provincial`` (default: the
    value of ``auxiliary``) appends the CHNIO tables: the provincial tables ``cn-prov-…`` by
    year and province, then the national tables 1990–2000. ``big=True`` appends the big MRIOs
    (OECD ICIO, EXIOBASE 3), which nothing lists or downloads unless asked.
    """
    provincial = auxiliary if provincial is None else provincial
    extra = [d for d in _by_id().values() if d.format in BIG_FORMATS] if big else []
    return [d for d in _by_id().values() if d.format not in ("cn-mrio", *BIG_FORMATS) and (
            (d.format == "chnio" and provincial)
            or (d.format != "chnio" and (auxiliary or d.format in IO_FORMATS)))] + extra


def is_table(id: str) -> bool:
    """Whether dataset ``id`` is an IO table (readable with ``lianpu.load``)."""
    return get(id).format in IO_FORMATS + BIG_FORMATS


def _expected() -> str:
    nbs = ", ".join(f"cn-nbs-{y}-{n}" for y, n in NBS_TABLES)
    early = ", ".join(f"cn-nbs-{y}-{n}" for y, n in CHNIO_NATIONAL)
    return (f"{nbs}, {early}, cn-prov-{{year}}-{{province}} ({', '.join(map(str, CHNIO_YEARS))}), "
            f"cn-employment, ceads-china, ceads-provinces-{CEADS_YEARS[0]} … "
            f"ceads-provinces-{CEADS_YEARS[-1]}, ceads-cities, "
            f"oecd-icio-2023-{ICIO_YEARS[0]} … oecd-icio-2023-{ICIO_YEARS[-1]}, "
            f"exiobase3-{{year}}-{{ixi|pxp}} ({EXIOBASE_YEARS[0]}–{EXIOBASE_YEARS[-1]}), "
            f"cn-oecd-{OECD_YEARS[0]} … cn-oecd-{OECD_YEARS[-1]}, "
            f"wiod2013-{WIOD_YEARS[0]} … wiod2013-{WIOD_YEARS[-1]}, "
            + ", ".join(f"wiod2013-regions-{y}" for y in WIOD_REGION_YEARS))


def get(id: str) -> Dataset:
    """The dataset registered as ``id``; an unknown id is a DatasetError with close matches."""
    key = str(id).strip().lower()
    known = _by_id()
    if key in known:
        return known[key]
    prov = _provincial_id(key)
    if prov is not None:
        return known[prov]
    close = difflib.get_close_matches(key, known, n=3, cutoff=0.75)
    if close:
        names = [repr(c) for c in close]
        hint = "did you mean " + (", ".join(names[:-1]) + " or " if len(names) > 1 else "") \
            + names[-1] + "?"
    else:
        hint = "expected one of: " + _expected()
    raise DatasetError(f"unknown dataset {str(id)!r} ({hint})")


def path_of(id: str, data_dir=None) -> Path:
    """Where dataset ``id`` is (or would be) in the cache folder."""
    return _data_dir(data_dir) / get(id).path


def is_cached(id: str, data_dir=None) -> bool:
    """Whether dataset ``id`` is in the cache folder."""
    return path_of(id, data_dir).is_file()


def load_dataset(id: str, data_dir=None, **kwargs):
    """Read dataset ``id`` from the cache with its reader; ``kwargs`` go to the reader.

    A dataset not in the cache is a DatasetError naming the command that fetches it; an
    auxiliary (non-IO) dataset is a DatasetError naming the module that reads it.
    """
    ds = get(id)
    if ds.format in BUILT:  # built from other cached datasets (and cached) on first use
        storage = kwargs.pop("storage", "dense")
        table = _builder(ds.format)(ds.year, data_dir=data_dir, **kwargs)
        from ..table_storage import with_storage
        return with_storage(table, storage)
    if ds.format not in IO_FORMATS + BIG_FORMATS:
        raise DatasetError(f"dataset {ds.id!r} is not an IO table (format {ds.format!r}: "
                           f"{_AUX_READERS[ds.format]})")
    root = _data_dir(data_dir)
    path = root / ds.path
    if not path.is_file():
        raise DatasetError(
            f"dataset {ds.id!r} is not in the cache {root} (run `lianpu download {ds.id}`, "
            f"or `lianpu download --all --from DIR` with a local copy)")
    from .stamps import check_cached  # a truncated or altered file: say so, name the fix
    check_cached(ds.id, path)
    from ..readers.base import open_table  # readers pull in pandas: import only when reading
    kwargs.setdefault("name", ds.id)
    if ds.format in BIG_FORMATS:  # their Parquet cache goes to the same data folder
        kwargs.setdefault("data_dir", data_dir)
    return open_table(path, format=ds.format, **kwargs)
