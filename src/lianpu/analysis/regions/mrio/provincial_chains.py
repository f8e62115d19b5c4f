"""Chains across provinces 跨省产业链 on the China MRIO: a track's suppliers by origin province and
tier (:func:`chain_across`) and a province's domestic value chains 国内价值链
(:func:`domestic_chains`); definitions in :mod:`lianpu.analysis.regions.mrio.questions`."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ....core import leontief as leo
from ....core.notes import Note
from ..._result import Result, jsonable
from ..spillover import (NOT_PURCHASES, final_demand_by_region, induced, positions, records,
                         require_mrio)
from .common import (ABROAD, BASIS, BASIS_ZH, _rc, _track_final_demand, _track_rows,
                     supply_view)


@dataclass(frozen=True, eq=False)
class ChainAcross(Result):
    """Result of :func:`chain_across`. ``by_origin``: the track's supply chain by origin
    province (and ``ROW`` = imports from abroad) and tier — tier k = the inputs bought k
    steps up the chain, Aᵏ f summed over the origin's sectors (abroad: the imports A_mᵏ⁻¹…
    bought at that step), ``total`` = L f − f (all tiers) for provinces; ``paths``: the
    structural paths of :func:`lianpu.chain` (with provinces); ``weak``: the weak links of
    :func:`lianpu.weaklinks` with their top origin; ``chain`` and ``weaklinks``: the full
    results."""

    region: str
    track: str
    table: str
    year: int | None
    unit: str
    final_demand: float
    by_origin: pd.DataFrame
    by_origin_sector: pd.DataFrame
    paths: pd.DataFrame
    weak: pd.DataFrame
    chain: object
    weaklinks: object
    notes: tuple = ()
    basis: str = BASIS

    def to_frame(self) -> pd.DataFrame:
        return self.by_origin.copy()

    def to_dict(self) -> dict:
        return {"region": self.region, "track": self.track, "table": self.table,
                "year": self.year, "unit": self.unit, "final_demand": self.final_demand,
                "basis": self.basis, "basis_zh": BASIS_ZH, "by_origin": records(self.by_origin),
                "by_origin_sector": records(self.by_origin_sector),
                "paths": records(self.paths), "weak": records(self.weak),
                "chain_summary": jsonable(dict(self.chain.summary)), "notes": list(self.notes)}


def chain_across(table, region="SC", track="电子信息", *, depth: int = 4, top: int = 20) -> ChainAcross:
    """The chain map of ``track`` in ``region`` on the MRIO, with its suppliers by origin
    province and tier, structural paths across provinces and weak links with their origin.

    Tiers: f = the track's final demand (all buyers); tier k = Aᵏ f (domestic inputs, by the
    producing province) and A_m Aᵏ⁻¹ f (imports from abroad bought at that step, ``ROW``),
    where A_m = Zm x̂⁻¹. Σ_k tier_k over provinces → L f − f (tested); the tiers equal
    :func:`lianpu.chain`'s ``summary["tiers"]`` (same f)."""
    from ...chains.chainmap import chain as chain_map
    from ...chains.weaklinks import weaklinks
    require_mrio(table)
    r = _rc(table, region)
    tv, vnote = supply_view(table)
    cols, tid, sel = _track_rows(tv, track, r)
    f = _track_final_demand(tv, cols)
    x = tv.x_
    Am = tv.Zm_ / np.where(x > 0, x, 1.0)[None, :]
    lev = np.asarray(tv.index.get_level_values(0))
    regs = list(tv.regions)
    tiers, tiers_m, v = [], [], f
    for _ in range(depth):
        tiers_m.append(Am @ v)
        v = tv.A_ @ v
        tiers.append(v)
    total = leo.leontief_solve(tv.factor, f) - f
    # imports from abroad at every step: A_m (L f) in all
    total_m = Am @ (total + f)
    grp = lambda a: pd.Series(a).groupby(lev).sum().reindex(regs)  # noqa: E731
    data = {f"tier{k + 1}": grp(t) for k, t in enumerate(tiers)}
    data["beyond"] = grp(total - sum(tiers))
    data["total"] = grp(total)
    bo = pd.DataFrame(data)
    abroad = {f"tier{k + 1}": float(t.sum()) for k, t in enumerate(tiers_m)}
    abroad["beyond"] = float(total_m.sum() - sum(abroad.values()))
    abroad["total"] = float(total_m.sum())
    bo.loc[ABROAD] = pd.Series(abroad)
    bo["share"] = bo["total"] / bo["total"].sum()
    bo.index.name = "origin"
    bo["role"] = ["own" if o == r else ("abroad" if o == ABROAD else "other province")
                  for o in bo.index]
    bo = bo.sort_values("total", ascending=False)
    names = tv.label("zh").str.split("·").str[-1].to_numpy()
    bos = pd.DataFrame({"origin": lev, "sector": [str(c[-1]) for c in tv.index], "name": names,
                        "tier1": tiers[0], "total": total})
    bos = bos[bos["origin"] != r].sort_values("total", ascending=False).head(top)
    bos = bos.set_index(["origin", "sector"])
    cm = chain_map(tv, track, depth=depth, top=top, region=r)
    wl = weaklinks(tv, track, region=r)
    paths = cm.paths.copy()
    weak = wl.to_frame().copy()
    secs = [str(tv.index[i][-1]) for i in cols]
    snote = getattr(sel, 'note', '')
    notes = [Note(f"track {tid} in {r}: sectors {secs}" + (f" — {snote}" if snote else ""),
                  f"赛道 {tid}，{r}：部门 {secs}"
                  + (f" — {getattr(sel, 'note_zh', '') or snote}" if snote else "")),
             Note("suppliers by origin: f = the track's final demand (all provinces' final uses "
                  "and exports abroad); tier k = Aᵏ f by producing province, ROW = imports from "
                  "abroad bought at that step (A_m Aᵏ⁻¹ f; the MRIO has no foreign production, "
                  "so foreign tiers stop there)",
                  "按来源地分的供应者：f = 赛道的最终需求（各省最终使用及出口至境外）；第 k 层 = Aᵏ f，"
                  "按生产省份划分，ROW = 该层从境外购入的进口（A_m Aᵏ⁻¹ f；MRIO 不含境外生产，境外"
                  "层级到此为止）"),
             Note("weak links: top_origin names the province (or ROW = abroad) the chain buys most "
                  "of each product from",
                  "薄弱环节：top_origin 为产业链购入各产品最多的省份（或 ROW = 境外）")]
    if vnote:
        notes.append(vnote)
    return ChainAcross(r, tid, table.name, table.year, table.unit, float(f.sum()), bo, bos,
                       paths, weak, cm, wl, tuple(notes))


