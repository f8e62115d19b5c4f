"""Benchmark: output and satellite multipliers, lianpu versus pymrio.

The task, identical for both libraries: from Z (n×n), Y (n×k) and satellite rows F (s×n),
obtain the output multipliers (column sums of L = (I − A)⁻¹) and every satellite multiplier
M = S·L (per unit of final demand), with S = F x̂⁻¹ and x = Z·1 + Y·1 computed by each library.

- lianpu: ``IOTable.from_arrays(Z, Y, satellites=...)`` (validation included), then
  ``lianpu.multipliers(t, "output")`` and ``lianpu.multipliers(t, name)`` per satellite
  (one LU of I − A, one transposed solve per row vector).
- pymrio "calc_all": ``IOSystem(Z, Y, ext=F).calc_all()`` exactly as a user would; this also
  computes the extension's D_cba/D_pba/D_imp/D_exp accounts, which lianpu does not.
- pymrio "same quantities": only the quantities asked for, with pymrio's own maths
  (``calc_x``, ``calc_A``, ``calc_L``, ``L.sum(axis=0)``, ``calc_S``, ``calc_M``).

Cases: WIOD 2013 release (1435 sectors; Z = inter, Y = final) and a seeded synthetic
productive table (n = 4000 by default). Times are best of R runs in this process; peak memory
is measured once per (library, case) in a fresh subprocess (see bench/README.md).

Usage::

    python bench/bench_multipliers.py [--n 4000] [--sats 5] [--wiod-year 2011] [--json OUT]
"""
from __future__ import annotations

import os
import sys

# BLAS thread counts are read when numpy is first imported, so --threads is applied before it.
if "--threads" in sys.argv:
    _t = sys.argv[sys.argv.index("--threads") + 1]
    for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_v] = _t

import argparse
import gc
import json
import platform
import subprocess
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
WIOD_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "wiod2013" / "raw"
WIOD_FD = ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"]  # WIOD 2013 final-demand columns
LIBS = ("lianpu", "pymrio_calc_all", "pymrio_same")
RTOL = 1e-8


# ----------------------------------------------------------------------------- inputs
def synthetic_case(n: int, sats: int, regions: int, categories: int, density: float,
                   seed: int) -> dict:
    """A productive MRIO-shaped table: A ≥ 0 with column sums in [0.3, 0.7], y > 0, x = L y.

    Z = A x̂ and Y splits y over ``regions × categories`` columns, so Z·1 + Y·1 = x up to
    rounding; satellites F = s ⊙ x with lognormal intensities s > 0.
    """
    if n % regions:
        raise SystemExit(f"argument --n: {n} is not a multiple of --regions {regions}")
    rng = np.random.default_rng(seed)
    A = rng.lognormal(0.0, 1.0, (n, n))
    A *= rng.random((n, n)) < density
    np.fill_diagonal(A, rng.lognormal(1.0, 0.5, n))  # own-sector purchases are usually large
    A *= rng.uniform(0.3, 0.7, n) / A.sum(axis=0)
    y = rng.lognormal(0.0, 1.0, n) * 100.0
    M = -A
    M[np.diag_indices(n)] += 1.0
    x = np.linalg.solve(M, y)
    del M
    if not (x > 0).all():
        raise RuntimeError("synthetic table is not productive (x has non-positive entries)")
    Z = A * x[None, :]
    del A
    w = rng.random((n, regions * categories))
    Y = y[:, None] * (w / w.sum(axis=1, keepdims=True))
    F = rng.lognormal(0.0, 1.5, (sats, n)) * x[None, :]
    m = n // regions
    reg = [f"R{r:02d}" for r in range(regions)]
    return {
        "name": f"synthetic n={n}", "Z": np.ascontiguousarray(Z),
        "Y": np.ascontiguousarray(Y), "F": F,
        "regions": [r for r in reg for _ in range(m)],
        "sectors": [f"s{i:04d}" for _ in reg for i in range(m)],
        "fd_regions": [r for r in reg for _ in range(categories)],
        "fd_categories": [f"fd{c}" for _ in reg for c in range(categories)],
        "sat_names": [f"sat{i}" for i in range(sats)], "allow_negative": False,
        "note": f"seed={seed}, density={density}, {regions} regions × {m} sectors, "
             f"{regions * categories} final-demand columns",
    }


