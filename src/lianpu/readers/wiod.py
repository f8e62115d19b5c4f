"""World Input-Output Tables, WIOD release 2013 (Timmer et al. 2015), as R data files of the
R package wiod 0.4.0: ``wiot_{1995..2011}.RData`` (41 economies × 35 industries) and
``wiot_regional_{1995,2011}.RData`` (7 world regions × 35 industries). Unit: million USD.

Each file holds one R list with ``year``, ``countries``, ``industries``, ``inter`` (n×n
intermediate flows, rows and columns region-major: region 1 industries c1…c35, region 2 …),
``final`` (n × 5·regions: for each using region the categories CONS_h, CONS_np, CONS_g, GFCF,
INVEN, the WIOD final-demand codes) and ``output`` (n). The regional files differ: ``countries``
still lists the 41 economies, ``industries`` holds names instead of c1…c35, and the numbers are
unrounded. Their 7 regions are not named in the file; the order EZ, EUN, NAFTA, CHN, EAS,
BRIIAT, RoW (memberships in ``data/wiod_regions.csv``) was identified from the data: each
region's output equals the sum of its members' output in the country table of the same year to
within that table's rounding (max deviation 3.2 million USD, 1995 and 2011).

How the file maps onto :class:`~lianpu.table.IOTable`:

- Z = ``inter``, Y = ``final`` with columns (region, category), x = ``output``; multi-regional
  index (region, sector). No imports column: imports are the off-diagonal region blocks.
- The R list has no primary-input rows, so value added is the balancing item
  v = x − 1'Z, one row ``VA`` (``value_added_rows=("VA",)``). In the WIOT that item is the sum
  of the rows below the intermediate block, not value added alone: taxes less subsidies on
  products (TXSP), the cif/fob adjustment on exports (EXP_adj), direct purchases abroad by
  residents (PURR) and on the domestic territory by non-residents (PURNR), value added at basic
  prices (VA) and international transport margins (IntTTM).
- Row identity: the country tables are stored rounded to integer million USD, so Z·1 + Y·1
  differs from x by the rounding of ~1,640 cells per row. The residual is systematic (row sums
  fall short by 41 million USD on average in 2011, because the many cells below 0.5 round to 0)
  and reaches 113 million USD (max over 1995–2011), i.e. more than 100 % of output in tiny
  industries — no relative tolerance covers it. It is kept, explicitly, as the table's
  discrepancy vector ``discrepancy_ = x − Z·1 − Y·1`` (added to f = Y·1 like a published ERR
  column, so x = L f holds), after checking it against the worst case of integer rounding,
  0.5 million USD per stored cell of the row; anything larger is an error naming the row.
  The regional files balance to 4.7 million USD (2011) and 1e-9 (1995).
- Negative entries: ``inter`` has none; INVEN (inventories) has many; GFCF has a few in the
  country tables (net disposals of existing assets, e.g. DNK c1, SVK c10/c34 2007–2011, all
  domestic), which is legitimate in national accounts.
"""
from __future__ import annotations

import re
import warnings
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import FormatError, TableError, message
from ..core.notes import Note
from ..table import IOTable, _label_frame
from .base import Reader, rdata_errors

REQUIRED = ("year", "countries", "industries", "inter", "final", "output")
# the WIOD final-demand codes (WIOD_Corr: CONS_h = P3_S14, CONS_np = P3_S15, CONS_g = P3_S13,
# GFCF = P51G, INVEN = P52_P53), in the order of each region's 5 columns of ``final``
CATEGORIES = {
    "CONS_h": ("居民消费", "Final consumption expenditure by households"),
    "CONS_np": ("为住户服务的非营利机构消费", "Final consumption expenditure by NPISH"),
    "CONS_g": ("政府消费", "Final consumption expenditure by government"),
    "GFCF": ("固定资本形成总额", "Gross fixed capital formation"),
    "INVEN": ("存货变动", "Changes in inventories and valuables"),
}
#: roles (lianpu.core.roles) of the five categories
CATEGORY_ROLES = {"CONS_h": "household", "CONS_np": "npish", "CONS_g": "government",
                  "GFCF": "investment", "INVEN": "inventory"}
