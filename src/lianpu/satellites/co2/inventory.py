"""Readers for the CEADs CO2 inventories (Shan et al. 2016, 2018, 2020; Guan et al. 2021).

Three workbooks, registered as datasets (:mod:`lianpu.data.registry`):

- ``ceads-china``: national inventory, one sheet a year (``'1997'`` … ``'2019'``);
- ``ceads-provinces-{year}``: one file a year, one sheet per province (``'Sichuan2017'``; 30
  provinces, no Tibet);
- ``ceads-cities``: 290 cities, totals only (sheet ``'emission vector'``: ID, city, year,
  emission).

Sector sheets have a header row of 17 fuels, three scope-2/other columns, ``Process`` and
``Scope 1 Total`` (2018–2019 files spell them with underscores), a unit row, then the total
row (``Total Consumption`` / ``TotalEmissions``) and the 47 CEADs sectors in a fixed order
(45 production sectors, then ``Urban`` and ``Rural`` household consumption). Unit: Mt CO2.
Scope-1 total = the 17 fuels + process emissions. Every cell is checked: an error names the
file, sheet, row and column.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import ParseError

import numpy as np
import pandas as pd

from ...core.errors import DatasetError, FormatError, message
from ...data import registry

UNIT = "Mt CO2"
FUELS = ("Raw Coal", "Cleaned Coal", "Other Washed Coal", "Briquettes", "Coke", "Coke Oven Gas",
         "Other Gas", "Other Coking Products", "Crude Oil", "Gasoline", "Kerosene", "Diesel Oil",
         "Fuel Oil", "LPG", "Refinery Gas", "Other Petroleum Products", "Natural Gas")
OTHER = ("Scope 2 Heat", "Scope 2 Electricity", "Other Energy")
COLUMNS = FUELS + OTHER + ("Process", "Scope 1 Total")
TOTAL_LABELS = ("Total Consumption", "TotalEmissions", "Total Emissions")
# the tolerance of the workbook's own sums (they hold to ~1e-12 Mt; allow for published rounding)
ATOL = 1e-6

# 30 provinces as CEADs names them (sheet prefix) with their Chinese names; Tibet has no data
PROVINCES = {
    "Beijing": "北京", "Tianjin": "天津", "Hebei": "河北", "Shanxi": "山西",
    "InnerMongolia": "内蒙古", "Liaoning": "辽宁", "Jilin": "吉林", "Heilongjiang": "黑龙江",
    "Shanghai": "上海", "Jiangsu": "江苏", "Zhejiang": "浙江", "Anhui": "安徽", "Fujian": "福建",
    "Jiangxi": "江西", "Shandong": "山东", "Henan": "河南", "Hubei": "湖北", "Hunan": "湖南",
    "Guangdong": "广东", "Guangxi": "广西", "Hainan": "海南", "Chongqing": "重庆",
    "Sichuan": "四川", "Guizhou": "贵州", "Yunnan": "云南", "Shaanxi": "陕西", "Gansu": "甘肃",
    "Qinghai": "青海", "Ningxia": "宁夏", "Xinjiang": "新疆",
}
_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$")


@lru_cache(maxsize=1)
def _labels() -> tuple:
    return tuple(sectors()["name_en"])


def sectors() -> pd.DataFrame:
    """The 47 CEADs sectors: index code '01'…'47', columns name_en (as in the sheets), name_zh."""
    from .concordance import ceads_concordance
    c = ceads_concordance().drop_duplicates("ceads_code").set_index("ceads_code")
    out = c[["ceads_name_en", "ceads_name_zh"]].rename(
        columns={"ceads_name_en": "name_en", "ceads_name_zh": "name_zh"})
    out.index.name = "code"
    return out


def province(name: str) -> str:
    """The CEADs (English) name of a province given in Chinese or English: 四川, 四川省, Sichuan,
    'inner mongolia' → 'Sichuan', 'InnerMongolia'."""
    raw = str(name).strip()
    key = re.sub(r"[\s_-]", "", raw).lower()
    for en, zh in PROVINCES.items():
        if key == en.lower() or _SUFFIX.sub("", raw) == zh or raw == zh:
            return en
    if _SUFFIX.sub("", raw) in ("西藏", "西藏自治区") or key in ("tibet", "xizang"):
        raise DatasetError(message(f"province {raw!r}", "CEADs publishes no inventory for Tibet "
                                   "(西藏)", expected="one of the 30 provinces with data"))
    raise DatasetError(f"unknown province {raw!r} (expected one of: "
                       + ", ".join(f"{zh}/{en}" for en, zh in PROVINCES.items()) + ")")


@dataclass(frozen=True)
class Inventory:
    """Emissions by region, year and CEADs sector, with fuel detail (Mt CO2).

    ``emissions``: index (region, year, sector code '01'…'47'), columns :data:`COLUMNS`.
    ``totals``: the workbook's own total row, index (region, year), same columns.
    """

    emissions: pd.DataFrame
    totals: pd.DataFrame
    source: str
    unit: str = UNIT

    def sector_totals(self, region: str, year: int) -> pd.Series:
        """Scope-1 emissions by CEADs sector (index code '01'…'47') for one region and year."""
        try:
            s = self.emissions.loc[(region, int(year)), "Scope 1 Total"]
        except KeyError:
            have = sorted({(r, y) for r, y, _ in self.emissions.index})
            raise DatasetError(message(self.source, f"no inventory for region {region!r}, year "
                                       f"{year}", expected=f"{have[0]} … {have[-1]}")) from None
        s.name = "co2"
        return s

    def to_frame(self) -> pd.DataFrame:
        return self.emissions.copy()


def _cached_path(id: str, data_dir) -> Path:
    p = registry.path_of(id, data_dir)
    if not p.is_file():
        raise DatasetError(f"dataset {id!r} is not in the cache {p.parents[2]} (run `lianpu "
                           f"download {id}`, or `lianpu download --all --from DIR` with a "
                           "local copy)")
    return p


@lru_cache(maxsize=32)
def _workbook(path: str, mtime: float) -> dict:
    """Every sheet's rows of a workbook, read once per file version (sheet name → rows)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError,
            ParseError) as exc:  # not a zip, a missing part, broken XML
        raise FormatError(message(Path(path).name, "not a readable Excel workbook",
                                  found=str(exc) or type(exc).__name__)) from None
    try:
        return {name: tuple(wb[name].iter_rows(values_only=True)) for name in wb.sheetnames}
    finally:
        wb.close()


