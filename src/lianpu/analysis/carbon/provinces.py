"""A province's CO2 profile by IO sector 省级分部门排放结构, compared with the nation.

There is no provincial IO table in lianpu's data, so:

- the 47 CEADs sectors of the province are put on the sectors of the *national* NBS table
  nearest in year (ties: the earlier; the 42-sector table where a year has two), one-to-many
  sectors split by the national table's fossil-fuel-input weights
  (:mod:`lianpu.satellites.co2.concordance`);
- the comparison is of *composition*, not of intensity: each sector's share of the province's
  production emissions against its share of national emissions (ratio = an emission
  location quotient), and the province's share of national emissions by sector. Provincial
  gross output by sector is not available, so provincial emission intensities cannot be
  formed; the national intensity (t CO2 per unit of national output) is shown for reference.
- track shares: the part of the province's production emissions emitted by the sectors each
  track (赛道) maps to (direct emissions only: without a provincial IO table, supply-chain
  emissions of a province's tracks are not identified).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...core.errors import TableError
from ...core.notes import Note
from ...satellites.co2 import concordance as cc
from ...satellites.co2 import inventory as inv
from ...satellites.co2.satellite import NBS_TABLE_YEARS, nearest_table, profile_inputs  # noqa: F401
from .._result import Result
from ..tracks import catalogue as tr

BASIS = ("composition of production (scope-1) emissions: CEADs sectors of the province and the "
         "nation put on the sectors of one national NBS table; no provincial IO table")


@dataclass(frozen=True)
class ProvincialProfile(Result):
    """Result of :func:`provincial_profile` (Mt CO2)."""

    province: str          # CEADs English name
    province_zh: str
    year: int
    table: str             # the national table whose sectors are used
    sectors: pd.DataFrame  # by IO sector: province, shares, national, ratios
    tracks: pd.DataFrame   # by track: share of the province's emissions vs the nation's
    totals: dict
    unit: str = "Mt CO2"
    notes: tuple = field(default=())
    basis: str = BASIS

    def to_frame(self) -> pd.DataFrame:
        return self.sectors.copy()

    def to_dict(self) -> dict:
        return {"province": self.province, "province_zh": self.province_zh, "year": self.year,
                "table": self.table, "unit": self.unit, "basis": self.basis,
                "totals": self.totals,
                "sectors": self.sectors.reset_index().to_dict(orient="records"),
                "tracks": self.tracks.reset_index().to_dict(orient="records"),
                "notes": list(self.notes)}


def provincial_profile(province: str, year: int, *, data_dir=None, table=None,
                       tracks=None) -> ProvincialProfile:
    """Emissions of ``province`` (四川 / Sichuan / any of the 30) in ``year`` by IO sector.

    ``table`` overrides the national table used for the sectors and split weights (an NBS
    table); ``tracks`` is an optional user tracks file.
    """
    en, table, prov, nat = profile_inputs(province, year, data_dir=data_dir, table=table)
    return profile(en, int(year), table, prov, nat, tracks=tracks)


def profile(en: str, year: int, table, prov: pd.Series, nat: pd.Series, *,
            tracks=None) -> ProvincialProfile:
    """The profile from data already read: province ``en`` (CEADs name), the national table
    whose sectors are used, and the province's and the nation's emissions by CEADs sector
    (:func:`lianpu.satellites.co2.satellite.profile_inputs` reads them)."""
    key = cc.table_key(table)
    W = cc.ceads_weights(table)
    pv, ph = cc.to_table(table, prov, W)
    nv, nh = cc.to_table(table, nat, W)
    x = table.x_
    p_tot, n_tot = pv.sum(), nv.sum()
    p_share = pv / p_tot if p_tot else np.zeros_like(pv)
    n_share = nv / n_tot if n_tot else np.zeros_like(nv)
    frame = pd.DataFrame({
        "name_zh": table.sectors["name_zh"], "name_en": table.sectors["name_en"],
        "province": pv, "province_share": p_share, "national": nv, "national_share": n_share,
        "share_ratio": np.divide(p_share, n_share, out=np.full_like(pv, np.nan),
                                 where=n_share > 0),
        "province_of_national": np.divide(pv, nv, out=np.full_like(pv, np.nan), where=nv > 0),
        "national_intensity": np.divide(nv, x, out=np.zeros_like(nv), where=x > 0) * 1e6,
    }, index=table.index)
    frame.attrs["national_intensity_unit"] = f"t CO2 per {table.unit}"
    track_rows, skipped = _tracks(table, p_share, n_share, tracks)
    notes = [
        Note(f"sectors and one-to-many split weights from the national table {key} (no "
             "provincial IO table)",
             f"部门及一对多拆分权重取自全国表 {key}（无省级投入产出表）"),
        Note("compared with the nation: composition of production emissions (shares, share "
             "ratio = emission location quotient) and the province's share of national emissions "
             "by sector; provincial intensities need provincial output by sector, which is not "
             "available",
             "与全国比较的是生产侧排放的结构（份额；份额比 = 排放区位商）以及各部门排放中本省占全国"
             "的比重；省级排放强度需要分部门的省级总产出，而该数据不可得"),
        Note("track shares are direct (scope-1) emissions of the sectors a track maps to",
             "赛道份额为赛道所对应部门的直接排放（范围 1，scope-1）"),
    ]
    if skipped:
        notes.append(Note("tracks without codes for this table: " + ", ".join(skipped),
                          "在本表中没有对应部门代码的赛道：" + "、".join(skipped)))
    if table.year != year:
        notes.append(Note(f"the inventory is of {year}; the table {key} is of {table.year} "
                          "(the nearest NBS table)",
                          f"排放清单为 {year} 年；表 {key} 为 {table.year} 年（年份最近的 NBS 表）"))
    totals = {"province_production": float(p_tot), "province_households": float(ph.sum()),
              "province_total": float(p_tot + ph.sum()),
              "national_production": float(n_tot), "national_households": float(nh.sum()),
              "national_total": float(n_tot + nh.sum()),
              "province_share_of_national": float((p_tot + ph.sum()) / (n_tot + nh.sum()))}
    return ProvincialProfile(en, inv.PROVINCES[en], year, key, frame, track_rows, totals,
                             notes=tuple(notes))


def _tracks(table, p_share, n_share, path):
    ts = tr.tracks(path)
    rows, skipped = [], []
    for tid, t in ts.items():
        try:
            idx = tr.resolve(table, tid, ts)
        except TableError:
            skipped.append(tid)
            continue
        p, n = float(p_share[idx].sum()), float(n_share[idx].sum())
        rows.append({"track": tid, "name_zh": t.name_zh, "name_en": t.name_en,
                     "sectors": "/".join(str(table.index[i]) for i in idx),
                     "province_share": p, "national_share": n,
                     "share_ratio": p / n if n else np.nan})
    cols = ["track", "name_zh", "name_en", "sectors", "province_share", "national_share",
            "share_ratio"]
    return pd.DataFrame(rows, columns=cols).set_index("track"), skipped