def _wiod_via_lianpu(path: Path):
    """(Z, Y, regions, sectors, fd) from lianpu's own WIOD reader, or None when it is absent."""
    import importlib.util
    if importlib.util.find_spec("lianpu.readers.wiod") is None:
        return None, "lianpu.readers.wiod not present"
    import lianpu
    try:
        t = lianpu.load(path)
    except lianpu.LianpuError as exc:  # the reader is work in progress; say why, then fall back
        return None, f"lianpu.load failed: {type(exc).__name__}: {exc}"
    if not t.is_multiregional:
        return None, "lianpu.load returned a single-region table"
    idx = t.index
    fd = list(t.final_demand_labels.index)
    fd_reg = [c[0] if isinstance(c, tuple) else str(c).split("/")[0] for c in fd]
    fd_cat = [c[-1] if isinstance(c, tuple) else str(c) for c in fd]
    return (np.array(t.Z_), np.array(t.Y_), [str(r) for r in idx.get_level_values(0)],
            [str(s) for s in idx.get_level_values(-1)], fd_reg, fd_cat), "lianpu.load"


def _wiod_via_rdata(path: Path):
    import rdata
    with warnings.catch_warnings():  # the R class "iot" has no converter; we read its fields
        warnings.simplefilter("ignore")
        obj = rdata.conversion.convert(rdata.parser.parse_file(path))
    d = next(iter(obj.values()))
    Z = np.ascontiguousarray(np.asarray(d["inter"].values, dtype=float))
    Y = np.ascontiguousarray(np.asarray(d["final"].values, dtype=float))
    countries = [str(c) for c in d["countries"]]
    industries = [str(i) for i in d["industries"]]
    if Z.shape[0] != len(countries) * len(industries) or Y.shape[1] % len(countries):
        raise RuntimeError(f"{path}: unexpected shapes Z {Z.shape}, Y {Y.shape} for "
                           f"{len(countries)} countries × {len(industries)} industries")
    k = Y.shape[1] // len(countries)
    cats = WIOD_FD if k == len(WIOD_FD) else [f"fd{j}" for j in range(k)]
    return (Z, Y, [c for c in countries for _ in industries], industries * len(countries),
            [c for c in countries for _ in cats], cats * len(countries)), "rdata (own parse)"


def wiod_case(year: int, sats: int, seed: int, wiod_dir: Path) -> dict:
    """WIOD 2013 release, one year. Satellites are synthetic (the raw file has none):
    F = s ⊙ x with seeded lognormal intensities, zero where output is zero."""
    path = wiod_dir / f"wiot_{year}.RData"
    got, how = _wiod_via_lianpu(path)
    if got is None:
        why = how
        got, how = _wiod_via_rdata(path)
        how = f"{how}; {why}"
    Z, Y, reg, sec, fd_reg, fd_cat = got
    x = Z.sum(axis=1) + Y.sum(axis=1)
    rng = np.random.default_rng(seed)
    F = rng.lognormal(0.0, 1.5, (sats, Z.shape[0])) * np.maximum(x, 0.0)[None, :]
    return {"name": f"WIOD {year} n={Z.shape[0]}", "Z": Z, "Y": Y, "F": F,
                "regions": reg, "sectors": sec,
                "fd_regions": fd_reg, "fd_categories": fd_cat,
                "sat_names": [f"sat{i}" for i in range(sats)],
                # WIOD has negative inventory changes and two sectors with Z·1 + Y·1 = −1
                "allow_negative": True,
                "note": f"{path.name} loaded by {how}; Z = inter, Y = final, x = Z·1 + Y·1; "
                     f"satellites synthetic (seed={seed})"}


