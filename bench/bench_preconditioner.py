"""Does an incomplete-LU preconditioner pay on a large sparse IO table? (issue 17, item 1)

lianpu's iterative path (``lianpu.core.krylov.batched_gmres``) is Jacobi-preconditioned. This
script measures, on a synthetic sparse productive table (the generator of
``bench/multipliers/cases.py``'s sparse case: lognormal entries at ``--density``, a heavier
diagonal, column sums of A in [0.3, 0.7]), what SciPy's ``spilu`` of I − A costs to build and
how many GMRES iterations it saves, against Jacobi and no preconditioner, for ``--rhs``
transposed right-hand sides (the multiplier solve), and lianpu's own batched solve of the same
right-hand sides for comparison. Nothing is asserted; figures go to stdout (and ``--json``).

    python bench/bench_preconditioner.py [--n 20000] [--density 0.02] [--rhs 11]
        [--drop-tol 1e-2,1e-3] [--seed 7] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla


def sparse_table(n: int, density: float, seed: int):
    rng = np.random.default_rng(seed)
    nnz = int(density * n * n)
    A = sp.csr_array((rng.lognormal(0, 1, nnz), (rng.integers(0, n, nnz),
                                                  rng.integers(0, n, nnz))), shape=(n, n))
    A.sum_duplicates()
    A = A + sp.diags_array(rng.lognormal(1, 0.5, n))
    cs = np.asarray(A.sum(axis=0)).ravel()
    return sp.csr_array(A.multiply((rng.uniform(0.3, 0.7, n) / cs)[None, :]))


def scipy_gmres(M, B, precond, tol):
    """(iterations per right-hand side, seconds, worst relative residual) of SciPy's GMRES."""
    its, worst = [], 0.0
    t0 = time.perf_counter()
    for b in B:
        count = [0]
        x, info = spla.gmres(M, b, M=precond, rtol=tol, atol=0.0, restart=40, maxiter=300,
                             callback=lambda _r: count.__setitem__(0, count[0] + 1),
                             callback_type="pr_norm")
        its.append(count[0])
        worst = max(worst, float(np.linalg.norm(b - M @ x) / np.linalg.norm(b)))
    return its, time.perf_counter() - t0, worst


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--density", type=float, default=0.02)
    ap.add_argument("--rhs", type=int, default=11)
    ap.add_argument("--drop-tol", default="1e-2,1e-3")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--tol", type=float, default=1e-12)
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    from lianpu.core.leontief import leontief_factor, left_solve

    A = sparse_table(a.n, a.density, a.seed)
    Mt = sp.csc_array((sp.identity(a.n) - A).T)  # the multiplier system (I − A)ᵀ m = s
    B = np.random.default_rng(a.seed + 1).uniform(0.1, 1.0, (a.rhs, a.n))
    out = {"n": a.n, "nnz": int(A.nnz), "rhs": a.rhs, "tol": a.tol, "rows": []}
    print(f"n = {a.n}, nnz(A) = {A.nnz:,} ({A.nnz / a.n**2:.2%}), {a.rhs} right-hand sides, "
          f"relative residual {a.tol:g}")

    t0 = time.perf_counter()
    f = leontief_factor(A, method="krylov")
    X = left_solve(f, B)
    t_l = time.perf_counter() - t0
    res = float(np.max(np.linalg.norm(B - (X - X @ A), axis=1) / np.linalg.norm(B, axis=1)))
    out["rows"].append({"row": "lianpu batched GMRES, Jacobi", "build_s": 0.0, "solve_s": t_l,
                        "passes": f.passes, "residual": res})
    d = Mt.diagonal()
    jac = spla.LinearOperator(Mt.shape, lambda v: v / d)
    rows = [("scipy GMRES, none", None, 0.0), ("scipy GMRES, Jacobi", jac, 0.0)]
    for dt in (float(s) for s in a.drop_tol.split(",") if s):
        t0 = time.perf_counter()
        try:
            ilu = spla.spilu(Mt.tocsc(), drop_tol=dt, fill_factor=2.0)
        except RuntimeError as exc:
            print(f"spilu drop_tol={dt:g}: failed ({exc})")
            continue
        rows.append((f"scipy GMRES, ILU drop_tol={dt:g} (nnz L+U {ilu.L.nnz + ilu.U.nnz:,})",
                     spla.LinearOperator(Mt.shape, ilu.solve), time.perf_counter() - t0))
    for name, pre, build in rows:
        its, secs, worst = scipy_gmres(Mt, B, pre, a.tol)
        out["rows"].append({"row": name, "build_s": build, "solve_s": secs,
                            "iterations": its, "residual": worst})
    print(f"{'row':58} {'build s':>8} {'solve s':>8} {'iterations / passes':>20} {'residual':>9}")
    for r in out["rows"]:
        it = r.get("passes", r.get("iterations"))
        it = f"{it} passes, all rhs" if "passes" in r else f"{min(it)}–{max(it)} each"
        print(f"{r['row']:58} {r['build_s']:8.2f} {r['solve_s']:8.2f} {it:>20} {r['residual']:9.1e}")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(out, fh, indent=2)


if __name__ == "__main__":
    main()
