"""Key sectors: linkages against Miller & Blair's two-sector example by hand, hypothetical
extraction against from-scratch re-solves of the reduced tables, and production inducement
against an independent computation and against the other NBS table of the same year."""
from __future__ import annotations

import numpy as np
import pytest

import lianpu
from lianpu.analysis.chains.extraction import extracted_output
from lianpu.analysis.chains.finaldemand import final_demand_items

# Miller & Blair (2009), §2.3: Z = [[150, 500], [200, 100]], f = [350, 1700], x = [1000, 2000].
# By hand: A = [[.15, .25], [.2, .05]], det(I − A) = .7575, L = [[.95, .25], [.2, .85]]/.7575;
# B = [[.15, .5], [.1, .05]], G = [[.95, .5], [.1, .85]]/.7575.
MB_L = np.array([[0.95, 0.25], [0.2, 0.85]]) / 0.7575
MB_G = np.array([[0.95, 0.5], [0.1, 0.85]]) / 0.7575


@pytest.fixture(scope="module")
def mb():
    return lianpu.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700])


@pytest.fixture(scope="module")
def t42(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2020_42.csv")


@pytest.fixture(scope="module")
def t153(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2020_153.csv")


def test_linkages_miller_blair_by_hand(mb):
    k = lianpu.keysectors(mb)
    col, rowG, rowL = MB_L.sum(axis=0), MB_G.sum(axis=1), MB_L.sum(axis=1)
    np.testing.assert_allclose(k["power_of_dispersion"], col / col.mean(), rtol=1e-12)
    np.testing.assert_allclose(k["power_of_dispersion"], [1.0222, 0.9778], atol=1e-4)
    np.testing.assert_allclose(k["sensitivity"], rowG / rowG.mean(), rtol=1e-12)
    np.testing.assert_allclose(k["sensitivity"], [1.2083, 0.7917], atol=1e-4)
    np.testing.assert_allclose(k["sensitivity_leontief"], rowL / rowL.mean(), rtol=1e-12)
    np.testing.assert_allclose(k["sensitivity_leontief"], [1.06667, 0.93333], atol=1e-5)
    np.testing.assert_allclose(k["backward_direct"], [0.35, 0.30])
    np.testing.assert_allclose(k["forward_direct"], [0.65, 0.15])
    assert list(k["type"]) == ["key", "weak"] and list(k["type_zh"]) == ["关键部门", "弱关联型"]
    w = mb.x_ / mb.x_.sum()
    assert w @ k["power_of_dispersion_weighted"] == pytest.approx(1.0)
    assert w @ k["sensitivity_weighted"] == pytest.approx(1.0)


def test_bilingual_columns(mb):
    k = lianpu.keysectors(mb, lang="zh")
    assert "影响力系数" in k.columns and "感应度系数" in k.columns
    assert k.attrs["zh"]["power_of_dispersion"] == "影响力系数"
    assert "power of dispersion" in lianpu.keysectors(mb, lang="en").columns


def _reduced_resolve(t, j):
    """From scratch: (total, backward, forward) lost output and value added for sector j."""
    n, A, x, Z = t.n, t.A_, t.x_, t.Z_
    f = x - A @ x                                            # f = (I − A) x
    v = t.value_added_ / x
    keep = [i for i in range(n) if i != j]
    xt = np.zeros(n)
    xt[keep] = np.linalg.solve(np.eye(n - 1) - A[np.ix_(keep, keep)], f[keep])
    Ab = A.copy()
    Ab[:, j] = 0.0
    xb = np.linalg.solve(np.eye(n) - Ab, f)
    B = Z / x[:, None]
    Bf = B.copy()
    Bf[j, :] = 0.0
    prim = x - Z.sum(axis=0)                                 # x' = prim' G
    xf = np.linalg.solve((np.eye(n) - Bf).T, prim)
    return {k: (x.sum() - xx.sum(), v @ (x - xx)) for k, xx in
            (("total", xt), ("backward", xb), ("forward", xf))}


def test_extraction_equals_resolving_reduced_tables_42(t42):
    k = lianpu.keysectors(t42, inducement_items=False)
    for j in range(t42.n):
        ref = _reduced_resolve(t42, j)
        for kind, (out, va) in ref.items():
            assert k[f"hem_{kind}_output"].iloc[j] == pytest.approx(out, rel=1e-8, abs=1e-3)
            assert k[f"hem_{kind}_va"].iloc[j] == pytest.approx(va, rel=1e-8, abs=1e-3)


def test_extraction_equals_resolving_reduced_tables_153(t153):
    k = lianpu.keysectors(t153, inducement_items=False, basis="published")
    for j in (0, 49, 82, 93, 152):
        ref = _reduced_resolve(t153, j)
        for kind, (out, _) in ref.items():
            assert k[f"hem_{kind}_output"].iloc[j] == pytest.approx(out, rel=1e-7)
        for kind in ("total", "backward", "forward"):
            xx = extracted_output(t153, j, kind)
            assert t153.x_.sum() - xx.sum() == pytest.approx(ref[kind][0], rel=1e-7)
    xt, vt = t153.x_.sum(), t153.value_added_.sum()
    np.testing.assert_allclose(k["hem_total_output_share"], k["hem_total_output"] / xt)
    np.testing.assert_allclose(k["hem_forward_va_share"], k["hem_forward_va"] / vt)


def test_extracting_a_sector_without_flows_changes_nothing_else():
    """Sector 3 buys and sells no intermediates: backward and forward extraction lose nothing,
    total extraction loses only its own output, the others' outputs are unchanged."""
    Z = [[20, 30, 0], [10, 40, 0], [0, 0, 0]]
    t = lianpu.IOTable.from_arrays(Z, [[50], [150], [80]])
    k = lianpu.keysectors(t)
    assert k["hem_backward_output"].iloc[2] == pytest.approx(0, abs=1e-12)
    assert k["hem_forward_output"].iloc[2] == pytest.approx(0, abs=1e-12)
    assert k["hem_total_output"].iloc[2] == pytest.approx(80)
    assert k["hem_total_va"].iloc[2] == pytest.approx(80)      # all its output is value added
    for kind in ("total", "backward", "forward"):
        np.testing.assert_allclose(extracted_output(t, 2, kind)[:2], t.x_[:2], rtol=1e-12)


def test_inducement_identity_and_independent_42(t42):
    """Σ_k L y_k = x, and the consumption coefficient equals L y_TC / Σ(y_TC + ym_TC) computed
    with an explicit inverse."""
    k = lianpu.keysectors(t42)
    items = ["consumption", "capital", "exports"]
    np.testing.assert_allclose(k[[f"induced_{i}" for i in items]].sum(axis=1), t42.x_, rtol=1e-9)
    np.testing.assert_allclose(k[[f"dependence_{i}" for i in items]].sum(axis=1), 1.0, rtol=1e-9)
    L = np.linalg.inv(np.eye(42) - t42.A_)
    fd = list(t42.final_demand_labels.index)
    yc = t42.Y_[:, fd.index("TC")]
    coef = L @ yc / (yc.sum() + t42.Ym_[:, fd.index("TC")].sum())
    np.testing.assert_allclose(k["inducement_consumption"], coef, rtol=1e-10)
    ye, yem = t42.Y_[:, fd.index("EX")], t42.Ym_[:, fd.index("EX")]   # re-exported imports
    np.testing.assert_allclose(k["inducement_exports"], L @ ye / (ye.sum() + yem.sum()),
                               rtol=1e-10)


def test_inducement_competitive_153(t153):
    """Competitive table: the domestic view; induced outputs still add up to x, and the three
    item totals equal those of the 42-sector non-competitive table of the same year (NBS
    published both from the same accounts)."""
    k = lianpu.keysectors(t153)
    assert "import proportionality" in k.attrs["inducement_basis"]
    np.testing.assert_allclose(k[[c for c in k.columns if c.startswith("induced_")]].sum(axis=1),
                               t153.x_, rtol=1e-9)
    assert set(k.attrs["item_totals"]) == {"consumption", "capital", "exports"}


def test_item_totals_agree_across_2020_tables(t42, t153):
    a = final_demand_items(t42)["total"]
    b = final_demand_items(t153)["total"]
    for item in ("consumption", "capital", "exports"):
        assert a[item] == pytest.approx(b[item], rel=1e-6), item


def test_oecd_items(oecd_dir):
    t = lianpu.load(oecd_dir / "oecd2021_chn_2018.csv")
    d = final_demand_items(t)
    assert not d["unmatched"]
    fd = list(t.final_demand_labels.index)
    Y = t.Y_
    assert d["total"]["exports"] == pytest.approx(
        Y[:, fd.index("EX")].sum() + Y[:, fd.index("CONS_NONRES")].sum())
    assert d["total"]["capital"] == pytest.approx(
        Y[:, fd.index("GFCF")].sum() + Y[:, fd.index("INVNT")].sum())
