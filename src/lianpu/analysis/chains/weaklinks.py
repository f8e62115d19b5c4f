"""Weak links 短板、风险与招商: where a track's chain depends on imports or on one origin.

For a track S with final demand f (domestic products) and induced output x_f = L f:

- chain use of input i: domestic (A x_f)_i and imported (Am x_f)_i — every purchase of i by
  any producer in the chain, direct and indirect; import share = imported / (domestic +
  imported); requirement share = the input's share of all intermediate inputs of the chain;
- import content of the track = 1'Am x_f / 1'f (imported inputs per unit of final demand);
- supply chokepoint of sector k: share of the track's output lost when k stops selling
  intermediates (Ghosh forward extraction, Dietzenbacher & Lahr 2013):
  Σ_{j∈S} x_k (g_kj − δ_kj) / g_kk / Σ_{j∈S} x_j; market dependence on k: share lost when k
  and its demand disappear (Leontief total extraction), Σ_{j∈S, j≠k} l_jk x_k / l_kk / Σ x_S;
- import-cut loss of input i (``cut_loss``, ranks 风险清单): share of the track's output lost
  when the imports of i are cut by ``risk_cut`` (default 30 %), from the supply-disruption LP
  (:func:`lianpu.shock.import_cut`: fixed proportions in inputs with a coefficient ≥
  ``critical`` = 0.01, proportional rationing, no substitution), Σ_{j∈S} Δx_j / Σ x_S;
- Ghosh import-stop indicator (``ghosh_stop_risk``, full stop; ``ghosh_cut_loss`` = risk_cut ×
  it, the same cut): Σ_{k∈S} (zm_i' G)_k / Σ x_S, imports treated as primary inputs. It is
  **not** an upper bound of the damage: the Ghosh model lets users keep producing with
  fewer inputs (no fixed technology, Oosterhaven 1988), so it is usually *below* the
  fixed-proportions loss (a 30 % cut of imported electronics for 电子信息 on cn-nbs-2020-42:
  Ghosh 10.4 % of the track's output, the LP 30 %, since 20 itself is capped at 70 %). It is
  kept as a forward-dependence indicator;
- multi-regional tables (a ``region`` is required): imports are the purchases of the
  region's producers from other regions, by origin, plus imports from abroad ('ROW') when the
  table has an IM column (provincial MRIO); origin concentration is the Herfindahl–Hirschman
  index HHI_c = Σ_r s_rc² of all origins' shares (the region itself included) in the chain's
  use of product c; import-stop risks of other regions ignore the feedback through them
  (first order).

The three planner lists rank the inputs (see :func:`weaklinks`):
短板清单 by import share (material inputs only), 风险清单 by the import-cut loss (LP; the
Ghosh indicator beside it; multi-regional tables: Ghosh only, with a note), 招商清单 by
imported volume (inputs mostly bought from outside), leaving out products that cannot be
attracted — natural-resource extraction, public administration and social security,
passenger transport — listed with their reasons in ``lianpu/data/attraction_exclusions.csv``
(matched on the sector's Chinese name, so the rule covers the 42-, 149- and 153-sector NBS
tables, WIOD and OECD labels); the excluded inputs are reported in ``excluded`` with the
reason.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

import numpy as np
import pandas as pd

from ...core import coefficients as coef
from ...core import leontief as leo
from ...core.errors import TableError, message
from ...core.notes import Note
from .._common import (
    cached,
    diag_G,
    diag_L,
    domestic_basis,
    frame_records,
    name_columns,
    region_of,
    unit_columns,
)
from .._result import Result, readonly
from .finaldemand import final_demand_items
from .imports import import_content, imported_coefficients
from .keysectors import linkages
from ..tracks.catalogue import resolve_track

LIST_NAMES = {"shortboard": ("短板清单", "weak-link list"), "risk": ("风险清单", "risk list"),
              "attraction": ("招商清单", "investment-attraction list")}


@dataclass(frozen=True, eq=False)
class WeakLinks(Result):
    """Result of :func:`weaklinks`; frames (the result's own copies) indexed by input product
    (links, lists) or sector. ``to_json(rows=…)`` is :meth:`to_dict` as strict JSON."""

    table: str
    year: int | None
    unit: str
    track_id: str | None
    name_zh: str
    name_en: str
    classification: str | None
    note: str
    basis: str
    region: str | None
    links: pd.DataFrame
    chokepoints: pd.DataFrame
    strengths: pd.DataFrame
    shortboard: pd.DataFrame
    risk: pd.DataFrame
    attraction: pd.DataFrame
    summary: dict = field(default_factory=dict)
    note_zh: str = ""          # ``note`` (English) in Chinese
    excluded: pd.DataFrame = field(default_factory=pd.DataFrame)   # left out of 招商清单, why
    notes: tuple = ()          # how the lists were ranked

    def to_frame(self) -> pd.DataFrame:
        """The links frame (one row per input product), largest chain use first."""
        return self.links

    def to_dict(self, rows: int | None = None) -> dict:
        def rec(df):
            return frame_records(df if rows is None else df.head(rows), "code")
        return {"table": self.table, "year": self.year, "unit": self.unit,
                "track": {"id": self.track_id, "name_zh": self.name_zh, "name_en": self.name_en,
                          "classification": self.classification, "note": self.note,
                          "note_zh": self.note_zh},
                "basis": self.basis, "region": self.region, "summary": dict(self.summary),
                "shortboard": rec(self.shortboard), "risk": rec(self.risk),
                "attraction": rec(self.attraction), "chokepoints": rec(self.chokepoints),
                "strengths": rec(self.strengths), "links": rec(self.links),
                "attraction_excluded": frame_records(self.excluded, "code"),
                "notes": list(self.notes)}


def _share(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.divide(a, b, out=np.full_like(a, np.nan), where=b > 0)


def weaklinks(table, track_or_sectors, *, region: str | None = None, tracks=None,
              top: int = 10, material: float = 0.01, min_import_share: float = 0.10,
              attract_share: float = 0.30, risk_cut: float = 0.30,
              critical: float = 0.01, basis: str = "auto") -> WeakLinks:
    """Import dependence, chokepoints, strengths and the three planner lists of a track.

    Parameters
    ----------
    table : a non-competitive table (best: NBS 2017/2018/2020 42 sectors), a competitive one
        (split by import proportionality, so every user gets the same import share), or a
        multi-regional table with ``region``.
    track_or_sectors : track id, zh/en name, Track, or a list of sector codes.
    basis : "auto" (default), "domestic" or "local" (:func:`lianpu.analysis.basis.resolve_basis`;
        "published" works only where the table separates imports itself).
    top : rows per planner list.
    material : inputs below this share of the chain's intermediate inputs are left out of
        短板清单 (a 90 % import share of a negligible input is not a weak link).
    min_import_share : 短板清单 keeps inputs with at least this import share.
    attract_share : 招商清单 keeps inputs bought at least this much from outside.
    risk_cut : share of an input's imports cut for 风险清单's ``cut_loss`` (0.3 = 30 %).
    critical : smallest coefficient that limits output in that LP (0.01: material inputs).

    Candidates for 风险清单: the ``top`` inputs by Ghosh indicator and the ``top`` by imported
    volume (at most 2·top LPs, one per input, on constraint matrices built once per table).
    """
    mrio = table.is_multiregional
    if mrio and region is None:
        raise TableError(message(table.name, "a multi-regional table needs the track's region",
                                 argument="region", expected=f"one of {table.regions}"))
    tb, basis = domestic_basis(table, basis=basis)
    if not mrio and tb.Zm_ is None:
        raise TableError(message(table.name, "cannot separate imports", argument="table",
                                 expected="a non-competitive table or a competitive one with "
                                          "an IM column"))
    sel = resolve_track(tb, track_or_sectors, tracks, region=region)
    S = list(sel.indices)
    n, x = tb.n, tb.x_
    f = np.zeros(n)
    f[S] = tb.Y_.sum(axis=1)[S]
    if not f.sum() > 0:
        raise TableError(message(tb.name, "the track has no positive final demand",
                                 argument="track", found=f"{f.sum():.6g}", expected="> 0"))
    xf = leo.leontief_solve(tb.factor, f)
    xS = x[S].sum()
    GS = tb.factor_ghosh.solve(unit_columns(n, S))          # G[:, S]
    LS = tb.factor.solve_transposed(unit_columns(n, S)).T   # L[S, :]
    links = (_links_mrio(tb, S, xf, GS, region) if mrio else _links_single(tb, S, xf, GS))
    links["imported_per_unit"] = links["chain_imported"] / f.sum()
    links["ghosh_stop_risk"] = links.pop("import_stop_loss") / xS
    links["ghosh_cut_loss"] = risk_cut * links["ghosh_stop_risk"]
    notes = []
    if mrio:
        links["cut_loss"] = np.nan
        notes.append(Note("风险清单 ranked by the Ghosh import-stop indicator (multi-regional "
                          "table: the disruption LP cuts imports from abroad only, not flows "
                          "between regions)",
                          "风险清单按 Ghosh 断供指标排序（多区域表：供应中断线性规划（LP）只削减境外进口，"
                          "不削减区域间流量）"))
    else:
        links["cut_loss"] = _cut_losses(tb, S, links, top, risk_cut, critical)
        notes.append(Note(
            f"风险清单 ranked by cut_loss: share of the track's output lost when the "
            f"input's imports are cut by {100 * risk_cut:g} % (supply-disruption LP: fixed "
            f"proportions in inputs ≥ {critical:g} of output, proportional rationing, no "
            "substitution); ghosh_cut_loss is the Ghosh indicator for the same cut, "
            "usually lower (no fixed technology), not an upper bound",
            f"风险清单按 cut_loss 排序：该投入的进口削减 {100 * risk_cut:g} % 时赛道产出损失的比例"
            f"（供应中断线性规划 LP：占产出 ≥ {critical:g} 的投入按固定比例，按比例配给，不可替代）；"
            "ghosh_cut_loss 为同一削减下的 Ghosh 指标，通常更低（技术不固定），并非上限"))
    choke = _chokepoints(tb, S, GS, LS, xS)
    strengths = _strengths(tb, S)
    provincial = "chain_inflow" in links
    imp_total = float(links["chain_imported"].sum())
    summary = {"final_demand": float(f.sum()), "track_output": float(xS),
               "induced_output": float(xf.sum()),
               "chain_intermediate_inputs": float(links["chain_total"].sum()),
               "chain_imported_inputs": imp_total,
               "import_content": imp_total / float(f.sum()),
               "import_share": imp_total / float(links["chain_total"].sum()),
               "economy_import_content": _economy_import_content(table)}
    # a province: the weak links are inputs bought outside it (abroad or other provinces); the
    # columns say which of it comes from abroad
    short_by = "outside_share" if provincial else "import_share"
    attract_by = ("chain_outside", "outside_share") if provincial else ("chain_imported",
                                                                        "import_share")
    if provincial:
        in_total = float(links["chain_inflow"].sum())
        summary.update(chain_inflow_inputs=in_total,
                       inflow_content=in_total / float(f.sum()),
                       inflow_share=in_total / float(links["chain_total"].sum()),
                       outside_share=(imp_total + in_total) / float(links["chain_total"].sum()))
        notes.append(Note("provincial local view: 短板清单 and 招商清单 rank inputs bought outside "
                          "the province (imports from abroad + inflows from other provinces, "
                          "shown apart); 风险清单 cuts imports from abroad only",
                          "省级本地视角：短板清单和招商清单按省外购入的投入排序（境外进口 + 外省调入，"
                          "分别列示）；风险清单只削减境外进口"))
    mat = links[links["requirement_share"] >= material]
    short = mat[mat[short_by] >= min_import_share].sort_values(
        short_by, ascending=False).head(top)
    rank_by = "ghosh_stop_risk" if mrio else "cut_loss"
    risk = links[links[rank_by] > 0].sort_values(
        [rank_by, "ghosh_stop_risk"], ascending=False).head(top)
    excl = _exclusions()
    cannot = links["name_zh"].map(lambda z: str(z).strip() in excl)
    cand = links[links[attract_by[1]] >= attract_share].sort_values(
        attract_by[0], ascending=False)
    attr = cand[~cannot.loc[cand.index]].head(top)
    gone = cand[cannot.loc[cand.index]]
    excluded = gone[["name_zh", "name_en", "chain_imported", "import_share"]].copy()
    excluded["category"] = [excl[str(z).strip()][0] for z in gone["name_zh"]]
    excluded["reason_zh"] = [excl[str(z).strip()][1] for z in gone["name_zh"]]
    excluded["reason_en"] = [excl[str(z).strip()][2] for z in gone["name_zh"]]
    if len(excluded):
        notes.append(Note("招商清单 leaves out products that cannot be attracted: "
                          + "; ".join(f"{c} {r.name_en} ({r.category})"
                                      for c, r in excluded.iterrows())
                          + " (lianpu/data/attraction_exclusions.csv)",
                          "招商清单不含无法招商的产品："
                          + "；".join(f"{c} {r.name_zh}（{r.category}）"
                                     for c, r in excluded.iterrows())
                          + "（lianpu/data/attraction_exclusions.csv）"))
    cols = {"shortboard": ["import_share", "requirement_share", "chain_imported",
                           "supply_chokepoint"],
            "risk": ["cut_loss", "ghosh_cut_loss", "ghosh_stop_risk", "import_share",
                     "requirement_share"],
            "attraction": ["chain_imported", "import_share", "requirement_share",
                           "imported_per_unit"]}
    if mrio:
        cols["risk"] += ["top_origin", "top_origin_share", "hhi", "single_origin_risk"]
    if provincial:
        cols["shortboard"] = ["outside_share", "import_share", "inflow_share",
                              "requirement_share", "chain_imported", "chain_inflow",
                              "supply_chokepoint"]
        cols["attraction"] = ["chain_outside", "chain_imported", "chain_inflow",
                              "outside_share", "import_share", "inflow_share",
                              "requirement_share", "imported_per_unit"]
    lists = {k: _ranked(df, ["name_zh", "name_en"] + cols[k])
             for k, df in (("shortboard", short), ("risk", risk), ("attraction", attr))}
    return WeakLinks(tb.name, tb.year, tb.unit, sel.track.id if sel.track else None,
                     sel.label_zh, sel.label_en, sel.classification, sel.note, basis, region,
                     links.sort_values("chain_total", ascending=False), readonly(choke),
                     readonly(strengths), lists["shortboard"], lists["risk"],
                     lists["attraction"], MappingProxyType(summary), sel.note_zh,
                     readonly(excluded), tuple(notes))


def _cut_losses(tb, S, links, top, share, critical) -> np.ndarray:
    """cut_loss of the candidate inputs (NaN for the others): the track's output lost, as a
    share of its output, when the input's imports are cut by ``share`` (disruption LP)."""
    from ..scenarios.disruption import import_cut
    out = pd.Series(np.nan, index=links.index)
    used = links[links["chain_imported"] > 0]
    cand = list(dict.fromkeys(list(used.sort_values("ghosh_stop_risk", ascending=False)
                                   .index[:top]) +
                              list(used.sort_values("chain_imported", ascending=False)
                                   .index[:top])))
    xS = tb.x_[S].sum()
    for code in cand:
        r = import_cut(tb, {code: share}, critical=critical)
        out[code] = float(r.columns["output_loss"][S].sum() / xS)
    return out.reindex(links.index).to_numpy()


@lru_cache(maxsize=1)
def _exclusions() -> dict:
    """Chinese sector name → (category, reason_zh, reason_en) of products that cannot be
    attracted by investment (shipped data: lianpu/data/attraction_exclusions.csv)."""
    path = resources.files("lianpu.data").joinpath("attraction_exclusions.csv")
    with path.open(encoding="utf-8") as fh:
        return {r["name_zh"].strip(): (r["category"], r["reason_zh"], r["reason_en"])
                for r in csv.DictReader(fh)}


def _ranked(df, cols):
    out = df[[c for c in cols if c in df.columns]].copy()
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def _links_single(tb, S, xf, GS) -> pd.DataFrame:
    """Links of a single-region table. On a province's local view (inflows from other provinces
    in ``Zr``) the two leakages are kept apart: ``chain_imported`` / ``import_share`` are
    imports from abroad, ``chain_inflow`` / ``inflow_share`` purchases from other provinces,
    ``outside_share`` both together; ``chain_domestic`` is then local supply."""
    A, Am, Z, Zm = tb.A_, imported_coefficients(tb), tb.Z_, tb.Zm_
    Zr = getattr(tb, "Zr_", None)
    dom, imp = A @ xf, Am @ xf
    inflow = coef.calc_A(Zr, tb.x_) @ xf if Zr is not None else np.zeros_like(dom)
    df = name_columns(tb)
    df["chain_domestic"], df["chain_imported"] = dom, imp
    df["chain_total"] = dom + imp + inflow
    df["import_share"] = _share(imp, df["chain_total"])
    df["requirement_share"] = df["chain_total"] / df["chain_total"].sum()
    df["direct_domestic"] = Z[:, S].sum(axis=1)
    df["direct_imported"] = Zm[:, S].sum(axis=1)
    direct_in = Zr[:, S].sum(axis=1) if Zr is not None else 0.0
    df["direct_import_share"] = _share(df["direct_imported"], df["direct_domestic"]
                                       + df["direct_imported"] + direct_in)
    if Zr is not None:
        df["chain_inflow"] = inflow
        df["chain_outside"] = imp + inflow
        df["inflow_share"] = _share(inflow, df["chain_total"])
        df["outside_share"] = _share(imp + inflow, df["chain_total"])
        df["abroad_of_outside"] = _share(imp, imp + inflow)
        df["direct_inflow"] = direct_in
    df["import_stop_loss"] = (Zm @ GS).sum(axis=1)
    df["supply_chokepoint"] = _supply_loss(tb, S, GS) / tb.x_[S].sum()
    return df


ABROAD = "ROW"   # origin label of imports from outside the table (an IM column of an MRIO)


def _links_mrio(tb, S, xf, GS, region) -> pd.DataFrame:
    """Links of a multi-regional table by product code: the purchases of the region's
    producers along the chain, by origin region — plus 'ROW' (abroad) when the table also has
    imports from outside it (CEADs-type provincial MRIO; then tb is its domestic view)."""
    reg = region_of(tb)
    codes = np.asarray(tb.index.get_level_values(-1).astype(str))
    R = np.flatnonzero(reg == region)
    use = (tb.A_[:, R] * xf[R][None, :]).sum(axis=1)       # by (origin region, product)
    direct = tb.Z_[:, S].sum(axis=1)
    foreign = reg != region
    loss_row = np.where(foreign, (tb.Z_[:, R] @ GS[R]).sum(axis=1), 0.0)
    if tb.Zm_ is not None:                                  # imports from abroad, by product
        Am = imported_coefficients(tb)
        use_ab = (Am[:, R] * xf[R][None, :]).sum(axis=1)
        direct_ab = tb.Zm_[:, S].sum(axis=1)
        loss_ab = (tb.Zm_[:, R] @ GS[R]).sum(axis=1)
    else:
        use_ab = direct_ab = loss_ab = np.zeros(tb.n)
    own = {c: i for i, c in enumerate(tb.index) if c[0] == region}
    supply = _supply_loss(tb, S, GS) / tb.x_[S].sum()
    names = name_columns(tb)
    rows = []
    for c in dict.fromkeys(codes):
        m = codes == c
        fu = np.append(use[m & foreign], use_ab[m].sum())      # outside origins, abroad last
        origins = np.append(reg[m & foreign], ABROAD)
        losses = np.append(loss_row[m & foreign], loss_ab[m].sum())
        i_own = own[(region, c)]
        tot = use[i_own] + fu.sum()
        k = int(np.argmax(fu))
        shares = np.append(fu, use[i_own]) / tot if tot > 0 else np.full(len(fu) + 1, np.nan)
        rows.append({
            "code": c, "name_zh": names["name_zh"].iloc[i_own].split("·")[-1],
            "name_en": names["name_en"].iloc[i_own].split(": ", 1)[-1],
            "chain_domestic": float(use[i_own]), "chain_imported": float(fu.sum()),
            "chain_total": float(tot), "import_share": fu.sum() / tot if tot > 0 else np.nan,
            "chain_abroad": float(fu[-1]),
            "direct_domestic": float(direct[i_own]),
            "direct_imported": float(direct[m & foreign].sum() + direct_ab[m].sum()),
            "top_origin": str(origins[k]) if tot > 0 else "",
            "top_origin_share": float(shares[k]),
            "hhi": float((shares ** 2).sum()),
            "import_stop_loss": float(losses.sum()),
            "single_origin_risk": float(losses.max() / tb.x_[S].sum()),
            "supply_chokepoint": float(supply[i_own])})
    df = pd.DataFrame(rows).set_index("code")
    df["requirement_share"] = df["chain_total"] / df["chain_total"].sum()
    df["direct_import_share"] = _share(df["direct_imported"],
                                       df["direct_domestic"] + df["direct_imported"])
    return df


def _supply_loss(tb, S, GS) -> np.ndarray:
    """Σ_{j∈S} x_k (g_kj − δ_kj) / g_kk for every k: Ghosh forward extraction of k."""
    g = diag_G(tb)
    own = np.zeros(tb.n)
    own[S] = 1.0
    return tb.x_ * (GS.sum(axis=1) - own) / g


def _chokepoints(tb, S, GS, LS, xS) -> pd.DataFrame:
    l_diag = diag_L(tb)
    df = name_columns(tb)
    df["in_track"] = False
    df.iloc[S, df.columns.get_loc("in_track")] = True
    df["supply_loss_share"] = _supply_loss(tb, S, GS) / xS
    mask = np.ones((len(S), tb.n))
    mask[np.arange(len(S)), S] = 0.0                          # own output excluded
    df["market_loss_share"] = (LS * mask).sum(axis=0) * tb.x_ / l_diag / xS
    df["output"] = tb.x_
    return df[~df["in_track"]].sort_values("supply_loss_share", ascending=False)


def _strengths(tb, S) -> pd.DataFrame:
    lk = cached(tb, ("linkages",), lambda: linkages(tb))
    df = name_columns(tb, S)
    for c in ("power_of_dispersion", "sensitivity", "type_zh", "type_en", "backward_total"):
        df[c] = lk[c].iloc[S].to_numpy()
    df = df.rename(columns={"backward_total": "output_multiplier"})
    v = tb.value_added_ / np.where(tb.x_ > 0, tb.x_, 1.0)
    df["va_multiplier"] = leo.left_solve(tb.factor, v)[S]
    if tb.is_multiregional:
        reg = region_of(tb)
        sales_out = np.array([tb.Z_[i, reg != reg[i]].sum() for i in S])
        fd = final_demand_items(tb)["domestic"]["exports"][S]
        df["export_share"] = (sales_out + fd) / tb.x_[S]
    else:
        df["export_share"] = final_demand_items(tb)["domestic"]["exports"][S] / tb.x_[S]
        df["import_content"] = import_content(tb).iloc[S].to_numpy()
    df["output"] = tb.x_[S]
    return df


def _economy_import_content(table):
    try:
        return import_content(table).attrs["average"]
    except TableError:
        return None

