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
- lianpu_sparse (sparse cases only): as lianpu, but ``IOTable.from_arrays`` gets the user's Z
  as CSR (built before the clock); needs an IOTable that keeps a sparse Z sparse, and until
  then reports its failure as the row's error.
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
bench/README.md). The work is done by the package ``bench/multipliers/``; this file is its
command line.

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

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from multipliers.cases import WIOD_DIR, make_case  # noqa: E402
from multipliers.driver import bench_case, libs_for  # noqa: E402
from multipliers.machine import machine_info  # noqa: E402
from multipliers.memory import child  # noqa: E402
from multipliers.report import print_report  # noqa: E402
from multipliers.runners import LIBS  # noqa: E402


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
            case = make_case(name, n, a)
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
