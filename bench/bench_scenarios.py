"""Benchmark: many demand scenarios on one factorization, and Monte Carlo serial vs Dask.

1. ``batch``: 10,000 demand scenarios on WIOD 2011 (n = 1435; 41 economies × 35 industries),
   Type I: ``lianpu.impact(t, D)`` with D (1435 × 10,000) — one LU (made when the table is
   loaded), one matrix right-hand side — then ``.totals()`` (output and value added by effect
   and scenario). Also timed: the bare LU solve and a fresh LU of I − A. Table loading is
   excluded. Check: 50 random columns equal single-vector solves (rtol 1e-10).
2. ``montecarlo``: the same draws (log-normal σ = 0.1 on A; every draw factorizes its own
   I − A⁽ᵈ⁾) run serially, on local Dask (threads, processes) and on a dask.distributed
   LocalCluster; results must be identical (rtol 1e-12). Cases: WIOD 2011 (n = 1435) and NBS
   2020 (n = 153, Type II with households closed).

Usage (from the repository root; data from ../shared/data)::

    python bench/bench_scenarios.py [--scenarios 10000] [--draws-wiod 32] [--draws-nbs 400]
        [--repeats 3] [--threads N] [--json bench/results/scenarios.json]
"""
from __future__ import annotations

import os
import sys

# BLAS thread counts are read when numpy is first imported, so --threads is applied before it
# (dask.distributed workers set them to 1 themselves).
if "--threads" in sys.argv:
    _t = sys.argv[sys.argv.index("--threads") + 1]
    for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_v] = _t

import argparse
import json
import platform
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LIANPU_SHARED_DATA", ROOT.parent / "shared" / "data"))
WIOD = SHARED / "wiod2013" / "raw" / "wiot_2011.RData"
NBS = SHARED / "cn" / "nbs" / "cn_io_2020_153.csv"


def best(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times)), out


def bench_batch(t, k, repeats, seed=0):
    import lianpu
    from lianpu.core import leontief as leo
    rng = np.random.default_rng(seed)
    D = rng.uniform(0.0, 100.0, (t.n, k))          # million USD per sector and scenario
    def run():
        r = lianpu.impact(t, D, type="I")
        return r, r.totals()

    t_min, t_med, (r, tot) = best(run, repeats)
    s_min, s_med, _ = best(lambda: t.factor.solve(D), repeats)
    f_min, _, _ = best(lambda: leo.leontief_factor(t.A_), repeats)
    cols = rng.choice(k, 50, replace=False)
    X = r.output("total")
    err = max(float(np.max(np.abs(X[:, j] - t.factor.solve(D[:, j])) / np.abs(X[:, j]).max()))
              for j in cols)
    assert err < 1e-10, err
    assert tot.shape[0] == 2 * k
    return {"n": t.n, "scenarios": k, "impact_plus_totals_s": t_min, "impact_plus_totals_median_s":
            t_med, "lu_solve_only_s": s_min, "lu_solve_only_median_s": s_med,
            "fresh_lu_s": f_min, "max_rel_err_vs_single": err}


def bench_mc(t, demand, draws, repeats, type_="I", households=None):
    """Serial, local Dask (threads, processes) and a 2-worker LocalCluster, interleaved per
    repeat so that a change in machine load hits every scheduler alike; best of ``repeats``."""
    import lianpu
    from distributed import LocalCluster
    kw = {"draws": draws, "type": type_, "households": households, "seed": 1}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            addr = cluster.scheduler_address
            lianpu.montecarlo(t, demand, scheduler=addr, **{**kw, "draws": 2})  # warm workers
            scheds = {"serial": "serial", "dask_threads": None, "dask_processes": "processes",
                      "distributed_localcluster_2x1": addr}
            times = {k: [] for k in scheds}
            ref = None
            for _ in range(repeats):
                for label, sched in scheds.items():
                    t0 = time.perf_counter()
                    r = lianpu.montecarlo(t, demand, scheduler=sched, **kw)
                    times[label].append(time.perf_counter() - t0)
                    ref = r if ref is None else ref
                    np.testing.assert_allclose(r.bands, ref.bands, rtol=1e-12)
    runs = {k: {"s": min(v), "median_s": float(np.median(v))} for k, v in times.items()}
    return {"n": t.n, "draws": draws, "type": type_, "runs": runs, "identical_to_serial": True}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenarios", type=int, default=10_000)
    ap.add_argument("--draws-wiod", type=int, default=32)
    ap.add_argument("--draws-nbs", type=int, default=400)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None, help="BLAS threads (set before numpy)")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "scenarios.json")
    a = ap.parse_args()
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    import lianpu
    t0 = time.perf_counter()
    wiod = lianpu.load(WIOD)
    load_s = time.perf_counter() - t0
    out = {"blas_threads": a.threads or "default",
           "load_average_at_start": os.getloadavg(),
           "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                       "numpy": np.__version__, "platform": platform.platform()},
           "wiod_load_s": load_s}
    out["batch_wiod"] = bench_batch(wiod, a.scenarios, a.repeats)
    print(f"batch: {a.scenarios} scenarios × n={wiod.n}: impact + totals "
          f"{out['batch_wiod']['impact_plus_totals_s']:.2f} s (LU solve alone "
          f"{out['batch_wiod']['lu_solve_only_s']:.2f} s, fresh LU "
          f"{out['batch_wiod']['fresh_lu_s']:.3f} s)", flush=True)
    rng = np.random.default_rng(3)
    dw = rng.uniform(0, 100.0, wiod.n)
    out["mc_wiod"] = bench_mc(wiod, dw, a.draws_wiod, a.repeats)
    print("montecarlo WIOD:", json.dumps(out["mc_wiod"]["runs"]), flush=True)
    nbs = lianpu.load(NBS)
    dn = np.zeros(nbs.n)
    dn[rng.choice(nbs.n, 8, replace=False)] = rng.uniform(1e4, 1e5, 8)
    out["mc_nbs153"] = bench_mc(nbs, dn, a.draws_nbs, a.repeats, type_="II")
    print("montecarlo NBS 2020-153 (Type II):", json.dumps(out["mc_nbs153"]["runs"]), flush=True)
    a.json.parent.mkdir(parents=True, exist_ok=True)
    a.json.write_text(json.dumps(out, indent=2))
    print(f"wrote {a.json}")


if __name__ == "__main__":
    main()
