"""IOTable with a sparse Z (issue 17, item 2) and the dense table's solver reading A through Z.

A scipy.sparse Z stays sparse (canonical CSR), is validated on its stored entries with the
same messages as a dense one, and gives the multipliers of the same table stored densely —
the reference, itself checked against Miller & Blair's Table 2.3 in tests/analysis. A dense
table's solver never forms A beside Z (``ColumnScaled``); its results equal those from A.
Every public analysis on sparse storage is compared with its dense run in
tests/test_architecture.py."""
import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import lianpu
from lianpu import IOTable
from lianpu.core import coefficients as coef
from lianpu.core import krylov as kry
from lianpu.core import leontief as leo
from lianpu.core.errors import BalanceError, TableError

# Miller & Blair (2009), Table 2.3: Z, final demand, output 1000 / 2000
MB_Z = np.array([[150.0, 500.0], [200.0, 100.0]])
MB_F = np.array([350.0, 1700.0])


@pytest.fixture(autouse=True)
def _auto_means_auto(monkeypatch):
    monkeypatch.delenv("LIANPU_SOLVER", raising=False)
    monkeypatch.delenv("LIANPU_BACKEND", raising=False)


def random_table(n, density, seed, sats=2):
    """A sparse productive table: A ≥ 0 at ``density`` with column sums in [0.3, 0.7], y > 0
    and x = (I − A)⁻¹ y (SciPy's sparse LU, independent of lianpu)."""
    rng = np.random.default_rng(seed)
    A = sp.random(n, n, density=density, random_state=seed, format="csr")
    A = A + sp.diags(rng.uniform(0.05, 0.2, n))
    cs = np.asarray(A.sum(axis=0)).ravel()
    A = sp.csr_array(A.multiply(rng.uniform(0.3, 0.7, n) / cs))
    y = rng.uniform(10, 50, n)
    x = sp.linalg.spsolve(sp.csc_array(sp.identity(n) - A), y)  # x = (I − A)⁻¹ y > 0
    Z = sp.csr_array(A.multiply(x[None, :]))
    Y = np.c_[0.7 * y, 0.3 * y]
    F = rng.uniform(0, 5, (sats, n)) * x
    return Z, Y, x, F


def test_miller_blair_table_with_a_sparse_z():
    t = IOTable.from_arrays(sp.coo_array(MB_Z), MB_F)
    assert t.storage == "sparse" and isinstance(t.Z_, sp.csr_array)
    assert isinstance(t.A_, sp.csr_array)
    # M&B Table 2.3: output multipliers 1.5181, 1.4521 (from L = (I − A)⁻¹, eq. 2.12)
    np.testing.assert_allclose(lianpu.multipliers(t, "output").to_numpy(),
                               [1.51815182, 1.45214521], rtol=1e-8)
    np.testing.assert_allclose(t.x_, [1000.0, 2000.0])
    assert t.Z.to_numpy().tolist() == MB_Z.tolist()  # the labelled view is dense
    assert t.dense().storage == "dense" and t.dense() is t.dense()  # made once
    assert t.dense().dense() is t.dense()


def test_sparse_input_is_canonical_and_read_only():
    Z = sp.coo_array(([100.0, 50.0, 150.0, 0.0, 200.0, 100.0],
                      ([0, 0, 0, 1, 1, 1], [0, 1, 0, 0, 0, 1])), shape=(2, 2))  # duplicate (0, 0)
    t = IOTable.from_arrays(Z, MB_F)
    assert t.Z_.toarray().tolist() == [[250.0, 50.0], [200.0, 100.0]]
    assert t.Z_.nnz == 4  # duplicates summed, the explicit zero dropped
    assert not t.Z_.data.flags.writeable
    assert Z.data.flags.writeable  # the user's matrix is copied, not frozen


def test_sparse_errors_name_the_cell():
    Z = sp.csr_array(np.array([[150.0, -5.0], [200.0, 100.0]]))
    with pytest.raises(TableError, match=r"row '1', column '2': negative entry in Z.*found -5"):
        IOTable.from_arrays(Z, MB_F)
    Z = sp.csr_array(np.array([[150.0, 500.0], [np.nan, 100.0]]))
    with pytest.raises(TableError, match=r"row '2', column '1': Z contains a missing or infinite value"):
        IOTable.from_arrays(Z, MB_F, x=[1000.0, 2000.0])
    with pytest.raises(TableError, match=r"Z has the wrong shape.*found 2×3.*expected 2×2"):
        IOTable.from_arrays(sp.csr_array(np.ones((2, 3))), MB_F, V=[[1.0, 1.0]],
                            x=[1.0, 2.0])
    with pytest.raises(BalanceError, match="unbalanced"):
        IOTable.from_arrays(sp.csr_array(MB_Z), MB_F, V=[[650.0, 1400.0]], x=[1000.0, 2100.0])