REGIONAL_ORDER = ("EZ", "EUN", "NAFTA", "CHN", "EAS", "BRIIAT", "RoW")
UNIT = "million USD"
SOURCE = ("WIOD release 2013 (Timmer, Dietzenbacher, Los, Stehrer & de Vries 2015, Review of "
          "International Economics 23(3)), via R package wiod 0.4.0")


def _csv(name: str) -> pd.DataFrame:
    with (files("lianpu") / "data" / name).open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False).set_index("code")


@cache
def sector_labels() -> pd.DataFrame:
    """Bilingual labels of the 35 WIOD industries c1…c35 (index: code)."""
    return _csv("wiod35_labels.csv")


@cache
def region_labels() -> pd.DataFrame:
    """Bilingual names of the 41 WIOD economies and the 7 regional aggregates (index: code;
    ``members``: space-separated member codes of an aggregate)."""
    return _csv("wiod_regions.csv")


def _load(path: Path, fname: str) -> dict:
    import rdata  # imported here: only this reader needs it

    try:
        with warnings.catch_warnings():  # rdata warns that R class "iot" has no converter
            warnings.simplefilter("ignore", UserWarning)
            parsed = rdata.read_rda(path)
    except rdata_errors() as exc:  # rdata cannot parse the file; name the file
        raise FormatError(message(fname, "cannot be read as R data",
                                  found=f"{type(exc).__name__}: {exc}",
                                  expected="an .RData/.rda file")) from exc
    lists = [v for v in parsed.values() if isinstance(v, dict)]
    if len(lists) != 1:
        raise FormatError(message(fname, "expected exactly one R list",
                                  found=f"objects {[str(k) for k in parsed]}",
                                  expected=f"one list with {list(REQUIRED)}"))
    obj = {str(k): v for k, v in lists[0].items()}  # rdata gives numpy str keys
    for key in REQUIRED:
        if key not in obj:
            raise FormatError(message(fname, f"the R list has no {key!r} element",
                                      found=f"elements {list(obj)}",
                                      expected=f"elements {list(REQUIRED)}"))
    return obj


def _array(obj: dict, key: str, shape: tuple, fname: str) -> np.ndarray:
    try:
        arr = np.asarray(obj[key], dtype=float)
    except (TypeError, ValueError) as exc:
        raise FormatError(message(fname, f"element {key!r} is not numeric", found=str(exc),
                                  expected="numbers")) from exc
    if arr.shape != shape:
        raise FormatError(message(fname, f"element {key!r} has the wrong shape",
                                  found="×".join(map(str, arr.shape)),
                                  expected="×".join(map(str, shape))))
    return arr


def _codes_of(industries, fname: str) -> list[str]:
    """c1…c35 as stored in the yearly files, or mapped from the names in the regional ones."""
    ind = [str(s).strip() for s in industries]
    if all(re.fullmatch(r"c\d+", s) for s in ind):
        return ind
    by_name = {v: k for k, v in sector_labels()["name_en"].items()}
    for s in ind:
        if s not in by_name:
            raise FormatError(message(fname, "unknown industry name in 'industries'",
                                      found=repr(s), expected="c1…c35 or a WIOD industry name"))
    return [by_name[s] for s in ind]


