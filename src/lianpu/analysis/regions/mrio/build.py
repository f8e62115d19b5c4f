"""A Chinese multi-regional IO table 中国省级多区域投入产出表 (31 provinces × 42 sectors, 2012
and 2017) built from the provincial tables, and regional aggregation of it.

Method (docs/china_mrio.md) — the one of the published Chinese MRIOs (Liu et al. 2012, 2018;
Mi et al. 2017, 2018; Zheng et al. 2020): interprovincial trade of each product is estimated
from each province's outflows (OF) and inflows (IF) of it with a doubly-constrained gravity
model (:mod:`lianpu.core.gravity`), and each buyer's purchases from other provinces are split
by origin in the same shares for every use (Chenery–Moses). Step by step, for each product i:

1. **Local view** of every province (:meth:`IOTable.local`): imports from abroad (Zm/Ym) and
   inflows (Zr/Yr) removed from every use in proportion; the outflow column OF splits into own
   production o (Yl[:, OF]), re-sent inflows q (Yr[:, OF]) and re-sent imports w (Ym[:, OF])
   — transit trade, large in 2017 (重庆: OF 77,283 亿元 against gross output 55,915).
2. **Transit netted**: a re-sent inflow is the same good counted twice (r → s → t); it is taken
   out of both the outflow and the inflow of the province it passes through. Each province then
   sends S = o + w (own production and imports passed on) and receives U = Zr·1 + Yr·1 over its
   own uses and exports (inflows it uses).
3. **Reconciled**: national ΣS and ΣU differ product by product (they should be equal);
   ``reconcile="mean"`` (default) scales both to their mean, ``"outflows"`` / ``"inflows"`` keep
   one side (:func:`lianpu.core.gravity.reconcile`); a buyer takes in at most what its uses can
   absorb. What remains unplaced — a producer whose sales to others were scaled, a buyer whose
   purchases from its own producers changed — is the **reconciliation residual**, put in the
   discrepancy vector (with the tables' own ERR) so that every row balances and x, V and every
   province's uses by product stay exactly as published.
4. **Gravity**: T = RAS of S U' ⊙ d^(−β) with a zero diagonal (β = ``decay``, default 1.0;
   distances between provincial capitals, ``data/province_capitals.csv``).
5. **Chenery–Moses**: buyer t's inflow uses (scaled to U') are split by origin r in shares
   T_rt (o_r / S_r) / U'_t; the imported part of senders' shipments (w_r / S_r) becomes t's
   imports from abroad.

The result is a non-competitive MRIO: index (province ISO code, sector) like the CEADs MRIO
(:mod:`lianpu.readers.ceads_mrio`), Z with every province's purchases from every province,
Zm/Ym = imports from abroad at the using province's rows (block diagonal), final use
(province, FU101…FU202) and exports abroad ("ROW", "EX"). Built tables are cached in the data
cache (native Parquet, name with the year and a hash of the parameters).

Layout of this package: :mod:`.inputs` (parameters, provincial tables, distances),
:mod:`.groups` (region groupings and aggregation), :mod:`.common` (the supply view and what
the questions share), this module (assembly, build and cache, validation results) and the
questions (:mod:`.questions`, one module per question). The public names of the inputs and
the groupings stay importable from here.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ....core import gravity as grav
from ....core.errors import TableError, message
from ....core.notes import Note
from ..._result import Result, dumps
from ..spillover import records
from .common import supply_view
from .groups import aggregate_regions, region_code, region_groups  # noqa: F401
from .inputs import (DECAY_GRID, DEFAULT_DECAY, DEFAULT_RECONCILE, FINAL,  # noqa: F401
                     FOREIGN, METHOD_VERSION, UNIT, YEARS, _check_params, _check_year,
                     _inflow_cap, _split, cache_path, distances, params_hash,
                     params_key, province_capitals, provincial_tables, trade_gap)


# ---------------------------------------------------------------------------- assembly
def assemble(tables: dict, *, decay: float = DEFAULT_DECAY,
             reconcile: str = DEFAULT_RECONCILE, year: int | None = None):
    """(MRIO IOTable, diagnostics dict) from {ISO code: provincial table} (module docstring)."""
    from ....table import IOTable, _label_frame
    decay, reconcile = _check_params(decay, reconcile)
    caps = province_capitals()
    regs = [r for r in caps.index if r in tables]
    if len(regs) != len(tables):
        raise TableError(message("china_mrio", "unknown province codes",
                                 found=sorted(set(tables) - set(regs)), expected=list(caps.index)))
    R = len(regs)
    t0 = tables[regs[0]]
    n = t0.n
    codes = [str(c) for c in t0.index]
    for r in regs:
        if [str(c) for c in tables[r].index] != codes:
            raise TableError(message(tables[r].name, "sector codes differ from the first "
                                     "province's", expected=f"{codes[:3]}…"))
    P = [_split(tables[r]) for r in regs]
    d = grav.great_circle_km(caps.loc[regs, "lat"], caps.loc[regs, "lon"])
    f = grav.distance_decay(d, decay)
    S = np.stack([p.o + p.w for p in P])                             # (R, n) sent
    U = np.stack([p.Zr.sum(axis=1) + p.Yr.sum(axis=1) for p in P])   # (R, n) received and used
    cap = np.stack([_inflow_cap(p) for p in P])
    W0 = np.stack([p.w for p in P])                                  # imports passed on
    S2, U2 = grav.reconcile(S, U, reconcile, cap, fixed=W0)
    T = grav.trade_matrices(S2, U2, f)                               # (n, R, R)
    # the imports passed on keep their amount (national imports stay as published): the
    # domestic share of a sender's shipments is 1 − w / S'
    dom = 1.0 - np.minimum(np.divide(W0, S2, out=np.zeros_like(S2), where=S2 > 0), 1.0)
    g = np.divide(U2, U, out=np.zeros_like(U), where=U > 0)          # inflow scale (R, n)
    # shares by origin of each buyer's inflows: W[i, r, t] domestic, wf[t, i] from abroad
    den = np.where(U2 > 0, U2, 1.0).T                                 # (n, R)
    W = T * dom.T[:, :, None] / den[:, None, :]
    wf = (T * (1 - dom.T)[:, :, None]).sum(axis=1) / den              # (n, R)
    N = R * n
    k = len(FINAL)
    K = R * k + 1
    Z = np.zeros((N, N))
    Zm = np.zeros((N, N))
    Y = np.zeros((N, K))
    Ym = np.zeros((N, K))
    V = np.zeros((P[0].V.shape[0], N))
    x = np.zeros(N)
    err = np.zeros(N)
    for b, p in enumerate(P):
        sl = slice(b * n, (b + 1) * n)
        gb = g[b][:, None]
        Zr, Yr = gb * p.Zr, gb * p.Yr                     # inflows used, reconciled
        # local purchases absorb the change (the cap keeps them ≥ 0 up to rounding)
        Zl = np.clip(p.Zl + p.Zr - Zr, 0.0, None)
        Yl = p.Yl + p.Yr - Yr
        Yl = np.where((p.Yl >= 0) & (Yl < 0), 0.0, Yl)
        Z[sl, sl] = Zl
        fcols = list(range(b * k, (b + 1) * k))
        Y[sl, fcols] = Yl[:, :k]
        Y[sl, K - 1] += Yl[:, k]
        for a in range(R):
            if a == b:
                continue
            sa = slice(a * n, (a + 1) * n)
            sh = W[:, a, b][:, None]
            Z[sa, sl] = sh * Zr
            Y[sa, fcols] = sh * Yr[:, :k]
            Y[sa, K - 1] += sh[:, 0] * Yr[:, k]
        fo = wf[:, b][:, None]
        Zm[sl, sl] = p.Zm + fo * Zr
        Ym[sl, fcols] = p.Ym[:, :k] + fo * Yr[:, :k]
        Ym[sl, K - 1] = p.Ym[:, k] + fo[:, 0] * Yr[:, k]
        V[:, sl] = p.V
        x[sl] = p.x
        err[sl] = p.err
    resid = x - Z.sum(axis=1) - Y.sum(axis=1) - err
    pl = province_capitals()
    from ....data.registry import provinces as _provs
    en_of = {p.iso: p.name_en for p in _provs()}
    idx = pd.MultiIndex.from_product([regs, codes], names=["region", "sector"])
    szh = list(t0.sectors["name_zh"])
    sen = list(t0.sectors["name_en"])
    zh = [f"{pl.loc[r, 'province_zh']}·{s}" for r in regs for s in szh]
    en = [f"{en_of[r]}: {s}" for r in regs for s in sen]
    fnames = {"FU101": ("农村居民消费", "Rural household consumption"),
              "FU102": ("城镇居民消费", "Urban household consumption"),
              "FU103": ("政府消费", "Government consumption"),
              "FU201": ("固定资本形成总额", "Gross fixed capital formation"),
              "FU202": ("存货变动", "Changes in inventories")}
    fd = [(r, c) for r in regs for c in FINAL] + [(FOREIGN, "EX")]
    fzh = [f"{pl.loc[r, 'province_zh']}·{fnames[c][0]}" for r, c in fd[:-1]] + ["国外·出口"]
    fen = [f"{en_of[r]}: {fnames[c][1]}" for r, c in fd[:-1]] + ["Rest of the world: Exports"]
    froles = [("household" if c in ("FU101", "FU102") else "government" if c == "FU103"
               else "investment" if c == "FU201" else "inventory") for _, c in fd[:-1]] + ["export"]
    fdl = _label_frame(pd.MultiIndex.from_tuples(fd, names=["region", "category"]), fzh, fen,
                       role=froles)
    prim = t0.primary_labels
    year = year or t0.year
    gap = trade_gap(tables)
    tot = gap[["outflows", "inflows"]].sum()
    pkey = params_key(decay, reconcile)
    params = json.dumps(pkey, ensure_ascii=False, sort_keys=True)
    out_yi, in_yi = f"{tot['outflows'] / 1e4:,.0f}", f"{tot['inflows'] / 1e4:,.0f}"
    gap_pct = f"{100 * (tot['outflows'] - tot['inflows']) / tot.mean():+.1f}"
    resid_yi = f"{resid.sum() / 1e4:,.0f}"
    notes = (
        Note(f"china_mrio parameters: {params}", f"china_mrio 参数：{params}"),
        Note(f"interprovincial trade by a doubly-constrained gravity model, distance decay "
             f"beta = {decay:g} (great-circle distances between provincial capitals), "
             f"RAS-balanced to each province's outflows and inflows by product; Chenery-Moses "
             f"allocation to users",
             f"省际贸易由双约束引力模型估计，距离衰减系数 beta = {decay:g}（省会城市间的大圆距离），"
             f"按产品以 RAS 法平衡到各省的调出与调入；按 Chenery-Moses 方法分配给各使用者"),
        Note(f"national outflows {out_yi} vs inflows {in_yi} 亿元 ({gap_pct} % of their mean); "
             f"reconciled by '{reconcile}'; the residual ({resid_yi} 亿元) is in the "
             f"discrepancy vector with the provincial tables' ERR",
             f"全国调出合计 {out_yi} 亿元，调入合计 {in_yi} 亿元（差额为两者均值的 {gap_pct} %）；"
             f"按 '{reconcile}' 协调；残差（{resid_yi} 亿元）与各省表的 ERR 一起计入误差项"),
        Note("transit trade (re-sent inflows) netted out of outflows and inflows of the province "
             "it passes through; imports passed on to other provinces are imports of the using "
             "province",
             "过境贸易（再调出的调入）从所经省份的调出和调入中扣除；转调至其他省份的进口计为使用省份"
             "的进口"),
        Note("imports from abroad: Zm/Ym at the using province's rows (block diagonal); exports "
             "abroad: column ('ROW', 'EX')",
             "境外进口：Zm/Ym 位于使用省份的行（分块对角）；出口至境外：列 ('ROW', 'EX')"),
    )
    table = IOTable(
        Z, Y, V, x, sectors=_label_frame(idx, zh, en), final_demand_labels=fdl,
        primary_labels=prim.copy(), value_added_rows=tuple(t0.value_added_rows),
        compensation_row=t0.compensation_row,
        household_columns=tuple((r, c) for r in regs for c in ("FU101", "FU102")),
        Zm_=Zm, Ym_=Ym, discrepancy_=err + resid, unit=t0.unit, year=year,
        allow_negative_flows=any(tables[r].allow_negative_flows for r in regs),
        source=(f"lianpu China MRIO {year}: built from the 31 provincial IO tables {year} "
                "(CHNIO copy of the provincial statistics bureaus' tables) by gravity-model "
                "trade estimation (lianpu.analysis.regions.mrio.build)"),
        name=f"cn-mrio-{year}" if (decay, reconcile) == (DEFAULT_DECAY, DEFAULT_RECONCILE)
        else f"cn-mrio-{year}-b{decay:g}-{reconcile}",
        notes=notes)
    # sectors left with (almost) no output that still sell (reconciliation artefacts, e.g.
    # Shanghai crude oil, Tibet electronics): their sales become the buyers' purchases from
    # outside the system, so that B = x̂⁻¹Z (Ghosh, supply-side measures) exists
    z_before = float(table.Z_.sum())
    table, _ = supply_view(table)
    moved = z_before - float(table.Z_.sum())
    Sp = S2 / np.where(S > 0, S, 1.0)
    diag = {"year": year, "params": pkey, "hash": params_hash(year, decay, reconcile),
            "gap": gap, "residual": pd.DataFrame(resid.reshape(R, n), index=regs, columns=codes),
            "err": pd.DataFrame(err.reshape(R, n), index=regs, columns=codes),
            "outflow_scale": pd.DataFrame(Sp.T, index=codes, columns=regs),
            "inflow_scale": pd.DataFrame(g.T, index=codes, columns=regs),
            "trade": T, "regions": regs, "products": codes,
            "sent": S, "received": U, "sent_reconciled": S2, "received_reconciled": U2,
            "moved_to_imports": moved}
    return table, diag


# ---------------------------------------------------------------------------- build and cache
def build_china_mrio(year: int, *, decay: float = DEFAULT_DECAY,
                     reconcile: str = DEFAULT_RECONCILE, data_dir=None, cache: bool = True,
                     rebuild: bool = False, name: str | None = None):
    """The China MRIO of ``year`` (2012 or 2017), 31 provinces × 42 sectors.

    Parameters
    ----------
    decay : distance-decay exponent β of the gravity model, f(d) = d^(−β) (default 1.0).
    reconcile : how national outflows and inflows are made to agree by product: "mean"
        (default), "outflows" (inflows scaled to outflows) or "inflows".
    data_dir : the data cache holding the provincial tables (``cn-prov-{year}-…``); the built
        table is cached there too (``cn/mrio/cn_mrio_{year}_{hash}.parquet``, hash of the
        parameters; a second call reads it). ``cache=False`` neither reads nor writes it;
        ``rebuild=True`` builds again and overwrites it.
    """
    year = _check_year(year)
    decay, reconcile = _check_params(decay, reconcile)
    path = cache_path(year, decay, reconcile, data_dir)
    if cache and not rebuild and path.is_file():
        from ....readers.native import load
        return load(path, name=name)
    t0 = time.perf_counter()
    table, diag = assemble(provincial_tables(year, data_dir), decay=decay, reconcile=reconcile,
                           year=year)
    if cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        table.save(path)
        report = _diag_json(diag, time.perf_counter() - t0)
        from ....atomic import atomic_path
        with atomic_path(path.with_suffix(".json")) as tmp:
            Path(tmp).write_text(dumps(report, indent=None), encoding="utf-8")
    return table if name is None else table.evolve(name=name)


def _diag_json(diag: dict, seconds: float) -> dict:
    gap = diag["gap"]
    res = diag["residual"]
    return {"year": diag["year"], "params": diag["params"], "hash": diag["hash"],
            "build_seconds": round(seconds, 3),
            "gap": records(gap),
            "residual_by_region": {r: float(v) for r, v in res.sum(axis=1).items()},
            "residual_by_product": {c: float(v) for c, v in res.sum(axis=0).items()}}


# ---------------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class TradeGap(Result):
    """The outflow/inflow gap of one year's provincial tables (:func:`trade_gap_report`).

    ``by_product``: outflows, inflows, gap, gap_pct (of their mean), transit (re-sent inflows),
    sent/received net of transit; ``totals``: the same summed; ``worst``: the products with the
    largest |gap|."""

    year: int
    reconcile: str
    by_product: pd.DataFrame
    totals: dict
    unit: str = UNIT
    basis: str = "provincial tables as published (OF, IF columns), national sums by product"
    notes: tuple = ()

    def to_frame(self) -> pd.DataFrame:
        return self.by_product.copy()

    def worst(self, k: int = 5) -> pd.DataFrame:
        return self.by_product.reindex(self.by_product["gap"].abs().sort_values(
            ascending=False).index[:k])

    def to_dict(self) -> dict:
        return {"year": self.year, "reconcile": self.reconcile, "unit": self.unit,
                "basis": self.basis, "totals": self.totals,
                "worst": records(self.worst()),
                "by_product": records(self.by_product), "notes": list(self.notes)}


def trade_gap_report(year: int, data_dir=None, *, reconcile: str = DEFAULT_RECONCILE,
                     tables: dict | None = None) -> TradeGap:
    """How far the national sums of provincial outflows and inflows disagree, by product."""
    year = _check_year(year)
    tables = tables if tables is not None else provincial_tables(year, data_dir)
    df = trade_gap(tables)
    s = df[["outflows", "inflows", "transit", "sent", "received"]].sum()
    mean = 0.5 * (s["outflows"] + s["inflows"])
    totals = {k: float(v) for k, v in s.items()}
    totals.update(gap=float(s["outflows"] - s["inflows"]),
                  gap_pct=float(100 * (s["outflows"] - s["inflows"]) / mean),
                  abs_gap_pct=float(100 * df["gap"].abs().sum() / mean))
    notes = (Note("gap_pct is the gap over the mean of the two national totals; abs_gap_pct "
                  "sums |gap| over products (what reconciliation moves)",
                  "gap_pct 为差额占两个全国合计均值的百分比；abs_gap_pct 为各产品 |gap| 之和"
                  "（协调所调整的量）"),
             Note(f"reconciled by '{reconcile}' in the MRIO (lianpu.core.gravity.reconcile)",
                  f"MRIO 中按 '{reconcile}' 协调（lianpu.core.gravity.reconcile）"))
    return TradeGap(year, reconcile, df, totals, notes=notes)


# ---------------------------------------------------------------------------- CO2 satellite
def co2_satellite(table, data_dir=None, *, tables: dict | None = None):
    """A new MRIO with satellite ``co2`` (Mt CO2): each province block from that province's
    CEADs inventory of the table's year, mapped with :func:`lianpu.analysis.carbon.footprint.co2_satellite`
    exactly as for the provincial table; households' direct emissions on their FU101/FU102
    columns. 西藏 (XZ) has no CEADs inventory: its block is 0 and ``missing`` in the notes.

    Returns (table, missing regions)."""
    from ...carbon.footprint import co2_satellite as prov_co2
    from ....table import Satellite
    year = table.year
    tables = tables if tables is not None else provincial_tables(year, data_dir)
    values = np.zeros(table.n)
    fdv = np.zeros(len(table.final_demand_labels))
    lev = np.asarray(table.index.get_level_values(0))
    fdidx = list(table.final_demand_labels.index)
    missing = []
    for r in table.regions:
        pt = tables[r]
        if r == "XZ":  # CEADs publishes no inventory for Tibet
            missing.append(r)
            continue
        s = prov_co2(pt, data_dir=data_dir).satellites["co2"]
        values[lev == r] = s.values
        if s.final_demand is not None:
            pfd = list(pt.final_demand_labels.index)
            for c in ("FU101", "FU102"):
                if c in pfd and (r, c) in fdidx:
                    fdv[fdidx.index((r, c))] = s.final_demand[pfd.index(c)]
    sats = dict(table.satellites)
    sats["co2"] = Satellite("co2", values, "Mt CO2", "二氧化碳排放", "CO2 emissions", fdv)
    note = Note(f"co2: CEADs provincial inventories {year} (scope 1, IPCC sectoral; Shan et al. "
                "2018, 2020) put on each province block with ceads47_to_nbs42.csv"
                + (f"; no inventory for {', '.join(missing)} (西藏): 0 there, CO2 results leave "
                   "it out" if missing else ""),
                f"co2：CEADs 省级排放清单 {year} 年（范围 1，IPCC 部门法；Shan et al. 2018, 2020）"
                "按 ceads47_to_nbs42.csv 放到各省分块"
                + (f"；{'、'.join(missing)}（西藏）无排放清单：该处为 0，CO2 结果不含该省"
                   if missing else ""))
    return table.evolve(satellites=sats, notes=tuple(table.notes) + (note,)), tuple(missing)


# ---------------------------------------------------------------------------- validation
@dataclass(frozen=True, eq=False)
class NationalGap(Result):
    """The MRIO summed over provinces against the national table of the same year: gross
    output, value added, exports and imports by sector (``by_sector``, when the two share the
    sector codes) and in total (``totals``: ratio = provinces / national)."""

    table: str
    national: str
    year: int | None
    unit: str
    totals: dict
    by_sector: pd.DataFrame | None
    notes: tuple = ()
    basis: str = "sums of the provincial tables as published (the MRIO keeps them exactly)"

    def to_frame(self) -> pd.DataFrame:
        return (self.by_sector if self.by_sector is not None else pd.DataFrame()).copy()

    def to_dict(self) -> dict:
        return {"table": self.table, "national": self.national, "year": self.year,
                "unit": self.unit, "basis": self.basis, "totals": self.totals,
                "by_sector": None if self.by_sector is None else records(self.by_sector),
                "notes": list(self.notes)}


def national_gap(mrio, national, *, provincial=None) -> NationalGap:
    """Compare the MRIO aggregated over provinces with a national table (same unit). When
    the sector codes differ (2012: the national table has 139 sectors), give ``provincial``
    (one provincial table of the MRIO's year) to compare by the common sector groups of the
    shipped concordance (:func:`lianpu.satellites.co2.concordance.common_groups_pair`)."""
    codes = np.asarray([str(c[-1]) for c in mrio.index])
    prods = list(dict.fromkeys(codes))
    by = lambda v: pd.Series(v).groupby(codes).sum().reindex(prods)  # noqa: E731
    ex_cols = [j for j, r in enumerate(mrio.fd_roles) if r == "export"]
    m_imp = mrio.imports_total_
    prov = pd.DataFrame({"x": by(mrio.x_), "value_added": by(mrio.value_added_),
                         "exports": by(mrio.Y_[:, ex_cols].sum(axis=1)),
                         "imports": by(m_imp)})
    nex = national.Y_[:, national.fd_positions("export")].sum(axis=1)
    nat = pd.DataFrame({"x": national.x_, "value_added": national.value_added_,
                        "exports": nex, "imports": national.imports_total_},
                       index=[str(c) for c in national.index])
    totals = {}
    for c in prov.columns:
        a, b = float(prov[c].sum()), float(nat[c].sum())
        totals[c] = {"provinces": a, "national": b, "ratio": a / b if b else None}
    df = None
    notes = [Note("provincial tables do not sum to the national table (each province's own "
                  "estimates; the national table is balanced separately)",
                  "各省表之和不等于全国表（各省自行估算；全国表单独平衡）")]
    if list(nat.index) == prods:
        df = pd.DataFrame({"name_zh": [str(n) for n in national.sectors["name_zh"]]}, index=prods)
        for c in prov.columns:
            df[f"{c}_provinces"] = prov[c].to_numpy()
            df[f"{c}_national"] = nat[c].to_numpy()
            df[f"{c}_ratio"] = df[f"{c}_provinces"] / df[f"{c}_national"].where(df[f"{c}_national"] != 0)
        df.index.name = "sector"
    elif provincial is not None:
        from ....satellites.co2.concordance import common_groups_pair
        (ga, lab), (gb, _) = common_groups_pair(provincial, national)
        pcode = [str(c) for c in provincial.index]
        gp = np.asarray([ga[pcode.index(c)] for c in prods])
        keys = list(lab.index)
        df = pd.DataFrame({"name_zh": lab["name_zh"].to_numpy()}, index=keys)
        for c in prov.columns:
            df[f"{c}_provinces"] = pd.Series(prov[c].to_numpy()).groupby(gp).sum().reindex(
                range(len(keys)), fill_value=0.0).to_numpy()
            df[f"{c}_national"] = pd.Series(nat[c].to_numpy()).groupby(gb).sum().reindex(
                range(len(keys)), fill_value=0.0).to_numpy()
            df[f"{c}_ratio"] = df[f"{c}_provinces"] / df[f"{c}_national"].where(df[f"{c}_national"] != 0)
        df.index.name = "sector_group"
        notes.append(Note(f"sector codes differ ({national.n} national sectors): compared by "
                          f"the {len(keys)} common sector groups of the shipped concordance",
                          f"部门代码不同（全国表 {national.n} 个部门）：按随附对照表的 "
                          f"{len(keys)} 个共同部门组比较"))
    else:
        notes.append(Note(f"sector codes differ ({national.n} national sectors): totals only",
                          f"部门代码不同（全国表 {national.n} 个部门）：仅比较合计"))
    return NationalGap(mrio.name, national.name, mrio.year, mrio.unit, totals, df, tuple(notes))