def test_only_z_may_be_sparse():
    t = IOTable.from_arrays(MB_Z, MB_F)
    with pytest.raises(TableError, match=r"Y is a scipy.sparse matrix.*only Z may be stored sparse"):
        t.evolve(Y_=sp.csr_array(t.Y_))


def test_sparse_multipliers_and_type_ii_match_dense():
    Z, Y, x, F = random_table(600, 0.02, seed=3)
    sats = {f"s{i}": lianpu.Satellite(f"s{i}", F[i], "t") for i in range(F.shape[0])}
    ts = IOTable.from_arrays(Z, Y, x=x, satellites=sats, final_demand=["HH", "GOV"],
                             household_columns=("HH",), compensation_row="VA")
    td = ts.dense()
    for kind in ("output", "value_added", "s0", "s1"):
        a = lianpu.multipliers(ts, kind).to_numpy()
        b = lianpu.multipliers(td, kind).to_numpy()
        np.testing.assert_allclose(a, b, rtol=1e-10)
    a = lianpu.multipliers(ts, "output", type="II").to_numpy()
    b = lianpu.multipliers(td, "output", type="II").to_numpy()
    np.testing.assert_allclose(a, b, rtol=1e-10)
    assert ts.storage == "sparse"  # multipliers did not densify it
    assert ("dense",) not in ts.__dict__.get("_lianpu_cache", {}) or td is ts.dense()


def test_large_sparse_table_iterates_on_csr_and_pickles():
    Z, Y, x, _ = random_table(2500, 0.004, seed=5)
    t = IOTable.from_arrays(Z, Y, x=x)
    f = t.factor
    assert f.method == "krylov" and f._storage == "sparse"
    m = leo.left_solve(f, np.ones((1, t.n)))[0]
    ref = sp.linalg.spsolve(sp.csc_array(sp.identity(t.n) - t.A_).T, np.ones(t.n))
    assert float(np.abs(m - ref).max() / np.abs(ref).max()) < 1e-10
    f2 = pickle.loads(pickle.dumps(f))  # as shipped to a Dask worker: the CSR A, no dense copy
    assert f2._A0 is None and sp.issparse(f2._Ait)
    np.testing.assert_allclose(leo.left_solve(f2, np.ones((1, t.n)))[0], m, rtol=1e-12)


# ----------------------------------------------------------------------------- A through Z
def test_column_scaled_equals_calc_a():
    rng = np.random.default_rng(0)
    Z = rng.uniform(0, 10, (7, 7))
    x = rng.uniform(50, 100, 7)
    x[3] = 0.0  # a zero-output sector: its column of A is 0 (calc_A's rule)
    Z[:, 3] = 0.0
    cs = coef.ColumnScaled(Z, x)
    A = coef.calc_A(Z, x)
    assert np.array_equal(cs.dense(), A)
    np.testing.assert_array_equal(cs.diagonal(), np.diagonal(A))
    np.testing.assert_allclose(cs.sum(axis=0), A.sum(axis=0), rtol=1e-15)
    np.testing.assert_allclose(cs.sum(axis=1), A.sum(axis=1), rtol=1e-14)
    U = rng.normal(size=(3, 7))
    np.testing.assert_allclose(cs.rows_times(U), U @ A, rtol=1e-13)
    np.testing.assert_allclose(cs.rows_times_transpose(U), U @ A.T, rtol=1e-13)
    np.testing.assert_allclose(cs @ U[0], A @ U[0], rtol=1e-13)
    assert np.array_equal(leo.identity_minus(cs), leo.identity_minus(A))  # bitwise: same LU
    assert cs.min() == A.min() == 0.0
    Z[1, 2] = -1.0
    assert coef.ColumnScaled(Z, x).min() == pytest.approx(coef.calc_A(Z, x).min())


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 12), st.floats(0.5, 1.3), st.integers(0, 10_000))
def test_productivity_from_z_agrees_with_a(n, rho, seed):
    """The proof read through Z decides exactly as the proof on A (same bounds)."""
    rng = np.random.default_rng(seed)
    A = rng.uniform(0, 1, (n, n))
    A *= rho / max(np.abs(np.linalg.eigvals(A)).max(), 1e-12)
    x = rng.uniform(1, 10, n)
    a = kry.productive_without_lu(A)
    z = kry.productive_without_lu(coef.ColumnScaled(A * x[None, :], x))
    assert a.productive == z.productive
    if z.productive is True:
        assert rho < 1.0


