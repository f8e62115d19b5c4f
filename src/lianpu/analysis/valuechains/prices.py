"""The Leontief price model 投入产出价格模型: cost-push effects of wages, taxes, import prices and
a carbon price on sector prices, tracks and household living costs.

Miller & Blair (2009) §2.6: with prices indexed to 1 in the base year, the cost of a unit of
output of j is what it pays its domestic suppliers, its imported inputs and its primary
inputs, p_j = Σ_i p_i a_ij + Σ_k pm_k am_kj + v_j, hence p' = (pm'A_m + v')L with
L = (I − A_d)⁻¹ (the dual of x = L f: the value-added multipliers v'L are the base prices'
value-added content). A change in costs per unit of output Δc (a primary input, an import
price, a carbon charge) moves prices by

    Δp' = Δc' L,                   Δc_j = Δv_j + Σ_k Δpm_k · am_kj + τ · e_j

(full cost push: every sector passes every cost increase on). Pass-through choices:

- ``exempt`` sectors hold their prices (M&B §2.6.3, exogenous prices): Δp_E = 0 and, for the
  other sectors N, Δp_N' = Δc_N' (I − A_NN)⁻¹; the exempt sectors absorb their cost increase
  (``absorbed``);
- ``share`` θ ∈ (0, 1]: every sector passes on the share θ of any cost increase (its own and
  its suppliers'), Δp' = θ(Δp'A + Δc') → Δp' = θ Δc' (I − θA)⁻¹.

Units: the carbon charge per unit of output is τ [元/t] × e_j [t CO2 per 元 of output]; the
table's unit (万元) and the satellite's (Mt CO2) are converted (1 万元 = 10⁴ 元, 1 Mt = 10⁶ t).
Price changes are fractions of the base price (0.01 = 1 %). The cost of living of a household
basket is the basket-weighted mean price change of what it buys, domestic products at Δp and
imported ones at the import price change.

Competitive tables are analysed in their domestic view (:func:`lianpu.analysis.basis.resolve_basis`):
import proportionality puts imported inputs in A_m, so an import-price shock reaches users in
proportion to their use of the product.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...core import leontief as leo
from ...core import roles
from ...core.errors import ArgumentError, LianpuError, TableError, message
from ...core.notes import Note, zh as zh_of
from .._result import Result, as_series, code_str, frame_records, jsonable
from ..basis import resolve_basis

UNIT = "fraction of the base price (p = 1; 0.01 = 1 %)"
PASS_THROUGH = ("full", "exempt", "share")

#: household columns by NBS code → basket name (zh, en)
BASKETS = {"FU101": ("农村居民", "rural households"), "FU102": ("城镇居民", "urban households")}


def _yuan_per_unit(unit: str, name: str) -> float:
    """元 per unit of the table's money (万元 → 1e4)."""
    u = unit or ""
    if "万元" in u or "10,000 CNY" in u or "10000 CNY" in u:
        return 1e4
    if "亿元" in u or "100 million CNY" in u:
        return 1e8
    if "million CNY" in u or "百万元" in u:
        return 1e6
    if u.strip() in ("元", "CNY", "yuan"):
        return 1.0
    raise TableError(message(name, "a carbon price in 元/t needs a table valued in CNY",
                             argument="carbon_price", found=f"unit {unit!r}",
                             expected="万元 (10,000 CNY), 亿元 or 元"))


def _tonnes(unit: str, name: str) -> float:
    u = (unit or "").replace(" ", "").lower()
    if u.startswith("mt"):
        return 1e6
    if u.startswith("kt"):
        return 1e3
    if u.startswith("t"):
        return 1.0
    raise TableError(message(name, "unknown unit of the CO2 satellite", argument="carbon_price",
                             found=repr(unit), expected="Mt CO2, kt CO2 or t CO2"))