def read_wiod(path, *, name: str | None = None, year: int | None = None,
              rtol: float = 1e-4) -> IOTable:
    """Read one WIOD 2013 ``.RData`` file into a multi-regional :class:`IOTable`."""
    path = Path(path)
    fname = path.name
    obj = _load(path, fname)
    sectors = _codes_of(obj["industries"], fname)
    countries = [str(c).strip() for c in obj["countries"]]
    s = len(sectors)
    n = np.shape(obj["inter"])[0] if np.ndim(obj["inter"]) == 2 else -1
    if s and n == s * len(countries):
        regions = countries
    elif s and n == s * len(REGIONAL_ORDER):
        regions = list(REGIONAL_ORDER)
    else:
        raise FormatError(message(fname, "element 'inter' does not fit regions × industries",
                                  found=f"shape {np.shape(obj['inter'])}",
                                  expected=f"{s * len(countries)}×{s * len(countries)} "
                                           f"(countries) or {s * 7}×{s * 7} (7 regions)"))
    r, k = len(regions), len(CATEGORIES)
    Z = _array(obj, "inter", (n, n), fname)
    Y = _array(obj, "final", (n, r * k), fname)
    x = _array(obj, "output", (n,), fname)
    row_labels = [(reg, sec) for reg in regions for sec in sectors]

    # integer-rounding residual of the row identity, bounded by 0.5 per stored cell
    disc = x - Z.sum(axis=1) - Y.sum(axis=1)
    bound = 0.5 * (n + r * k + 1)
    if (np.abs(disc) > bound).any():
        i = int(np.argmax(np.abs(disc)))
        raise TableError(message(fname, "row does not balance beyond the rounding of its cells",
                                 row="/".join(row_labels[i]), column="output",
                                 found=f"x − Z·1 − Y·1 = {disc[i]:.6g}",
                                 expected=f"|residual| ≤ {bound:g} (0.5 per cell)"))
    V = (x - Z.sum(axis=0))[None, :]

    reg, sec = region_labels().to_dict(), sector_labels().to_dict()  # {column: {code: name}}
    rzh = {c: reg["name_zh"].get(c, c) for c in regions}
    ren = {c: reg["name_en"].get(c, c) for c in regions}
    szh, sen = sec["name_zh"], sec["name_en"]
    idx = pd.MultiIndex.from_arrays([[a for a, _ in row_labels], [b for _, b in row_labels]],
                                    names=["region", "sector"])
    zh = [f"{rzh[a]}·{szh.get(b, b)}" for a, b in row_labels]
    en = [f"{ren[a]}: {sen.get(b, b)}" for a, b in row_labels]
    fd = pd.MultiIndex.from_arrays([[g for g in regions for _ in CATEGORIES],
                                    [c for _ in regions for c in CATEGORIES]],
                                   names=["region", "category"])
    year = year or int(np.ravel(obj["year"])[0])
    kind = f"{r} regions" if regions is not countries else f"{r} economies"
    dmax = float(np.abs(disc).max(initial=0))
    return IOTable(
        Z, Y, V, x,
        sectors=_label_frame(idx, zh, en),
        final_demand_labels=_label_frame(
            fd, [f"{rzh[g]}·{v[0]}" for g in regions for v in CATEGORIES.values()],
            [f"{ren[g]}: {v[1]}" for g in regions for v in CATEGORIES.values()],
            role=[CATEGORY_ROLES[c] for _ in regions for c in CATEGORIES]),
        primary_labels=_label_frame(["VA"], ["增加值及其他初始投入（平衡项）"],
                                    ["Value added and other primary inputs (balancing item)"],
                                    index_name="row", role=["value_added"]),
        value_added_rows=("VA",), compensation_row=None,
        household_columns=tuple((g, "CONS_h") for g in regions),
        discrepancy_=disc, unit=UNIT, year=year,
        source=f"{SOURCE}; {kind} × {s} industries, {year}; file {fname}",
        name=name or fname, rtol=rtol,
        notes=(Note("VA = x − 1'Z: includes product taxes, cif/fob adjustment, purchases by (non-)"
                    "residents and international transport margins",
                    "VA = x − 1'Z（平衡项）：包括产品税、到岸价/离岸价（cif/fob）调整、居民在国外与"
                    "非居民在国内的直接购买以及国际运输费用"),
               Note(f"discrepancy = integer-rounding residual x − Z·1 − Y·1 (max |.| {dmax:.3g} "
                    f"{UNIT}), not a published column",
                    f"统计误差 = 取整造成的残差 x − Z·1 − Y·1（绝对值最大 {dmax:.3g} {UNIT}），"
                    "并非表中公布的列")),
    )


def _guess(path: Path) -> bool:
    # cheap: the wiod package's file names; the content is verified by read_wiod
    return path.suffix.lower() in (".rdata", ".rda") and path.name.lower().startswith("wiot_")


READER = Reader(
    name="wiod",
    description="World Input-Output Table, WIOD release 2013, as R data from the R package "
                "wiod (wiot_YEAR.RData, wiot_regional_YEAR.RData)",
    guess_can_open=_guess,
    open=read_wiod,
)
