"""GPU backend check (run on a machine with CuPy and a CUDA device).

    PYTHONPATH=src python3 bench/gpu_check.py [--sizes 2000,4000,8000]

Checks the cupy backend against the dense SciPy backend (same multipliers to 1e-9 relative)
on the Miller & Blair 2.3 example and random productive tables, and times factorization plus
the multiplier solves (output + 5 satellites) for both. Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time

import numpy as np

from lianpu.core import backend as be
from lianpu.core import coefficients as coef
from lianpu.core import leontief as leo


def random_table(n, seed=0):
    rng = np.random.default_rng(seed)
    A = rng.random((n, n))
    A *= rng.uniform(0.3, 0.7, n) / A.sum(axis=0)
    x = rng.uniform(100, 1000, n)
    return A * x, x, rng.uniform(0, 5, (5, n))


def run(backend, Z, x, F):
    t0 = time.perf_counter()
    A = coef.calc_A(Z, x)
    fac = leo.leontief_factor(A, backend=backend)
    t1 = time.perf_counter()
    S = np.vstack([np.ones(len(x)), coef.calc_S(F, x)])
    M = leo.left_solve(fac, S)
    t2 = time.perf_counter()
    return M, t1 - t0, t2 - t1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="2000,4000,8000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    out = {"backends": be.backends(), "machine": platform.platform(), "cpus": os.cpu_count()}
    try:
        import cupy as cp
        out["gpu"] = cp.cuda.runtime.getDeviceProperties(0)["name"].decode()
        out["cupy"] = cp.__version__
    except Exception as exc:  # report, don't hide
        out["gpu_error"] = repr(exc)
        print(json.dumps(out, indent=2))
        return
    Zb = np.array([[150.0, 500.0], [200.0, 100.0]])
    xb = np.array([1000.0, 2000.0])
    m = leo.left_solve(leo.leontief_factor(coef.calc_A(Zb, xb), backend="cupy"), np.ones(2))
    out["miller_blair_2_3"] = [round(float(v), 5) for v in m]  # book: 1.51815, 1.45215
    res = []
    for n in map(int, args.sizes.split(",")):
        Z, x, F = random_table(n)
        row = {"n": n}
        for b in ("dense", "cupy"):
            run(b, Z, x, F)  # warm-up (GPU context, BLAS threads)
            best = min((run(b, Z, x, F) for _ in range(args.repeat)), key=lambda r: r[1] + r[2])
            row[b] = {"factorize_s": round(best[1], 4), "solves_s": round(best[2], 4)}
            row[b + "_M"] = best[0]
        d, g = row.pop("dense_M"), row.pop("cupy_M")
        row["max_rel_diff"] = float(np.max(np.abs(d - g) / np.abs(d)))
        row["speedup_total"] = round((row["dense"]["factorize_s"] + row["dense"]["solves_s"]) /
                                     (row["cupy"]["factorize_s"] + row["cupy"]["solves_s"]), 2)
        res.append(row)
    out["sizes"] = res
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
