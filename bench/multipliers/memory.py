"""Peak memory of one (row, case) in a fresh subprocess: the child loads the case from
``.npy``, warms up on a small table, resets the kernel's peak-RSS counter and runs the row
once; the figure is VmHWM after the task minus VmRSS before it (see bench/README.md)."""
from __future__ import annotations

import gc
import importlib
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from .cases import load_case, pymrio_frames, synthetic_case
from .runners import NEEDS_FRAMES, RUNNERS, SPARSE_ONLY, user_csr

#: the entry point, which runs :func:`child` when called as ``--_child LIB FOLDER``
ENTRY = Path(__file__).resolve().parents[1] / "bench_multipliers.py"


def _vm_kib(field: str) -> int:
    """VmRSS / VmHWM of this process from /proc/self/status, in KiB."""
    with open("/proc/self/status") as f:
        for ln in f:
            if ln.startswith(field + ":"):
                return int(ln.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def _reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0); False where not permitted."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _warmup_inputs(lib: str, case: dict):
    small = synthetic_case(400, len(case["sat_names"]), 4, 2, 0.25, 1)
    small["allow_negative"] = case["allow_negative"]
    return small, (pymrio_frames(small) if lib in NEEDS_FRAMES else None)


def child(lib: str, folder: str) -> None:
    """One (library, case) in a fresh process: peak RSS above the post-import baseline and
    tracemalloc's peak, printed as one JSON line."""
    case = load_case(Path(folder))
    for mod in ("pandas", "lianpu"):  # imports belong to the baseline
        importlib.import_module(mod)
    frames = None
    if lib in NEEDS_FRAMES:
        for mod in ("mario", "pymrio"):
            importlib.import_module(mod)
        frames = pymrio_frames(case)
    if lib in SPARSE_ONLY:
        user_csr(case)  # the user's storage, before the clock
    # Warm up on a small table: lazy imports, BLAS thread buffers and pandas caches are
    # one-time costs that would otherwise dominate the figure for mid-sized tables.
    RUNNERS[lib](*_warmup_inputs(lib, case))
    gc.collect()
    # Peak RSS of this process during the task: VmHWM reset to the current RSS just before
    # it. (ru_maxrss is not used: Linux carries the parent's high-water mark across
    # fork+exec, so a child of a 300 MiB parent reports ≥ 300 MiB from its first line.)
    reset = _reset_peak_rss()
    base_now, base_hwm = _vm_kib("VmRSS"), _vm_kib("VmHWM")
    tracemalloc.start()
    t0 = time.perf_counter()
    res, _ = RUNNERS[lib](case, frames)
    wall = time.perf_counter() - t0
    _, tm_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    end_hwm = _vm_kib("VmHWM")
    print(json.dumps({
        "lib": lib, "rss_peak_delta_mib": (end_hwm - base_now) / 1024,
        "rss_before_mib": base_now / 1024, "hwm_before_mib": base_hwm / 1024,
        "hwm_reset": reset, "peak_during_task": end_hwm > base_hwm,
        "tracemalloc_peak_mib": tm_peak / 2**20, "wall_s_under_tracemalloc": wall,
        "input_mib": sum(case[k].nbytes for k in "ZYF") / 2**20,
        "matrix_mib": case["Z"].nbytes / 2**20,
        "result_mib": sum(v.nbytes for v in res.values()) / 2**20,
    }))
    if not reset:
        print("warning: /proc/self/clear_refs not writable; the peak includes start-up",
              file=sys.stderr)


def measure_memory(lib: str, folder: Path) -> dict:
    """Run :func:`child` for ``lib`` on the case saved in ``folder``; its JSON line as a dict."""
    r = subprocess.run([sys.executable, str(ENTRY), "--_child", lib, str(folder)],
                       check=False, capture_output=True, text=True, env=os.environ.copy())
    if r.returncode:
        raise RuntimeError(f"memory subprocess for {lib} failed (exit {r.returncode}):\n{r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1])