def _rows(path: Path, sheet: str | None):
    """Rows of ``sheet``, or the sheet names when ``sheet`` is None."""
    book = _workbook(str(path), path.stat().st_mtime)
    if sheet is None:
        return tuple(book)
    if sheet not in book:
        raise FormatError(message(path.name, f"no sheet {sheet!r}",
                                  found=f"sheets {list(book)[:6]}…"))
    return book[sheet]


def _key(v: str) -> str:
    return re.sub(r"[\s_]", "", v).lower()


def _norm(v) -> str:
    return re.sub(r"\s+", " ", str(v).replace("_", " ")).strip() if v is not None else ""


def _parse_sheet(path: Path, sheet: str) -> tuple[np.ndarray, np.ndarray]:
    """(total row (23,), sector block (47, 23)) of one sector sheet, checked."""
    rows = _rows(path, sheet)
    where = f"{path.name}: sheet {sheet!r}"
    if not rows:
        raise FormatError(message(where, "the sheet is empty"))
    header = tuple(_norm(v) for v in rows[0][1:1 + len(COLUMNS)])
    if tuple(map(_key, header)) != tuple(map(_key, COLUMNS)):  # spelling varies by year
        bad = next(i for i, (a, b) in enumerate(zip(header + ("",) * 23, COLUMNS))
                   if _key(a) != _key(b))
        raise FormatError(message(where, "unexpected column header", row=1, column=bad + 2,
                                  found=repr(header[bad] if bad < len(header) else ""),
                                  expected=repr(COLUMNS[bad])))
    labels = _labels()
    totals = {t.replace(" ", "").lower() for t in TOTAL_LABELS}
    start = next((i for i, r in enumerate(rows)
                  if _norm(r[0]).replace(" ", "").lower() in totals), None)
    if start is None:
        raise FormatError(message(where, "no total row", column="A",
                                  expected=" or ".join(map(repr, TOTAL_LABELS))))
    block = rows[start:start + 1 + len(labels)]
    if len(block) < 1 + len(labels):
        raise FormatError(message(where, "the sheet ends early", row=len(rows),
                                  found=f"{len(block) - 1} sector rows", expected=len(labels)))
    out = np.empty((len(block), len(COLUMNS)))
    for i, r in enumerate(block):
        excel_row = start + i + 1
        if i and _key(_norm(r[0])) != _key(labels[i - 1]):
            raise FormatError(message(where, "unexpected sector label", row=excel_row, column="A",
                                      found=repr(_norm(r[0])), expected=repr(labels[i - 1])))
        for j, v in enumerate(r[1:1 + len(COLUMNS)]):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
                raise FormatError(message(where, "cell is not a number", row=excel_row,
                                          column=f"{_col(j + 2)} ({COLUMNS[j]})",
                                          found=repr(v), expected="a number in Mt CO2"))
            out[i, j] = v
    _check_sums(where, out, start)
    return out[0], out[1:]