def save_case(case: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for k in ("Z", "Y", "F"):
        np.save(folder / f"{k}.npy", case[k])
    meta = {k: v for k, v in case.items() if k not in ("Z", "Y", "F")}
    (folder / "meta.json").write_text(json.dumps(meta))


def load_case(folder: Path) -> dict:
    case = json.loads((folder / "meta.json").read_text())
    for k in ("Z", "Y", "F"):
        case[k] = np.load(folder / f"{k}.npy")  # read straight into the array, no temporaries
    return case


# ----------------------------------------------------------------------------- the task
def pymrio_frames(case: dict) -> dict:
    """Labelled inputs as pymrio expects them (MultiIndex (region, sector); Y columns
    (region, category)). Built outside the timed section: they are pymrio's natural input."""
    import pandas as pd
    idx = pd.MultiIndex.from_arrays([case["regions"], case["sectors"]], names=["region", "sector"])
    cols = pd.MultiIndex.from_arrays([case["fd_regions"], case["fd_categories"]],
                                     names=["region", "category"])
    stress = pd.Index(case["sat_names"], name="stressor")
    return {
        "Z": pd.DataFrame(case["Z"], index=idx, columns=idx, copy=False),
        "Y": pd.DataFrame(case["Y"], index=idx, columns=cols, copy=False),
        "F": pd.DataFrame(case["F"], index=stress, columns=idx, copy=False),
        "F_unit": pd.DataFrame({"unit": ["kg"] * len(stress)}, index=stress),
    }


def run_lianpu(case: dict, frames=None) -> tuple[dict, dict]:
    """lianpu from arrays: returns ({'output': (n,), 'M': (s, n)}, component times)."""
    import lianpu
    from lianpu import Satellite
    t0 = time.perf_counter()
    sats = {nm: Satellite(nm, case["F"][i], "kg") for i, nm in enumerate(case["sat_names"])}
    fd = [f"{r}/{c}" for r, c in zip(case["fd_regions"], case["fd_categories"])]
    t = lianpu.IOTable.from_arrays(case["Z"], case["Y"], sectors=case["sectors"],
                                   regions=case["regions"], final_demand=fd, satellites=sats,
                                   allow_negative_flows=case["allow_negative"])
    t1 = time.perf_counter()
    _ = t.A_
    t2 = time.perf_counter()
    _ = t.factor
    t3 = time.perf_counter()
    out = lianpu.multipliers(t, "output").to_numpy()
    M = np.vstack([lianpu.multipliers(t, nm).to_numpy() for nm in case["sat_names"]])
    t4 = time.perf_counter()
    # IOTable checks productivity on construction, so A and the LU are usually made (and
    # cached) inside from_arrays; the next two stamps are then ~0. See lianpu_breakdown.
    return {"output": out, "M": M}, {
        "from_arrays (validation; A, LU if made on construction)": t1 - t0,
        "A (if not yet cached)": t2 - t1, "factor (if not yet cached)": t3 - t2,
        "solves (1 + sats, incl. Series)": t4 - t3, "total": t4 - t0}


def run_pymrio_calc_all(case: dict, frames: dict) -> tuple[dict, dict]:
    """pymrio exactly as a user would: IOSystem + Extension, calc_all()."""
    import pymrio
    t0 = time.perf_counter()
    io = pymrio.IOSystem(Z=frames["Z"], Y=frames["Y"],
                         ext={"name": "ext", "F": frames["F"], "unit": frames["F_unit"]})
    io.calc_system()
    t1 = time.perf_counter()
    io.calc_extensions()
    t2 = time.perf_counter()
    out = io.L.sum(axis=0).to_numpy()
    M = io.ext.M.to_numpy()
    t3 = time.perf_counter()
    return {"output": out, "M": M}, {
        "calc_system (x, A, L=inv)": t1 - t0, "calc_extensions (S, M, D accounts)": t2 - t1,
        "read results": t3 - t2, "total": t3 - t0}


def run_pymrio_same(case: dict, frames: dict) -> tuple[dict, dict]:
    """Only the quantities asked for, with pymrio.tools.iomath (what calc_all does for them)."""
    from pymrio.tools import iomath as im
    t0 = time.perf_counter()
    x = im.calc_x(frames["Z"], frames["Y"])
    A = im.calc_A(frames["Z"], x)
    t1 = time.perf_counter()
    L = im.calc_L(A)
    t2 = time.perf_counter()
    out = L.sum(axis=0).to_numpy()
    M = im.calc_M(im.calc_S(frames["F"], x), L).to_numpy()
    t3 = time.perf_counter()
    return {"output": out, "M": M}, {
        "x, A": t1 - t0, "L = inv(I − A)": t2 - t1, "colsum L, S, M = S·L": t3 - t2,
        "total": t3 - t0}


#: where lianpu spends its time: (module path, attribute, label); nested entries are shown
#: indented. Patched only for one extra, untimed run; absent attributes are skipped.
LIANPU_PROBES = [
    ("lianpu.table:IOTable", "label", "labels for messages (table.label)"),
    ("lianpu.table:val", "balance_report", "balance report"),
    ("lianpu.table:coef", "calc_A", "A = Z x̂⁻¹"),
    ("lianpu.table:leo", "leontief_factor", "leontief_factor (total)"),
    ("lianpu.core.leontief", "identity_minus", "  I − A"),
    ("lianpu.core.leontief", "factorize", "  factorize (backend choice, LU, pivot check)"),
    ("lianpu.core.backend:sla", "lu_factor", "    LAPACK getrf (scipy lu_factor)"),
    ("lianpu.core.leontief", "check_productive", "  productivity check (one solve)"),
    ("lianpu.analysis.multipliers:leo", "left_solve", "transposed solves (multipliers)"),
]


def lianpu_breakdown(case: dict) -> dict:
    """One run of :func:`run_lianpu` with timers wrapped around the probes above."""
    import importlib
    acc: dict[str, float] = {}
    patched = []

    def wrap(fn, key):
        def timed(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                acc[key] = acc.get(key, 0.0) + time.perf_counter() - t
        return timed

    for where, attr, key in LIANPU_PROBES:
        modname, _, obj = where.partition(":")
        target = importlib.import_module(modname)
        if obj:
            target = getattr(target, obj, None)
        if target is None or not hasattr(target, attr):
            acc[f"{key} [not found]"] = float("nan")
            continue
        orig = getattr(target, attr)
        setattr(target, attr, wrap(orig, key))
        patched.append((target, attr, orig))
    try:
        _, parts = run_lianpu(case)
    finally:
        for target, attr, orig in reversed(patched):
            setattr(target, attr, orig)
    return {"run_total": parts["total"],
            "from_arrays": parts["from_arrays (validation; A, LU if made on construction)"],
            **{key: acc.get(key, 0.0) for _, _, key in LIANPU_PROBES}}


RUNNERS = {"lianpu": run_lianpu, "pymrio_calc_all": run_pymrio_calc_all,
           "pymrio_same": run_pymrio_same}


# ----------------------------------------------------------------------------- memory child
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
    return small, (None if lib == "lianpu" else pymrio_frames(small))


def child(lib: str, folder: str) -> None:
    """One (library, case) in a fresh process: peak RSS above the post-import baseline and
    tracemalloc's peak, printed as one JSON line."""
    case = load_case(Path(folder))
    import pandas  # noqa: F401  (imports belong to the baseline)
    if lib == "lianpu":
        import lianpu  # noqa: F401
        frames = None
    else:
        import pymrio  # noqa: F401
        frames = pymrio_frames(case)
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
        "result_mib": sum(v.nbytes for v in res.values()) / 2**20,
    }))
    if not reset:
        print("warning: /proc/self/clear_refs not writable; the peak includes start-up",
              file=sys.stderr)


