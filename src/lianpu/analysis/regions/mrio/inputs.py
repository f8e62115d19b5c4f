"""Inputs of the China MRIO 中国多区域表的输入: parameters, the provincial tables and their split
into the parts the builder (:mod:`lianpu.analysis.regions.mrio.build`) trades between provinces.

- shipped geography: :func:`province_capitals` (``data/province_capitals.csv``) and the
  great-circle :func:`distances` between them, the gravity model's d;
- the 31 provincial tables of a year (:func:`provincial_tables`, from the data cache), each
  split by its local view into local, inflow and import parts;
- the build parameters and their hash (:func:`params_key`, :func:`cache_path`) and the
  national outflow/inflow gap by product that reconciliation closes (:func:`trade_gap`).
"""
from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ....core import gravity as grav
from ....core.errors import ArgumentError, TableError, check_choice, check_range, message

METHOD_VERSION = 3
YEARS = (2012, 2017)
DEFAULT_DECAY = 1.0
DEFAULT_RECONCILE = "mean"
#: the documented grid for the sensitivity of results to the distance decay β
DECAY_GRID = (0.5, 1.0, 1.5, 2.0)
FINAL = ("FU101", "FU102", "FU103", "FU201", "FU202")
FOREIGN = "ROW"
UNIT = "10,000 CNY (万元)"


# ---------------------------------------------------------------------------- shipped data
@cache
def province_capitals() -> pd.DataFrame:
    """The 31 provincial capitals (index: ISO code; gb2260, province_zh, capital_zh,
    capital_en, lat, lon) from ``data/province_capitals.csv`` (source in its header)."""
    with resources.files("lianpu.data").joinpath("province_capitals.csv").open(
            encoding="utf-8") as fh:
        rows = [r for r in csv.reader(line for line in fh if not line.startswith("#"))]
    df = pd.DataFrame(rows[1:], columns=rows[0]).set_index("code")
    df[["lat", "lon"]] = df[["lat", "lon"]].astype(float)
    return df


def distances() -> pd.DataFrame:
    """Great-circle distances between provincial capitals, km (ISO code × ISO code)."""
    c = province_capitals()
    d = grav.great_circle_km(c["lat"], c["lon"])
    return pd.DataFrame(d, index=c.index, columns=c.index)


# ---------------------------------------------------------------------------- inputs
def _check_year(year) -> int:
    if int(year) not in YEARS:
        raise ArgumentError(message(None, "no provincial tables with inflows and outflows for "
                                    "this year", argument="year", found=repr(year),
                                    expected=f"one of {list(YEARS)}"))
    return int(year)


def provincial_tables(year: int, data_dir=None) -> dict:
    """{ISO code: provincial IOTable} for the 31 provinces of ``year`` (from the cache)."""
    from ....core.errors import DatasetError
    from ....data.registry import is_cached, load_dataset, provinces
    year = _check_year(year)
    ids = [f"cn-prov-{year}-{p.gb}" for p in provinces()]
    missing = [i for i in ids if not is_cached(i, data_dir)]
    if missing:
        raise DatasetError(f"the {year} China MRIO is built from the 31 provincial tables; "
                           f"{len(missing)} are not in the cache ({', '.join(missing[:3])}"
                           f"{' …' if len(missing) > 3 else ''}): run `lianpu download "
                           f"{' '.join(missing[:2])} …` or `lianpu download --all --from DIR`")
    return {p.iso: load_dataset(i, data_dir=data_dir) for p, i in zip(provinces(), ids)}


@dataclass(frozen=True)
class _Province:
    Zl: np.ndarray
    Zr: np.ndarray
    Zm: np.ndarray
    Yl: np.ndarray   # (n, 6): FU101…FU202, EX
    Yr: np.ndarray
    Ym: np.ndarray
    o: np.ndarray    # own production sent to other provinces
    q: np.ndarray    # re-sent inflows (transit)
    w: np.ndarray    # re-sent imports
    OF: np.ndarray   # published outflows
    IF: np.ndarray   # published inflows
    IM: np.ndarray
    EX: np.ndarray
    V: np.ndarray
    x: np.ndarray
    err: np.ndarray


