"""Numeric core against Miller & Blair (2009), *Input-Output Analysis*, 2nd ed., §2.3,
Table 2.3 (two-sector example): Z = [[150, 500], [200, 100]], f = [350, 1700],
x = [1000, 2000]. The book prints A, L (to 5 d.p.), output multipliers 1.51815 / 1.45215
and, for f_new = [600, 1500], x_new = [1247.52, 1841.58] (2 d.p.)."""
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from lianpu.core import backend as be
from lianpu.core import coefficients as coef
from lianpu.core import leontief as leo
from lianpu.core.errors import ProductivityError

Z = np.array([[150.0, 500.0], [200.0, 100.0]])
f = np.array([350.0, 1700.0])
x = np.array([1000.0, 2000.0])


def test_technical_coefficients_book():
    np.testing.assert_allclose(coef.calc_A(Z, x), [[0.15, 0.25], [0.20, 0.05]])


def test_leontief_inverse_book():
    L = leo.calc_L(leo.leontief_factor(coef.calc_A(Z, x)))
    np.testing.assert_allclose(L, [[1.25413, 0.33003], [0.26403, 1.12211]], atol=5e-6)


def test_output_multipliers_book():
    m = leo.left_solve(leo.leontief_factor(coef.calc_A(Z, x)), np.ones(2))
    np.testing.assert_allclose(m, [1.51815, 1.45215], atol=5e-6)


def test_new_final_demand_book():
    fac = leo.leontief_factor(coef.calc_A(Z, x))
    np.testing.assert_allclose(leo.leontief_solve(fac, [600.0, 1500.0]), [1247.52, 1841.58],
                               atol=5e-3)
    # x = L f reproduces the observed output (identity, not the book's rounding)
    np.testing.assert_allclose(leo.leontief_solve(fac, f), x, rtol=1e-12)


def test_matrix_right_hand_side_is_batch_of_solves():
    fac = leo.leontief_factor(coef.calc_A(Z, x))
    F = np.column_stack([f, [600.0, 1500.0]])
    np.testing.assert_allclose(leo.leontief_solve(fac, F)[:, 1], [1247.52, 1841.58], atol=5e-3)


def test_ghosh_duality_book():
    """x' = v' G with v = x − 1'Z (value added) — the Ghosh identity (M&B eq. 12.6)."""
    v = x - Z.sum(axis=0)
    facB = leo.leontief_factor(coef.calc_B(Z, x))
    np.testing.assert_allclose(leo.ghosh_solve(facB, v), x, rtol=1e-12)
    # G = x̂⁻¹ L x̂ (M&B eq. 12.9): an independent route from the two inverses
    L = leo.calc_L(leo.leontief_factor(coef.calc_A(Z, x)))
    np.testing.assert_allclose(leo.calc_G(facB), np.diag(1 / x) @ L @ np.diag(x), rtol=1e-12)


def test_zero_output_sector_gets_zero_coefficients():
    Z0 = np.array([[1.0, 0.0], [2.0, 0.0]])
    A = coef.calc_A(Z0, np.array([10.0, 0.0]))
    assert np.isfinite(A).all() and (A[:, 1] == 0).all()


def test_sparse_and_dense_backends_agree():
    rng = np.random.default_rng(0)
    n = 500
    A = sp.random(n, n, density=0.01, random_state=1, format="csc") * 0.1
    dense = leo.leontief_factor(A.toarray(), backend="dense")
    sparse = leo.leontief_factor(A, backend="sparse")
    assert be.choose_backend(leo.identity_minus(A)) == "sparse"
    b = rng.random(n)
    np.testing.assert_allclose(dense.solve(b), sparse.solve(b), rtol=1e-10)
    np.testing.assert_allclose(dense.solve_transposed(b), sparse.solve_transposed(b), rtol=1e-10)


def test_unknown_backend_error():
    with pytest.raises(ValueError, match="unknown backend 'cupyx'.*expected one of auto, dense"):
        be.factorize(np.eye(2), backend="cupyx")


def test_register_backend_seam():
    calls = []

    class Counting(be.DenseFactor):
        backend = "counting"

        def solve(self, b):
            calls.append(1)
            return super().solve(b)

    be.register_backend("counting", Counting)
    fac = leo.leontief_factor(coef.calc_A(Z, x), backend="counting")
    np.testing.assert_allclose(leo.leontief_solve(fac, f), x)
    assert calls  # the analysis went through the registered backend


def test_singular_is_error():
    with pytest.raises(ProductivityError, match="I − A is singular"):
        leo.leontief_factor(np.array([[1.0, 0.0], [0.0, 0.5]]))


def test_not_productive_is_error_naming_sector():
    A = np.array([[0.5, 0.6], [0.6, 0.5]])  # spectral radius 1.1
    with pytest.raises(ProductivityError, match="sector 'farm': A is not productive"):
        leo.leontief_factor(A, labels=["farm", "steel"])


def test_type_two_closure_shape_and_block():
    Ab = leo.close_households(np.eye(2) * 0.1, [0.3, 0.4], [0.5, 0.2])
    assert Ab.shape == (3, 3) and Ab[2, 2] == 0 and Ab[0, 2] == 0.5 and Ab[2, 1] == 0.4


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 12), st.integers(0, 10_000))
def test_identities_random_productive(n, seed):
    """x = L f and x' = v'G on random productive tables (column sums of A < 1)."""
    rng = np.random.default_rng(seed)
    A = rng.random((n, n))
    A *= rng.uniform(0.1, 0.9) / A.sum(axis=0)
    xx = rng.uniform(1, 100, n)
    Zr = A * xx
    fr = xx - Zr.sum(axis=1)
    if (fr <= 0).any():
        return
    fac = leo.leontief_factor(coef.calc_A(Zr, xx))
    np.testing.assert_allclose(leo.leontief_solve(fac, fr), xx, rtol=1e-9)
    v = xx - Zr.sum(axis=0)
    np.testing.assert_allclose(leo.ghosh_solve(leo.leontief_factor(coef.calc_B(Zr, xx)), v), xx,
                               rtol=1e-9)


def test_ghosh_from_leontief_matches_own_lu():
    """G from the Leontief LU by similarity (M&B eq. 12.9) vs an LU of I − B itself."""
    rng = np.random.default_rng(3)
    A = rng.random((6, 6))
    A *= 0.6 / A.sum(axis=0)
    xx = rng.uniform(1, 50, 6)
    Zr = A * xx
    derived = leo.ghosh_factor(A, coef.calc_B(Zr, xx), xx, leo.leontief_factor(A))
    own = leo.leontief_factor(coef.calc_B(Zr, xx))
    assert derived.backend == "ghosh-from-leontief"
    b = rng.random((6, 2))
    np.testing.assert_allclose(derived.solve(b), own.solve(b), rtol=1e-12)
    np.testing.assert_allclose(derived.solve_transposed(b[:, 0]), own.solve_transposed(b[:, 0]),
                               rtol=1e-12)
    # with a zero-output sector the similarity fails and an own LU is made
    x0 = xx.copy()
    x0[2] = 0
    assert leo.ghosh_factor(A, coef.calc_B(Zr, x0), x0, leo.leontief_factor(A)).backend != \
        "ghosh-from-leontief"