def test_dense_table_solver_reads_a_through_z():
    """The iterative path on a dense table: A_ is never made, answers equal the LU's."""
    rng = np.random.default_rng(2)
    n = 2100  # above KRYLOV_MIN_N: "auto" iterates
    A = rng.uniform(0, 1, (n, n)) * (rng.uniform(size=(n, n)) < 0.1)
    A *= 0.5 / A.sum(axis=0)
    x = rng.uniform(50, 150, n)
    Z = A * x[None, :]
    Y = (x - Z.sum(axis=1))[:, None]
    t = IOTable.from_arrays(Z, Y, x=x)
    f = t.factor
    assert f.method == "krylov" and isinstance(f._A0, coef.ColumnScaled)
    assert "A_" not in t.__dict__  # no second n×n
    m = leo.left_solve(f, np.ones((1, n)))[0]
    ref = leo.left_solve(leo.leontief_factor(t.A_, method="lu"), np.ones((1, n)))[0]
    assert float(np.abs(m - ref).max() / np.abs(ref).max()) < 1e-10


def test_parquet_round_trip_keeps_or_chooses_the_storage(tmp_path):
    """save writes a sparse Z's stored entries; load(storage=…) rebuilds either storage."""
    Z, Y, x, _ = random_table(2100, 0.003, seed=9)
    t = IOTable.from_arrays(Z, Y, x=x)
    p = tmp_path / "t.parquet"
    t.save(p)
    dense = lianpu.load(p)
    assert dense.storage == "dense" and np.array_equal(dense.Z_, t.Z_.toarray())
    for storage in ("sparse", "auto"):  # auto: 2100 ≥ 2000 sectors and 0.3 % < 5 % non-zero
        u = lianpu.load(p, storage=storage)
        assert u.storage == "sparse" and (u.Z_ != t.Z_).nnz == 0
    small = tmp_path / "mb.parquet"
    IOTable.from_arrays(MB_Z, MB_F).save(small)
    assert lianpu.load(small, storage="auto").storage == "dense"  # 2 sectors: dense
    with pytest.raises(lianpu.core.errors.ArgumentError, match="argument 'storage'"):
        lianpu.load(small, storage="csr")


def test_builders_accept_a_sparse_table(shared_data, tmp_path):
    """The table builders on cn-nbs-2020-42 stored sparse give what they give on the dense
    table (the dense builders are checked against their own references in their modules)."""
    import pandas as pd

    from lianpu.export import export_table
    t = lianpu.load("cn-nbs-2020-42", data_dir=shared_data)
    s = t.evolve(Z_=sp.csr_array(t.Z_))

    def same(a, b):
        za, zb = (z.toarray() if sp.issparse(z) else z for z in (a.Z_, b.Z_))
        np.testing.assert_allclose(zb, za, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(lianpu.multipliers(b).to_numpy(),
                                   lianpu.multipliers(a).to_numpy(), rtol=1e-10)

    same(lianpu.co2_satellite(t, data_dir=shared_data), lianpu.co2_satellite(s, data_dir=shared_data))
    groups = {c: ("G1" if i < 20 else "G2") for i, c in enumerate(t.index)}
    same(t.aggregate(groups), s.aggregate(groups))
    kw = dict(into={"18a": ("甲", "a")}, shares={"18a": 0.3}, source="a test share")
    same(t.split_sector(t.index[18], **kw), s.split_sector(s.index[18], **kw))
    xr = pd.Series(t.x_ * 0.05, index=t.index)
    same(lianpu.regionalize(t, xr), lianpu.regionalize(s, xr))
    assert s.to_pymrio().Z.shape == (42, 42)
    export_table(s, tmp_path / "s.xlsx")
    same(t, lianpu.load(tmp_path / "s.xlsx"))


def test_load_storage_for_any_format(shared_data):
    """lianpu.load(id, storage=…): an NBS CSV (a reader without a sparse path) is converted
    after reading; the multipliers are the dense table's."""
    dense = lianpu.load("cn-nbs-2020-42", data_dir=shared_data)
    sparse = lianpu.load("cn-nbs-2020-42", data_dir=shared_data, storage="sparse")
    assert dense.storage == "dense" and sparse.storage == "sparse"
    np.testing.assert_allclose(lianpu.multipliers(sparse).to_numpy(),
                               lianpu.multipliers(dense).to_numpy(), rtol=1e-12)
    assert lianpu.load("cn-nbs-2020-42", data_dir=shared_data, storage="auto").storage == "dense"
    with pytest.raises(lianpu.core.errors.ArgumentError, match="argument 'storage'"):
        lianpu.load("cn-nbs-2020-42", data_dir=shared_data, storage="coo")