def _split(t) -> _Province:
    loc = t.local()
    fd = list(loc.final_demand_labels.index)
    want = list(FINAL) + ["EX", "OF"]
    if fd != want:
        raise TableError(message(t.name, "unexpected final-use columns for the MRIO",
                                 found=fd, expected=want))
    use = list(range(6))
    of = 6
    pub = list(t.final_demand_labels.index)
    col = lambda c: t.Y_[:, pub.index(c)]  # noqa: E731
    n = t.n
    err = loc.discrepancy_ if loc.discrepancy_ is not None else np.zeros(n)
    return _Province(loc.Z_, loc.Zr_, loc.Zm_, loc.Y_[:, use], loc.Yr_[:, use], loc.Ym_[:, use],
                     loc.Y_[:, of], loc.Yr_[:, of], loc.Ym_[:, of], col("OF"), -col("IF"),
                     -col("IM"), col("EX"), loc.V_, loc.x_, err)


def _inflow_cap(p: _Province) -> np.ndarray:
    """Most inflows each product's uses can take: U · (1 + min local/inflow over cells that
    buy inflows) — local purchases can be replaced by inflows, nothing else."""
    inflow = np.hstack([p.Zr, p.Yr])
    local = np.hstack([p.Zl, p.Yl])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(inflow > 0, local / inflow, np.inf)
    f = 1.0 + ratio.min(axis=1)
    U = inflow.sum(axis=1)
    return np.where(np.isfinite(f), np.where(np.isfinite(f), f, 1.0) * U, U)


# ---------------------------------------------------------------------------- parameters
def params_key(decay: float, reconcile: str) -> dict:
    return {"method_version": METHOD_VERSION, "decay": float(decay), "reconcile": reconcile,
            "distance": "great-circle between provincial capitals (province_capitals.csv)",
            "decay_function": "power d^-beta"}


def params_hash(year: int, decay: float, reconcile: str) -> str:
    text = json.dumps({"year": int(year), **params_key(decay, reconcile)}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def cache_path(year: int, decay: float = DEFAULT_DECAY, reconcile: str = DEFAULT_RECONCILE,
               data_dir=None) -> Path:
    """Where the MRIO of these parameters is cached: ``cn/mrio/cn_mrio_{year}_{hash}.parquet``."""
    from ....data.cache import data_dir as root
    return root(data_dir) / "cn" / "mrio" / f"cn_mrio_{year}_{params_hash(year, decay, reconcile)}.parquet"


def _check_params(decay, reconcile) -> tuple[float, str]:
    """(β, reconciliation) checked: β a number in [0, 10], reconcile one of grav.RECONCILE."""
    decay = check_range(decay, argument="decay", low=0, high=10)
    check_choice(reconcile, grav.RECONCILE, argument="reconcile")
    return decay, reconcile


def trade_gap(tables: dict) -> pd.DataFrame:
    """National totals of published outflows and inflows by product (the gap the MRIO must
    reconcile), and the same net of transit (what the gravity model uses). Index: product
    code; columns name_zh, outflows, inflows, gap (= outflows − inflows), gap_pct (of the mean),
    transit, sent (net), received (net)."""
    t0 = next(iter(tables.values()))
    parts = [_split(t) for t in tables.values()]
    of = sum(p.OF for p in parts)
    inf = sum(p.IF for p in parts)
    sent = sum(p.o + p.w for p in parts)
    recv = sum(p.Zr.sum(axis=1) + p.Yr.sum(axis=1) for p in parts)
    df = pd.DataFrame({"name_zh": t0.sectors["name_zh"].to_numpy(), "outflows": of,
                       "inflows": inf}, index=pd.Index(list(t0.index), name="product"))
    df["gap"] = df["outflows"] - df["inflows"]
    mean = 0.5 * (df["outflows"] + df["inflows"])
    df["gap_pct"] = 100 * df["gap"] / mean.where(mean > 0)
    df["transit"] = sum(p.q for p in parts)
    df["sent"], df["received"] = sent, recv
    return df