@dataclass(frozen=True, eq=False)
class PriceResult(Result):
    """Cost-push price changes. ``by_sector``: cost shock per unit of output (``direct``, and
    by cause ``direct_<cause>``), price change ``price_change`` (and ``from_<cause>``, which sum
    to it), ``absorbed`` (exempt sectors: cost increase they absorb, in the table's unit);
    ``by_track``: output-weighted mean price change of each track's sectors; ``households``:
    the cost-of-living change of each basket, with what the basket is. ``shocks`` and
    ``pass_through`` state what was assumed."""

    table: str
    unit: str
    basis: object
    shocks: dict
    pass_through: dict
    by_sector: pd.DataFrame
    by_track: pd.DataFrame
    households: pd.DataFrame
    notes: tuple = ()
    extra: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.by_sector.copy()

    def to_dict(self) -> dict:
        return {"table": self.table, "unit": self.unit, "basis": self.basis.to_dict(),
                "shocks": jsonable(self.shocks), "pass_through": jsonable(self.pass_through),
                "households": frame_records(self.households, "basket"),
                "by_track": frame_records(self.by_track, "track"),
                "by_sector": frame_records(self.by_sector), "notes": list(self.notes)}


def _codes(table) -> list[str]:
    return [code_str(c) for c in table.index]


def _positions(table, codes, argument) -> list[int]:
    own = {c: i for i, c in enumerate(_codes(table))}
    out = []
    for c in codes:
        c = str(c)
        if c not in own:
            raise ArgumentError(message(table.name, "unknown sector code", argument=argument,
                                        found=repr(c), expected=f"codes like {list(own)[:3]}"))
        out.append(own[c])
    return out


def _primary_rows(table, key, argument) -> list[int]:
    """Primary-input rows named by code or by role."""
    pr = list(table.primary_labels.index)
    if key in pr:
        return [pr.index(key)]
    if key == "value_added":
        return [pr.index(r) for r in table.value_added_rows]
    if key in roles.PRIMARY_ROLES:
        rows = table.primary_positions(key)
        if rows:
            return rows
    raise ArgumentError(message(table.name, "unknown primary input", argument=argument,
                                found=repr(key), expected=f"a row code {pr}, a role "
                                f"{sorted(roles.PRIMARY_ROLES)} or 'value_added'"))


def _emissions(table, data_dir, satellite):
    if satellite in table.satellites:
        return table, table.satellites[satellite], None
    if satellite != "co2":
        raise TableError(message(table.name, f"no satellite {satellite!r}", argument="satellite",
                                 expected=f"one of {list(table.satellites)} or 'co2'"))
    from ...satellites.co2.satellite import co2_satellite
    t2 = co2_satellite(table, data_dir=data_dir)
    return t2, t2.satellites["co2"], t2.notes[-1]


