"""The iterative path of the Leontief solver (core.krylov, core.leontief.LeontiefSolver):
batched GMRES agrees with the LU (relative 1e-10) on the real tables and on random productive
ones; badly conditioned tables make it fall back to the LU or fail loudly, never return an
unconverged answer; the productivity shortcut never accepts a non-productive table; the
solver chooses by the work asked, says why, pickles, and runs on a 2-worker Dask cluster."""
import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import lianpu
from lianpu.core import krylov as kry
from lianpu.core import leontief as leo
from lianpu.core.errors import ConvergenceError, ProductivityError

REAL = ("cn-nbs-2020-153", "cn-nbs-2020-42", "cn-oecd-2018", "wiod2013-2011")


@pytest.fixture(autouse=True)
def _auto_means_auto(monkeypatch):
    """These tests pin "auto"; a LIANPU_SOLVER/LIANPU_BACKEND in the environment (used to run
    the whole suite on one path) would override it."""
    monkeypatch.delenv("LIANPU_SOLVER", raising=False)
    monkeypatch.delenv("LIANPU_BACKEND", raising=False)


def rel(a, b):
    return float(np.abs(a - b).max() / np.abs(b).max())


def residual(A, x, b, trans=False):
    r = b - (x - (A.T @ x if trans else A @ x))
    return np.linalg.norm(r, axis=0) / np.linalg.norm(b, axis=0)


def productive_A(rng, n, rho, density=1.0):
    """A ≥ 0 with every column sum = rho (< 1: productive), a heavy diagonal, some zeros."""
    A = rng.lognormal(0.0, 1.0, (n, n)) * (rng.random((n, n)) < density)
    A[np.diag_indices(n)] += rng.lognormal(0.5, 0.5, n)
    return A * (rho / A.sum(axis=0))


# ----------------------------------------------------------------------------- real tables
@pytest.fixture(scope="module")
def real_tables(tmp_path_factory, shared_data):
    from lianpu.data.download import download
    d = tmp_path_factory.mktemp("krylov-cache")
    download(list(REAL), data_dir=d, from_dir=shared_data, progress=False)
    return {i: lianpu.load(i, data_dir=d) for i in REAL}


@pytest.mark.parametrize("ds", REAL)
def test_iterative_equals_direct_on_real_tables(real_tables, ds):
    t = real_tables[ds]
    lu = leo.leontief_factor(t.A_, method="lu")
    it = leo.leontief_factor(t.A_, method="krylov")
    assert it.method == "krylov" and it.backend == "gmres" and "Hawkins–Simon" in it.reason
    f = t.final_demand_total_
    S = np.vstack([np.ones(t.n), t.V_ / np.where(t.x_ > 0, t.x_, 1.0)])  # output, VA rows
    assert rel(it.solve(f), lu.solve(f)) <= 1e-10
    assert rel(leo.left_solve(it, S), leo.left_solve(lu, S)) <= 1e-10
    Yk = t.Y_[:, :3]
    assert rel(it.solve(Yk), lu.solve(Yk)) <= 1e-10
    assert all(h[2] == "krylov" for h in it.history)


def test_iterative_equals_direct_on_every_registry_table(tmp_path_factory, shared_data):
    """Every table lianpu ships an id for (NBS 2002–2020, OECD 1995–2018, WIOD 1995–2011,
    the CHNIO provincial and national tables; 209 in all), and the domestic view of each
    competitive one: batched GMRES forced (method "krylov", which proves productivity by the
    iterative solve where Hawkins–Simon does not decide) agrees with the LU to 1e-10 relative
    for x = L f and for the output and primary-input multipliers (measured: worst 1.0e-13)."""
    from lianpu.core import roles
    from lianpu.data import registry
    from lianpu.data.download import download
    ids = [s.id for s in registry.datasets(provincial=True)
           if not s.id.startswith("wiod2013-regions")]  # the regional WIOD is test_real's
    d = tmp_path_factory.mktemp("krylov-all")
    download(ids, data_dir=d, from_dir=shared_data, progress=False)
    assert len(ids) >= 200
    worst, checked = 0.0, 0
    for i in ids:
        t = lianpu.load(i, data_dir=d)
        views = [t] + ([t.domestic()] if t.imports == "competitive"
                       and t.fd_positions(roles.IMPORTS) else [])
        for v in views:
            lu = leo.leontief_factor(v.A_, method="lu")
            it = leo.leontief_factor(v.A_, method="krylov", table=i)
            f = v.final_demand_total_
            inv_x = np.where(v.x_ > 0, 1.0 / np.where(v.x_ > 0, v.x_, 1.0), 0.0)
            S = np.vstack([np.ones(v.n), v.V_ * inv_x])  # output and primary-input rows
            r = max(rel(it.solve(f), lu.solve(f)), rel(leo.left_solve(it, S), leo.left_solve(lu, S)))
            assert r <= 1e-10, f"{i} ({'domestic view' if v is not t else 'as published'}): {r:.3g}"
            worst, checked = max(worst, r), checked + 1
    assert checked > len(ids)


