"""The benchmark's inputs: the seeded synthetic tables, the WIOD 2013 case, their round trip
through ``.npy`` files for the memory children, and the labelled frames pymrio and MARIO take."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np

#: bench/multipliers/cases.py → the checkout's parent, where ``shared/`` lives
WIOD_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "wiod2013" / "raw"
WIOD_FD = ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"]  # WIOD 2013 final-demand columns


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



def make_case(name: str, n: int, a) -> dict:
    """The case ``name`` (wiod, synthetic, big, sparse) of size ``n`` for the parsed command
    line ``a``; ``density_target`` (1 for WIOD) selects the sparse-only rows."""
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
    return case