# ---------------------------------------------------------------------------- domestic value chains
@dataclass(frozen=True, eq=False)
class DomesticChains(Result):
    """Result of :func:`domestic_chains`. ``absorbed``: the region's value added by where it is
    absorbed (own final demand, each other province, ``ROW`` = exports abroad,
    ``(discrepancy)``), with shares; ``by_sector``: the same split by sector of the region
    (own / other provinces / abroad) with the sector's Wang et al. position and production
    lengths; ``sources``: value added of each province embodied in the region's final demand
    and the imports from abroad it needs; ``totals``: headline numbers."""

    region: str
    table: str
    year: int | None
    unit: str
    totals: dict
    absorbed: pd.DataFrame
    by_sector: pd.DataFrame
    sources: pd.DataFrame
    position: pd.DataFrame
    notes: tuple = ()
    basis: str = BASIS

    def to_frame(self) -> pd.DataFrame:
        return self.absorbed.copy()

    def to_dict(self) -> dict:
        return {"region": self.region, "table": self.table, "year": self.year, "unit": self.unit,
                "basis": self.basis, "basis_zh": BASIS_ZH, "totals": jsonable(self.totals),
                "absorbed": records(self.absorbed), "by_sector": records(self.by_sector),
                "sources": records(self.sources), "position": records(self.position),
                "notes": list(self.notes)}