# ----------------------------------------------------------------------------- random tables
@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 60), seed=st.integers(0, 10_000), rho=st.floats(0.05, 0.97),
       k=st.integers(1, 4), sparse=st.booleans())
def test_iterative_equals_direct_random_productive(n, seed, rho, k, sparse):
    rng = np.random.default_rng(seed)
    A = productive_A(rng, n, rho, density=0.3)
    if sparse:
        A = sp.csr_matrix(A)
    it = leo.leontief_factor(A, method="krylov")
    lu = leo.leontief_factor(A, method="lu")
    B = rng.random((n, k))
    assert rel(it.solve(B), lu.solve(B)) <= 1e-10
    assert rel(it.solve_transposed(B[:, 0]), lu.solve_transposed(B[:, 0])) <= 1e-10


@settings(max_examples=25, deadline=None)
@given(n=st.integers(45, 80), seed=st.integers(0, 10_000),
       delta=st.sampled_from([1e-3, 1e-6, 1e-9, 1e-12]))
def test_badly_conditioned_falls_back_or_fails_loudly(n, seed, delta):
    """ρ(A) = 1 − δ on a cyclic shift (GMRES(40) stagnates on it) and on a dense stochastic
    matrix: the forced iterative method raises ConvergenceError or returns a converged answer;
    "auto" either converges or switches to the LU — never an unconverged answer."""
    rng = np.random.default_rng(seed)
    C = np.roll(np.eye(n), 1, axis=0)
    P = productive_A(rng, n, 1.0)
    b = rng.random(n)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(leo, "KRYLOV_MIN_N", 1)
        _fall_back_or_fail(C, P, b, delta)


def _fall_back_or_fail(C, P, b, delta):
    for base in (C, P):
        A = (1.0 - delta) * base
        try:
            it = leo.leontief_factor(A, method="krylov")
            x = it.solve(b)
        except ConvergenceError as exc:
            assert "did not converge" in str(exc)
        else:
            assert residual(A, x, b) <= it.tol
        auto = leo.leontief_factor(A)
        x = auto.solve(b)
        if auto.method == "krylov":
            assert residual(A, x, b) <= auto.tol
        else:
            assert "GMRES did not converge" in auto.reason or "LU" in auto.reason
            np.testing.assert_allclose(x, leo.leontief_factor(A, method="lu").solve(b))


def test_zero_and_nan_right_hand_sides():
    rng = np.random.default_rng(8)
    A = productive_A(rng, 40, 0.6)
    it = leo.leontief_factor(A, method="krylov")
    B = rng.random((40, 3))
    B[:, 1] = 0.0
    B[5, 2] = np.nan
    X = it.solve(B)
    assert (X[:, 1] == 0).all() and np.isnan(X[:, 2]).all()
    assert rel(X[:, 0], leo.leontief_factor(A, method="lu").solve(B[:, 0])) <= 1e-10
    assert it.solve(np.zeros((40, 0))).shape == (40, 0)


def test_cyclic_shift_stagnates_then_lu(monkeypatch):
    n = 400
    A = (1 - 1e-9) * np.roll(np.eye(n), 1, axis=0)
    with pytest.raises(ConvergenceError, match=r"cycle: solve with I − A: GMRES did not "
                       r"converge in \d+ passes over A \(right-hand side 0: found relative"):
        leo.leontief_factor(A, method="krylov", table="cycle").solve(np.eye(n)[0])
    monkeypatch.setattr(leo, "KRYLOV_MIN_N", 1)
    monkeypatch.setattr(leo, "PASSES_GUESS", 1)  # so that the cost rule tries GMRES first
    auto = leo.leontief_factor(A)
    assert auto.method == "krylov"
    x = auto.solve(np.eye(n)[0])
    assert auto.method == "lu" and "GMRES did not converge" in auto.reason
    np.testing.assert_allclose(x, leo.leontief_factor(A, method="lu").solve(np.eye(n)[0]))


