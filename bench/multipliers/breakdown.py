"""Where lianpu's time goes: one extra, untimed run of the ``lianpu`` row with timers wrapped
around the library's internal steps."""
from __future__ import annotations

import time

from .runners import run_lianpu


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