def domestic_chains(table, region="SC") -> DomesticChains:
    """国内价值链 of ``region`` on the China MRIO.

    **Abroad.** The MRIO has no foreign production: exports abroad are the final-demand
    destination ``("ROW", "EX")`` and imports from abroad (Zm, Ym) leave the system. So

    - value added here is the table's value-added rows (v = 1'V x̂⁻¹; imports are *not* value
      added), and the region's value added absorbed by d is v̂_r (L y_d)_r with y_d d's final
      demand (ROW: exports abroad); rows sum to the region's value added (identity, with the
      ``(discrepancy)`` column for the residual);
    - the sources of the region's final demand y_r: value added of every province v̂ L y_r
      plus imports from abroad m' L y_r + the direct imports in final demand (Ym), which sum
      to y_r's total (identity: v' + m' = 1'(I − A));
    - position: :func:`lianpu.analysis.valuechains.gvc.position` on the MRIO treats every other province
      *and* abroad as "foreign" (the decomposition's value added includes imports from abroad,
      v' = 1'(I − A)): its indices describe the region's place in the chains beyond its
      borders, domestic and foreign together; the split into domestic and foreign chains is the
      absorbed-by split above (forward) and the sources split (backward).
    """
    from ...valuechains import gvc
    require_mrio(table)
    r = _rc(table, region)
    pos = positions(table)
    p = pos[r]
    E = induced(table, "value_added")                   # v̂ L y_d, (n, D+extra)
    Er = E.iloc[p]
    va = table.value_added_[p]
    cols = list(E.columns)
    absorbed = pd.DataFrame({"value_added": Er.sum(axis=0)})
    absorbed["share"] = absorbed["value_added"] / va.sum()
    absorbed["kind"] = ["own" if c == r else "abroad" if c == ABROAD else
                        "residual" if c.startswith("(") else "other province" for c in cols]
    absorbed.index.name = "absorbed_in"
    own = Er[r].to_numpy()
    abroad = Er[ABROAD].to_numpy() if ABROAD in cols else np.zeros(p.size)
    resid = Er[[c for c in cols if c.startswith("(")]].sum(axis=1).to_numpy()
    other = Er.sum(axis=1).to_numpy() - own - abroad - resid
    names = table.label("zh").iloc[p].str.split("·").str[-1].to_numpy()
    secs = [str(c[-1]) for c in table.index[p]]
    bys = pd.DataFrame({"name": names, "value_added": va, "own": own, "other_provinces": other,
                        "abroad": abroad, "residual": resid}, index=pd.Index(secs, name="sector"))
    for c in ("own", "other_provinces", "abroad"):
        bys[f"{c}_share"] = np.divide(bys[c], va, out=np.full(p.size, np.nan), where=va > 0)
    P = gvc.position(table, country=r).to_frame()
    Pr = P.loc[r] if isinstance(P.index, pd.MultiIndex) else P
    for c in ("PLv_GVC", "PLy_GVC", "wang_position", "koopman_position"):
        if c in Pr.columns:
            bys[c] = Pr[c].reindex(secs).to_numpy()
    # backward: sources of the region's final demand
    regs, Yd = final_demand_by_region(table)
    yr = Yd[:, regs.index(r)]
    Lyr = leo.leontief_solve(table.factor, yr)
    v = np.divide(table.value_added_, table.x_, out=np.zeros(table.n), where=table.x_ > 0)
    m = np.divide(table.Zm_.sum(axis=0), table.x_, out=np.zeros(table.n), where=table.x_ > 0)
    lev = np.asarray(table.index.get_level_values(0))
    src = pd.Series(v * Lyr).groupby(lev).sum().reindex(table.regions).to_frame("value_added")
    fdl = table.final_demand_labels.index
    ym = 0.0
    if table.Ym_ is not None:
        role = np.asarray(table.fd_roles)
        sel = (np.asarray(fdl.get_level_values(0)) == r) & ~np.isin(role, list(NOT_PURCHASES))
        ym = float(table.Ym_[:, sel].sum())
    src.loc[ABROAD] = float(m @ Lyr) + ym
    src["share"] = src["value_added"] / src["value_added"].sum()
    src.index.name = "origin"
    pos_frame = _country_position(table, r, gvc.participation(table, country=r).to_frame(), P)
    tot_va = float(va.sum())
    totals = {
        "value_added": tot_va,
        "absorbed_own": float(own.sum()), "absorbed_other_provinces": float(other.sum()),
        "absorbed_abroad": float(abroad.sum()), "absorbed_residual": float(resid.sum()),
        "absorbed_own_share": float(own.sum() / tot_va),
        "absorbed_other_provinces_share": float(other.sum() / tot_va),
        "absorbed_abroad_share": float(abroad.sum() / tot_va),
        "final_demand": float(yr.sum() + ym),
        "final_demand_own_va_share": float(src.loc[r, "share"]),
        "final_demand_other_provinces_va_share": float(src.drop([r, ABROAD])["share"].sum()),
        "final_demand_abroad_share": float(src.loc[ABROAD, "share"]),
    }
    notes = [
        Note("abroad (ROW): a final-demand destination (exports abroad, column ('ROW', 'EX')) "
             "and a source of imports outside the system (Zm, Ym); the MRIO has no foreign "
             "production, so value added crossing the border and coming back is not traced",
             "境外（ROW）：既是最终需求去向（出口至境外，列 ('ROW', 'EX')），也是系统外的进口来源"
             "（Zm, Ym）；MRIO 不含境外生产，因此出境后又返回的增加值无法追踪"),
        Note("value added = the table's value-added rows (imports from abroad are not value "
             "added); absorbed in d = v̂ L y_d at the region's rows",
             "增加值 = 表中的增加值各行（境外进口不是增加值）；在 d 被吸收的部分 = 本区域各行的 "
             "v̂ L y_d"),
        Note("(discrepancy): the reconciliation residual and the provincial tables' ERR, a final "
             "use of nobody — value added that serves it is shown apart",
             "（误差项 discrepancy）：协调残差与各省表的 ERR，不属于任何使用者的最终使用——为其服务"
             "的增加值单独列示"),
        Note("position (gvc.position, Wang et al. 2017b): every other province and abroad count "
             "as 'foreign'; PLv_GVC > PLy_GVC (position > 1) = upstream",
             "价值链地位（gvc.position，Wang et al. 2017b）：其他各省与境外均视为“外部”；"
             "PLv_GVC > PLy_GVC（position > 1）= 处于上游"),
    ]
    return DomesticChains(r, table.name, table.year, table.unit, totals, absorbed, bys, src,
                          pos_frame, tuple(notes))


def _country_position(table, r, part, posf) -> pd.DataFrame:
    """Country-level position and participation of region r: output-weighted over sectors."""
    x = table.x_[positions(table)[r]]
    w = x / x.sum()
    out = {}
    for df in (part, posf):
        d = df.loc[r] if isinstance(df.index, pd.MultiIndex) else df
        for c in d.columns:
            if c in ("forward", "backward", "forward_simple", "forward_complex",
                     "backward_simple", "backward_complex", "PLv_GVC", "PLy_GVC",
                     "wang_position", "koopman_position"):
                vals = d[c].to_numpy(float)
                ok = np.isfinite(vals)
                out[c] = float((vals[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() else None
    return pd.DataFrame([out], index=pd.Index([r], name="region"))
