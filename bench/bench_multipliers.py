"""Benchmark: output and satellite multipliers and footprints, lianpu versus the LU floor,
pymrio and MARIO.

The task, identical for every row: from Z (n×n), Y (n×K) and satellite rows F (s×n), obtain
the output multipliers (column sums of L = (I − A)⁻¹), every satellite multiplier M = S·L
(per unit of final demand, S = F x̂⁻¹, x = Z·1 + Y·1 computed by each library) and the
footprints by final-demand column D = M·Y (s×K).

- lianpu: ``IOTable.from_arrays(Z, Y, satellites=...)`` (validation included), then the
  intensity rows of output and every satellite stacked and solved in one call
  ``left_solve(table.factor, S)`` — the table's solver picks batched GMRES or the LU by the
  work asked (``table.factor.method`` / ``.reason`` are recorded).
- lianpu_per_kind: the same table, ``lianpu.multipliers(t, kind)`` once per kind (one solve
  per row vector: what a user calling the analysis per satellite gets).
- lianpu_core_sparse (sparse cases only): Z held as CSR by the user, A = Z x̂⁻¹ in CSR,
  ``leontief_factor(A)`` and one ``left_solve`` — no dense n×n anywhere.
- lu_floor: bare LAPACK, the floor for any direct method: A = Z x̂⁻¹, one getrf of I − A (in
  place) and one transposed getrs for all s + 1 rows. Also the reference for agreement.
- pymrio "calc_all": ``IOSystem(Z, Y, ext=F).calc_all()`` exactly as a user would; this also
  computes the extension's D_cba/D_pba/D_imp/D_exp accounts.
- pymrio "same quantities": only the quantities asked for, with pymrio's own maths
  (``calc_x``, ``calc_A``, ``calc_L``, ``L.sum(axis=0)``, ``calc_S``, ``calc_M``).
- mario_functions: MARIO's functional API for the same quantities (``calc_X``, ``calc_z``,
  ``calc_e``, ``calc_w`` (= the Leontief inverse), ``calc_f``, ``w.sum(axis=0)``).

Cases: WIOD 2013 release (1435 sectors; Z = inter, Y = final), seeded synthetic productive
tables (``--n 4000,8000``), optionally ``--big`` (dense n = 20,000) and ``--sparse``
(n = 20,000 at 2 % density). Times are medians (and best) of R interleaved runs in this
process; peak memory is measured once per (library, case) in a fresh subprocess (see
bench/README.md).

Usage::

    python bench/bench_multipliers.py [--n 4000,8000] [--sats 5] [--big] [--sparse]
        [--libs lianpu,lu_floor,...] [--json OUT]
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
LIBS = ("lianpu", "lianpu_per_kind", "lianpu_core_sparse", "lu_floor", "pymrio_calc_all",
        "pymrio_same", "mario_functions")
REFERENCE = "lu_floor"
#: agreement with the direct solve: lianpu's rows must be within 1e-10 (relative to the
#: largest entry), the peers' explicit inverses within 1e-8
RTOL = {"lianpu": 1e-10, "lianpu_krylov": 1e-10, "lianpu_per_kind": 1e-10,
        "lianpu_core_sparse": 1e-10}
RTOL_PEERS = 1e-8


# ----------------------------------------------------------------------------- inputs
def synthetic_case(n: int, sats: int, regions: int, categories: int, density: float,
                   seed: int) -> dict:
    """A productive MRIO-shaped table: A ≥ 0 with column sums in [0.3, 0.7], y > 0, x = L y.

    Z = A x̂ and Y splits y over ``regions × categories`` columns, so Z·1 + Y·1 = x up to
    rounding; satellites F = s ⊙ x with lognormal intensities s > 0. Built in place in one
    n×n array (row blocks; A becomes Z), so a 20,000-sector case needs one 3.2 GB matrix;
    x = L y by SciPy's GMRES (an implementation independent of lianpu's), to 1e-13.
    """
    import scipy.sparse.linalg as spla
    if n % regions:
        raise SystemExit(f"argument --n: {n} is not a multiple of --regions {regions}")
    rng = np.random.default_rng(seed)
    A = np.empty((n, n))
    step = max(1, 2**24 // n)  # ~128 MiB of temporaries per block
    for a in range(0, n, step):
        b = min(n, a + step)
        blk = rng.lognormal(0.0, 1.0, (b - a, n))
        blk *= rng.random((b - a, n)) < density
        A[a:b] = blk
    del blk
    A[np.diag_indices(n)] = rng.lognormal(1.0, 0.5, n)  # own-sector purchases are usually large
    A *= (rng.uniform(0.3, 0.7, n) / A.sum(axis=0))[None, :]
    y = rng.lognormal(0.0, 1.0, n) * 100.0
    op = spla.LinearOperator((n, n), matvec=lambda v: v - A @ v, dtype=float)
    x, info = spla.gmres(op, y, rtol=1e-13, atol=0.0, restart=60, maxiter=20)
    if info != 0 or not (x > 0).all():
        raise RuntimeError(f"synthetic table: x = L y failed (gmres info {info}) or x ≤ 0")
    A *= x[None, :]  # A is now Z
    Z = A
    w = rng.random((n, regions * categories))
    Y = y[:, None] * (w / w.sum(axis=1, keepdims=True))
    F = rng.lognormal(0.0, 1.5, (sats, n)) * x[None, :]
    m = n // regions
    reg = [f"R{r:02d}" for r in range(regions)]
    return {
        "name": f"synthetic n={n}" + (f" density={density:g}" if density < 0.05 else ""),
        "Z": Z, "Y": np.ascontiguousarray(Y), "F": F,
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
    meta = {k: v for k, v in case.items() if k not in ("Z", "Y", "F") and not k.startswith("_")}
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


def _lianpu_table(case: dict):
    import lianpu
    from lianpu import Satellite
    sats = {nm: Satellite(nm, case["F"][i], "kg") for i, nm in enumerate(case["sat_names"])}
    fd = [f"{r}/{c}" for r, c in zip(case["fd_regions"], case["fd_categories"])]
    return lianpu.IOTable.from_arrays(case["Z"], case["Y"], sectors=case["sectors"],
                                      regions=case["regions"], final_demand=fd, satellites=sats,
                                      allow_negative_flows=case["allow_negative"])


def _solver_info(f) -> dict:
    return {"method": getattr(f, "method", "?"), "backend": getattr(f, "backend", "?"),
            "reason": getattr(f, "reason", ""), "passes": getattr(f, "passes", None),
            "history": [list(h) for h in getattr(f, "history", [])]}


def run_lianpu(case: dict, frames=None) -> tuple[dict, dict]:
    """lianpu from arrays, all rows in one solve: ({'output', 'M', 'D'}, component times)."""
    from lianpu.analysis.multipliers import intensity
    from lianpu.core import leontief as leo
    t0 = time.perf_counter()
    t = _lianpu_table(case)
    t1 = time.perf_counter()
    S = np.vstack([intensity(t, "output")[0]] + [intensity(t, nm)[0] for nm in case["sat_names"]])
    MM = leo.left_solve(t.factor, S)
    t2 = time.perf_counter()
    M = MM[1:]
    D = M @ t.Y_
    t3 = time.perf_counter()
    return {"output": MM[0], "M": M, "D": D}, {
        "from_arrays (validation, A, productivity)": t1 - t0,
        "one left_solve of 1 + sats rows": t2 - t1, "footprints D = M·Y": t3 - t2,
        "total": t3 - t0, "solver": _solver_info(t.factor)}


def run_lianpu_krylov(case: dict, frames=None) -> tuple[dict, dict]:
    """As ``lianpu`` but the solver forced iterative (``method="krylov"``), e.g. on WIOD where
    "auto" makes the LU (n ≤ 2000): shows the passes GMRES needs on a real table."""
    from lianpu.analysis.multipliers import intensity
    from lianpu.core import leontief as leo
    t0 = time.perf_counter()
    t = _lianpu_table(case)
    f = leo.leontief_factor(t.A_, method="krylov")
    t1 = time.perf_counter()
    S = np.vstack([intensity(t, "output")[0]] + [intensity(t, nm)[0] for nm in case["sat_names"]])
    MM = leo.left_solve(f, S)
    t2 = time.perf_counter()
    D = MM[1:] @ t.Y_
    t3 = time.perf_counter()
    return {"output": MM[0], "M": MM[1:], "D": D}, {
        "from_arrays (auto solver: LU at n ≤ 2000) + krylov solver": t1 - t0,
        "one left_solve of 1 + sats rows": t2 - t1, "footprints D = M·Y": t3 - t2,
        "total": t3 - t0, "solver": _solver_info(f)}


def run_lianpu_per_kind(case: dict, frames=None) -> tuple[dict, dict]:
    """lianpu.multipliers(t, kind) once per kind (one solve each), then D = M·Y."""
    import lianpu
    t0 = time.perf_counter()
    t = _lianpu_table(case)
    t1 = time.perf_counter()
    out = lianpu.multipliers(t, "output").to_numpy()
    M = np.vstack([lianpu.multipliers(t, nm).to_numpy() for nm in case["sat_names"]])
    t2 = time.perf_counter()
    D = M @ t.Y_
    t3 = time.perf_counter()
    return {"output": out, "M": M, "D": D}, {
        "from_arrays (validation, A, productivity)": t1 - t0,
        "multipliers() × (1 + sats), incl. Series": t2 - t1, "footprints D = M·Y": t3 - t2,
        "total": t3 - t0, "solver": _solver_info(t.factor)}


def run_lianpu_core_sparse(case: dict, frames=None) -> tuple[dict, dict]:
    """Z held as CSR (built before the clock): A = Z x̂⁻¹ in CSR, leontief_factor, one
    left_solve. No dense n×n."""
    from lianpu.core import coefficients as coef
    from lianpu.core import leontief as leo
    Zs = case.get("_Z_csr")
    if Zs is None:
        import scipy.sparse as sp
        Zs = case["_Z_csr"] = sp.csr_matrix(case["Z"])
    t0 = time.perf_counter()
    x = coef.calc_x(Zs, case["Y"])
    A = coef.calc_A(Zs, x)
    f = leo.leontief_factor(A)
    t1 = time.perf_counter()
    S = np.vstack([np.ones(len(x)), coef.calc_S(case["F"], x)])
    MM = leo.left_solve(f, S)
    t2 = time.perf_counter()
    D = MM[1:] @ case["Y"]
    t3 = time.perf_counter()
    return {"output": MM[0], "M": MM[1:], "D": D}, {
        "x, A (CSR), solver and productivity": t1 - t0, "one left_solve": t2 - t1,
        "footprints": t3 - t2, "total": t3 - t0, "solver": _solver_info(f)}


def run_lu_floor(case: dict, frames=None) -> tuple[dict, dict]:
    """Bare LAPACK: A = Z x̂⁻¹ written as I − A in place (Fortran order), getrf, one getrs
    (transposed) for all rows. No validation, no labels: the floor for a direct method."""
    import scipy.linalg as sla
    Z, Y, F = case["Z"], case["Y"], case["F"]
    t0 = time.perf_counter()
    x = Z.sum(axis=1) + Y.sum(axis=1)
    r = np.divide(1.0, x, out=np.zeros_like(x), where=x != 0)
    M = np.multiply(Z, -r[None, :], order="F")
    M[np.diag_indices(len(x))] += 1.0
    t1 = time.perf_counter()
    lu = sla.lu_factor(M, overwrite_a=True, check_finite=False)
    t2 = time.perf_counter()
    S = np.vstack([np.ones(len(x)), F * r[None, :]])
    MM = sla.lu_solve(lu, S.T, trans=1, check_finite=False).T
    t3 = time.perf_counter()
    D = MM[1:] @ Y
    t4 = time.perf_counter()
    return {"output": MM[0], "M": MM[1:], "D": D}, {
        "x, I − A": t1 - t0, "getrf": t2 - t1, "getrs (transposed)": t3 - t2,
        "footprints": t4 - t3, "total": t4 - t0}


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
    D = M @ frames["Y"].to_numpy()
    t3 = time.perf_counter()
    return {"output": out, "M": M, "D": D}, {
        "calc_system (x, A, L=inv)": t1 - t0, "calc_extensions (S, M, D accounts)": t2 - t1,
        "read results, D = M·Y": t3 - t2, "total": t3 - t0}


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
    D = M @ frames["Y"].to_numpy()
    t3 = time.perf_counter()
    return {"output": out, "M": M, "D": D}, {
        "x, A": t1 - t0, "L = inv(I − A)": t2 - t1, "colsum L, S, M = S·L, D": t3 - t2,
        "total": t3 - t0}


def run_mario_functions(case: dict, frames: dict) -> tuple[dict, dict]:
    """MARIO's functional API (mario.calc_*) on the same frames: X, z, e, w = (I − z)⁻¹,
    f = e·w, output multipliers w.sum(axis=0), D = f·Y."""
    import mario
    t0 = time.perf_counter()
    X = mario.calc_X(frames["Z"], frames["Y"])
    z = mario.calc_z(frames["Z"], X)
    e = mario.calc_e(frames["F"], X)
    t1 = time.perf_counter()
    w = mario.calc_w(z)
    t2 = time.perf_counter()
    out = w.sum(axis=0).to_numpy()
    M = mario.calc_f(e, w).to_numpy()
    D = M @ frames["Y"].to_numpy()
    t3 = time.perf_counter()
    return {"output": out, "M": M, "D": D}, {
        "X, z, e": t1 - t0, "w = (I − z)⁻¹": t2 - t1, "w.sum, f = e·w, D": t3 - t2,
        "total": t3 - t0}


#: where lianpu spends its time: (module path, attribute, label); nested entries are shown
#: indented. Patched only for one extra, untimed run; absent attributes are skipped.
LIANPU_PROBES = [
    ("lianpu.table:IOTable", "label", "labels for messages (table.label)"),
    ("lianpu.table:val", "balance_report", "balance report"),
    ("lianpu.table:coef", "calc_A", "A = Z x̂⁻¹"),
    ("lianpu.table:leo", "leontief_factor", "leontief_factor (solver choice, productivity)"),
    ("lianpu.core.leontief:kry", "productive_without_lu", "  productivity without an LU"),
    ("lianpu.core.leontief", "_lu_factor", "  LU of I − A (when chosen)"),
    ("lianpu.core.leontief:kry", "batched_gmres", "batched GMRES (all solves)"),
    ("lianpu.analysis.multipliers:leo", "left_solve", "left_solve calls (GMRES or LU)"),
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
            "from_arrays": parts["from_arrays (validation, A, productivity)"],
            **{key: acc.get(key, 0.0) for _, _, key in LIANPU_PROBES}}


RUNNERS = {"lianpu": run_lianpu, "lianpu_krylov": run_lianpu_krylov,
           "lianpu_per_kind": run_lianpu_per_kind,
           "lianpu_core_sparse": run_lianpu_core_sparse, "lu_floor": run_lu_floor,
           "pymrio_calc_all": run_pymrio_calc_all, "pymrio_same": run_pymrio_same,
           "mario_functions": run_mario_functions}
#: rows that need the labelled pandas frames
NEEDS_FRAMES = ("pymrio_calc_all", "pymrio_same", "mario_functions")


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
    return small, (pymrio_frames(small) if lib in NEEDS_FRAMES else None)


def child(lib: str, folder: str) -> None:
    """One (library, case) in a fresh process: peak RSS above the post-import baseline and
    tracemalloc's peak, printed as one JSON line."""
    case = load_case(Path(folder))
    import pandas  # noqa: F401  (imports belong to the baseline)
    import lianpu  # noqa: F401
    frames = None
    if lib in NEEDS_FRAMES:
        import mario  # noqa: F401
        import pymrio  # noqa: F401
        frames = pymrio_frames(case)
    if lib == "lianpu_core_sparse":
        import scipy.sparse as sp
        case["_Z_csr"] = sp.csr_matrix(case["Z"])  # the user's storage, before the clock
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