def measure_memory(lib: str, folder: Path) -> dict:
    r = subprocess.run([sys.executable, __file__, "--_child", lib, str(folder)],
                       check=False, capture_output=True, text=True, env=os.environ.copy())
    if r.returncode:
        raise RuntimeError(f"memory subprocess for {lib} failed (exit {r.returncode}):\n{r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- machine info
def blas_threads() -> dict:
    """BLAS libraries and their thread counts (threadpoolctl when installed, else ctypes)."""
    try:
        from threadpoolctl import threadpool_info
        return {"threadpoolctl": threadpool_info()}
    except ImportError:
        pass
    import ctypes

    import scipy.linalg  # noqa: F401  (load scipy's BLAS too)
    found = {}
    with open("/proc/self/maps") as f:
        libs = {ln.split()[-1] for ln in f if "blas" in Path(ln.split()[-1]).name.lower()}
    for path in sorted(libs):
        if not path.startswith("/"):
            continue
        try:
            so = ctypes.CDLL(path)
        except OSError as exc:
            found[path] = f"cannot open: {exc}"
            continue
        for sym in ("openblas_get_num_threads", "scipy_openblas_get_num_threads64_",
                    "scipy_openblas_get_num_threads", "openblas_get_num_threads64_"):
            fn = getattr(so, sym, None)
            if fn is not None:
                found[Path(path).name] = int(fn())
                break
    return {"ctypes": found}


def machine_info() -> dict:
    import pandas as pd
    import pymrio
    import scipy

    import lianpu
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    except OSError:
        pass
    cfg = {}
    for mod in (np, scipy):
        try:
            d = mod.show_config(mode="dicts")
            b = d.get("Build Dependencies", {})
            cfg[mod.__name__] = {k: {kk: b[k].get(kk) for kk in ("name", "version")}
                                 for k in ("blas", "lapack") if k in b}
        except TypeError:  # old numpy/scipy without mode=
            cfg[mod.__name__] = "unknown"
    return {
        "cpu": cpu, "os.cpu_count": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)),
        "platform": platform.platform(), "python": platform.python_version(),
        "numpy": np.__version__, "scipy": scipy.__version__, "pandas": pd.__version__,
        "pymrio": pymrio.__version__, "lianpu": lianpu.__version__, "blas_config": cfg,
        "blas_threads": blas_threads(),
        "env": {v: os.environ.get(v) for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                               "MKL_NUM_THREADS")},
    }


