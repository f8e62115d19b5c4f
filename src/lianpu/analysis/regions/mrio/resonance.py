"""互补共振 (complementarity) on the China MRIO: what a supplier region (e.g. Gansu) sells to a
target block's track, and a sourcing-shift counterfactual moving part of the track's purchases
from abroad and the East to it (definitions: :mod:`lianpu.analysis.regions.mrio.questions`)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ....core import leontief as leo
from ....core.errors import ArgumentError, check_range, message
from ....core.notes import Note
from ..._result import Result, jsonable
from ...multipliers import intensity
from ..spillover import positions, records, require_mrio
from .common import BASIS, BASIS_ZH, _kinds, _rc, target_regions
from .groups import region_groups


def tradable_products(table) -> list[str]:
    """Goods (agriculture, mining, manufacturing: the codes before 金属制品、机械和设备修理服务)
    and electricity 电力、热力 — what a sourcing shift can move between provinces (services,
    construction and utilities other than power are bought where they are used)."""
    names = table.sectors["name_zh"].str.split("·").str[-1]
    codes = [str(c[-1]) for c in table.index]
    out = []
    for c, nm in zip(codes, names):
        if c in out:
            continue
        if "修理服务" in nm:
            break
        out.append(c)
    out += [c for c, nm in zip(codes, names) if nm.startswith("电力") and c not in out][:1]
    return out


@dataclass(frozen=True, eq=False)
class Resonance(Result):
    """Result of :func:`complement`. ``realized``: by product — the track's inputs from every
    origin, direct purchases from the supplier and their share, the supplier's output in the
    track's supply chain (total); ``potential``: by product the supplier makes — the track's
    purchases from abroad and from the East; ``scenario``: changes under the sourcing shift;
    ``totals``: headline numbers."""

    supplier: str
    target: str
    target_regions: tuple
    track: str
    sectors: tuple
    shift: float
    table: str
    year: int | None
    unit: str
    totals: dict
    realized: pd.DataFrame
    potential: pd.DataFrame
    scenario: pd.DataFrame
    notes: tuple = ()
    basis: str = BASIS

    def to_frame(self) -> pd.DataFrame:
        return self.realized.copy()

    def to_dict(self) -> dict:
        return {"supplier": self.supplier, "target": self.target,
                "target_regions": list(self.target_regions), "track": self.track,
                "sectors": [list(s) for s in self.sectors], "shift": self.shift,
                "table": self.table, "year": self.year, "unit": self.unit, "basis": self.basis,
                "basis_zh": BASIS_ZH, "totals": jsonable(self.totals),
                "realized": records(self.realized), "potential": records(self.potential),
                "scenario": records(self.scenario), "notes": list(self.notes)}


def complement(table, supplier="GS", target="chengyu", track="aerospace", *, shift: float = 0.2,
               sources=("abroad", "east"), products=None) -> Resonance:
    """互补共振: realized flows from ``supplier`` to ``target``'s ``track`` and a sourcing-shift
    counterfactual moving ``shift`` (0–1) of the track's purchases from ``sources`` ("abroad",
    "east") to the supplier, for ``products`` (codes; default: every product the supplier
    produces). See the module docstring."""
    from ...tracks import catalogue as trk
    require_mrio(table)
    shift = check_range(shift, argument="shift", low=0, high=1)   # a share of purchases
    bad = [s for s in sources if s not in ("abroad", "east")]
    if bad:
        raise ArgumentError(message(table.name, "unknown source of purchases", argument="sources",
                                    found=repr(bad[0]), expected="'abroad' and/or 'east'"))
    S = _rc(table, supplier)
    tlabel, T, tname = target_regions(table, target)
    if S in T:
        raise ArgumentError(message(table.name, "the supplier is part of the target",
                                    argument="supplier", found=repr(S), expected=f"not in {T}"))
    sel = [trk.resolve_track(table, track, region=r) for r in T]
    cols = np.array(sorted({i for s in sel for i in s.indices}))
    tr = sel[0].track
    track_id = tr.id if tr is not None else ",".join(map(str, track))
    pos = positions(table)
    codes = np.asarray([str(c[-1]) for c in table.index])
    prods = list(dict.fromkeys(codes))
    lev = np.asarray(table.index.get_level_values(0))
    east = [_rc(table, m) for m in region_groups("east")["east"]["members"]]
    east = [e for e in east if e not in T and e != S]
    Zc = table.Z_[:, cols]
    Zmc = table.Zm_[:, cols] if table.Zm_ is not None else np.zeros_like(Zc)
    by_prod = lambda v: pd.Series(v).groupby(codes).sum().reindex(prods).to_numpy()  # noqa: E731
    inputs = by_prod(Zc.sum(axis=1)) + by_prod(Zmc.sum(axis=1))
    direct = Zc[pos[S]].sum(axis=1)
    total = leo.leontief_solve(table.factor, Zc.sum(axis=1))[pos[S]]
    sname = table.label("zh").iloc[pos[S]].str.split("·").str[-1].to_numpy()
    xs = table.x_[pos[S]]
    realized = pd.DataFrame({"name": sname, "inputs_all_origins": inputs, "direct": direct,
                             "direct_share": np.divide(direct, inputs, out=np.full_like(direct, np.nan),
                                                       where=inputs > 0),
                             "total": total, "supplier_output": xs},
                            index=pd.Index(prods, name="product"))
    abroad_i = by_prod(Zmc.sum(axis=1))
    east_mask = np.isin(lev, east)
    east_i = by_prod(np.where(east_mask, Zc.sum(axis=1), 0.0))
    wanted = set(tradable_products(table) if products is None else [str(p) for p in products])
    makes = (xs > 0) & np.isin(prods, list(wanted))
    potential = pd.DataFrame({"name": sname, "from_abroad": abroad_i, "from_east": east_i,
                              "supplier_output": xs, "shiftable": makes},
                             index=pd.Index(prods, name="product"))
    # --- the shift: ΔA on the track's columns
    x = table.x_
    xc = np.where(x[cols] > 0, x[cols], 1.0)
    dA = np.zeros((table.n, cols.size))
    dAm = np.zeros((table.n, cols.size))
    sh_prod = np.asarray(prods)[makes]
    sup_row = {c: pos[S][k] for k, c in enumerate(codes[pos[S]])}
    for i in sh_prod:
        moved = np.zeros(cols.size)
        if "east" in sources:
            rows = np.flatnonzero(east_mask & (codes == i))
            take = shift * table.Z_[np.ix_(rows, cols)] / xc
            dA[rows] -= take
            moved += take.sum(axis=0)
        if "abroad" in sources and table.Zm_ is not None:
            rows = np.flatnonzero(np.isin(lev, T) & (codes == i))
            take = shift * table.Zm_[np.ix_(rows, cols)] / xc
            dAm[rows] -= take
            moved += take.sum(axis=0)
        dA[sup_row[i]] += moved
    if shift > 0 and np.abs(dA).sum() > 0:
        A2 = table.A_.copy()
        A2[:, cols] += dA
        f2 = leo.leontief_factor(A2, table=f"{table.name} [shift]")
        dx = leo.leontief_solve(f2, dA @ x[cols])
    else:
        dx = np.zeros(table.n)
    x2 = x + dx
    kinds = _kinds(table)
    S_int = {k: intensity(table, k)[0] for k in kinds}
    scen = pd.DataFrame({"name": sname, "output_before": xs, "output_change": dx[pos[S]]},
                        index=pd.Index(prods, name="product"))
    scen["output_change_pct"] = 100 * np.divide(dx[pos[S]], xs, out=np.full_like(xs, np.nan),
                                                where=xs > 0)
    for k in kinds[1:]:
        scen[f"{k}_change"] = S_int[k][pos[S]] * dx[pos[S]]
    stretched = scen.index[scen["output_change_pct"] > 20].tolist()
    Am = (table.Zm_ / np.where(x > 0, x, 1.0)[None, :]) if table.Zm_ is not None else None
    tpos = np.flatnonzero(np.isin(lev, T))
    imp_before = float(table.Zm_[:, tpos].sum()) if Am is not None else 0.0
    Am2c = Am[:, cols] + dAm if Am is not None else None
    imp_after = imp_before
    if Am is not None:
        others = np.setdiff1d(tpos, cols)
        imp_after = float((Am[:, others] * x2[others]).sum() + (Am2c * x2[cols]).sum())
    trk_in_before = float(inputs.sum())
    trk_imp_before = float(abroad_i.sum())
    trk_imp_after = float((Am2c * x2[cols]).sum()) if Am is not None else 0.0
    A2c = table.A_[:, cols] + dA
    trk_in_after = float((A2c * x2[cols]).sum()) + trk_imp_after
    totals = {
        "track_inputs": trk_in_before,
        "direct_from_supplier": float(direct.sum()),
        "direct_share": float(direct.sum() / trk_in_before) if trk_in_before else None,
        "total_supplier_output_in_chain": float(total.sum()),
        "track_inputs_from_abroad": trk_imp_before,
        "track_inputs_from_east": float(east_i.sum()),
        "shiftable_from_abroad": float(abroad_i[makes].sum()),
        "shiftable_from_east": float(east_i[makes].sum()),
        "supplier_output_change": float(dx[pos[S]].sum()),
        "supplier_output_change_pct": float(100 * dx[pos[S]].sum() / xs.sum()),
        "east_output_change": float(dx[east_mask].sum()),
        "target_output_change": float(dx[tpos].sum()),
        "track_import_share_before": trk_imp_before / trk_in_before if trk_in_before else None,
        "track_import_share_after": trk_imp_after / trk_in_after if trk_in_after else None,
        "target_intermediate_imports_before": imp_before,
        "target_intermediate_imports_after": imp_after,
        "target_import_dependence_before": imp_before / float(x[tpos].sum()),
        "target_import_dependence_after": imp_after / float(x2[tpos].sum()),
    }
    for k in kinds[1:]:
        totals[f"supplier_{k}_change"] = float((S_int[k][pos[S]] * dx[pos[S]]).sum())
    secs = sorted({str(table.index[i][-1]) for i in cols})
    src_zh = "和".join({"abroad": "境外", "east": "东部"}[s] for s in sources)
    which, which_zh = (("goods and electricity", "货物和电力") if products is None
                       else ("as given", "按给定"))
    notes = [
        Note(f"track {track_id} in {tname} ({', '.join(T)}): sectors {secs}"
             + (f" — {sel[0].note}" if sel[0].note else ""),
             f"赛道 {track_id}，{tname}（{', '.join(T)}）：部门 {secs}"
             + (f" — {sel[0].note_zh or sel[0].note}" if sel[0].note else "")),
        Note(f"sourcing shift: {shift:g} of the track's purchases from {' and '.join(sources)} of "
             f"{len(sh_prod)} products {S} produces ({which}: "
             f"{', '.join(sh_prod)}) move to {S}; technical coefficients otherwise, "
             "final demand, value-added and CO2 intensities fixed; a counterfactual with stated "
             "assumptions, not a forecast (no capacity limits, prices or transport costs)",
             f"采购转移：赛道从{src_zh}购入的、{S} 所生产的 {len(sh_prod)} 种产品（{which_zh}："
             f"{', '.join(sh_prod)}）中，{shift:g} 的份额转由 {S} 供应；其余直接消耗系数、最终需求、"
             "增加值率和 CO2 强度不变；这是有明确假设的反事实情景，不是预测（不考虑产能限制、价格和"
             "运输成本）"),
        Note("import dependence: intermediate imports from abroad of the target block over its "
             "gross output; track import share: the track's imported inputs over all its inputs",
             "进口依存度：目标区域从境外进口的中间投入占其总产出的比重；赛道进口份额：赛道的进口"
             "中间投入占其全部中间投入的比重"),
        Note(f"East = {', '.join(east)} (NBS four-region grouping, data/china_regions.toml)",
             f"东部 = {', '.join(east)}（NBS 四大区域划分，data/china_regions.toml）"),
    ]
    if stretched:
        pcts = [f"{c} ({scen.loc[c, 'output_change_pct']:.0f} %)" for c in stretched]
        notes.append(Note(f"capacity check: {S}'s output would rise by more than 20 % in "
                          + ", ".join(pcts) + " — the shift assumes it can (no capacity limits)",
                          f"产能检验：{S} 的总产出将在以下地区增长超过 20 %："
                          + "、".join(pcts) + " ——该情景假定其能够做到（不考虑产能限制）"))
    if "co2" not in table.satellites:
        notes.append(Note("no co2 satellite: CO2 change left out",
                          "没有 co2 卫星账户：不计算 CO2 变化"))
    return Resonance(S, tlabel, tuple(T), track_id, tuple(table.index[i] for i in cols), shift,
                     table.name, table.year, table.unit, totals, realized, potential, scen,
                     tuple(notes))
