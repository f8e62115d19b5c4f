"""Regional questions on the China MRIO (:mod:`lianpu.analysis.regions.mrio.build`): 双核联动 (two
cores driving each other: Sichuan and Chongqing), 互补共振 (complementarity: what a supplier
region such as Gansu sells — and could sell — to a target block's track), and (issue 13 item 4)
:func:`chain_across` (a track's suppliers by origin province and tier), :func:`domestic_chains`
(国内价值链), :func:`carbon_flows` (CO2 across provinces) and :func:`inflow_dependence`.

Definitions (docs/china_mrio.md; Miller & Blair 2009 §3.5 for the Miller decomposition):

- **driven a←b** = ŝ_a (L y_b)_a: a's output (s = 1), value added (s = v/x) and CO2 (s = e =
  F/x) that exist because of b's final demand y_b (all its final-use categories, bought from
  any province); by sector of a. One solve with two right-hand sides.
- **Miller** intra / feedback / spillover (:func:`lianpu.analysis.regions.spillover.spillover`) on the
  full MRIO, and the spillover matrix entries between the two; and the same with the two
  merged into one block 成渝 against the rest of China (:func:`aggregate_regions`).
- **realized flows** of the target's track (its sectors in the target regions): direct
  z_i = Σ_{j∈track} Z[(S, i), j] from supplier S, share of the track's inputs of product i
  from everywhere (abroad included); total = (L Σ_{j∈track} Z[:, j])_{(S, i)}, the supplier's
  output in the supply chain of the track's intermediate inputs (direct and indirect).
- **sourcing shift** (a counterfactual, not a forecast): a share σ of the track's purchases of
  product i from abroad (Zm) and from the East (东部 provinces) is bought from S instead, for
  products S produces. Coefficients change, A' = A + ΔA (a column-wise move: the track's
  total input per unit of output is unchanged), final demand stays, and
  Δx = (I − A')⁻¹ ΔA x — exactly zero for σ = 0. Reported: S's Δoutput, Δvalue added (fixed
  v/x) and ΔCO2 (fixed e), the East's Δoutput, and the target's imports from abroad.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ....core import leontief as leo
from ....core.errors import ArgumentError, TableError, message
from ...carbon.footprint import dumps, strict
from ...multipliers import intensity
from ..spillover import (NOT_PURCHASES, final_demand_by_region, positions, require_mrio,
                      resolve_region, spillover)

BASIS = ("China MRIO (lianpu.analysis.regions.mrio.build): imports from abroad are leakages (Zm), "
         "interprovincial trade from the gravity model with Chenery–Moses allocation")
BASIS_ZH = "中国多区域表（lianpu.analysis.regions.mrio.build）：境外进口为漏出（Zm），省际贸易由引力模型估计并按 Chenery–Moses 假设分配"


def _rc(table, name):
    from .build import region_code
    return region_code(table, name)


def _records(df: pd.DataFrame) -> list[dict]:
    out = df.reset_index()
    return strict(out.astype(object).where(out.notna(), None).to_dict("records"))


def _kinds(table) -> list[str]:
    return ["output", "value_added"] + (["co2"] if "co2" in table.satellites else [])


def target_regions(table, target) -> tuple[str, list[str], str]:
    """(label, member region codes, name) of a target: a region, a list of regions, or a group
    of ``data/china_regions.toml`` ("chengyu" / "成渝", "west" / "西部" …)."""
    from .build import region_groups, _shipped_groupings
    if isinstance(target, (list, tuple)):
        regs = [_rc(table, r) for r in target]
        return "+".join(regs), regs, "+".join(regs)
    groups = _shipped_groupings()["groups"]
    for key, g in groups.items():
        if str(target) in (key, g["name_zh"], g["name_en"]):
            members = region_groups({key: g})[key]["members"]
            return key, [_rc(table, m) for m in members], g["name_zh"]
    r = _rc(table, target)
    return r, [r], r


# ---------------------------------------------------------------------------- 双核联动
@dataclass(frozen=True, eq=False)
class DualCore:
    """Result of :func:`dual_core`. ``summary``: rows "a←b" and "b←a" with output,
    value_added [, co2] driven and their shares of the driven region's totals; ``by_sector``:
    the same by sector of the driven region; ``miller``: intra/feedback/spillover (per unit of
    final demand, final-demand mix) of a, b, the merged block and the rest of China, by kind;
    ``spill``: the matrix entries between a and b (effect in one per unit of the other's final
    demand) and between the block and the rest."""

    a: str
    b: str
    table: str
    year: int | None
    unit: str
    co2_unit: str | None
    summary: pd.DataFrame
    by_sector: pd.DataFrame
    miller: pd.DataFrame
    spill: pd.DataFrame
    block: pd.DataFrame
    notes: tuple = ()
    basis: str = BASIS

    def to_frame(self) -> pd.DataFrame:
        return self.summary.copy()

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "table": self.table, "year": self.year,
                "unit": self.unit, "co2_unit": self.co2_unit, "basis": self.basis,
                "basis_zh": BASIS_ZH, "summary": _records(self.summary),
                "block": _records(self.block), "miller": _records(self.miller),
                "spill": _records(self.spill), "by_sector": _records(self.by_sector),
                "notes": list(self.notes)}

    def to_json(self) -> str:
        return dumps(self.to_dict())


def dual_core(table, a="SC", b="CQ", *, missing: tuple = ()) -> DualCore:
    """双核联动 of regions ``a`` and ``b`` on a multi-regional table (best: the China MRIO with a
    ``co2`` satellite from :func:`lianpu.analysis.regions.mrio.build.co2_satellite`; ``missing``:
    regions without CO2 data, for the notes)."""
    from .build import aggregate_regions
    require_mrio(table)
    a, b = _rc(table, a), _rc(table, b)
    if a == b:
        raise ArgumentError(message(table.name, "the two regions must differ", argument="b",
                                    found=repr(b)))
    kinds = _kinds(table)
    S = {k: intensity(table, k) for k in kinds}
    regs, Yd = final_demand_by_region(table)
    X = leo.leontief_solve(table.factor, Yd[:, [regs.index(a), regs.index(b)]])
    pos = positions(table)
    names = table.label("zh")
    summ, secs = [], []
    for r, d, xd in ((a, b, X[:, 1]), (b, a, X[:, 0])):
        p = pos[r]
        row = {"direction": f"{r}←{d}", "driven": r, "by_final_demand_of": d}
        sec = pd.DataFrame({"direction": f"{r}←{d}", "sector": [c[-1] for c in table.index[p]],
                            "name": names.iloc[p].to_numpy()})
        for k in kinds:
            s = S[k][0]
            eff, tot = s[p] * xd[p], s[p] * table.x_[p]
            row[k] = float(eff.sum())
            row[f"{k}_share"] = float(eff.sum() / tot.sum()) if tot.sum() else None
            sec[k] = eff
            sec[f"{k}_share"] = np.divide(eff, tot, out=np.full_like(eff, np.nan), where=tot != 0)
        summ.append(row)
        secs.append(sec)
    summary = pd.DataFrame(summ).set_index("direction")
    by_sector = pd.concat(secs).set_index(["direction", "sector"])
    blk = aggregate_regions(table, {"CY": {"members": [a, b], "name_zh": "成渝" if {a, b} == {"SC", "CQ"}
                                           else f"{a}+{b}", "name_en": f"{a}+{b}"}}, rest="RoC")
    mil, spl = [], []
    for k in kinds:
        sp = spillover(table, k)
        sb = spillover(blk, k)
        for r in (a, b):
            mil.append({"kind": k, "region": r, **{c: float(sp.by_region.loc[r, c]) for c in
                                                     ("intra", "feedback", "spillover", "total")}})
        for r in ("CY", "RoC"):
            mil.append({"kind": k, "region": r, **{c: float(sb.by_region.loc[r, c]) for c in
                                                     ("intra", "feedback", "spillover", "total")}})
        for ein, dfor, m in ((b, a, sp.matrix), (a, b, sp.matrix), ("RoC", "CY", sb.matrix),
                             ("CY", "RoC", sb.matrix)):
            spl.append({"kind": k, "effect_in": ein, "demand_for": dfor,
                        "per_unit": float(m.loc[ein, dfor]), "unit": sp.unit})
    # the block against the rest: amounts driven each way
    bregs, bYd = final_demand_by_region(blk)
    bX = leo.leontief_solve(blk.factor, bYd[:, [bregs.index("CY"), bregs.index("RoC")]])
    bpos = positions(blk)
    brows = []
    for r, d, xd in (("CY", "RoC", bX[:, 1]), ("RoC", "CY", bX[:, 0])):
        p = bpos[r]
        row = {"direction": f"{r}←{d}"}
        for k in kinds:
            s = intensity(blk, k)[0]
            eff, tot = s[p] * xd[p], s[p] * blk.x_[p]
            row[k], row[f"{k}_share"] = float(eff.sum()), float(eff.sum() / tot.sum())
        brows.append(row)
    notes = [f"{a}←{b}: {a}'s amounts that exist because of {b}'s final demand (consumption, "
             "investment, inventories; bought from any province); exports abroad are nobody's "
             "provincial final demand"]
    if "co2" not in table.satellites:
        notes.append("no co2 satellite on the table: CO2 left out (add it with "
                     "china_mrio.co2_satellite)")
    if missing:
        notes.append(f"no CEADs inventory for {', '.join(missing)} (西藏): its CO2 is 0 in the "
                     "satellite, so CO2 spillovers into it are missing, not zero")
    notes.append("block CY = " + "+".join((a, b)) + " against RoC = the other 29 provinces, "
                 "aggregated with aggregate_regions (trade between the two becomes internal)")
    co2_unit = table.satellites["co2"].unit if "co2" in table.satellites else None
    return DualCore(a, b, table.name, table.year, table.unit, co2_unit, summary, by_sector,
                    pd.DataFrame(mil).set_index(["kind", "region"]),
                    pd.DataFrame(spl).set_index(["kind", "effect_in", "demand_for"]),
                    pd.DataFrame(brows).set_index("direction"), tuple(notes))


# ---------------------------------------------------------------------------- 互补共振
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
class Resonance:
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
                "basis_zh": BASIS_ZH, "totals": strict(self.totals),
                "realized": _records(self.realized), "potential": _records(self.potential),
                "scenario": _records(self.scenario), "notes": list(self.notes)}

    def to_json(self) -> str:
        return dumps(self.to_dict())


def complement(table, supplier="GS", target="chengyu", track="aerospace", *, shift: float = 0.2,
               sources=("abroad", "east"), products=None) -> Resonance:
    """互补共振: realized flows from ``supplier`` to ``target``'s ``track`` and a sourcing-shift
    counterfactual moving ``shift`` (0–1) of the track's purchases from ``sources`` ("abroad",
    "east") to the supplier, for ``products`` (codes; default: every product the supplier
    produces). See the module docstring."""
    from ...tracks import catalogue as trk
    from .build import region_groups
    require_mrio(table)
    try:
        shift = float(shift)
    except (TypeError, ValueError):
        shift = float("nan")
    if not 0.0 <= shift <= 1.0:
        raise ArgumentError(message(table.name, "the sourcing shift must be a share in [0, 1]",
                                    argument="shift", found=repr(shift), expected="e.g. 0.2"))
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
    notes = [
        f"track {track_id} in {tname} ({', '.join(T)}): sectors {sorted({str(table.index[i][-1]) for i in cols})}"
        + (f" — {sel[0].note}" if sel[0].note else ""),
        f"sourcing shift: {shift:g} of the track's purchases from {' and '.join(sources)} of "
        f"{len(sh_prod)} products {S} produces ({'goods and electricity' if products is None else 'as given'}: "
        f"{', '.join(sh_prod)}) move to {S}; technical coefficients otherwise, "
        "final demand, value-added and CO2 intensities fixed; a counterfactual with stated "
        "assumptions, not a forecast (no capacity limits, prices or transport costs)",
        "import dependence: intermediate imports from abroad of the target block over its gross "
        "output; track import share: the track's imported inputs over all its inputs",
        f"East = {', '.join(east)} (NBS four-region grouping, data/china_regions.toml)",
    ]
    if stretched:
        notes.append(f"capacity check: {S}'s output would rise by more than 20 % in "
                     + ", ".join(f"{c} ({scen.loc[c, 'output_change_pct']:.0f} %)" for c in stretched)
                     + " — the shift assumes it can (no capacity limits)")
    if "co2" not in table.satellites:
        notes.append("no co2 satellite: CO2 change left out")
    return Resonance(S, tlabel, tuple(T), track_id, tuple(table.index[i] for i in cols), shift,
                     table.name, table.year, table.unit, totals, realized, potential, scen,
                     tuple(notes))


# ---------------------------------------------------------------------------- chains across provinces
def supply_view(table, floor: float = 1.0):
    """The MRIO ready for supply-side (Ghosh) measures: sectors with output below ``floor``
    (万元) that still sell — reconciliation artefacts of the builder (e.g. Shanghai crude oil
    with x = 0, Tibet electronics with x = 4e-10 万元) — make B = x̂⁻¹Z explode. Their sales are
    moved, for each buyer, to the buyer's purchases of the same product from abroad (Zm at its
    own row), and their rows' discrepancy takes the difference, so every identity still holds.
    Returns (table, note); the table itself when nothing is below the floor."""
    x = table.x_
    tiny = np.flatnonzero((x < floor) & (np.abs(table.Z_).sum(axis=1) > 0))
    if tiny.size == 0:
        return table, ""
    Z, d = table.Z_.copy(), table.discrepancy_.copy() if table.discrepancy_ is not None else np.zeros(table.n)
    Zm = table.Zm_.copy() if table.Zm_ is not None else np.zeros_like(Z)
    lev = np.asarray(table.index.get_level_values(0))
    codes = np.asarray([str(c[-1]) for c in table.index])
    row = {(r, c): i for i, (r, c) in enumerate(zip(lev, codes))}
    moved = 0.0
    for k in tiny:
        d[k] += Z[k].sum()
        for j in np.flatnonzero(Z[k]):
            Zm[row[(lev[j], codes[k])], j] += Z[k, j]
        moved += Z[k].sum()
        Z[k] = 0.0
    note = (f"supply view: {tiny.size} sectors with output < {floor:g} {table.unit} that sell "
            f"(reconciliation artefacts; {', '.join('/'.join(map(str, table.index[k])) for k in tiny[:6])}"
            f"{' …' if tiny.size > 6 else ''}) have their sales ({moved / 1e4:,.0f} 亿元, "
            f"{moved / max(table.Z_.sum(), 1e-300):.4%} of Z) treated as the buyers' purchases "
            "from outside the system, so that the Ghosh inverse exists")
    return table.evolve(Z_=Z, Zm_=Zm, discrepancy_=d, notes=tuple(table.notes) + (note,)), note


def _track_rows(table, track, region):
    from ...tracks import catalogue as trk
    sel = trk.resolve_track(table, track, region=region)
    tr = sel.track
    return np.asarray(sel.indices), (tr.id if tr is not None else ",".join(map(str, track))), sel


def _track_final_demand(table, cols) -> np.ndarray:
    """f (n,): the track's final demand — every purchase column (all provinces' final uses and
    exports abroad) at the track's rows."""
    regs, Yd = final_demand_by_region(table)
    f = np.zeros(table.n)
    f[cols] = Yd[cols].sum(axis=1)
    return f


