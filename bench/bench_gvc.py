"""Benchmark: WWZ at sector-bilateral level on WIOD 2013 (41 economies × 35 industries).

Run: OPENBLAS_NUM_THREADS=2 .venv/bin/python bench/bench_gvc.py [WIOT_FILE]
(default ../shared/data/wiod2013/raw/wiot_2011.RData). Not a test: prints timings.

What is timed: the table's LU of I − A (1435 × 1435) and the 41 block LUs (35 × 35) are made
once; WWZ then needs one transposed solve with 41 right-hand sides (V^t B), 41 local
transposed solves (V^s L^{ss}), one solve with 41 × 41 right-hand sides (B^{qt} Y^{tu}) and
slices/einsums over blocks — no explicit inverse and no 1435² inverse products per term.
For scale, the explicit inverse alone (which a term-by-term implementation would form and
then multiply per term) is timed at the end.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

import lianpu
from lianpu.analysis.valuechains import gvc

ROOT = Path(__file__).resolve().parents[1]
path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/wiod2013/raw/wiot_2011.RData"

t0 = time.perf_counter()
t = lianpu.load(path)
t_load = time.perf_counter() - t0
t0 = time.perf_counter()
t.factor
t_lu = time.perf_counter() - t0
t0 = time.perf_counter()
r = gvc.decompose(t, "wwz", "bilateral_sector")
t_wwz = time.perf_counter() - t0
f = r.frame
print(f"load {t_load:.2f} s; LU of I − A {t_lu:.2f} s")
print(f"WWZ sector-bilateral: {t_wwz:.2f} s for {f.shape[0]:,} rows × 16 terms "
      f"(max |residual| {f.residual.abs().max():.2e}, gross exports {f.gross_exports.sum():,.0f})")
for m, lev in (("kww", "country"), ("bm", "bilateral_sector")):
    t0 = time.perf_counter()
    gvc.decompose(t, m, lev)
    print(f"{m.upper()} {lev}: {time.perf_counter() - t0:.2f} s")
t0 = time.perf_counter()
gvc.participation(t)
gvc.position(t)
print(f"participation + position: {time.perf_counter() - t0:.2f} s")

# for scale: the explicit inverse alone
t0 = time.perf_counter()
B = np.linalg.inv(np.eye(t.n) - t.A_)
t_inv = time.perf_counter() - t0
print(f"explicit inverse alone (not used above): {t_inv:.2f} s")