def _mario_version() -> str:
    try:
        import mario
        return str(mario.__version__)
    except Exception as exc:  # an optional peer: say why it is absent
        return f"not importable: {type(exc).__name__}: {exc}"


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
        "mario": _mario_version(),
        "blas_threads": blas_threads(),
        "env": {v: os.environ.get(v) for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                               "MKL_NUM_THREADS")},
    }


# ----------------------------------------------------------------------------- driver
def rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).max() / max(np.abs(b).max(), np.finfo(float).tiny))


def bench_case(case: dict, libs: list, repeats: int, peer_repeats: int, memory: bool,
               tmp: Path, log) -> dict:
    frames = pymrio_frames(case) if any(lib in NEEDS_FRAMES for lib in libs) else None
    out = {"case": case["name"], "note": case["note"], "n": int(case["Z"].shape[0]),
           "final_demand_columns": int(case["Y"].shape[1]), "satellites": len(case["sat_names"]),
           "density_Z": float(np.count_nonzero(case["Z"]) / case["Z"].size),
           "matrix_mib": case["Z"].nbytes / 2**20, "repeats": repeats,
           "peer_repeats": peer_repeats, "libs": {}}
    results, runs = {}, {lib: [] for lib in libs}
    out["loadavg_before"] = os.getloadavg()
    # interleaved, so that a burst of load from other processes hits every library alike
    for r in range(max(repeats, peer_repeats)):
        for lib in libs:
            if r >= (repeats if lib.startswith("lianpu") else peer_repeats):
                continue
            gc.collect()
            cpu = time.process_time()
            res, parts = RUNNERS[lib](case, frames)
            parts["cpu_s (all threads)"] = time.process_time() - cpu
            runs[lib].append(parts)
            log(f"  {case['name']}: {lib} run {r + 1}: {parts['total']:.3f} s")
            if r == 0:
                results[lib] = res
            del res
            gc.collect()
    out["loadavg_after"] = os.getloadavg()
    for lib in libs:
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
        if lib == REFERENCE:
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
            if lib in MEMORY_SKIP.get(out["n"], ()):
                continue
            out["libs"][lib]["memory"] = measure_memory(lib, folder)
            log(f"  {case['name']}: {lib} peak RSS Δ "
                f"{out['libs'][lib]['memory']['rss_peak_delta_mib']:.0f} MiB")
        for f in folder.iterdir():
            f.unlink()
    base = out["libs"].get(REFERENCE)
    for lib, o in out["libs"].items():
        if base is not None:
            o["time_ratio_vs_floor"] = o["median_s"] / base["median_s"]
        if "lianpu" in out["libs"]:
            o["time_ratio_vs_lianpu"] = o["median_s"] / out["libs"]["lianpu"]["median_s"]
        if "memory" in o:
            o["rss_peak_over_matrix"] = o["memory"]["rss_peak_delta_mib"] / out["matrix_mib"]
    return out


