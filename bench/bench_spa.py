"""Structural path analysis timings on real tables (run on demand: ``python bench/bench_spa.py``).

Times the best-first SPA of :mod:`lianpu.analysis.chains.spa` for a few tracks on the NBS 2020
153-sector table and on WIOD 2011 (1435 sectors), for several depths and numbers of paths,
and the whole :func:`lianpu.chain` call (with the table already loaded and factorized).
Prints a Markdown table and writes ``bench/results/spa.json``.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

import lianpu
from lianpu.analysis.chains.chainmap import _driver
from lianpu.analysis._common import domestic_basis
from lianpu.analysis.chains.spa import spa
from lianpu.analysis.tracks.catalogue import resolve_track

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LIANPU_SHARED_DATA", ROOT.parent / "shared" / "data"))
CASES = [
    ("cn_io_2020_153.csv", SHARED / "cn/nbs/cn_io_2020_153.csv", None,
     ["aerospace", "electronic_information", "advanced_manufacturing"]),
    ("wiot_2011.RData", SHARED / "wiod2013/raw/wiot_2011.RData", "CHN",
     ["aerospace", "electronic_information", "advanced_manufacturing"]),
]
SETTINGS = [(4, 20, 1e-4), (6, 20, 1e-4), (8, 100, 1e-5), (10, 1000, 1e-6)]


def best_of(fn, k=5):
    ts = []
    for _ in range(k):
        t0 = time.perf_counter()
        r = fn()
        ts.append(time.perf_counter() - t0)
    return min(ts), statistics.median(ts), r


def main() -> int:
    warnings.simplefilter("ignore")
    rows = []
    for name, path, region, tracks in CASES:
        t = lianpu.load(path)
        tb, _ = domestic_basis(t)
        m = lianpu.multipliers(tb).to_numpy()        # s'L, also warms the LU
        AT = np.ascontiguousarray(tb.A_.T)
        for tid in tracks:
            sel = resolve_track(tb, tid, region=region)
            f = _driver(tb, list(sel.indices), "final_demand")
            total = float(m @ f)
            for depth, top, thr in SETTINGS:
                def run(tb=tb, f=f, m=m, depth=depth, top=top, cut=thr * total, AT=AT):
                    return spa(tb.A_, f, m, depth=depth, top=top, threshold=cut, AT=AT)
                best, med, r = best_of(run)
                rows.append({"table": name, "n": tb.n, "track": tid, "depth": depth, "top": top,
                             "threshold": thr, "seconds_best": best, "seconds_median": med,
                             "expanded": r.expanded, "pushed": r.pushed,
                             "share_covered": r.covered / total, "paths": len(r.paths)})
            lianpu.chain(t, tid, region=region)     # warm caches (upstreamness, labels)
            def whole(t=t, tid=tid, region=region):
                return lianpu.chain(t, tid, region=region)
            best, med, _ = best_of(whole, k=3)
            rows.append({"table": name, "n": tb.n, "track": tid, "what": "chain()",
                         "seconds_best": best, "seconds_median": med})
    meta = {"python": sys.version.split()[0], "numpy": np.__version__,
            "machine": platform.machine(), "cpus": os.cpu_count(), "platform": platform.platform()}
    out = ROOT / "bench" / "results" / "spa.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2), encoding="utf-8")
    print(f"<!-- {meta} -->")
    print("| table | n | track | depth | top | threshold | best s | median s | expanded | "
          "pushed | share of total |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "what" in r:
            print(f"| {r['table']} | {r['n']} | {r['track']} | whole `chain()` | | | "
                  f"{r['seconds_best']:.3f} | {r['seconds_median']:.3f} | | | |")
        else:
            print(f"| {r['table']} | {r['n']} | {r['track']} | {r['depth']} | {r['top']} | "
                  f"{r['threshold']:g} | {r['seconds_best']:.4f} | {r['seconds_median']:.4f} | "
                  f"{r['expanded']} | {r['pushed']} | {r['share_covered']:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
