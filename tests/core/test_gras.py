"""GRAS balancing (lianpu.core.gras; labelled wrapper lianpu.gras).

Expected numbers: RAS preserves every 2×2 cross-product ratio z11·z22 / (z12·z21) of the
prior (Bacharach 1970), so 2×2 problems have closed-form answers; a matrix that already has
the GRAS form Z = r̂Pŝ − r̂⁻¹Nŝ⁻¹ (Junius & Oosterhaven 2003; Lenzen et al. 2007) is the unique
GRAS solution for its own margins (strictly convex objective), so it must be reproduced."""
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lianpu
from lianpu.core.gras import ConvergenceError, apply_factors, gras, gras_factors


def test_ras_independence_closed_form():
    """Prior of ones (cross ratio 1) → z_ij = u_i v_j / Σu: [[1.2, 1.8], [2.8, 4.2]]."""
    np.testing.assert_allclose(gras(np.ones((2, 2)), [3, 7], [4, 6]), [[1.2, 1.8], [2.8, 4.2]],
                               rtol=1e-12)


def test_ras_cross_ratio_closed_form():
    """Prior [[1, 2], [3, 4]], u = v = (5, 5): Z = [[a, 5 − a], [5 − a, a]] with
    a²/(5 − a)² = 4/6, so a = 5·√(2/3) / (1 + √(2/3)) = 2.2474487139…"""
    a = 5 * np.sqrt(2 / 3) / (1 + np.sqrt(2 / 3))
    np.testing.assert_allclose(gras([[1, 2], [3, 4]], [5, 5], [5, 5]), [[a, 5 - a], [5 - a, a]],
                               rtol=1e-10)


def test_identity_when_margins_already_match():
    Z0 = np.array([[3.0, -1.0, 0.0], [2.0, 5.0, -4.0], [0.0, 1.0, 7.0]])
    *_, it = gras_factors(Z0, Z0.sum(1), Z0.sum(0))
    assert it == 1
    np.testing.assert_allclose(gras(Z0, Z0.sum(1), Z0.sum(0)), Z0, rtol=1e-14, atol=1e-14)


entries = arrays(float, (5, 4), elements=st.floats(-50, 50).map(lambda v: 0.0 if abs(v) < 5 else v))
scales = arrays(float, 9, elements=st.floats(0.3, 3.0))


@settings(max_examples=60, deadline=None)
@given(Z0=entries, k=scales)
def test_reproduces_a_matrix_of_gras_form_and_keeps_signs(Z0, k):
    """Targets from Z* = r̂Pŝ − r̂⁻¹Nŝ⁻¹ (random r, s > 0): GRAS returns Z* itself, hence
    matches the margins, keeps every sign and every zero."""
    Zs = apply_factors(Z0, k[:5], k[5:])
    u, v = Zs.sum(1), Zs.sum(0)
    Z = gras(Z0, u, v, tol=1e-12, max_iter=100_000)
    scale = max(1.0, np.abs(u).max(), np.abs(v).max())
    assert np.abs(Z.sum(1) - u).max() <= 1e-9 * scale
    assert np.abs(Z.sum(0) - v).max() <= 1e-9 * scale
    np.testing.assert_array_equal(np.sign(Z), np.sign(Z0))
    # the solution is unique unless a row or column of the prior is empty (then r or s is free)
    if (np.abs(Z0).sum(0) > 0).all() and (np.abs(Z0).sum(1) > 0).all():
        np.testing.assert_allclose(Z, Zs, rtol=1e-6, atol=1e-6 * scale)


def test_positive_only_row_to_zero_is_zeroed_like_ras():
    Z = gras([[1.0, 2.0], [3.0, 4.0]], [0.0, 10.0], [4.0, 6.0])
    np.testing.assert_allclose(Z, [[0, 0], [4, 6]], atol=1e-12)


def test_sparse_equals_dense():
    rng = np.random.default_rng(7)
    Z0 = rng.normal(size=(30, 30)) * (rng.random((30, 30)) < 0.3)
    Zs = apply_factors(Z0, rng.uniform(0.5, 2, 30), rng.uniform(0.5, 2, 30))
    Zd = gras(Z0, Zs.sum(1), Zs.sum(0))
    Zsp = gras(sp.csr_matrix(Z0), Zs.sum(1), Zs.sum(0))
    assert sp.issparse(Zsp)
    np.testing.assert_allclose(Zsp.toarray(), Zd, atol=1e-12)


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"different grand totals \(found Σu = 10, Σv = 11"):
        gras(np.ones((2, 2)), [3, 7], [5, 6])
    with pytest.raises(ValueError, match=r"row 1 cannot be reached .* only positive entries "
                                         r"\(found target -2"):
        gras([[1.0, -1.0], [1.0, 1.0]], [2.0, -2.0], [1.0, -1.0])
    with pytest.raises(ValueError, match=r"row 'b' cannot be reached.*no non-zero entries"):
        gras([[1.0, 1.0], [0.0, 0.0]], [1.0, 1.0], [1.0, 1.0], labels=(["a", "b"], ["x", "y"]))
    with pytest.raises(ValueError, match="targets do not fit the prior"):
        gras(np.ones((2, 3)), [1, 2], [1, 1])
    with pytest.raises(ConvergenceError, match=r"gras: argument 'max_iter': did not converge in 2 "
                                               r"iterations"):
        gras([[1.0, 2.0, 0.5], [3.0, 0.1, 4.0], [0.2, 5.0, 1.0]], [10, 1, 5], [1, 5, 10],
             max_iter=2)


def test_labelled_wrapper_aligns_by_label():
    Z0 = pd.DataFrame([[1.0, 1.0], [1.0, 1.0]], index=["a", "b"], columns=["x", "y"])
    Z = lianpu.gras(Z0, pd.Series({"b": 7.0, "a": 3.0}), pd.Series({"y": 6.0, "x": 4.0}))
    assert list(Z.index) == ["a", "b"] and list(Z.columns) == ["x", "y"]
    np.testing.assert_allclose(Z.to_numpy(), [[1.2, 1.8], [2.8, 4.2]], rtol=1e-12)
    with pytest.raises(ValueError, match="target has no entry for a label"):
        lianpu.gras(Z0, pd.Series({"a": 10.0}), [4.0, 6.0])