# ----------------------------------------------------------------------------- driver
def rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).max() / max(np.abs(b).max(), np.finfo(float).tiny))


def bench_case(case: dict, repeats: int, memory: bool, tmp: Path, log) -> dict:
    frames = pymrio_frames(case)
    out = {"case": case["name"], "note": case["note"], "n": int(case["Z"].shape[0]),
           "final_demand_columns": int(case["Y"].shape[1]), "satellites": len(case["sat_names"]),
           "density_Z": float(np.count_nonzero(case["Z"]) / case["Z"].size), "repeats": repeats,
           "libs": {}}
    results, runs = {}, {lib: [] for lib in LIBS}
    out["loadavg_before"] = os.getloadavg()
    # interleaved, so that a burst of load from other processes hits every library alike
    for r in range(repeats):
        for lib in LIBS:
            gc.collect()
            cpu = time.process_time()
            res, parts = RUNNERS[lib](case, frames)
            parts["cpu_s (all threads)"] = time.process_time() - cpu
            runs[lib].append(parts)
            log(f"  {case['name']}: {lib} run {r + 1}/{repeats}: {parts['total']:.3f} s")
            if r == 0:
                results[lib] = res
            del res
    out["loadavg_after"] = os.getloadavg()
    for lib in LIBS:
        best = min(runs[lib], key=lambda p: p["total"])
        out["libs"][lib] = {"best_s": best["total"], "all_s": [p["total"] for p in runs[lib]],
                            "cpu_s": [p["cpu_s (all threads)"] for p in runs[lib]],
                            "components_best_run": best}
    gc.collect()
    out["lianpu_breakdown"] = lianpu_breakdown(case)
    ref = results["pymrio_calc_all"]
    checks = {}
    for lib in ("lianpu", "pymrio_same"):
        for q in ("output", "M"):
            d = rel_diff(results[lib][q], ref[q])
            checks[f"{lib} vs pymrio_calc_all: {q}"] = {
                "max_abs": float(np.abs(results[lib][q] - ref[q]).max()), "rel": d}
            assert d < RTOL, f"{case['name']}: {lib} {q} differs from pymrio by {d:.3g} (relative)"
    out["agreement"] = checks
    del results, ref
    if memory:
        folder = tmp / case["name"].replace(" ", "_").replace("=", "")
        save_case(case, folder)
        for lib in LIBS:
            out["libs"][lib]["memory"] = measure_memory(lib, folder)
            log(f"  {case['name']}: {lib} peak RSS Δ "
                f"{out['libs'][lib]['memory']['rss_peak_delta_mib']:.0f} MiB")
    base = out["libs"]["lianpu"]
    for lib in ("pymrio_calc_all", "pymrio_same"):
        o = out["libs"][lib]
        o["time_ratio_vs_lianpu"] = o["best_s"] / base["best_s"]
        if memory:
            o["rss_ratio_vs_lianpu"] = (o["memory"]["rss_peak_delta_mib"]
                                        / base["memory"]["rss_peak_delta_mib"])
    return out


