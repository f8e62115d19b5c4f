"""Consumption-based emissions on a multi-regional table (MRIO) 多区域碳足迹 — with what is known.

A single-country table can only give a footprint under the domestic-technology assumption
(:mod:`lianpu.analysis.carbon.footprint`). On an MRIO the supply chains behind a region's final demand
run through the other regions explicitly (L = (I − A)⁻¹ of the whole table, A with every
region's inputs from every region), so with every region's emission intensity e_s the
consumption-based account of region r is

    CBA_r = Σ_s e_s' (L y_r)_s + H_r,

and China's emissions for the rest of the world are e_C' (L Σ_{r≠C} y_r)_C (Peters 2008;
Davis & Caldeira 2010; Miller & Blair 2009, ch. 10).

**What the data have.** WIOD 2013 (``wiod2013-{year}``, 41 economies, 1995–2011) is an MRIO,
but the project has CO2 inventories only for China (CEADs, 1997–2019); WIOD's environmental
accounts are not in the data. So :func:`mrio_footprint` computes exactly what needs only the
known intensities and leaves the rest missing (None in JSON), never invented:

- China's emissions for China's final demand, and for foreign final demand (emissions
  embodied in exports in the MRIO sense, no assumption about foreign producers);
- the output and value added of every origin region embodied in China's final demand (where
  the foreign part of China's footprint is produced);
- as a labelled *proxy*, the foreign output for China's final demand valued at China's own
  intensities (t CO2 per USD of the same WIOD industry) — DTA-like, not foreign emissions;
- the foreign emissions themselves: missing, with the list of regions lacking intensities.

``intensities`` is a mapping region → intensity by that region's sectors, so a provincial
MRIO (being built separately) enters through the same function with every province's CEADs
intensities: :func:`mrio_footprint` is that entry point. :func:`wiod_china` builds China's
intensities on a WIOD table from CEADs with ``lianpu/data/ceads47_to_wiod35.csv``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import pandas as pd

from ...core import leontief as leo
from ...core import roles as R
from ...core.errors import TableError, message
from ...core.notes import Note, zh as zh_of
from ...satellites.co2.satellite import match_year
from .._result import Result, as_frame

BASIS = Note("multi-regional input-output (MRIO): every region's supply chain from the table; "
             "emissions only where the region's intensity is known, the rest reported missing",
             "多区域投入产出（MRIO）：各区域的供应链取自表本身；只计排放强度已知的区域的排放，"
             "其余区域列为缺失")
TOTAL_NAMES = {
    "production_based": ("生产侧排放", "production-based emissions"),
    "own_for_own_final_demand": ("本区域为本区域最终需求的排放",
                                 "own emissions for own final demand"),
    "own_for_foreign_final_demand": ("本区域为外部最终需求的排放（MRIO 出口隐含）",
                                     "own emissions for foreign final demand (embodied in "
                                     "exports, MRIO)"),
    "foreign_for_own_final_demand": ("外部为本区域最终需求的排放（需要外部排放强度）",
                                     "foreign emissions for own final demand (needs foreign "
                                     "intensities)"),
    "foreign_at_own_intensities": ("外部产出按本区域排放强度计（代理值，非外部实际排放）",
                                   "foreign output for own final demand at own intensities "
                                   "(proxy, not foreign emissions)"),
    "household_direct": ("居民直接排放", "household direct emissions"),
    "own_for_discrepancy": ("本区域为统计误差项的排放", "own emissions for the table's "
                            "discrepancy (rounding residual)"),
    "identity_gap": ("恒等式误差", "identity gap"),
    "footprint_mrio": ("消费侧足迹（MRIO）", "consumption-based footprint (MRIO)"),
    "footprint_mrio_lower_bound": ("消费侧足迹下限（不含外部排放）",
                                   "consumption footprint, lower bound (foreign part left out)"),
    "footprint_own_intensities_proxy": ("消费侧足迹（外部按本区域强度，代理值）",
                                        "consumption footprint with foreign output at own "
                                        "intensities (proxy)"),
    "net_transfer_mrio": ("净转移排放（MRIO）", "net emission transfer (MRIO)"),
    "net_transfer_upper_bound": ("净转移排放上限（＝出口隐含）",
                                 "net transfer, upper bound (= own emissions for foreign final "
                                 "demand)"),
    "net_transfer_own_intensities_proxy": ("净转移排放（代理值）", "net transfer (proxy)"),
    "foreign_value_added_share": ("最终需求中的外部增加值比重",
                                  "foreign share of value added in own final demand"),
}


@dataclass(frozen=True)
class MrioFootprint(Result):
    """Result of :func:`mrio_footprint`; ``totals`` values are None where they need missing
    intensities; ``by_origin`` has one row per origin region."""

    table: str
    year: int | None
    region: str
    unit: str
    money_unit: str
    totals: dict
    by_origin: pd.DataFrame
    missing: tuple
    notes: tuple = field(default=())
    basis: str = BASIS

    def to_frame(self) -> pd.DataFrame:
        return self.by_origin.copy()

    def to_dict(self) -> dict:
        return {"table": self.table, "year": self.year, "region": self.region,
                "unit": self.unit, "money_unit": self.money_unit, "basis": self.basis,
                "basis_zh": zh_of(self.basis), "totals": self.totals,
                "totals_labels": {k: {"zh": v[0], "en": v[1]} for k, v in TOTAL_NAMES.items()
                                  if k in self.totals},
                "missing_intensities": list(self.missing),
                "by_origin": self.by_origin.reset_index().to_dict(orient="records"),
                "notes": list(self.notes)}


def _regions(table) -> list[str]:
    if not table.is_multiregional:
        raise TableError(message(table.name, "not a multi-regional table", argument="table",
                                 expected="an MRIO (e.g. wiod2013-2011), sectors indexed by "
                                          "(region, sector)"))
    return table.regions


def mrio_footprint(table, region: str, intensities: dict, *, direct_fd: dict | None = None,
                   unit: str = "Mt CO2", notes=()) -> MrioFootprint:
    """Consumption-based account of ``region`` on an MRIO with the intensities that exist.

    Parameters
    ----------
    table : IOTable, multi-regional (index (region, sector)); its A covers trade between
        the regions (WIOD: RoW is a region, there is no import column).
    region : the region whose final demand is accounted (e.g. "CHN").
    intensities : {region: array (n_region,)} in ``unit`` per the table's money unit; regions
        left out are *missing* (the result says so; nothing is filled in).
    direct_fd : {final-use column label: amount}, direct emissions of final demand
        (households) of ``region``.
    """
    regs = _regions(table)
    if region not in regs:
        raise TableError(message(table.name, f"no region {region!r}", argument="region",
                                 expected=f"one of {regs}"))
    for r in intensities:
        if r not in regs:
            raise TableError(message(table.name, f"intensities for an unknown region {r!r}",
                                     argument="intensities", expected=f"regions of {regs}"))
    lev = np.asarray(table.index.get_level_values(0))
    blocks = {r: np.flatnonzero(lev == r) for r in regs}
    e = np.full(table.n, np.nan)
    for r, v in intensities.items():
        v = np.asarray(v, float)
        if v.shape != (len(blocks[r]),):
            raise TableError(message(table.name, f"intensities of {r} have the wrong shape",
                                     argument="intensities", found=str(v.shape),
                                     expected=f"({len(blocks[r])},)"))
        e[blocks[r]] = v
    fd_reg = np.asarray([str(c[0]) if isinstance(c, tuple) else "" for c in
                         table.final_demand_labels.index], dtype=object)
    # the region's final demand: its own final-use columns, whatever their role, except
    # columns that leave it (none in WIOD; a provincial MRIO may have exports abroad)
    own_cols = [j for j in np.flatnonzero(fd_reg == region)
                if table.fd_roles[j] not in R.OUTFLOWS | R.SUPPLY_FROM_OUTSIDE]
    other_cols = [j for j in range(len(fd_reg)) if j not in set(own_cols)
                  and table.fd_roles[j] not in R.SUPPLY_FROM_OUTSIDE]
    y_own = table.Y_[:, own_cols].sum(axis=1)
    y_oth = table.Y_[:, other_cols].sum(axis=1)
    x_own = leo.leontief_solve(table.factor, y_own)   # output everywhere for region's FD
    x_oth = leo.leontief_solve(table.factor, y_oth)
    # the table's own residual (WIOD: published rounding), by producing row: nobody's final
    # demand, reported on its own so that the identity own + foreign-driven + residual = e'x holds
    x_res = (leo.leontief_solve(table.factor, table.discrepancy_)
             if table.discrepancy_ is not None else np.zeros(table.n))
    va = table.value_added_
    x = table.x_
    vshare = np.divide(va, x, out=np.zeros_like(va), where=x > 0)
    c = blocks[region]
    if region not in intensities:
        raise TableError(message(table.name, f"no intensities for {region}", argument="region",
                                 expected="intensities for the accounted region"))
    ec = e[c]
    hh = float(sum((direct_fd or {}).values()))
    own_own = float(ec @ x_own[c])
    own_oth = float(ec @ x_oth[c])
    own_res = float(ec @ x_res[c])
    pba = float(ec @ x[c]) + hh
    rows, missing, foreign, proxy = [], [], 0.0, 0.0
    # China's intensities applied sector by sector to the same industry elsewhere (proxy)
    same = {r: ec if len(blocks[r]) == len(c) else None for r in regs}
    for r in regs:
        b = blocks[r]
        em = float(e[b] @ x_own[b]) if r in intensities else np.nan
        px = float(same[r] @ x_own[b]) if same[r] is not None else np.nan
        if r != region:
            if r in intensities:
                foreign += em
            else:
                missing.append(r)
            proxy += px
        name = str(table.sectors["name_en"].iloc[b[0]]).split(":")[0]
        name_zh = str(table.sectors["name_zh"].iloc[b[0]]).split("·")[0]
        rows.append({"region": r, "name_zh": name_zh, "name_en": name, "own": r == region,
                     "output": float(x_own[b].sum()), "value_added": float(vshare[b] @ x_own[b]),
                     "emissions": em, "at_region_intensities": px})
    by_origin = pd.DataFrame(rows).set_index("region")
    va_all = by_origin["value_added"].sum()
    by_origin["value_added_share"] = by_origin["value_added"] / va_all if va_all else np.nan
    imp = by_origin.loc[~by_origin["own"], "output"].sum()
    by_origin["share_of_foreign_output"] = np.where(
        by_origin["own"], np.nan, by_origin["output"] / imp if imp else np.nan)
    complete = not missing
    fp = own_own + hh + foreign if complete else None
    totals = {"production_based": pba, "own_for_own_final_demand": own_own,
              "own_for_foreign_final_demand": own_oth,
              "foreign_for_own_final_demand": foreign if complete else None,
              "foreign_at_own_intensities": proxy, "household_direct": hh,
              "footprint_mrio": fp, "footprint_mrio_lower_bound": own_own + hh,
              "footprint_own_intensities_proxy": own_own + hh + proxy,
              "net_transfer_mrio": (pba - fp) if complete else None,
              "net_transfer_upper_bound": own_oth,
              "net_transfer_own_intensities_proxy": own_oth - proxy,
              "foreign_value_added_share": 1.0 - float(
                  by_origin.loc[region, "value_added"] / va_all) if va_all else None,
              "own_for_discrepancy": own_res,
              "identity_gap": own_own + own_oth + own_res + hh - pba}
    notes = list(notes)
    if missing:
        shown = f"{', '.join(missing[:6])}{' …' if len(missing) > 6 else ''}"
        notes.append(Note(
            f"no emission intensities for {len(missing)} of {len(regs) - 1} other "
            f"regions ({shown}): "
            "the foreign emissions in this region's footprint, the MRIO footprint and "
            "the MRIO net transfer are missing (None), not estimated. The lower bound "
            "leaves them out; the proxy values foreign output at this region's own "
            "intensities by industry (like the DTA, it is not what foreign producers "
            "emit)",
            f"其他 {len(regs) - 1} 个区域中有 {len(missing)} 个（{shown}）没有排放强度："
            "本区域足迹中的境外排放、MRIO 足迹和 MRIO 净转移均缺失（None），未作估计。下限不含这些"
            "排放；代理值按本区域各行业自身的排放强度估算境外产出的排放（与 DTA 一样，并非境外"
            "生产者的实际排放）"))
    notes.append(Note("value added by origin: each region's value-added share of output times "
                      "the output its supply chain delivers for this region's final demand "
                      "(v̂ L y_r); shares of foreign output say where the imports' supply chains "
                      "are",
                      "按来源地分的增加值：各区域的增加值率乘以其供应链为本区域最终需求提供的产出"
                      "（v̂ L y_r）；境外产出的份额说明进口品的供应链所在地"))
    return MrioFootprint(table.name, table.year, region, unit, table.unit, totals, by_origin,
                         tuple(missing), tuple(notes))


def _wiod_concordance() -> pd.DataFrame:
    with resources.files("lianpu.data").joinpath("ceads47_to_wiod35.csv").open(
            encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def wiod_china(table, year: int | None = None, data_dir=None, *, inventory=None
               ) -> tuple[dict, dict, list]:
    """China's CO2 intensities on a WIOD table from the CEADs national inventory.

    Returns ({"CHN": e (35,) in Mt CO2 per million USD}, {household column: Mt}, notes).
    CEADs sectors map to WIOD's 35 industries by ``ceads47_to_wiod35.csv``; one-to-many rows
    (transport & telecom, trade & catering, other services) are split by the target
    industries' purchases of mining (c2) and refined-petroleum/coke (c8) products from all
    origins — fuel purchases as the proxy for fuel burnt, as for the NBS tables — else by
    output. WIOD covers 1995–2011, CEADs 1997–2019 (1995/1996 use 1997).
    """
    from ...satellites.co2 import inventory as inv
    regs = _regions(table)
    if "CHN" not in regs:
        raise TableError(message(table.name, "no region 'CHN'", expected="a WIOD table"))
    use, why = match_year(table.year if year is None else int(year))
    invent = inventory if inventory is not None else inv.read_national(use, data_dir=data_dir)
    by = invent.sector_totals("China", use)
    lev = np.asarray(table.index.get_level_values(0))
    sec = [str(s) for s in table.index.get_level_values(1)]
    c = np.flatnonzero(lev == "CHN")
    codes = [sec[i] for i in c]
    pos = {s: k for k, s in enumerate(codes)}
    fuel_rows = [i for i in range(table.n) if sec[i] in ("c2", "c8")]
    fuel = table.Z_[fuel_rows][:, c].sum(axis=0)
    xc = table.x_[c]
    F = np.zeros(len(c))
    hh = {}
    conc = _wiod_concordance()
    fd = list(table.final_demand_labels.index)
    fd_chn_h = [j for j, lab in enumerate(fd) if lab[0] == "CHN"
                and table.fd_roles[j] == "household"]
    for _, r in conc.iterrows():
        v = float(by.get(r["ceads_code"], 0.0))
        if r["rule"] == "final_demand":
            if not fd_chn_h:
                raise TableError(message(table.name, "no household column for CHN",
                                         expected="a column with the role 'household'"))
            key = "/".join(map(str, fd[fd_chn_h[0]]))
            hh[key] = hh.get(key, 0.0) + v
            continue
        t = [pos[s] for s in r["wiod35"].split("|")]
        for w in (fuel[t], xc[t], np.ones(len(t))):
            if w.sum() > 0:
                F[t] += v * w / w.sum()
                break
    if abs(F.sum() + sum(hh.values()) - float(by.sum())) > 1e-9 * max(1.0, abs(by.sum())):
        raise TableError(message(table.name, "CEADs emissions not fully mapped to WIOD",
                                 found=f"{F.sum() + sum(hh.values()):.6g}",
                                 expected=f"{float(by.sum()):.6g} Mt"))
    if ((xc <= 0) & (F != 0)).any():
        raise TableError(message(table.name, "CEADs emissions on a WIOD industry of China "
                                 "without output", expected="output > 0"))
    e = np.divide(F, xc, out=np.zeros_like(F), where=xc > 0)
    notes = [Note(f"CHN intensities: CEADs national inventory {use} (scope 1, Mt CO2) on WIOD's "
                  "35 industries by ceads47_to_wiod35.csv, over WIOD output of China (million USD)"
                  + (f"; {why}" if why else ""),
                  f"CHN 排放强度：CEADs 全国排放清单 {use} 年（范围 1，Mt CO2）按 "
                  "ceads47_to_wiod35.csv 对应到 WIOD 的 35 个行业，除以 WIOD 中国的总产出"
                  "（million USD，百万美元）" + (f"；{zh_of(why)}" if why else ""))]
    return {"CHN": e}, hh, notes


def wiod_footprint(table, year: int | None = None, data_dir=None, *, inventory=None
                   ) -> MrioFootprint:
    """:func:`mrio_footprint` of China on a WIOD table with CEADs intensities for China and
    none for the other 40 economies (their emissions are not in the data)."""
    e, hh, notes = wiod_china(table, year, data_dir, inventory=inventory)
    return mrio_footprint(table, "CHN", e, direct_fd=hh, notes=notes)


#: rows of :func:`compare`: (key, 中文, English, DTA total key, MRIO total key)
COMPARE_ROWS = (
    ("production_based", "生产侧排放", "production-based emissions", "production_based",
     "production_based"),
    ("own_for_own_use", "本国为国内最终使用的排放", "own emissions for own final use",
     "footprint_domestic", "own_for_own_final_demand"),
    ("own_for_exports", "本国为出口/外部最终需求的排放", "own emissions for exports / foreign final demand",
     "embodied_in_exports_domestic", "own_for_foreign_final_demand"),
    ("imports_for_own_use", "国内最终使用的进口部分", "imported part of own final use",
     "avoided_by_imports_domestic_use", "foreign_for_own_final_demand"),
    ("imports_proxy", "进口部分（按本国强度的代理值）", "imported part at own intensities (proxy)",
     "avoided_by_imports_domestic_use", "foreign_at_own_intensities"),
    ("footprint", "消费侧足迹", "consumption footprint", "footprint_dta", "footprint_mrio"),
    ("net_transfer", "净转移排放", "net transfer", "net_transfer_dta", "net_transfer_mrio"),
    ("net_transfer_bound", "净转移排放上限（MRIO：出口隐含）",
     "net transfer upper bound (MRIO: own emissions for foreign final demand)", None,
     "net_transfer_upper_bound"),
)


def compare(dta, mrio: MrioFootprint | None):
    """The DTA footprint (:func:`lianpu.analysis.carbon.footprint.footprint` totals) beside the MRIO one:
    one row per quantity, columns ``dta`` and ``mrio`` (NaN where the MRIO needs missing
    foreign intensities, or where there is no MRIO for the year: ``mrio=None``), as a
    :class:`~lianpu.analysis._result.ResultFrame` (a DataFrame whose ``to_json`` carries the
    unit and both bases)."""
    rows = []
    for key, zh, en, kd, km in COMPARE_ROWS:
        vd = dta.totals.get(kd) if kd else None
        vm = mrio.totals.get(km) if mrio is not None else None
        rows.append({"quantity": key, "name_zh": zh, "name_en": en,
                     "dta": np.nan if vd is None else vd, "mrio": np.nan if vm is None else vm})
    f = pd.DataFrame(rows).set_index("quantity")
    f.attrs["unit"] = dta.unit
    f.attrs["basis"] = {"dta": dta.basis, "mrio": BASIS if mrio is not None else None}
    return as_frame(f)


def nearest_wiod_year(year: int) -> tuple[int | None, str]:
    """The WIOD 2013 year for a table of ``year`` (None after 2011: no MRIO), and why: a
    :class:`~lianpu.core.notes.Note` (its Chinese in ``.zh``), "" when the year is covered."""
    if year is None:
        return None, Note("the table has no year", "表没有年份")
    if 1995 <= year <= 2011:
        return int(year), ""
    if year < 1995:
        return 1995, Note(f"WIOD 2013 starts in 1995; {year} has no MRIO, 1995 shown",
                          f"WIOD 2013 始于 1995 年；{year} 年没有多区域投入产出表（MRIO），"
                          "显示 1995 年")
    return None, Note(f"no MRIO for {year} in the data: WIOD 2013 ends in 2011 and the provincial "
                      "MRIO is not built yet, so only the DTA footprint is available; MRIO studies "
                      "put China's net transfer several times higher than the DTA's",
                      f"数据中没有 {year} 年的多区域投入产出表（MRIO）：WIOD 2013 只到 2011 年，"
                      "省级多区域表尚未建成，因此只能给出国内技术假设（DTA）下的足迹；多区域研究给出的"
                      "中国净转移排放比国内技术假设的结果高出数倍")