def cost_push(table, *, wage_rise: float = 0.0, tax_rise: float = 0.0, primary=None,
              import_price=None, carbon_price: float = 0.0, satellite: str = "co2",
              exempt=(), share: float = 1.0, tracks=True, data_dir=None,
              basis: str = "auto") -> PriceResult:
    """Price effects of cost increases by the Leontief price model (Miller & Blair 2009 §2.6).

    Parameters
    ----------
    table : IOTable (single-region; competitive tables use their domestic view)
    wage_rise : percent rise of compensation of employees per unit of output (role
        ``compensation``, NBS VA001): 10 = +10 %
    tax_rise : percent rise of net taxes on production (role ``production_taxes``, VA002)
    primary : {row code, role or "value_added": percent} — any primary input
    import_price : {product code: percent} — price of imported products (rows of Zm; for a
        competitive table, the imports split out by import proportionality)
    carbon_price : 元 per t CO2 on every sector's direct emissions (satellite ``satellite``;
        ``co2`` is built from CEADs by :func:`lianpu.co2_satellite` when the table lacks it,
        reading ``data_dir``)
    exempt : sector codes whose prices are held fixed (they absorb the cost)
    share : pass-through share θ ∈ (0, 1] (1 = full cost push)
    tracks : True (shipped tracks), a tracks file, or False
    basis : "auto" (default), "published", "domestic" or "local"

    Returns
    -------
    PriceResult; ``by_sector.price_change`` is a fraction of the base price.
    """
    if not (0.0 < float(share) <= 1.0):
        raise ArgumentError(message(None, "pass-through share outside (0, 1]", argument="share",
                                    found=share, expected="0 < share ≤ 1"))
    if carbon_price < 0:
        raise ArgumentError(message(None, "negative carbon price", argument="carbon_price",
                                    found=carbon_price, expected="≥ 0 元/t"))
    notes = []
    src = table
    if carbon_price:
        src, sat, why = _emissions(table, data_dir, satellite)
        if why:
            notes.append(why)
    t, bs = resolve_basis(src, basis)
    if t.is_multiregional:
        raise TableError(message(t.name, "the price model here is for a single-region table",
                                 found="a multi-regional table", expected="a national or provincial table"))
    n, x = t.n, t.x_
    inv_x = np.divide(1.0, x, out=np.zeros(n), where=x > 0)
    causes, shocks = {}, {}
    if wage_rise:
        rows = _primary_rows(t, "compensation", "wage_rise")
        causes["wages"] = wage_rise / 100 * t.V_[rows].sum(axis=0) * inv_x
        shocks["wage_rise_pct"] = wage_rise
    if tax_rise:
        rows = _primary_rows(t, "production_taxes", "tax_rise")
        causes["taxes"] = tax_rise / 100 * t.V_[rows].sum(axis=0) * inv_x
        shocks["tax_rise_pct"] = tax_rise
    for key, pct in dict(primary or {}).items():
        rows = _primary_rows(t, key, "primary")
        causes[f"primary_{key}"] = causes.get(f"primary_{key}", 0) + pct / 100 * t.V_[rows].sum(axis=0) * inv_x
        shocks.setdefault("primary_pct", {})[key] = pct
    pm = np.zeros(n)
    if import_price:
        if t.Zm_ is None:
            raise TableError(message(t.name, "import prices need imports separated from domestic "
                                     "products", argument="import_price",
                                     found=f"basis {bs.name!r}", expected="basis 'auto' or 'domestic'"))
        for code, pct in dict(import_price).items():
            pm[_positions(t, [code], "import_price")[0]] = pct / 100
        causes["imports"] = (pm @ t.Zm_) * inv_x
        shocks["import_price_pct"] = dict(import_price)
    if carbon_price:
        e = np.asarray(t.satellites[satellite].values, float) * _tonnes(sat.unit, t.name)
        causes["carbon"] = carbon_price * e * inv_x / _yuan_per_unit(t.unit, t.name)
        shocks.update(carbon_price_yuan_per_t=carbon_price,
                      carbon_base="direct (scope 1) emissions of each sector, "
                                  f"satellite {satellite!r} ({sat.unit})",
                      carbon_revenue=float(carbon_price * e.sum() / _yuan_per_unit(t.unit, t.name)),
                      carbon_revenue_unit=t.unit)
        hh = sat.final_demand
        if hh is not None and np.nansum(hh) > 0:
            notes.append(Note("household direct emissions (fuel burnt by households) are not "
                              "charged here: the basket effect is that of producer prices only",
                              "此处不对居民直接排放（居民燃烧的燃料）收费：消费篮子的效应仅来自"
                              "生产者价格"))
    if not causes:
        causes["none"] = np.zeros(n)
    C = np.vstack(list(causes.values()))                # (k, n) cost shock per unit output
    endo = np.ones(n, bool)
    if exempt:
        endo[_positions(t, list(exempt), "exempt")] = False
    theta = float(share)
    if endo.all() and theta == 1.0:
        P = leo.left_solve(t.factor, C)                 # Δp' = Δc' L
    else:
        e_idx = np.flatnonzero(endo)
        f = leo.leontief_factor(theta * t.A_[np.ix_(e_idx, e_idx)], table=f"{t.name} [pass-through]")
        P = np.zeros_like(C)
        P[:, e_idx] = theta * leo.left_solve(f, C[:, e_idx])
    dp = P.sum(axis=0)
    by = pd.DataFrame({"direct": C.sum(axis=0), "price_change": dp}, index=t.index)
    for k, name in enumerate(causes):
        by[f"direct_{name}"] = C[k]
        by[f"from_{name}"] = P[k]
    by["price_change_pct"] = 100 * dp
    # what exempt sectors absorb: their own cost shock plus dearer inputs, × output
    absorbed = np.where(endo, 0.0, (C.sum(axis=0) + dp @ t.A_) * x)
    by["absorbed"] = absorbed
    by.insert(0, "name_zh", t.label("zh").to_numpy())
    by.insert(1, "name_en", t.label("en").to_numpy())
    pass_through = {"mode": "full" if endo.all() and theta == 1 else
                    ("exempt" if theta == 1 else ("share" if endo.all() else "exempt+share")),
                    "share": theta, "exempt": [str(c) for c in exempt],
                    "text_en": _pass_text(endo.all(), theta, exempt, "en"),
                    "text_zh": _pass_text(endo.all(), theta, exempt, "zh")}
    if t.Zr_ is not None:
        notes.append(Note("provincial local view: products bought from other provinces (Zr) are "
                          "priced unchanged, so a nationwide shock (a national carbon price) is "
                          "understated here for inputs from other provinces; the national table "
                          "gives the nationwide effect",
                          "省级本地视角：从其他省份购入的产品（Zr）价格不变，因此对来自其他省份的投入，"
                          "全国性冲击（全国碳价）在此被低估；全国性效应见全国表"))
    hh, hnotes = _baskets(t, dp, pm, data_dir)
    notes += hnotes
    trk = _tracks(t, dp, tracks) if tracks is not False else pd.DataFrame()
    return PriceResult(t.name, UNIT, bs, shocks, pass_through, by, trk, hh,
                       tuple(notes) + tuple(t.notes[len(src.notes):]))  # the view's own notes


