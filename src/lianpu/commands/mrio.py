"""CLI for the China MRIO (registered on the app as ``lianpu mrio …``): ``build``,
``twin`` (双核联动), ``complement`` (互补共振), ``chain`` (a track's suppliers across provinces),
``dvc`` (国内价值链) and ``carbon`` (CO2 across provinces). Thin: each calls lianpu.analysis and
prints."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from ..core.units import fmt_num, fmt_pct
from ._app import app
from ._shared import DATA_DIR, JSON, UserError, emit, out

mrio_app = typer.Typer(no_args_is_help=True, help="China multi-regional IO table 中国多区域表 "
                       "(31 provinces × 42 sectors) built from the provincial tables.")
app.add_typer(mrio_app, name="mrio")

DECAY = typer.Option(1.0, "--decay", help="Distance-decay exponent β of the gravity model "
                     "(f(d) = d^-β).")
RECONCILE = typer.Option("mean", "--reconcile", help="How national outflows and inflows are "
                         "made to agree: mean, outflows or inflows.")


def _build(year, decay, reconcile, data_dir, rebuild=False):
    from ..analysis.regions.mrio.build import build_china_mrio
    if year not in (2012, 2017):
        raise UserError(f"--year: found {year}, expected 2012 or 2017")
    if reconcile not in ("mean", "outflows", "inflows"):
        raise UserError(f"--reconcile: found {reconcile!r}, expected mean, outflows or inflows")
    if not 0 <= decay <= 10:
        raise UserError(f"--decay: found {decay}, expected a number in [0, 10]")
    return build_china_mrio(year, decay=decay, reconcile=reconcile, data_dir=data_dir,
                            rebuild=rebuild)


def _yi(v) -> str:
    """An amount in 万元 shown in 亿元, no decimals."""
    return fmt_num(None if v is None else v / 1e4, 0)


def _pct(v) -> str:
    return fmt_pct(v, 2)


@mrio_app.command("build")
def build(year: int = typer.Option(2017, "--year", help="2012 or 2017."), decay: float = DECAY,
          reconcile: str = RECONCILE, rebuild: bool = typer.Option(False, "--rebuild",
                                                                    help="Build again even if cached."),
          data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Build (or read from the cache) the China MRIO and report the outflow/inflow gap."""
    from ..analysis.regions.mrio.build import cache_path, trade_gap_report
    t0 = time.perf_counter()
    t = _build(year, decay, reconcile, data_dir, rebuild)
    secs = time.perf_counter() - t0
    gap = trade_gap_report(year, data_dir, reconcile=reconcile)
    path = cache_path(year, decay, reconcile, data_dir)
    if as_json:
        d = gap.to_dict()
        d.update(table=t.name, path=str(path), seconds=round(secs, 3), n=t.n,
                 regions=t.regions, notes_table=list(t.notes))
        return emit(d)
    out.print(f"{t.name}: {len(t.regions)} provinces × {t.n // len(t.regions)} sectors, "
              f"unit {t.unit}; {secs:.2f} s; cached at {path}")
    tot = gap.totals
    out.print(f"national outflows {_yi(tot['outflows'])} 亿元, inflows {_yi(tot['inflows'])} 亿元: "
              f"gap {_yi(tot['gap'])} 亿元 ({tot['gap_pct']:+.1f} % of their mean; "
              f"Σ|gap| by product {tot['abs_gap_pct']:.1f} %); reconciled by '{reconcile}'")
    tab = Table(title=f"largest outflow − inflow gaps by product, {year} (亿元)")
    for c in ("product", "name", "outflows", "inflows", "gap", "gap %"):
        tab.add_column(c, justify="left" if c in ("product", "name") else "right")
    for code, r in gap.worst(8).iterrows():
        tab.add_row(str(code), str(r["name_zh"]), _yi(r["outflows"]), _yi(r["inflows"]),
                    _yi(r["gap"]), f"{r['gap_pct']:+.1f}")
    out.print(tab)


