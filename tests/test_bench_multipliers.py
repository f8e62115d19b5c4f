"""bench/bench_multipliers.py and its package bench/multipliers/ (issue 17): the split modules
import, the synthetic case is what its docstring says, and the rows ``lianpu`` and ``lu_floor``
agree through the runner functions. No time is asserted: this checks that the benchmark
computes what it times, not how fast anything is."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from multipliers import cases, driver, runners  # noqa: E402

N = 300


@pytest.fixture(scope="module")
def case():
    # 300 sectors = 20 regions × 15, 2 satellites, 3 final-demand categories per region
    c = cases.synthetic_case(N, 2, 20, 3, 0.25, seed=7)
    c["density_target"] = 0.25
    return c


def test_synthetic_case_is_balanced_and_productive(case):
    Z, Y = case["Z"], case["Y"]
    assert Z.shape == (N, N) and Y.shape == (N, 60) and case["F"].shape == (2, N)
    # The generator solves x = (I − A)⁻¹ y by GMRES to 1e-13 and sets Z = A x̂, so x = Z·1 + Y·1
    # holds to that tolerance and the column sums of A = Z x̂⁻¹ are its draws from U[0.3, 0.7].
    x = Z.sum(axis=1) + Y.sum(axis=1)
    colsum = (Z / x[None, :]).sum(axis=0)
    assert colsum.min() >= 0.3 - 1e-9 and colsum.max() <= 0.7 + 1e-9


def test_lianpu_row_agrees_with_the_lu_floor(case):
    ref, parts_ref = runners.run_lu_floor(case)
    got, parts = runners.run_lianpu(case)
    for q in ("output", "M", "D"):
        assert got[q].shape == ref[q].shape
        # the benchmark's own agreement rule: max |a − b| / max |b| ≤ RTOL (1e-10 for lianpu)
        assert driver.rel_diff(got[q], ref[q]) <= runners.RTOL["lianpu"] == 1e-10, q
    # output multipliers are column sums of L = (I − A)⁻¹ and L ≥ I, so each is ≥ 1
    assert (ref["output"] >= 1.0).all()
    # the floor reference itself, checked against a fresh dense inverse of I − A
    x = case["Z"].sum(axis=1) + case["Y"].sum(axis=1)
    L = np.linalg.inv(np.eye(N) - case["Z"] / x[None, :])
    assert driver.rel_diff(ref["output"], L.sum(axis=0)) <= 1e-10
    assert parts["solver"]["method"] in ("lu", "krylov") and parts["total"] > 0
    assert parts_ref["total"] > 0


def test_rows_chosen_for_dense_and_sparse_cases(case):
    class Args:  # the parsed command line, as main() hands it on
        libs, peer_max_n = "", 8000
    assert set(runners.LIBS) <= set(runners.RUNNERS) and set(runners.RTOL) <= set(runners.RUNNERS)
    dense = driver.libs_for(case, Args)
    assert not set(runners.SPARSE_ONLY) & set(dense) and "lianpu" in dense
    sparse = driver.libs_for({**case, "density_target": 0.02}, Args)
    assert {"lianpu_sparse", "lianpu_core_sparse"} <= set(sparse)
    Args.libs = "lianpu"
    assert driver.libs_for(case, Args) == ["lianpu", "lu_floor"]  # the reference is added
    Args.libs = "lianpu,nope"
    with pytest.raises(SystemExit, match="unknown row 'nope'"):
        driver.libs_for(case, Args)


def test_a_failing_sparse_row_is_reported_as_that_rows_error(case, monkeypatch, tmp_path):
    def broken(case, frames=None):
        raise TypeError("Z: found csr_matrix, expected a dense array")
    monkeypatch.setitem(runners.RUNNERS, "lianpu_sparse", broken)
    out = driver.bench_case(case, ["lianpu_sparse", "lu_floor"], 1, 1, False, tmp_path,
                            log=lambda s: None)
    err = out["libs"]["lianpu_sparse"]["error"]["message"]
    assert "row lianpu_sparse failed in timed run 1: TypeError: Z: found csr_matrix" in err
    assert "median_s" in out["libs"]["lu_floor"]
    assert not any(k.startswith("lianpu_sparse") for k in out["agreement"])
    # any other row's failure still stops the script
    monkeypatch.setitem(runners.RUNNERS, "lu_floor", broken)
    with pytest.raises(TypeError):
        driver.bench_case(case, ["lu_floor"], 1, 1, False, tmp_path, log=lambda s: None)


def test_preconditioner_bench_solves_what_it_times(tmp_path):
    """bench/bench_preconditioner.py: every row reaches the residual it is asked for (the
    lianpu row's residual is recomputed from B − X (I − A) in the script)."""
    import json

    import bench_preconditioner as bp
    A = bp.sparse_table(300, 0.05, seed=3)
    assert float(np.asarray(A.sum(axis=0)).max()) < 0.7 + 1e-12 and A.min() >= 0
    out = tmp_path / "p.json"
    bp.main(["--n", "300", "--density", "0.05", "--rhs", "3", "--drop-tol", "1e-2",
             "--json", str(out)])
    rows = json.loads(out.read_text())["rows"]
    assert [r["row"].split(",")[0] for r in rows][:3] == [
        "lianpu batched GMRES", "scipy GMRES", "scipy GMRES"]
    assert len(rows) == 4 and all(r["residual"] <= 1e-10 for r in rows)
