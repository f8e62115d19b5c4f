"""Regional questions on the China MRIO (:mod:`lianpu.analysis.china_mrio`): 双核联动 (two
cores driving each other: Sichuan and Chongqing) and 互补共振 (complementarity: what a supplier
region such as Gansu sells — and could sell — to a target block's track).

Definitions (docs/china_mrio.md; Miller & Blair 2009 §3.5 for the Miller decomposition):

- **driven a←b** = ŝ_a (L y_b)_a: a's output (s = 1), value added (s = v/x) and CO2 (s = e =
  F/x) that exist because of b's final demand y_b (all its final-use categories, bought from
  any province); by sector of a. One solve with two right-hand sides.
- **Miller** intra / feedback / spillover (:func:`lianpu.analysis.regions.spillover`) on the
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

from ..core import leontief as leo
from ..core.errors import ArgumentError, TableError, message
from .carbon import dumps, strict
from .multipliers import intensity
from .regions import final_demand_by_region, positions, require_mrio, resolve_region, spillover

BASIS = ("China MRIO (lianpu.analysis.china_mrio): imports from abroad are leakages (Zm), "
         "interprovincial trade from the gravity model with Chenery–Moses allocation")
BASIS_ZH = "中国多区域表（lianpu.analysis.china_mrio）：境外进口为漏出（Zm），省际贸易由引力模型估计并按 Chenery–Moses 假设分配"


def _rc(table, name):
    from .china_mrio import region_code
    return region_code(table, name)


def _records(df: pd.DataFrame) -> list[dict]:
    out = df.reset_index()
    return strict(out.astype(object).where(out.notna(), None).to_dict("records"))


def _kinds(table) -> list[str]:
    return ["output", "value_added"] + (["co2"] if "co2" in table.satellites else [])


def target_regions(table, target) -> tuple[str, list[str], str]:
    """(label, member region codes, name) of a target: a region, a list of regions, or a group
    of ``data/china_regions.toml`` ("chengyu" / "成渝", "west" / "西部" …)."""
    from .china_mrio import region_groups, _shipped_groupings
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
    ``co2`` satellite from :func:`lianpu.analysis.china_mrio.co2_satellite`; ``missing``:
    regions without CO2 data, for the notes)."""
    from .china_mrio import aggregate_regions
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
    from . import tracks as trk
    from .china_mrio import region_groups
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