def print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    con = Console(width=None if sys.stdout.isatty() else 120)
    m = report["machine"]
    con.print(f"[bold]Machine[/]: {m['cpu']} — {m['os.cpu_count']} CPUs "
              f"(affinity {m['affinity']}); numpy {m['numpy']}, scipy {m['scipy']}, "
              f"pandas {m['pandas']}, pymrio {m['pymrio']}, lianpu {m['lianpu']}")
    con.print(f"BLAS: {m['blas_config']}; threads: {m['blas_threads']}; env: {m['env']}")
    for c in report["cases"]:
        tab = Table(title=f"{c['case']} — {c['note']}")
        for h in ("library", "best time [s]", "pymrio/lianpu time", "peak RSS Δ [MiB]",
                  "pymrio/lianpu RSS", "tracemalloc peak [MiB]"):
            tab.add_column(h, justify="right" if h != "library" else "left")
        for lib, o in c["libs"].items():
            mem = o.get("memory", {})
            tab.add_row(lib, f"{o['best_s']:.3f}",
                        f"{o['time_ratio_vs_lianpu']:.2f}×" if "time_ratio_vs_lianpu" in o else "—",
                        f"{mem['rss_peak_delta_mib']:.0f}" if mem else "—",
                        f"{o['rss_ratio_vs_lianpu']:.2f}×" if "rss_ratio_vs_lianpu" in o else "—",
                        f"{mem['tracemalloc_peak_mib']:.0f}" if mem else "—")
        con.print(tab)
        comp = Table(title=f"{c['case']}: components (best run, seconds)")
        comp.add_column("library")
        comp.add_column("component")
        comp.add_column("s", justify="right")
        for lib, o in c["libs"].items():
            for k, v in o["components_best_run"].items():
                comp.add_row(lib, k, f"{v:.3f}")
        con.print(comp)
        bd = Table(title=f"{c['case']}: where lianpu's time goes (one instrumented run, seconds)")
        bd.add_column("step")
        bd.add_column("s", justify="right")
        for k, v in c["lianpu_breakdown"].items():
            bd.add_row(k, f"{v:.3f}")
        con.print(bd)
        con.print("  load average (1/5/15 min) before / after timing: "
                  f"{' '.join(f'{v:.2f}' for v in c['loadavg_before'])} / "
                  f"{' '.join(f'{v:.2f}' for v in c['loadavg_after'])}")
        for k, v in c["agreement"].items():
            con.print(f"  agreement {k}: max abs diff {v['max_abs']:.3g}, relative {v['rel']:.3g}")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=4000, help="synthetic table size (default 4000)")
    p.add_argument("--sats", type=int, default=5, help="number of satellites (default 5)")
    p.add_argument("--regions", type=int, default=20, help="synthetic regions (default 20)")
    p.add_argument("--categories", type=int, default=3,
                   help="final-demand categories per region (default 3)")
    p.add_argument("--density", type=float, default=0.25,
                   help="share of non-zero off-diagonal entries in the synthetic Z (default 0.25)")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--repeats", type=int, default=3, help="timing repeats, best taken (default 3)")
    p.add_argument("--wiod-year", type=int, default=2011)
    p.add_argument("--wiod-dir", type=Path, default=WIOD_DIR)
    p.add_argument("--cases", default="wiod,synthetic", help="comma list of wiod, synthetic")
    p.add_argument("--no-memory", action="store_true", help="skip the memory subprocesses")
    p.add_argument("--threads", type=int, help="set OMP/OPENBLAS/MKL_NUM_THREADS (all libraries)")
    p.add_argument("--json", type=Path, help="write all figures to this JSON file")
    a = p.parse_args(argv)
    log = lambda s: print(s, file=sys.stderr, flush=True)
    report = {"command": " ".join([Path(sys.executable).name, *sys.argv]),
              "machine": machine_info(), "args": {k: str(v) for k, v in vars(a).items()},
              "cases": []}
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lianpu-bench-") as tmp:
        for name in a.cases.split(","):
            log(f"preparing {name} …")
            if name == "wiod":
                case = wiod_case(a.wiod_year, a.sats, a.seed, a.wiod_dir)
            elif name == "synthetic":
                case = synthetic_case(a.n, a.sats, a.regions, a.categories, a.density, a.seed)
            else:
                raise SystemExit(f"argument --cases: unknown case {name!r} "
                                 "(expected wiod, synthetic)")
            report["cases"].append(bench_case(case, a.repeats, not a.no_memory, Path(tmp), log))
            del case
            gc.collect()
    report["elapsed_s"] = time.perf_counter() - t_start
    print_report(report)
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
        log(f"wrote {a.json}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--_child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
