"""China MRIO bench (issue 13): build time, the outflow/inflow gap, the gap to the national
table, and the sensitivity of the headline results (双核联动 Sichuan ⇄ Chongqing, 互补共振
Gansu → 成渝 for 航空航天 and 新能源) to the distance decay β and to the reconciliation rule.

    .venv/bin/python bench/bench_china_mrio.py --data-dir D [--out bench/results/china_mrio.json]

D must hold the provincial tables cn-prov-{2012,2017}-*, cn-nbs-2017-42, cn-nbs-2012-139 and
ceads-provinces-{2012,2017} (``lianpu download … --from ../shared/data --data-dir D``).
Not part of the tests' pass/fail; the build-time target is < 10 s for 2017 on this machine.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

import lianpu
from lianpu.analysis.regions.mrio import build as cm
from lianpu.analysis.regions.mrio import questions as cq
from lianpu.analysis._result import jsonable

NATIONAL = {2017: "cn-nbs-2017-42", 2012: "cn-nbs-2012-139"}
TRACKS = ("aerospace", "new_energy")


def headline(t, shift=0.2) -> dict:
    d = cq.dual_core(t, "SC", "CQ")
    out = {}
    for key, r in d.summary.iterrows():
        for k in ("output", "value_added", "co2"):
            out[f"{key} {k}"] = float(r[k])
            out[f"{key} {k}_share"] = float(r[f"{k}_share"])
    for key, r in d.block.iterrows():
        out[f"{key} value_added_share"] = float(r["value_added_share"])
    sp = d.spill.loc["output"]
    out["spill output CQ per SC FD"] = float(sp.loc[("CQ", "SC"), "per_unit"])
    out["spill output SC per CQ FD"] = float(sp.loc[("SC", "CQ"), "per_unit"])
    for tr in TRACKS:
        c = cq.complement(t, "GS", "chengyu", tr, shift=shift).totals
        for k in ("direct_from_supplier", "direct_share", "total_supplier_output_in_chain",
                  "supplier_output_change", "supplier_value_added_change", "supplier_co2_change",
                  "target_import_dependence_before", "target_import_dependence_after",
                  "track_import_share_before", "track_import_share_after"):
            out[f"{tr} {k}"] = c[k]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--out", default="bench/results/china_mrio.json")
    ap.add_argument("--years", default="2017,2012")
    a = ap.parse_args(argv)
    D = a.data_dir
    res = {"decay_grid": list(cm.DECAY_GRID), "years": {}}
    for year in [int(y) for y in a.years.split(",")]:
        yr = {}
        t0 = time.perf_counter()
        tabs = cm.provincial_tables(year, D)
        t1 = time.perf_counter()
        base, diag = cm.assemble(tabs, year=year)
        t2 = time.perf_counter()
        cold = cm.build_china_mrio(year, data_dir=D, rebuild=True)
        t3 = time.perf_counter()
        cm.build_china_mrio(year, data_dir=D)
        t4 = time.perf_counter()
        yr["build_seconds"] = {"read_provincial_tables": t1 - t0, "assemble": t2 - t1,
                               "build_and_cache (cold)": t3 - t2, "cached load": t4 - t3}
        gap = cm.trade_gap_report(year, tables=tabs)
        yr["gap_totals"] = gap.totals
        yr["gap_worst"] = gap.worst(6)[["name_zh", "outflows", "inflows", "gap", "gap_pct"]] \
            .reset_index().to_dict("records")
        res_reg = diag["residual"].sum(axis=1)
        yr["residual_by_region_top"] = res_reg.reindex(res_reg.abs().sort_values(
            ascending=False).index[:6]).to_dict()
        ng = cm.national_gap(cold, lianpu.load(NATIONAL[year], data_dir=D),
                             provincial=next(iter(tabs.values())))
        yr["national_totals"] = ng.totals
        if ng.by_sector is not None:
            b = ng.by_sector.sort_values("x_ratio")
            yr["national_x_ratio_extremes"] = b[["name_zh", "x_ratio", "value_added_ratio"]] \
                .iloc[[0, 1, 2, -3, -2, -1]].reset_index().to_dict("records")
        withco2, missing = cm.co2_satellite(base, D, tables=tabs)
        sat = withco2.satellites
        runs = {}
        cap_bind = {}
        for method in ("mean", "outflows", "inflows"):
            grid = cm.DECAY_GRID if method == "mean" else (cm.DEFAULT_DECAY,)
            for beta in grid:
                t, dg = cm.assemble(tabs, decay=beta, reconcile=method, year=year)
                t = t.evolve(satellites=sat)
                runs[f"{method} b={beta:g}"] = headline(t)
                if beta == cm.DEFAULT_DECAY:
                    S, U = dg["sent"].sum(0), dg["received"].sum(0)
                    want = {"mean": 0.5 * (S + U), "outflows": S, "inflows": U}[method]
                    cap_bind[method] = int((dg["received_reconciled"].sum(0)
                                            < want * (1 - 1e-9)).sum())
        yr["products_where_the_inflow_cap_binds"] = cap_bind
        yr["runs"] = runs
        keys = runs["mean b=1"].keys()
        grid_keys = [f"mean b={b:g}" for b in cm.DECAY_GRID]
        yr["decay_range"] = {k: [min(runs[g][k] for g in grid_keys),
                                 max(runs[g][k] for g in grid_keys)] for k in keys}
        yr["missing_co2"] = list(missing)
        res["years"][year] = yr
        print(f"== {year}: read {t1 - t0:.2f} s, assemble {t2 - t1:.2f} s, cold build "
              f"{t3 - t2:.2f} s, cached {t4 - t3:.2f} s")
        g = gap.totals
        print(f"   OF {g['outflows'] / 1e4:,.0f} IF {g['inflows'] / 1e4:,.0f} 亿元, gap "
              f"{g['gap'] / 1e4:,.0f} ({g['gap_pct']:+.1f} %), Σ|gap| {g['abs_gap_pct']:.1f} %")
        print("   national ratios", {k: round(v["ratio"], 4) for k, v in ng.totals.items()})
        print("   cap binds", cap_bind)
        for k in ("SC←CQ output", "SC←CQ value_added", "SC←CQ co2", "CQ←SC output",
                  "CQ←SC value_added", "CQ←SC co2", "CY←RoC value_added_share",
                  "aerospace direct_share", "aerospace supplier_output_change",
                  "aerospace supplier_co2_change", "new_energy direct_share",
                  "new_energy supplier_output_change", "new_energy supplier_co2_change"):
            lo, hi = yr["decay_range"][k]
            alt = [runs[r][k] for r in runs if not r.startswith("mean")]
            print(f"   {k:36s} β=1 {runs['mean b=1'][k]:14.6g}  β∈grid [{lo:.6g}, {hi:.6g}]  "
                  f"outflows/inflows {alt[0]:.6g} / {alt[1]:.6g}")
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(jsonable(res), ensure_ascii=False, indent=1, allow_nan=False),
                           encoding="utf-8")
    print("written", a.out)


if __name__ == "__main__":
    main()