def _pass_text(all_endo, theta, exempt, lang):
    if lang == "zh":
        parts = ["完全成本推动（各部门将成本上升全部转嫁）" if all_endo and theta == 1 else ""]
        if not all_endo:
            parts.append(f"豁免部门价格不变、自行消化成本：{', '.join(map(str, exempt))}")
        if theta != 1:
            parts.append(f"各部门转嫁成本上升的 {theta:.0%}")
        return "；".join(p for p in parts if p)
    parts = ["full cost push (every sector passes every cost increase on)"
             if all_endo and theta == 1 else ""]
    if not all_endo:
        parts.append(f"exempt sectors hold their prices and absorb the cost: {', '.join(map(str, exempt))}")
    if theta != 1:
        parts.append(f"every sector passes on {theta:.0%} of its cost increases")
    return "; ".join(p for p in parts if p)


def _baskets(t, dp, pm, data_dir) -> tuple[pd.DataFrame, list]:
    """Cost-of-living change of each household basket (domestic at Δp, imported at Δpm)."""
    rows, notes = [], []
    fd = list(t.final_demand_labels.index)
    hcols = t.fd_positions(roles.HOUSEHOLDS)
    Ym = t.Ym_ if t.Ym_ is not None else np.zeros_like(t.Y_)
    # a province's purchases from other provinces are in the basket, priced unchanged
    Yr = t.Yr_ if t.Yr_ is not None else np.zeros_like(t.Y_)
    cur = {}

    def add(key, zh, en, dom, imp, what):
        tot = float(dom.sum() + imp.sum() + cur.get("r", 0.0))
        rows.append({"basket": key, "name_zh": zh, "name_en": en,
                     "cost_of_living_change": (float(dom @ dp + imp @ pm) / tot) if tot else None,
                     "spending": tot, "imported_share": float(imp.sum()) / tot if tot else None,
                     "basket_source": str(what), "basket_source_zh": zh_of(what)})

    if hcols:
        for j in hcols:
            cur["r"] = float(Yr[:, j].sum())
            code = fd[j][-1] if isinstance(fd[j], tuple) else fd[j]
            zh, en = BASKETS.get(str(code), (t.final_demand_labels["name_zh"].iloc[j] or str(code),
                                             t.final_demand_labels["name_en"].iloc[j] or str(code)))
            add(str(code), zh, en, t.Y_[:, j], Ym[:, j], Note(f"the table's column {code} (role household)",
                                                        f"表中的 {code} 列（角色：居民）"))
        if len(hcols) > 1:
            cur["r"] = float(Yr[:, hcols].sum())
            add("all_households", "全体居民", "all households", t.Y_[:, hcols].sum(axis=1),
                Ym[:, hcols].sum(axis=1), Note("sum of the household columns", "各居民列之和"))
        return pd.DataFrame(rows).set_index("basket"), notes
    try:
        from ..households import household_split
        hs = household_split(t, data_dir)
        imp = hs.imported if hs.imported is not None else np.zeros(t.n)
        add("households_estimated", "居民（估算）", "households (estimated)", hs.domestic, imp,
            Note(hs.text_en, hs.text_zh))
        notes.append(Note("the table publishes only total consumption (TC): the household basket "
                          "is estimated — " + hs.text_en + "; no rural/urban split",
                          "该表只公布最终消费合计（TC）：居民消费篮子为估算值——" + hs.text_zh
                          + "；不分城乡"))
    except (LianpuError, OSError) as exc:  # no detailed table in the cache: say so, use TC
        cols = t.fd_positions({"consumption"})
        cur["r"] = float(Yr[:, cols].sum()) if cols else 0.0
        if not cols:
            return pd.DataFrame(columns=["name_zh", "name_en", "cost_of_living_change"]), notes
        add("TC", "最终消费（含政府）", "total final consumption (incl. government)",
            t.Y_[:, cols].sum(axis=1), Ym[:, cols].sum(axis=1), Note("the table's TC column", "表中的 TC 列"))
        notes.append(Note(f"no household columns and no household split ({exc}); the basket is "
                          "total final consumption TC, which includes government consumption",
                          f"没有居民消费列，也无法拆分居民消费（{exc}）；消费篮子为最终消费合计 TC，"
                          "其中含政府消费"))
    return pd.DataFrame(rows).set_index("basket"), notes