@mrio_app.command("twin")
def twin(year: int = typer.Argument(..., help="2012 or 2017."),
         a: str = typer.Argument("四川", help="First province (name or code)."),
         b: str = typer.Argument("重庆", help="Second province."),
         decay: float = DECAY, reconcile: str = RECONCILE,
         data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """双核联动: each province's output, value added and CO2 driven by the other's final demand;
    Miller spillover/feedback; the two as one block against the rest of China."""
    from ..analysis.regions.mrio.build import co2_satellite
    from ..analysis.regions.mrio.questions import dual_core
    t = _build(year, decay, reconcile, data_dir)
    t, missing = co2_satellite(t, data_dir)
    res = dual_core(t, a, b, missing=missing)
    if as_json:
        return emit(res)
    tab = Table(title=f"双核联动 {res.a} ⇄ {res.b} — {t.name}",
                caption=f"output and value added in 亿元, CO2 in {res.co2_unit}")
    for c in ("driven 由…拉动", "output", "share", "value added", "share", "CO2", "share"):
        tab.add_column(c, justify="left" if c.startswith("driven") else "right")
    for frame in (res.summary, res.block):
        for key, r in frame.iterrows():
            tab.add_row(str(key), _yi(r["output"]), _pct(r["output_share"]), _yi(r["value_added"]),
                        _pct(r["value_added_share"]),
                        "—" if "co2" not in r else f"{r['co2']:.2f}",
                        "—" if "co2" not in r else _pct(r["co2_share"]))
    out.print(tab)
    m = res.miller.loc["output"]
    tab2 = Table(title="Miller: output per unit of final demand (final-demand mix)")
    for c in ("region", "intra", "feedback", "spillover", "total"):
        tab2.add_column(c, justify="left" if c == "region" else "right")
    for r, row in m.iterrows():
        tab2.add_row(str(r), *(f"{row[c]:.4f}" for c in ("intra", "feedback", "spillover", "total")))
    out.print(tab2)
    for key in res.summary.index:
        sec = res.by_sector.loc[key].sort_values("value_added", ascending=False).head(5)
        tab3 = Table(title=f"{key}: top sectors by value added driven (亿元)")
        for c in ("sector", "name", "output", "value added", "share of sector VA"):
            tab3.add_column(c, justify="left" if c in ("sector", "name") else "right")
        for code, r in sec.iterrows():
            tab3.add_row(str(code), str(r["name"]).split("·")[-1], _yi(r["output"]),
                         _yi(r["value_added"]), _pct(r["value_added_share"]))
        out.print(tab3)
    for n in res.notes:
        out.print("· " + n)


@mrio_app.command("complement")
def complement(year: int = typer.Argument(..., help="2012 or 2017."),
               supplier: str = typer.Option("甘肃", "--supplier", help="Supplier province."),
               target: str = typer.Option("成渝", "--target", help="Target province or group "
                                          "(成渝, 西部 … from china_regions.toml)."),
               track: str = typer.Option("aerospace", "--track", help="Track id or name (see "
                                         "`lianpu tracks`)."),
               shift: float = typer.Option(0.2, "--shift", help="Share (0–1) of the track's "
                                           "purchases from abroad and the East moved to the "
                                           "supplier."),
               decay: float = DECAY, reconcile: str = RECONCILE,
               data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """互补共振: realized flows from the supplier to the target's track and a sourcing shift."""
    from ..analysis.regions.mrio.build import co2_satellite
    from ..analysis.regions.mrio.questions import complement as calc
    if not 0 <= shift <= 1:
        raise UserError(f"--shift: found {shift}, expected a share in [0, 1]")
    t = _build(year, decay, reconcile, data_dir)
    t, _ = co2_satellite(t, data_dir)
    res = calc(t, supplier, target, track, shift=shift)
    if as_json:
        return emit(res)
    tt = res.totals
    out.print(f"互补共振 {res.supplier} → {res.target} ({'+'.join(res.target_regions)}), track "
              f"{res.track} — {t.name}")
    out.print(f"track inputs {_yi(tt['track_inputs'])} 亿元; direct from {res.supplier} "
              f"{_yi(tt['direct_from_supplier'])} ({_pct(tt['direct_share'])}); {res.supplier}'s "
              f"output in the chain (total) {_yi(tt['total_supplier_output_in_chain'])}")
    out.print(f"from abroad {_yi(tt['track_inputs_from_abroad'])}, from the East "
              f"{_yi(tt['track_inputs_from_east'])} (of products {res.supplier} makes: "
              f"{_yi(tt['shiftable_from_abroad'])} and {_yi(tt['shiftable_from_east'])})")
    out.print(f"shift {shift:g}: {res.supplier} output {_yi(tt['supplier_output_change'])} 亿元 "
              f"({tt['supplier_output_change_pct']:+.2f} %), value added "
              f"{_yi(tt['supplier_value_added_change'])}, CO2 "
              f"{tt.get('supplier_co2_change', float('nan')):+.3f} Mt; East output "
              f"{_yi(tt['east_output_change'])}; target import dependence "
              f"{_pct(tt['target_import_dependence_before'])} → "
              f"{_pct(tt['target_import_dependence_after'])}; track import share "
              f"{_pct(tt['track_import_share_before'])} → {_pct(tt['track_import_share_after'])}")
    tab = Table(title=f"realized flows by product (亿元), top 10")
    for c in ("product", "name", "track inputs", f"direct from {res.supplier}", "share", "total"):
        tab.add_column(c, justify="left" if c in ("product", "name") else "right")
    for code, r in res.realized.sort_values("direct", ascending=False).head(10).iterrows():
        tab.add_row(str(code), str(r["name"]), _yi(r["inputs_all_origins"]), _yi(r["direct"]),
                    _pct(r["direct_share"]), _yi(r["total"]))
    out.print(tab)
    pot = res.potential[res.potential["shiftable"]]
    pot = pot.assign(both=pot["from_abroad"] + pot["from_east"]).sort_values("both",
                                                                            ascending=False)
    tab2 = Table(title=f"the track's purchases from abroad and the East of products "
                       f"{res.supplier} makes (亿元), top 8")
    for c in ("product", "name", "from abroad", "from the East", f"{res.supplier} output"):
        tab2.add_column(c, justify="left" if c in ("product", "name") else "right")
    for code, r in pot.head(8).iterrows():
        tab2.add_row(str(code), str(r["name"]), _yi(r["from_abroad"]), _yi(r["from_east"]),
                     _yi(r["supplier_output"]))
    out.print(tab2)
    for n in res.notes:
        out.print("· " + n)


def _mt(v) -> str:
    return fmt_num(v, 1)


@mrio_app.command("chain")
def chain(year: int = typer.Argument(..., help="2012 or 2017."),
          region: str = typer.Argument("四川", help="Province of the track (name or code)."),
          track: str = typer.Option("电子信息", "--track", help="Track id or name (see "
                                    "`lianpu tracks`)."),
          depth: int = typer.Option(4, "--depth", help="Tiers and structural-path order."),
          decay: float = DECAY, reconcile: str = RECONCILE,
          data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Chain map of a track in a province: suppliers by origin province and tier, structural
    paths across provinces, weak links with their origin (a province or abroad)."""
    from ..analysis.regions.mrio.questions import chain_across
    if not 1 <= depth <= 8:
        raise UserError(f"--depth: found {depth}, expected 1–8")
    t = _build(year, decay, reconcile, data_dir)
    res = chain_across(t, region, track, depth=depth)
    if as_json:
        return emit(res)
    out.print(f"产业链 {res.track} in {res.region} — {t.name}: final demand "
              f"{_yi(res.final_demand)} 亿元; indirect requirement "
              f"{_yi(res.chain.summary['indirect_requirement'])} 亿元")
    tab = Table(title="suppliers by origin (亿元): tiers up the chain; ROW = imports from abroad")
    tiers = [c for c in res.by_origin.columns if c.startswith("tier")]
    for c in ["origin", *tiers, "total", "share"]:
        tab.add_column(c, justify="left" if c == "origin" else "right")
    for o, r in res.by_origin.head(12).iterrows():
        tab.add_row(str(o), *(_yi(r[c]) for c in tiers), _yi(r["total"]), _pct(r["share"]))
    out.print(tab)
    tab2 = Table(title="largest suppliers in other provinces (亿元)")
    for c in ("origin", "sector", "name", "tier 1", "total"):
        tab2.add_column(c, justify="left" if c in ("origin", "sector", "name") else "right")
    for (o, s), r in res.by_origin_sector.head(10).iterrows():
        tab2.add_row(str(o), str(s), str(r["name"]), _yi(r["tier1"]), _yi(r["total"]))
    out.print(tab2)
    tab3 = Table(title="structural paths (万元)")
    for c in ("rank", "path", "value"):
        tab3.add_column(c, justify="left" if c == "path" else "right")
    pz = "path_zh" if "path_zh" in res.paths.columns else res.paths.columns[1]
    vcol = next((c for c in ("value", "path_value") if c in res.paths.columns), None)
    for _, r in res.paths.head(10).iterrows():
        tab3.add_row(str(r.get("rank", "")), str(r[pz]), "" if vcol is None else f"{r[vcol]:,.0f}")
    out.print(tab3)
    w = res.weak
    tab4 = Table(title="weak links 薄弱环节: imported share and top origin")
    for c in ("product", "name", "import share", "top origin", "its share", "chokepoint"):
        tab4.add_column(c, justify="left" if c in ("product", "name", "top origin") else "right")
    for code, r in w.head(10).iterrows():
        tab4.add_row(str(code), str(r.get("name_zh", "")), _pct(r.get("import_share")),
                     str(r.get("top_origin", "")), _pct(r.get("top_origin_share")),
                     _pct(r.get("supply_chokepoint")))
    out.print(tab4)
    for n in res.notes:
        out.print("· " + n)


@mrio_app.command("dvc")
def dvc(year: int = typer.Argument(..., help="2012 or 2017."),
        region: str = typer.Argument("四川", help="Province (name or code)."),
        decay: float = DECAY, reconcile: str = RECONCILE,
        data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """国内价值链: the province's value added absorbed at home, in other provinces and abroad;
    the origins of its final demand; its position in the chains, by sector."""
    from ..analysis.regions.mrio.questions import domestic_chains
    t = _build(year, decay, reconcile, data_dir)
    res = domestic_chains(t, region)
    if as_json:
        return emit(res)
    tt = res.totals
    out.print(f"国内价值链 {res.region} — {t.name}: value added {_yi(tt['value_added'])} 亿元, "
              f"absorbed at home {_pct(tt['absorbed_own_share'])}, in other provinces "
              f"{_pct(tt['absorbed_other_provinces_share'])}, abroad "
              f"{_pct(tt['absorbed_abroad_share'])}; its final demand: own value added "
              f"{_pct(tt['final_demand_own_va_share'])}, other provinces "
              f"{_pct(tt['final_demand_other_provinces_va_share'])}, imports from abroad "
              f"{_pct(tt['final_demand_abroad_share'])}")
    p = res.position.iloc[0]
    out.print(f"position (output-weighted): Wang PLv/PLy {p['wang_position']:.3f} "
              f"(>1 upstream), forward participation {_pct(p['forward'])}, backward "
              f"{_pct(p['backward'])}")
    tab = Table(title="value added absorbed by destination (亿元), top 10")
    for c in ("absorbed in", "value added", "share"):
        tab.add_column(c, justify="left" if c == "absorbed in" else "right")
    for k, r in res.absorbed.sort_values("value_added", ascending=False).head(10).iterrows():
        tab.add_row(str(k), _yi(r["value_added"]), _pct(r["share"]))
    out.print(tab)
    tab2 = Table(title="by sector (亿元): where the value added is absorbed, position")
    for c in ("sector", "name", "VA", "own", "other prov.", "abroad", "residual", "position"):
        tab2.add_column(c, justify="left" if c in ("sector", "name") else "right")
    for s, r in res.by_sector.sort_values("value_added", ascending=False).head(15).iterrows():
        tab2.add_row(str(s), str(r["name"]), _yi(r["value_added"]), _pct(r["own_share"]),
                     _pct(r["other_provinces_share"]), _pct(r["abroad_share"]),
                     _pct(r["residual"] / r["value_added"] if r["value_added"] else None),
                     f"{r['wang_position']:.3f}")
    out.print(tab2)
    for n in res.notes:
        out.print("· " + n)


@mrio_app.command("carbon")
def carbon(year: int = typer.Argument(..., help="2012 or 2017."),
           by: str = typer.Option("province", "--by", help="province or region (the NBS "
                                  "four regions)."),
           track: Optional[str] = typer.Option(None, "--track", help="Also: the CO2 of this "
                                               "track's final demand by emitting province."),
           region: Optional[str] = typer.Option(None, "--region", help="The track's province."),
           decay: float = DECAY, reconcile: str = RECONCILE,
           data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """CO2 across provinces: production- vs consumption-based by province, CO2 embodied in
    interprovincial trade (by the NBS four regions with --by region)."""
    from ..analysis.regions.mrio.build import co2_satellite
    from ..analysis.regions.mrio.questions import carbon_flows
    if by not in ("province", "region"):
        raise UserError(f"--by: found {by!r}, expected province or region")
    t = _build(year, decay, reconcile, data_dir)
    t, missing = co2_satellite(t, data_dir)
    res = carbon_flows(t, track=track, track_region=region, missing=missing)
    if as_json:
        return emit(res)
    tt = res.totals
    out.print(f"CO2 across provinces — {t.name} ({res.unit}): production {_mt(tt['production'])}"
              f" = for provinces' final demand {_mt(tt['consumption_provinces'])} + exports "
              f"abroad {_mt(tt['for_exports_abroad'])} + discrepancy {_mt(tt['for_discrepancy'])}")
    if by == "region":
        g = res.groups
        tab = Table(title="CO2 emitted in (rows) for final demand of (columns), Mt")
        tab.add_column("emitter")
        for c in g.columns:
            tab.add_column(str(c), justify="right")
        for k, r in g.iterrows():
            tab.add_row(str(k), *(_mt(v) for v in r))
        out.print(tab)
    else:
        tab = Table(title="production- vs consumption-based CO2 (Mt)")
        for c in ("region", "production", "consumption", "net transfer", "for other provinces",
                  "for exports"):
            tab.add_column(c, justify="left" if c == "region" else "right")
        for k, r in res.by_region.sort_values("production", ascending=False).iterrows():
            tab.add_row(str(k), _mt(r["production"]), _mt(r["consumption"]),
                        _mt(r["net_transfer"]), _mt(r["for_other_provinces"]),
                        _mt(r["for_exports_abroad"]))
        out.print(tab)
    if res.track is not None:
        tab2 = Table(title=f"CO2 of {res.track_id}'s final demand by emitting province (Mt)")
        for c in ("emitter", "CO2", "share"):
            tab2.add_column(c, justify="left" if c == "emitter" else "right")
        for k, r in res.track.head(10).iterrows():
            tab2.add_row(str(k), f"{r['co2']:.2f}", _pct(r["share"]))
        out.print(tab2)
    for n in res.notes:
        out.print("· " + n)
