"""Multipliers: Miller & Blair (2009) Table 2.3 figures and independent routes on real tables."""
import numpy as np
import pytest

import lianpu
from lianpu.core.errors import TableError


@pytest.fixture()
def mb():
    """Miller & Blair (2009) Table 2.3, with value added split into labour income (the book's
    §2.5 uses household income as the row closed in Type II) — here 60 % of value added."""
    Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    x = np.array([1000.0, 2000.0])
    va = x - Z.sum(axis=0)                       # [650, 1400]
    V = np.vstack([0.6 * va, 0.4 * va])          # compensation, other
    Y = np.array([[100.0, 250.0], [300.0, 1400.0]])  # households, other final demand (sum = f)
    return lianpu.IOTable.from_arrays(Z, Y, V, x, primary=["COMP", "OTHER"],
                                      final_demand=["HH", "OTHER"], compensation_row="COMP",
                                      household_columns=("HH",), name="mb23")


def test_output_multipliers_book(mb):
    m = lianpu.multipliers(mb, "output")
    np.testing.assert_allclose(m.to_numpy(), [1.51815, 1.45215], atol=5e-6)  # M&B p. 33
    assert m.attrs["type"] == "I" and "final demand" in m.attrs["unit"]


def test_leontief_inverse_labelled_book(mb):
    L = lianpu.leontief_inverse(mb)
    np.testing.assert_allclose(L.to_numpy(), [[1.25413, 0.33003], [0.26403, 1.12211]], atol=5e-6)
    assert list(L.index) == ["1", "2"]


def test_type2_against_explicit_augmented_inverse(mb):
    """Independent route: numpy.linalg.inv of the augmented (I − Ā) (M&B eq. 2.25)."""
    A = mb.Z_ / mb.x_
    hr = mb.V_[0] / mb.x_
    hc = mb.Y_[:, 0] / mb.V_[0].sum()
    Abar = np.block([[A, hc[:, None]], [hr[None, :], np.zeros((1, 1))]])
    Lbar = np.linalg.inv(np.eye(3) - Abar)
    m2 = lianpu.multipliers(mb, "output", type="II")
    np.testing.assert_allclose(m2.to_numpy(), Lbar[:2, :2].sum(axis=0), rtol=1e-12)
    inc2 = lianpu.multipliers(mb, "income", type="II")
    np.testing.assert_allclose(inc2.to_numpy(), Lbar[2, :2], rtol=1e-12)  # household row of L̄
    assert (m2.to_numpy() > lianpu.multipliers(mb, "output").to_numpy()).all()


def test_direct_effect_form(mb):
    for kind in ("value_added", "income"):
        fd = lianpu.multipliers(mb, kind)
        de = lianpu.multipliers(mb, kind, form="direct_effect")
        s = {"value_added": mb.value_added_, "income": mb.V_[0]}[kind] / mb.x_
        np.testing.assert_allclose(de.to_numpy() * s, fd.to_numpy(), rtol=1e-12)


def test_satellite_multiplier_is_s_L(mb):
    t = mb.with_satellite("co2", [100.0, 50.0], "t CO2", name_zh="二氧化碳")
    L = lianpu.leontief_inverse(t).to_numpy()
    m = lianpu.multipliers(t, "co2")
    np.testing.assert_allclose(m.to_numpy(), np.array([0.1, 0.025]) @ L, rtol=1e-12)
    assert m.attrs["unit"].startswith("t CO2 per")


def test_errors(mb):
    with pytest.raises(TableError, match="unknown multiplier kind 'jobs'.*expected one of"):
        lianpu.multipliers(mb, "jobs")
    with pytest.raises(ValueError, match="argument 'type': .*found 'III', expected 'I' or 'II'"):
        lianpu.multipliers(mb, type="III")
    plain = lianpu.IOTable.from_arrays(mb.Z_, mb.Y_, mb.V_, mb.x_, primary=["COMP", "OTHER"],
                                       compensation_row="COMP")
    with pytest.raises(TableError, match="no household-consumption column"):
        lianpu.multipliers(plain, type="II")


# --------------------------------------------------------------------- real NBS tables
NBS = ["cn_io_2020_153.csv", "cn_io_2018_153.csv", "cn_io_2017_149.csv", "cn_io_2012_139.csv",
       "cn_io_2002_122.csv", "cn_io_2015_42.csv"]


@pytest.mark.parametrize("fname", NBS)
def test_type2_not_below_type1_real(nbs_dir, fname):
    """Closing households can only add induced effects: Type II ≥ Type I (M&B §2.5.3)."""
    t = lianpu.load(nbs_dir / fname)
    for kind in ("output", "value_added", "income"):
        m1 = lianpu.multipliers(t, kind)
        m2 = lianpu.multipliers(t, kind, type="II")
        assert (m2.to_numpy() >= m1.to_numpy() - 1e-12).all(), kind


@pytest.mark.parametrize("fname", ["cn_io_2020_153.csv", "cn_io_2020_42.csv"])
def test_direct_effect_times_direct_coefficient_real(nbs_dir, fname):
    t = lianpu.load(nbs_dir / fname)
    households = None if t.household_columns else ("TC",)
    for kind in ("value_added", "income"):
        for typ in ("I", "II"):
            fd = lianpu.multipliers(t, kind, type=typ, households=households)
            de = lianpu.multipliers(t, kind, type=typ, form="direct_effect", households=households)
            s = (t.value_added_ if kind == "value_added" else t.V_[0]) / t.x_
            ok = s != 0
            np.testing.assert_allclose((de.to_numpy() * s)[ok], fd.to_numpy()[ok], rtol=1e-12)


def test_output_multiplier_equals_column_sums_of_explicit_L_real(nbs_dir):
    """Independent route: scipy's explicit inverse vs lianpu's transposed solve."""
    import scipy.linalg as sla
    t = lianpu.load(nbs_dir / "cn_io_2020_153.csv")
    L = sla.inv(np.eye(t.n) - t.Z_ / t.x_)
    np.testing.assert_allclose(lianpu.multipliers(t, basis="published").to_numpy(), L.sum(axis=0),
                               rtol=1e-10)


def test_noncompetitive_type2_needs_explicit_households(nbs_dir, tmp_path):
    """Without the same year's detailed table (an empty cache), Type II on a TC-only table
    needs an explicit closure."""
    t = lianpu.load(nbs_dir / "cn_io_2020_42.csv")
    with pytest.raises(TableError, match=r"households=\('TC',\)"):
        lianpu.multipliers(t, type="II", data_dir=tmp_path)
    m = lianpu.multipliers(t, type="II", households=("TC",))
    assert (m >= lianpu.multipliers(t)).all()


def test_ghosh_inverse_book(mb):
    """G = (I − B)⁻¹ with B = x̂⁻¹Z (M&B 2009 eq. 12.5); independent route: numpy's inverse.
    lianpu derives it from the Leontief LU by similarity G = x̂⁻¹ L x̂."""
    B = mb.Z_ / mb.x_[:, None]
    G = lianpu.ghosh_inverse(mb)
    np.testing.assert_allclose(G.to_numpy(), np.linalg.inv(np.eye(2) - B), rtol=1e-12)
    assert list(G.columns) == ["1", "2"]