def _tracks(t, dp, path) -> pd.DataFrame:
    from ..tracks import catalogue as tr
    try:
        ts = tr.tracks(None if path is True else path)
    except (LianpuError, OSError):  # pragma: no cover - shipped file always readable
        return pd.DataFrame()
    rows = []
    for tid, track in ts.items():
        try:
            idx = tr.resolve(t, tid, ts)
        except TableError:
            continue
        w = t.x_[idx]
        rows.append({"track": tid, "name_zh": track.name_zh, "name_en": track.name_en,
                     "sectors": "/".join(_codes(t)[i] for i in idx),
                     "price_change": float(w @ dp[idx] / w.sum()) if w.sum() > 0 else None})
    return pd.DataFrame(rows).set_index("track") if rows else pd.DataFrame()


def value_added_prices(table, basis: str = "auto"):
    """p' = v'L: the value-added content of each product's base price (= the value-added
    multipliers of the quantity model, the dual identity); with imports p' = (v' + m')L = 1'.
    A :class:`~lianpu.analysis._result.ResultSeries` (unit and basis in ``attrs``)."""
    t, bs = resolve_basis(table, basis)
    v = np.divide(t.value_added_, t.x_, out=np.zeros(t.n), where=t.x_ > 0)
    s = pd.Series(leo.left_solve(t.factor, v), index=t.index, name="value_added_price")
    s.attrs.update(unit=UNIT, basis=bs.name, basis_note=bs.note_en)
    return as_series(s)


__all__ = ["PriceResult", "cost_push", "value_added_prices"]