#: memory subprocesses skipped by size (each would repeat a minutes-long run)
MEMORY_SKIP = {20000: ("lu_floor",)}


def print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    con = Console(width=None if sys.stdout.isatty() else 140)
    m = report["machine"]
    con.print(f"[bold]Machine[/]: {m['cpu']} — {m['os.cpu_count']} CPUs "
              f"(affinity {m['affinity']}); numpy {m['numpy']}, scipy {m['scipy']}, "
              f"pandas {m['pandas']}, pymrio {m['pymrio']}, mario {m.get('mario')}, "
              f"lianpu {m['lianpu']}")
    con.print(f"BLAS: {m['blas_config']}; threads: {m['blas_threads']}; env: {m['env']}")
    for c in report["cases"]:
        tab = Table(title=f"{c['case']} — {c['note']}")
        for h in ("library", "median [s]", "best [s]", "÷ LU floor", "÷ lianpu",
                  "peak RSS Δ [MiB]", "RSS Δ ÷ matrix"):
            tab.add_column(h, justify="right" if h != "library" else "left")
        for lib, o in c["libs"].items():
            mem = o.get("memory", {})
            tab.add_row(lib, f"{o['median_s']:.3f}", f"{o['best_s']:.3f}",
                        f"{o['time_ratio_vs_floor']:.2f}" if "time_ratio_vs_floor" in o else "—",
                        f"{o['time_ratio_vs_lianpu']:.2f}" if "time_ratio_vs_lianpu" in o else "—",
                        f"{mem['rss_peak_delta_mib']:.0f}" if mem else "—",
                        f"{o['rss_peak_over_matrix']:.2f}" if "rss_peak_over_matrix" in o else "—")
        con.print(tab)
        comp = Table(title=f"{c['case']}: components (best run, seconds)")
        comp.add_column("library")
        comp.add_column("component")
        comp.add_column("s", justify="right")
        for lib, o in c["libs"].items():
            for k, v in o["components_best_run"].items():
                if k == "solver":
                    comp.add_row(lib, "solver", f"{v['method']} ({v['backend']}), "
                                 f"{v['passes']} passes: {v['reason']}")
                else:
                    comp.add_row(lib, k, f"{v:.3f}")
        con.print(comp)
        if "lianpu_breakdown" in c:
            bd = Table(title=f"{c['case']}: where lianpu's time goes (one instrumented run, s)")
            bd.add_column("step")
            bd.add_column("s", justify="right")
            for k, v in c["lianpu_breakdown"].items():
                bd.add_row(k, f"{v:.3f}")
            con.print(bd)
        con.print("  load average (1/5/15 min) before / after timing: "
                  f"{' '.join(f'{v:.2f}' for v in c['loadavg_before'])} / "
                  f"{' '.join(f'{v:.2f}' for v in c['loadavg_after'])}")
        for k, v in c["agreement"].items():
            con.print(f"  agreement {k}: max abs diff {v['max_abs']:.3g}, relative {v['rel']:.3g}"
                      f" (≤ {v['tol']:g})")