ABROAD = "ROW"


@dataclass(frozen=True, eq=False)
class ChainAcross:
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
                "basis": self.basis, "basis_zh": BASIS_ZH, "by_origin": _records(self.by_origin),
                "by_origin_sector": _records(self.by_origin_sector),
                "paths": _records(self.paths), "weak": _records(self.weak),
                "chain_summary": strict(self.chain.summary), "notes": list(self.notes)}

    def to_json(self) -> str:
        return dumps(self.to_dict())


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
    notes = [f"track {tid} in {r}: sectors {[str(tv.index[i][-1]) for i in cols]}"
             + (f" — {sel.note}" if getattr(sel, 'note', '') else ""),
             "suppliers by origin: f = the track's final demand (all provinces' final uses and "
             "exports abroad); tier k = Aᵏ f by producing province, ROW = imports from abroad "
             "bought at that step (A_m Aᵏ⁻¹ f; the MRIO has no foreign production, so foreign "
             "tiers stop there)",
             "weak links: top_origin names the province (or ROW = abroad) the chain buys most "
             "of each product from"]
    if vnote:
        notes.append(vnote)
    return ChainAcross(r, tid, table.name, table.year, table.unit, float(f.sum()), bo, bos,
                       paths, weak, cm, wl, tuple(notes))


