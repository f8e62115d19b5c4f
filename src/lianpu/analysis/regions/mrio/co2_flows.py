"""CO2 across provinces 省际碳转移 (:func:`carbon_flows`) and a province's dependence on inflows
from other provinces and imports 省外调入依赖 (:func:`inflow_dependence`) on the China MRIO."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ....core import leontief as leo
from ....core.errors import TableError, message
from ....core.notes import Note
from ..._result import Result, ResultFrame, as_frame, jsonable
from ..spillover import (NOT_PURCHASES, final_demand_by_region, induced, positions, records,
                         require_mrio)
from .common import (ABROAD, BASIS, BASIS_ZH, _province_gb, _rc, _track_final_demand,
                     _track_rows)
from .groups import region_groups


@dataclass(frozen=True, eq=False)
class CarbonFlows(Result):
    """Result of :func:`carbon_flows`. ``flows``: CO2 emitted in each province (rows) for the
    final demand of each province, ``ROW`` (exports abroad) and ``(discrepancy)`` (columns),
    households' direct emissions on the diagonal; ``by_region``: production- and
    consumption-based CO2 per province, net transfer, and the consumption side's imports
    from abroad (output, not CO2: no foreign intensities); ``groups``: the same flows
    aggregated to a grouping (default the NBS four regions); ``track``: the CO2 of a track's
    final demand by emitting province, when asked."""

    table: str
    year: int | None
    unit: str
    flows: pd.DataFrame
    by_region: pd.DataFrame
    groups: pd.DataFrame
    grouping: str
    totals: dict
    track: pd.DataFrame | None = None
    track_id: str | None = None
    notes: tuple = ()
    basis: str = BASIS

    def to_frame(self) -> pd.DataFrame:
        return self.by_region.copy()

    def to_dict(self) -> dict:
        return {"table": self.table, "year": self.year, "unit": self.unit, "basis": self.basis,
                "basis_zh": BASIS_ZH, "grouping": self.grouping, "totals": jsonable(self.totals),
                "by_region": records(self.by_region), "groups": records(self.groups),
                "flows": records(self.flows),
                "track": None if self.track is None else records(self.track),
                "track_id": self.track_id, "notes": list(self.notes)}


def carbon_flows(table, *, groups="nbs4", track=None, track_region=None,
                 missing: tuple = ("XZ",)) -> CarbonFlows:
    """CO2 across provinces on the China MRIO with its ``co2`` satellite
    (:func:`lianpu.analysis.regions.mrio.build.co2_satellite`: every province at its own CEADs
    intensities).

    F (emitter × consumer) = Σ over the emitter's sectors of ê (L y_d), e = co2/x, for every
    final-demand region d (provinces, ``ROW`` = exports abroad) and the discrepancy;
    households' direct emissions h_d are added on the diagonal. Then

        production_r  = Σ_d F[r, d] = e_r' x_r + h_r        (identity, tested)
        consumption_r = Σ_s F[s, r]                          (emissions anywhere in China for r)
        net transfer  = consumption − production (> 0: r's demand causes more elsewhere)

    No domestic-technology assumption for interprovincial flows: every province's inputs come
    with that province's intensity. Imports from abroad still have no foreign intensity: the
    consumption side is China's emissions only (a lower bound), and the imports from abroad
    in r's supply chain are given as output (``abroad_output``, m' L y_r + Ym), not CO2.
    """
    require_mrio(table)
    if "co2" not in table.satellites:
        raise TableError(message(table.name, "no co2 satellite on the table",
                                 expected="the MRIO from china_mrio.co2_satellite(table)"))
    sat = table.satellites["co2"]
    E = induced(table, "co2")                            # ê L y_d
    lev = np.asarray(table.index.get_level_values(0))
    regs = list(table.regions)
    F = E.groupby(lev).sum().reindex(regs)
    F.index.name, F.columns.name = "emitter", "final_demand_of"
    hh = pd.Series(0.0, index=regs)
    if sat.final_demand is not None:
        fdl = np.asarray(table.final_demand_labels.index.get_level_values(0))
        hh = pd.Series(sat.final_demand).groupby(fdl).sum().reindex(regs).fillna(0.0)
    for r in regs:
        F.loc[r, r] += hh[r]
    prod = table.satellites["co2"].values
    production = pd.Series(prod).groupby(lev).sum().reindex(regs) + hh
    consumption = F[regs].sum(axis=0)
    ry, Yd = final_demand_by_region(table)
    L = leo.leontief_solve(table.factor, Yd[:, [ry.index(r) for r in regs]])
    m = np.divide(table.Zm_.sum(axis=0), table.x_, out=np.zeros(table.n), where=table.x_ > 0)
    abroad_out = m @ L
    if table.Ym_ is not None:
        role = np.asarray(table.fd_roles)
        fdl = np.asarray(table.final_demand_labels.index.get_level_values(0))
        buy = ~np.isin(role, list(NOT_PURCHASES))
        abroad_out = abroad_out + np.array([table.Ym_[:, (fdl == r) & buy].sum() for r in regs])
    by = pd.DataFrame({"production": production, "consumption": consumption,
                       "for_own_final_demand": np.diag(F[regs].to_numpy()),
                       "for_other_provinces": F[regs].sum(axis=1) - np.diag(F[regs].to_numpy()),
                       "for_exports_abroad": F[ABROAD] if ABROAD in F.columns else 0.0,
                       "for_discrepancy": F[[c for c in F.columns if str(c).startswith("(")]].sum(axis=1),
                       "household_direct": hh,
                       "abroad_output": abroad_out})
    # the residual's CO2 given to the province whose rows hold it (gvc.py's convention)
    role = np.asarray(table.fd_roles)
    dvec = table.Y_[:, role == "discrepancy"].sum(axis=1)
    if table.discrepancy_ is not None:
        dvec = dvec + table.discrepancy_
    Dm = np.zeros((table.n, len(regs)))
    for k, r in enumerate(regs):
        Dm[lev == r, k] = dvec[lev == r]
    ed = np.divide(prod, table.x_, out=np.zeros(table.n), where=table.x_ > 0)
    by["residual_home"] = ed @ leo.leontief_solve(table.factor, Dm)
    by["consumption_residual_home"] = by["consumption"] + by["residual_home"]
    by["net_transfer"] = by["consumption"] - by["production"]
    by["consumption_over_production"] = by["consumption"] / by["production"].where(by["production"] > 0)
    by.index.name = "region"
    gspec = region_groups(groups)
    memb = {m_: g for g, d in gspec.items() for m_ in d["members"]}
    code = {r: memb.get(r, memb.get(_province_gb(r), "other")) for r in regs}
    gF = F.rename(index=code).groupby(level=0, sort=False).sum()
    gF = gF.T.rename(index=lambda c: code.get(c, c)).groupby(level=0, sort=False).sum().T
    gF.index.name, gF.columns.name = "emitter", "final_demand_of"
    trk, tid = None, None
    if track is not None:
        tr_reg = _rc(table, track_region) if track_region is not None else None
        cols, tid, _ = _track_rows(table, track, tr_reg)
        f = _track_final_demand(table, cols)
        e = np.divide(prod, table.x_, out=np.zeros(table.n), where=table.x_ > 0)
        c = e * leo.leontief_solve(table.factor, f)
        trk = pd.DataFrame({"co2": pd.Series(c).groupby(lev).sum().reindex(regs)})
        trk["share"] = trk["co2"] / trk["co2"].sum()
        trk.index.name = "emitter"
        trk = trk.sort_values("co2", ascending=False)
    totals = {"production": float(by["production"].sum()),
              "consumption_provinces": float(by["consumption"].sum()),
              "for_exports_abroad": float(by["for_exports_abroad"].sum()),
              "for_discrepancy": float(by["for_discrepancy"].sum()),
              "interprovincial": float(by["for_other_provinces"].sum())}
    notes = [Note("every province at its own CEADs intensity (co2 satellite from the provincial "
                  "inventories): no domestic-technology assumption for interprovincial trade",
                  "各省按其自身的 CEADs 排放强度计算（co2 卫星账户取自各省排放清单）：省际贸易不采用"
                  "国内技术假设"),
             Note("imports from abroad have no foreign intensity: consumption-based CO2 counts "
                  "emissions in China only (a lower bound); abroad_output is the foreign output "
                  "in each province's final demand (亿元 ×1e4 万元), not CO2",
                  "境外进口没有境外排放强度：消费侧 CO2 只计中国境内的排放（为下限）；abroad_output "
                  "为各省最终需求中的境外产出（亿元 ×1e4 万元），不是 CO2"),
             Note("ROW column: emissions for exports abroad; (discrepancy): emissions serving the "
                  "reconciliation residual and ERR (nobody's final demand; mostly negative, so "
                  "the provinces' consumption sums to more than production) — "
                  "consumption_residual_home gives each province the residual's CO2 at its own "
                  "rows (the convention of gvc.py), so that Σ consumption_residual_home + "
                  "exports abroad = production; it goes negative where the residual is large "
                  "(北京 −123 Mt in 2017): the strict consumption column is the one to quote",
                  "ROW 列：为出口至境外而产生的排放；（误差项 discrepancy）：服务于协调残差和 ERR 的"
                  "排放（不属于任何人的最终需求；多为负值，因此各省消费侧排放之和大于生产侧排放）"
                  "——consumption_residual_home 把残差的 CO2 计入各省自身的行（与 gvc.py 的约定相同），"
                  "使 Σ consumption_residual_home + 出口至境外 = 生产侧排放；残差较大处该值为负"
                  "（北京 2017 年 −123 Mt）：引用时应使用严格的消费侧一列"),
             Note(f"groups: {groups} from data/china_regions.toml",
                  f"区域分组：{groups}，取自 data/china_regions.toml")]
    if missing:
        notes.append(Note(f"no CEADs inventory for {', '.join(missing)} (西藏): its production "
                          "is 0 in the satellite; emissions caused there are missing, not zero",
                          f"{'、'.join(missing)}（西藏）没有 CEADs 排放清单：卫星账户中其生产侧"
                          "排放为 0；在该地引起的排放是缺失，而不是零"))
    return CarbonFlows(table.name, table.year, sat.unit, F, by, gF, str(groups), totals, trk,
                       tid, tuple(notes))


# ---------------------------------------------------------------------------- inflow dependence
def inflow_dependence(table, region="SC", *, groups="nbs4") -> ResultFrame:
    """省外调入依赖: the region's intermediate inputs by origin — own province, each other
    province, ``ROW`` (imports from abroad, Zm) — with shares of all its intermediate inputs,
    the origin's NBS four-region group and ``role`` (own / other province / abroad).
    Columns: inputs (万元), share, group, role. Sums to 1'Z[:, r] + 1'Zm[:, r]."""
    require_mrio(table)
    r = _rc(table, region)
    p = positions(table)[r]
    lev = np.asarray(table.index.get_level_values(0))
    dom = pd.Series(table.Z_[:, p].sum(axis=1)).groupby(lev).sum().reindex(table.regions)
    dom.loc[ABROAD] = float(table.Zm_[:, p].sum()) if table.Zm_ is not None else 0.0
    out = dom.to_frame("inputs")
    out["share"] = out["inputs"] / out["inputs"].sum()
    memb = {m: g for g, d in region_groups(groups).items() for m in d["members"]}
    out["group"] = [memb.get(_province_gb(o), "abroad" if o == ABROAD else "other")
                    for o in out.index]
    out["role"] = ["own" if o == r else "abroad" if o == ABROAD else "other province"
                   for o in out.index]
    out.index.name = "origin"
    out = out.sort_values("inputs", ascending=False)
    out.attrs.update(unit=table.unit, basis=BASIS, region=r)
    return as_frame(out)