def libs_for(case: dict, a) -> list:
    """The rows run for a case: --libs if given; the CSR core row only for sparse cases; the
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
        if lib == "lianpu_core_sparse" and not sparse:
            continue
        if lib in NEEDS_FRAMES and n > a.peer_max_n:
            continue
        out.append(lib)
    if REFERENCE not in out:
        out.append(REFERENCE)  # agreement needs the direct solve
    return out


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", default="4000,8000",
                   help="synthetic table sizes, comma list (default 4000,8000)")
    p.add_argument("--sats", type=int, default=5, help="number of satellites (default 5)")
    p.add_argument("--regions", type=int, default=20, help="synthetic regions (default 20)")
    p.add_argument("--categories", type=int, default=3,
                   help="final-demand categories per region (default 3)")
    p.add_argument("--density", type=float, default=0.25,
                   help="share of non-zero off-diagonal entries in the synthetic Z (default 0.25)")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--repeats", type=int, default=3,
                   help="timing repeats of the lianpu rows, median reported (default 3)")
    p.add_argument("--peer-repeats", type=int, default=None,
                   help="repeats of the LU floor and the peers (default: --repeats)")
    p.add_argument("--wiod-year", type=int, default=2011)
    p.add_argument("--wiod-dir", type=Path, default=WIOD_DIR)
    p.add_argument("--cases", default="wiod,synthetic",
                   help="comma list of wiod, synthetic, big, sparse (default wiod,synthetic)")
    p.add_argument("--big", action="store_true",
                   help="add the dense n = 20,000 case (3.2 GB per n×n; the LU floor alone "
                        "takes minutes on 2 cores)")
    p.add_argument("--sparse", action="store_true",
                   help="add the sparse case: n = 20,000 at 2 %% density")
    p.add_argument("--big-n", type=int, default=20000, help="size of the big/sparse cases")
    p.add_argument("--big-sats", type=int, default=10, help="satellites of the big/sparse cases")
    p.add_argument("--libs", default="",
                   help=f"comma list of rows (default all: {', '.join(LIBS)}; also lianpu_krylov)")
    p.add_argument("--peer-max-n", type=int, default=8000,
                   help="largest n for pymrio and MARIO (their explicit inverses need several "
                        "n×n frames; default 8000)")
    p.add_argument("--no-memory", action="store_true", help="skip the memory subprocesses")
    p.add_argument("--threads", type=int, help="set OMP/OPENBLAS/MKL_NUM_THREADS (all libraries)")
    p.add_argument("--json", type=Path, help="write all figures to this JSON file")
    a = p.parse_args(argv)
    peer_repeats = a.peer_repeats if a.peer_repeats is not None else a.repeats
    log = lambda s: print(s, file=sys.stderr, flush=True)
    report = {"command": " ".join([Path(sys.executable).name, *sys.argv]),
              "machine": machine_info(), "args": {k: str(v) for k, v in vars(a).items()},
              "cases": []}
    names = [c for c in a.cases.split(",") if c]
    names += ["big"] * a.big + ["sparse"] * a.sparse
    plan = []
    for name in names:
        if name == "synthetic":
            plan += [("synthetic", int(v)) for v in str(a.n).split(",") if v]
        elif name in ("wiod", "big", "sparse"):
            plan.append((name, a.big_n))
        else:
            raise SystemExit(f"argument --cases: unknown case {name!r} "
                             "(expected wiod, synthetic, big, sparse)")
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lianpu-bench-") as tmp:
        for name, n in plan:
            log(f"preparing {name} {n if name != 'wiod' else ''} …")
            if name == "wiod":
                case = wiod_case(a.wiod_year, a.sats, a.seed, a.wiod_dir)
                case["density_target"] = 1.0
            elif name == "synthetic":
                case = synthetic_case(n, a.sats, a.regions, a.categories, a.density, a.seed)
                case["density_target"] = a.density
            elif name == "big":
                case = synthetic_case(n, a.big_sats, a.regions, a.categories, a.density, a.seed)
                case["density_target"] = a.density
            else:
                case = synthetic_case(n, a.big_sats, a.regions, a.categories, 0.02, a.seed)
                case["density_target"] = 0.02
            libs = libs_for(case, a)
            report["cases"].append(bench_case(case, libs, a.repeats, peer_repeats,
                                              not a.no_memory, Path(tmp), log))
            del case
            gc.collect()
            if a.json:  # figures so far, in case a later (big) case is interrupted
                a.json.parent.mkdir(parents=True, exist_ok=True)
                a.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    report["elapsed_s"] = time.perf_counter() - t_start
    print_report(report)
    if a.json:
        a.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
        log(f"wrote {a.json}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--_child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