def _col(j: int) -> str:
    s = ""
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _check_sums(where: str, a: np.ndarray, start: int) -> None:
    """Scope-1 total = 17 fuels + process per row; total row = sum of the 47 sectors."""
    nf = len(FUELS)
    row_gap = a[:, :nf].sum(axis=1) + a[:, COLUMNS.index("Process")] - a[:, -1]
    if (np.abs(row_gap) > ATOL + 1e-9 * np.abs(a[:, -1])).any():
        i = int(np.argmax(np.abs(row_gap)))
        raise FormatError(message(where, "scope-1 total is not the sum of the fuels and process",
                                  row=start + i + 1, column="Scope 1 Total",
                                  found=f"{a[i, -1]:.6g}", expected=f"{a[i, -1] - row_gap[i]:.6g}"))
    col_gap = a[1:].sum(axis=0) - a[0]
    if (np.abs(col_gap) > ATOL + 1e-9 * np.abs(a[0])).any():
        j = int(np.argmax(np.abs(col_gap)))
        raise FormatError(message(where, "total row is not the sum of the sectors",
                                  row=start + 1, column=COLUMNS[j], found=f"{a[0, j]:.6g}",
                                  expected=f"{a[0, j] + col_gap[j]:.6g}"))


def _inventory(parts: dict, source: str) -> Inventory:
    """Inventory from {(region, year): (total row, sector block)}."""
    codes = [f"{i + 1:02d}" for i in range(len(_labels()))]
    keys = list(parts)
    em = pd.DataFrame(np.vstack([parts[k][1] for k in keys]), columns=COLUMNS,
                      index=pd.MultiIndex.from_tuples(
                          [(r, y, c) for r, y in keys for c in codes],
                          names=["region", "year", "sector"])).sort_index()
    tot = pd.DataFrame(np.vstack([parts[k][0] for k in keys]), columns=COLUMNS,
                       index=pd.MultiIndex.from_tuples(keys, names=["region", "year"])).sort_index()
    return Inventory(em, tot, source=source)


def read_national(years=None, *, data_dir=None, path=None) -> Inventory:
    """National inventory (region ``'China'``) for ``years`` (default all, 1997–2019)."""
    path = Path(path) if path else _cached_path("ceads-china", data_dir)
    have = [s for s in _rows(path, None) if s.isdigit()]
    want = [str(y) for y in (have if years is None else _years(years))]
    missing = [y for y in want if y not in have]
    if missing:
        raise DatasetError(message(path.name, f"no sheet for year(s) {', '.join(missing)}",
                                   argument="years", expected=f"years the national inventory "
                                   f"covers, {have[0]}–{have[-1]}"))
    return _inventory({("China", int(y)): _parse_sheet(path, y) for y in want}, path.name)


def read_provinces(year: int, provinces=None, *, data_dir=None, path=None) -> Inventory:
    """Inventories of the 30 provinces (or ``provinces``, zh or en names) for one ``year``."""
    year = int(year)
    if path is None:
        if year not in registry.CEADS_YEARS:
            raise DatasetError(f"no CEADs provincial inventory for {year} (published for "
                               f"{registry.CEADS_YEARS[0]}–{registry.CEADS_YEARS[-1]})")
        path = _cached_path(f"ceads-provinces-{year}", data_dir)
    path = Path(path)
    names = list(PROVINCES) if provinces is None else [province(p) for p in (
        [provinces] if isinstance(provinces, str) else provinces)]
    return _inventory({(p, year): _parse_sheet(path, f"{p}{year}") for p in names}, path.name)


def read_cities(*, data_dir=None, path=None) -> pd.DataFrame:
    """City totals: columns city_zh, province_zh, year, co2 (Mt CO2), one row per city-year."""
    path = Path(path) if path else _cached_path("ceads-cities", data_dir)
    sheet = "emission vector"
    rows = _rows(path, sheet)
    head = tuple(_norm(v).lower() for v in rows[0][:4])
    if head != ("id", "city", "year", "emission"):
        raise FormatError(message(f"{path.name}: sheet {sheet!r}", "unexpected header", row=1,
                                  found=repr(head), expected="('ID', 'city', 'year', 'emission')"))
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if all(v is None for v in r[:4]):
            continue
        city, year, co2 = r[1], r[2], r[3]
        for col, v in (("C (year)", year), ("D (emission)", co2)):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
                raise FormatError(message(f"{path.name}: sheet {sheet!r}", "cell is not a number",
                                          row=i, column=col, found=repr(v), expected="a number"))
        out.append((str(city).strip(), _province_of_city(str(city).strip()), int(year), float(co2)))
    df = pd.DataFrame(out, columns=["city_zh", "province_zh", "year", "co2"])
    df.attrs.update(unit=UNIT, source=path.name)
    return df


def _province_of_city(city: str) -> str:
    for zh in sorted(PROVINCES.values(), key=len, reverse=True):
        if city.startswith(zh):
            return zh
    return ""


def _years(years):
    return [int(years)] if isinstance(years, (int, str, np.integer)) else [int(y) for y in years]
