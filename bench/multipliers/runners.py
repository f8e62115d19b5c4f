"""The rows: one function per row, each doing the whole task (x, A, the output and satellite
multipliers, the footprints D = M·Y) and returning ``({'output', 'M', 'D'}, component times)``.
Inputs that a user would already hold (pymrio's frames, a CSR Z) are built before the clock."""
from __future__ import annotations

import time

import numpy as np

LIBS = ("lianpu", "lianpu_per_kind", "lianpu_sparse", "lianpu_core_sparse", "lu_floor",
        "pymrio_calc_all", "pymrio_same", "mario_functions")
REFERENCE = "lu_floor"
#: agreement with the direct solve: lianpu's rows must be within 1e-10 (relative to the
#: largest entry), the peers' explicit inverses within 1e-8
RTOL = {"lianpu": 1e-10, "lianpu_krylov": 1e-10, "lianpu_per_kind": 1e-10,
        "lianpu_sparse": 1e-10, "lianpu_core_sparse": 1e-10}
RTOL_PEERS = 1e-8
#: rows run only on the sparse cases (the user holds Z as CSR)
SPARSE_ONLY = ("lianpu_sparse", "lianpu_core_sparse")
#: rows whose failure is reported as that row's error instead of stopping the script, with
#: what the row needs from lianpu
ERROR_AS_ROW = {"lianpu_sparse": "IOTable.from_arrays to keep a scipy.sparse Z sparse "
                                 "(t.storage == 'sparse', t.Z_ a scipy.sparse.csr_array)"}


def user_csr(case: dict):
    """The user's Z as CSR, built once per case (before any clock) and kept in ``_Z_csr``."""
    Zs = case.get("_Z_csr")
    if Zs is None:
        import scipy.sparse as sp
        Zs = case["_Z_csr"] = sp.csr_matrix(case["Z"])
    return Zs


def _lianpu_table(case: dict, Z=None):
    import lianpu
    from lianpu import Satellite
    sats = {nm: Satellite(nm, case["F"][i], "kg") for i, nm in enumerate(case["sat_names"])}
    fd = [f"{r}/{c}" for r, c in zip(case["fd_regions"], case["fd_categories"])]
    return lianpu.IOTable.from_arrays(case["Z"] if Z is None else Z, case["Y"],
                                      sectors=case["sectors"], regions=case["regions"],
                                      final_demand=fd, satellites=sats,
                                      allow_negative_flows=case["allow_negative"])


def _solver_info(f) -> dict:
    return {"method": getattr(f, "method", "?"), "backend": getattr(f, "backend", "?"),
            "reason": getattr(f, "reason", ""), "passes": getattr(f, "passes", None),
            "history": [list(h) for h in getattr(f, "history", [])]}


def _lianpu_one_solve(case: dict, Z=None, built: str = "from_arrays (validation, A, productivity)"):
    """from_arrays (on ``Z`` when given, else the case's dense Z), then the intensity rows of
    output and every satellite in one ``left_solve``, then D = M·Y."""
    from lianpu.analysis.multipliers import intensity
    from lianpu.core import leontief as leo
    t0 = time.perf_counter()
    t = _lianpu_table(case) if Z is None else _lianpu_table(case, Z)
    t1 = time.perf_counter()
    S = np.vstack([intensity(t, "output")[0]] + [intensity(t, nm)[0] for nm in case["sat_names"]])
    MM = leo.left_solve(t.factor, S)
    t2 = time.perf_counter()
    M = MM[1:]
    D = M @ t.Y_
    t3 = time.perf_counter()
    return t, {"output": MM[0], "M": M, "D": D}, {
        built: t1 - t0, "one left_solve of 1 + sats rows": t2 - t1, "footprints D = M·Y": t3 - t2,
        "total": t3 - t0}


def run_lianpu(case: dict, frames=None) -> tuple[dict, dict]:
    """lianpu from arrays, all rows in one solve: ({'output', 'M', 'D'}, component times)."""
    t, out, parts = _lianpu_one_solve(case)
    return out, {**parts, "solver": _solver_info(t.factor)}


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


def run_lianpu_sparse(case: dict, frames=None) -> tuple[dict, dict]:
    """As ``lianpu`` but the table built from the user's CSR Z (made before the clock):
    ``IOTable.from_arrays(Z_csr, Y, …)`` (validation included), one ``left_solve(t.factor, S)``
    of the output and satellite intensity rows, D = M·Y. Needs an ``IOTable`` that keeps a
    scipy.sparse Z sparse (``t.storage == "sparse"``)."""
    t, out, parts = _lianpu_one_solve(case, user_csr(case),
                                      "from_arrays of CSR Z (validation, A, productivity)")
    return out, {**parts, "storage": getattr(t, "storage", "?"), "solver": _solver_info(t.factor)}


def run_lianpu_core_sparse(case: dict, frames=None) -> tuple[dict, dict]:
    """Z held as CSR (built before the clock): A = Z x̂⁻¹ in CSR, leontief_factor, one
    left_solve. No dense n×n."""
    from lianpu.core import coefficients as coef
    from lianpu.core import leontief as leo
    Zs = user_csr(case)
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


RUNNERS = {"lianpu": run_lianpu, "lianpu_krylov": run_lianpu_krylov,
           "lianpu_per_kind": run_lianpu_per_kind, "lianpu_sparse": run_lianpu_sparse,
           "lianpu_core_sparse": run_lianpu_core_sparse, "lu_floor": run_lu_floor,
           "pymrio_calc_all": run_pymrio_calc_all, "pymrio_same": run_pymrio_same,
           "mario_functions": run_mario_functions}
#: rows that need the labelled pandas frames
NEEDS_FRAMES = ("pymrio_calc_all", "pymrio_same", "mario_functions")