# ----------------------------------------------------------------------------- productivity
@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 40), seed=st.integers(0, 10_000),
       rho=st.one_of(st.floats(0.3, 1.7), st.sampled_from([1 - 1e-13, 1.0, 1 + 1e-13, 1 - 1e-6])),
       density=st.floats(0.05, 1.0))
def test_shortcut_never_accepts_non_productive(n, seed, rho, density):
    rng = np.random.default_rng(seed)
    A = rng.lognormal(0.0, 1.0, (n, n)) * (rng.random((n, n)) < density)
    r0 = max(abs(np.linalg.eigvals(A)))
    if r0 == 0:
        return
    A *= rho / r0
    true = max(abs(np.linalg.eigvals(A)))
    p = kry.productive_without_lu(A)
    if p.productive is True:
        assert true < 1.0 and p.bound < 1.0
    elif p.productive is False:
        assert true >= 1.0 - 1e-12


def test_shortcut_cases():
    assert kry.productive_without_lu(np.array([[0.5, 0.2], [0.3, 0.7]])).productive is True
    p = kry.productive_without_lu(np.array([[0.5, 0.6], [0.6, 0.5]]))
    assert p.productive is False and "Collatz–Wielandt" in p.reason
    # column sums ≥ 1 but row sums < 1: still proved
    p = kry.productive_without_lu(np.array([[0.6, 0.0], [0.6, 0.0]]))
    assert p.productive is True and "row sum" in p.reason
    assert kry.productive_without_lu(np.array([[0.1, -0.1], [0.0, 0.1]])).productive is None


def test_non_productive_is_error_on_both_paths(monkeypatch):
    A = np.array([[0.5, 0.6], [0.6, 0.5]])
    with pytest.raises(ProductivityError, match="sector 'farm': A is not productive"):
        leo.leontief_factor(A, labels=["farm", "steel"], method="krylov")
    monkeypatch.setattr(leo, "KRYLOV_MIN_N", 1)
    with pytest.raises(ProductivityError, match="sector 'farm': A is not productive"):
        leo.leontief_factor(A, labels=["farm", "steel"])  # auto: to the LU's check


# ----------------------------------------------------------------------------- the choice
def test_choice_by_work_and_reason(monkeypatch):
    rng = np.random.default_rng(5)
    n = 300
    A = productive_A(rng, n, 0.6)
    small = leo.leontief_factor(A)
    assert small.method == "lu" and "≤ 2000" in small.reason and small.backend == "dense"
    monkeypatch.setattr(leo, "KRYLOV_MIN_N", 100)
    # at n = 300 the cost rule itself prefers the LU (30 passes of 48 n² > ⅔ n³) …
    f = leo.leontief_factor(A)
    assert f.method == "krylov"
    f.solve(np.ones(n))
    assert f.method == "lu" and "switched to the LU at 1 right-hand sides" in f.reason
    # … unless a solve is expected to take one pass
    monkeypatch.setattr(leo, "PASSES_GUESS", 1)
    s = leo.leontief_factor(A)
    assert s.method == "krylov" and s.backend == "gmres" and "Hawkins–Simon" in s.reason
    m = leo.left_solve(s, np.ones(n))                 # one right-hand side: iterative
    assert s.method == "krylov" and s.history[-1][:3] == (1, "T", "krylov")
    L = leo.calc_L(s)                                 # n right-hand sides: the LU pays
    assert s.method == "lu" and "switched to the LU at" in s.reason
    np.testing.assert_allclose(L.sum(axis=0), m, rtol=1e-11)
    # sparse storage: a dense A that is mostly zeros is iterated as CSR
    As = productive_A(rng, 500, 0.6, density=0.01)
    assert leo.leontief_factor(As, method="krylov")._storage == "sparse"
    with pytest.raises(lianpu.LianpuError, match="argument 'method'.*'qr'"):
        leo.leontief_factor(A, method="qr")
    monkeypatch.setenv("LIANPU_SOLVER", "lu")
    assert leo.leontief_factor(A).method == "lu"