# ---------------------------------------------------------------------------- domestic value chains
@dataclass(frozen=True, eq=False)
class DomesticChains:
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
                "basis": self.basis, "basis_zh": BASIS_ZH, "totals": strict(self.totals),
                "absorbed": _records(self.absorbed), "by_sector": _records(self.by_sector),
                "sources": _records(self.sources), "position": _records(self.position),
                "notes": list(self.notes)}

    def to_json(self) -> str:
        return dumps(self.to_dict())


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
    from ..spillover import induced
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
        "abroad (ROW): a final-demand destination (exports abroad, column ('ROW', 'EX')) and a "
        "source of imports outside the system (Zm, Ym); the MRIO has no foreign production, so "
        "value added crossing the border and coming back is not traced",
        "value added = the table's value-added rows (imports from abroad are not value added); "
        "absorbed in d = v̂ L y_d at the region's rows",
        "(discrepancy): the reconciliation residual and the provincial tables' ERR, a final "
        "use of nobody — value added that serves it is shown apart",
        "position (gvc.position, Wang et al. 2017b): every other province and abroad count as "
        "'foreign'; PLv_GVC > PLy_GVC (position > 1) = upstream",
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


# ---------------------------------------------------------------------------- carbon across provinces
@dataclass(frozen=True, eq=False)
class CarbonFlows:
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
                "basis_zh": BASIS_ZH, "grouping": self.grouping, "totals": strict(self.totals),
                "by_region": _records(self.by_region), "groups": _records(self.groups),
                "flows": _records(self.flows),
                "track": None if self.track is None else _records(self.track),
                "track_id": self.track_id, "notes": list(self.notes)}

    def to_json(self) -> str:
        return dumps(self.to_dict())


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
    from .build import region_groups
    from ..spillover import induced
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
    notes = ["every province at its own CEADs intensity (co2 satellite from the provincial "
             "inventories): no domestic-technology assumption for interprovincial trade",
             "imports from abroad have no foreign intensity: consumption-based CO2 counts "
             "emissions in China only (a lower bound); abroad_output is the foreign output in "
             "each province's final demand (亿元 ×1e4 万元), not CO2",
             "ROW column: emissions for exports abroad; (discrepancy): emissions serving the "
             "reconciliation residual and ERR (nobody's final demand; mostly negative, so the "
             "provinces' consumption sums to more than production) — consumption_residual_home "
             "gives each province the residual's CO2 at its own rows (the convention of gvc.py), "
             "so that Σ consumption_residual_home + exports abroad = production; it goes negative "
             "where the residual is large (北京 −123 Mt in 2017): the strict consumption column "
             "is the one to quote",
             f"groups: {groups} from data/china_regions.toml"]
    if missing:
        notes.append(f"no CEADs inventory for {', '.join(missing)} (西藏): its production is 0 "
                     "in the satellite; emissions caused there are missing, not zero")
    return CarbonFlows(table.name, table.year, sat.unit, F, by, gF, str(groups), totals, trk,
                       tid, tuple(notes))


def _province_gb(code):
    from ....core.errors import DatasetError
    from ....data.registry import province
    try:
        return province(code).gb
    except DatasetError:  # not a province code: stays unmatched ("other")
        return code


# ---------------------------------------------------------------------------- inflow dependence
def inflow_dependence(table, region="SC", *, groups="nbs4") -> pd.DataFrame:
    """省外调入依赖: the region's intermediate inputs by origin — own province, each other
    province, ``ROW`` (imports from abroad, Zm) — with shares of all its intermediate inputs,
    the origin's NBS four-region group and ``role`` (own / other province / abroad).
    Columns: inputs (万元), share, group, role. Sums to 1'Z[:, r] + 1'Zm[:, r]."""
    from .build import region_groups
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
    return out.sort_values("inputs", ascending=False)
