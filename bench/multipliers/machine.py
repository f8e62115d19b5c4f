"""What the figures were measured on: CPU, versions, the BLAS builds and their live thread
counts, and the thread environment variables."""
from __future__ import annotations

import os
import platform
from pathlib import Path

import numpy as np


def blas_threads() -> dict:
    """BLAS libraries and their thread counts (threadpoolctl when installed, else ctypes)."""
    try:
        from threadpoolctl import threadpool_info
        return {"threadpoolctl": threadpool_info()}
    except ImportError:
        pass
    import ctypes
    import importlib

    importlib.import_module("scipy.linalg")  # load scipy's BLAS too
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