def test_table_uses_the_cheap_check(monkeypatch):
    monkeypatch.setenv("LIANPU_SOLVER", "krylov")
    rng = np.random.default_rng(2)
    n = 40
    A = productive_A(rng, n, 0.5)
    x = rng.uniform(10, 20, n)
    Z = A * x
    t = lianpu.IOTable.from_arrays(Z, x - Z.sum(axis=1))
    assert t.factor.method == "krylov" and "Hawkins–Simon" in t.factor.reason
    lu = leo.leontief_factor(t.A_, method="lu")
    for kind in ("output", "value_added"):
        m = lianpu.multipliers(t, kind).to_numpy()
        s = np.ones(n) if kind == "output" else t.value_added_ / t.x_
        assert rel(m, leo.left_solve(lu, s)) <= 1e-10
    assert rel(t.factor_ghosh.solve(np.ones(n)), leo.ghosh_factor(
        t.A_, t.B_, t.x_, lu).solve(np.ones(n))) <= 1e-10


def test_pickles_both_ways(monkeypatch):
    monkeypatch.setattr(leo, "KRYLOV_MIN_N", 10)
    rng = np.random.default_rng(3)
    A = productive_A(rng, 50, 0.7)
    b = rng.random(50)
    s = leo.leontief_factor(A, method="krylov")
    s.solve(b)
    u = pickle.loads(pickle.dumps(s))
    assert u.method == "krylov" and np.array_equal(u.solve(b), s.solve(b))
    lu = leo.leontief_factor(A, method="lu")
    v = pickle.loads(pickle.dumps(lu))
    assert v._A0 is None and np.array_equal(v.solve(b), lu.solve(b))
    # sparse storage ships the CSR copy only; an LU made after shipping is a sparse one
    As = productive_A(rng, 500, 0.6, density=0.01)
    w = pickle.loads(pickle.dumps(leo.leontief_factor(As, method="krylov")))
    assert w._A0 is None and w._storage == "sparse"
    c = rng.random(500)
    ref = leo.leontief_factor(As, method="lu").solve(c)
    assert rel(w.solve(c), ref) <= 1e-10
    w._auto = True
    w._factorize("test")
    assert w.backend == "sparse" and rel(w.solve(c), ref) <= 1e-10


def test_ghosh_says_which_solver(monkeypatch):
    monkeypatch.setenv("LIANPU_SOLVER", "krylov")
    rng = np.random.default_rng(4)
    A = productive_A(rng, 30, 0.5)
    x = rng.uniform(10, 20, 30)
    g = leo.ghosh_factor(A, A * x[None, :] / x[:, None], x, leo.leontief_factor(A))
    assert g.method == "krylov" and g.reason.startswith("G = x̂⁻¹ L x̂ from the Leontief solver")


# ----------------------------------------------------------------------------- Dask
def _method_on_worker(A):
    from lianpu.core import leontief
    return leontief.leontief_factor(A).method


def test_montecarlo_on_two_workers_iterative(monkeypatch):
    distributed = pytest.importorskip("distributed")
    rng = np.random.default_rng(11)
    n = 30
    A = productive_A(rng, n, 0.6, density=0.5)
    x = rng.uniform(10, 20, n)
    Z = A * x
    t = lianpu.IOTable.from_arrays(Z, x - Z.sum(axis=1)).with_satellite(
        "co2", rng.uniform(1, 2, n), "t")
    d = np.zeros(n)
    d[[1, 5]] = [3.0, 4.0]
    ref = lianpu.montecarlo(t, d, draws=8, seed=3, scheduler="serial")  # LU in every draw
    monkeypatch.setenv("LIANPU_SOLVER", "krylov")  # inherited by the worker processes
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert set(client.run(lambda: __import__("os").environ["LIANPU_SOLVER"]).values()) \
            == {"krylov"}
        assert client.submit(_method_on_worker, A).result() == "krylov"
        r = lianpu.montecarlo(t, d, draws=8, seed=3, scheduler=client, chunks=4)
        # a solver shipped to a worker solves there, iteratively
        s = leo.leontief_factor(t.A_)
        assert s.method == "krylov"
        got = client.submit(lambda f, b: f.solve(b), s, d).result()
    np.testing.assert_allclose(got, leo.leontief_factor(t.A_, method="lu").solve(d),
                               rtol=1e-10)
    np.testing.assert_allclose(r.bands, ref.bands, rtol=1e-10)
    np.testing.assert_allclose(r.totals_draws, ref.totals_draws, rtol=1e-10)
