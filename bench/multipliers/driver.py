"""One case end to end: the rows chosen for it, their interleaved timed runs, the instrumented
lianpu run, the agreement check against the direct solve and the memory children."""
from __future__ import annotations

import gc
import os
import time
import traceback
from pathlib import Path

import numpy as np

from .breakdown import lianpu_breakdown
from .cases import pymrio_frames, save_case
from .memory import measure_memory
from .runners import (ERROR_AS_ROW, LIBS, NEEDS_FRAMES, REFERENCE, RTOL, RTOL_PEERS, RUNNERS,
                      SPARSE_ONLY)

#: memory subprocesses skipped by size (each would repeat a minutes-long run)
MEMORY_SKIP = {20000: ("lu_floor",)}


def rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).max() / max(np.abs(b).max(), np.finfo(float).tiny))


def row_error(case: dict, lib: str, what: str, exc: BaseException) -> dict:
    """A row's failure as a result of that row: the message, what the row needs, the traceback."""
    return {"message": f"{case['name']}: row {lib} failed in {what}: "
                       f"{type(exc).__name__}: {exc} (the row needs {ERROR_AS_ROW[lib]})",
            "traceback": traceback.format_exc()}


def bench_case(case: dict, libs: list, repeats: int, peer_repeats: int, memory: bool,
               tmp: Path, log) -> dict:
    frames = pymrio_frames(case) if any(lib in NEEDS_FRAMES for lib in libs) else None
    out = {"case": case["name"], "note": case["note"], "n": int(case["Z"].shape[0]),
           "final_demand_columns": int(case["Y"].shape[1]), "satellites": len(case["sat_names"]),
           "density_Z": float(np.count_nonzero(case["Z"]) / case["Z"].size),
           "matrix_mib": case["Z"].nbytes / 2**20, "repeats": repeats,
           "peer_repeats": peer_repeats, "libs": {}}
    results, runs, errors = {}, {lib: [] for lib in libs}, {}
    out["loadavg_before"] = os.getloadavg()
    # interleaved, so that a burst of load from other processes hits every library alike
    for r in range(max(repeats, peer_repeats)):
        for lib in libs:
            if r >= (repeats if lib.startswith("lianpu") else peer_repeats) or lib in errors:
                continue
            gc.collect()
            cpu = time.process_time()
            try:
                res, parts = RUNNERS[lib](case, frames)
            except Exception as exc:  # only the rows in ERROR_AS_ROW; the others stop the script
                if lib not in ERROR_AS_ROW:
                    raise
                errors[lib] = row_error(case, lib, f"timed run {r + 1}", exc)
                log(f"  {errors[lib]['message']}")
                gc.collect()
                continue
            parts["cpu_s (all threads)"] = time.process_time() - cpu
            runs[lib].append(parts)
            log(f"  {case['name']}: {lib} run {r + 1}: {parts['total']:.3f} s")
            if r == 0:
                results[lib] = res
            del res
            gc.collect()
    out["loadavg_after"] = os.getloadavg()
    for lib in libs:
        if lib in errors:
            out["libs"][lib] = {"error": errors[lib]}
            continue
        tot = [p["total"] for p in runs[lib]]
        best = min(runs[lib], key=lambda p: p["total"])
        out["libs"][lib] = {"median_s": float(np.median(tot)), "best_s": best["total"],
                            "all_s": tot, "cpu_s": [p["cpu_s (all threads)"] for p in runs[lib]],
                            "components_best_run": best}
    if "lianpu" in libs:
        gc.collect()
        out["lianpu_breakdown"] = lianpu_breakdown(case)
    ref = results[REFERENCE]
    checks = {}
    for lib in libs:
        if lib == REFERENCE or lib in errors:
            continue
        tol = RTOL.get(lib, RTOL_PEERS)
        for q in ("output", "M", "D"):
            d = rel_diff(results[lib][q], ref[q])
            checks[f"{lib} vs {REFERENCE}: {q}"] = {
                "max_abs": float(np.abs(results[lib][q] - ref[q]).max()), "rel": d, "tol": tol}
            assert d <= tol, (f"{case['name']}: {lib} {q} differs from the direct solve by "
                              f"{d:.3g} (relative; expected ≤ {tol:g})")
    out["agreement"] = checks
    del results, ref
    if memory:
        folder = tmp / case["name"].replace(" ", "_").replace("=", "")
        save_case(case, folder)
        for lib in libs:
            if lib in MEMORY_SKIP.get(out["n"], ()) or lib in errors:
                continue
            try:
                out["libs"][lib]["memory"] = measure_memory(lib, folder)
            except RuntimeError as exc:
                if lib not in ERROR_AS_ROW:
                    raise
                out["libs"][lib]["memory_error"] = row_error(case, lib, "its memory child", exc)
                log(f"  {out['libs'][lib]['memory_error']['message']}")
                continue
            log(f"  {case['name']}: {lib} peak RSS Δ "
                f"{out['libs'][lib]['memory']['rss_peak_delta_mib']:.0f} MiB")
        for f in folder.iterdir():
            f.unlink()
    base = out["libs"].get(REFERENCE)
    for lib, o in out["libs"].items():
        if "error" in o:
            continue
        if base is not None:
            o["time_ratio_vs_floor"] = o["median_s"] / base["median_s"]
        if "lianpu" in out["libs"]:
            o["time_ratio_vs_lianpu"] = o["median_s"] / out["libs"]["lianpu"]["median_s"]
        if "memory" in o:
            o["rss_peak_over_matrix"] = o["memory"]["rss_peak_delta_mib"] / out["matrix_mib"]
    return out



def libs_for(case: dict, a) -> list:
    """The rows run for a case: --libs if given; the CSR rows only for sparse cases; the
    peers (explicit inverses, several n×n frames) only up to --peer-max-n."""
    n = case["Z"].shape[0]
    sparse = case["density_target"] < 0.05
    chosen = a.libs.split(",") if a.libs else list(LIBS)
    known = list(LIBS) + ["lianpu_krylov"]
    for lib in chosen:
        if lib not in RUNNERS:
            raise SystemExit(f"argument --libs: unknown row {lib!r} (expected {', '.join(known)})")
    out = []
    for lib in chosen:
        if lib in SPARSE_ONLY and not sparse:
            continue
        if lib in NEEDS_FRAMES and n > a.peer_max_n:
            continue
        out.append(lib)
    if REFERENCE not in out:
        out.append(REFERENCE)  # agreement needs the direct solve
    return out
