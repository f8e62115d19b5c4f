"""Supply-side and disruption models: mixed model identities, Ghosh against an explicit
inverse, and the import cut-off on a hand-solved toy table and on cn_io_2017_42.csv."""
import json

import numpy as np
import pytest

import lianpu
from lianpu import shock
from lianpu.core.errors import TableError


@pytest.fixture()
def mb():
    """Miller & Blair (2009) Table 2.3."""
    return lianpu.IOTable.from_arrays([[150.0, 500.0], [200.0, 100.0]], [350.0, 1700.0],
                                      name="mb23", unit="万元")


@pytest.fixture(scope="module")
def t2017(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2017_42.csv")


def test_mixed_with_nothing_fixed_is_the_leontief_solve(mb, t2017):
    for t in (mb, t2017):
        f = t.final_demand_total_
        r = shock.mixed(t, {}, demand=f)
        np.testing.assert_allclose(r.columns["output"], np.linalg.solve(np.eye(t.n) - t.A_, f),
                                   rtol=1e-10)
        x, _ = shock.mixed_solve(t.A_, [], np.zeros(0), f)
        np.testing.assert_allclose(x, t.factor.solve(f), rtol=1e-12)


def test_fixing_a_sector_at_its_leontief_value_changes_nothing(t2017):
    rng = np.random.default_rng(3)
    f = rng.uniform(1e5, 1e7, t2017.n)
    x = t2017.factor.solve(f)
    codes = list(t2017.index)
    r = shock.mixed(t2017, {"20": x[codes.index("20")], "27": x[codes.index("27")]}, demand=f)
    np.testing.assert_allclose(r.columns["output"], x, rtol=1e-10)
    np.testing.assert_allclose(r.columns["final_demand"], f, rtol=1e-8)  # f_J recovered


def test_mixed_two_sector_by_hand(mb):
    """x₁ fixed at 800 (M&B Table 2.3, f₂ = 1700): x₂ = (1700 + 0.2·800)/(1 − 0.05) and
    f₁ = (1 − 0.15)·800 − 0.25·x₂ (M&B ch. 13 partition)."""
    r = shock.mixed(mb, {"1": 800.0})
    x2 = (1700 + 0.2 * 800) / 0.95
    np.testing.assert_allclose(r.columns["output"], [800, x2], rtol=1e-12)
    assert r.columns["final_demand"][0] == pytest.approx(0.85 * 800 - 0.25 * x2, rel=1e-12)
    assert r.totals["output_change"] == pytest.approx(800 + x2 - 3000, rel=1e-12)


def test_ghosh_against_explicit_inverse_and_caveat(t2017):
    B = t2017.Z_ / t2017.x_[:, None]
    G = np.linalg.inv(np.eye(t2017.n) - B)
    dv = np.zeros(t2017.n)
    dv[list(t2017.index).index("03")] = -1e6
    r = shock.ghosh(t2017, dv)
    np.testing.assert_allclose(r.columns["output_change"], dv @ G, rtol=1e-9)
    assert "Oosterhaven" in r.notes[0] and "indicator" in r.notes[0]
    assert json.loads(r.to_json())["notes"][0].startswith("Ghosh model")


# ----------------------------------------------------------------------------- import cut-off
# the toy (conftest.py): two sectors, non-competitive; sector 1 buys imported product 1 (30 per
# 100 of output) and sells most of its output to sector 2; sector 2 buys no imports.
# x = [100, 200]; Z = [[10, 80], [20, 10]]; f = [10, 170]; Zm = [[30, 0], [0, 0]].


def test_import_cut_by_hand(toy):
    """Cut half the imports of product 1. By hand: sector 1 capped at 50. Demand-driven
    x₂ = (170 + 0.2·50)/0.95 = 189.47 needs 0.4·189.47 = 75.8 of product 1, but 50 − 0.1·50
    = 45 is left after own use: sector 2 gets 45/75.8 of its need and is capped at 45/0.4 =
    112.5 (Leontief). Final users of product 1 get 50 − 5 − 45 = 0; of product 2,
    112.5 − 0.2·50 − 0.05·112.5 = 96.875 (of 170)."""
    r = shock.import_cut(toy, {"1": 0.5})
    np.testing.assert_allclose(r.columns["output"], [50.0, 112.5], rtol=1e-12)
    np.testing.assert_allclose(r.columns["final_use_lost"], [10.0, 170 - 96.875], rtol=1e-12)
    assert list(r.columns["binding"]) == ["import:1", "supply:1"]
    va_ratio = toy.value_added_ / toy.x_
    np.testing.assert_allclose(r.columns["value_added_loss"], va_ratio * [50, 87.5], rtol=1e-12)
    assert r.totals["imports_cut"] == pytest.approx(15.0)


def test_import_cut_zero_and_full_substitution(toy, t2017):
    r0 = shock.import_cut(t2017, {"20": 0.0})
    np.testing.assert_allclose(r0.columns["output_loss"], 0, atol=1e-6 * t2017.x_.max())
    # s = 1: each user may replace all of its lost imports (p·Zm_kj) by domestic 20, so every
    # user keeps its baseline need and no output is lost; domestic 20 cannot grow (it buys
    # imported 20 itself, capped at its baseline), so the substitutes p·Σ_j Zm_20,j go to
    # industries out of 20's final use, and final users' own substitution demand p·ΣYm_20
    # is not served: final use of 20 lost = p·(Σ Zm_20 + Σ Ym_20) = the imports cut.
    p = 0.3
    k = list(t2017.index).index("20")
    r = shock.import_cut(t2017, {"20": p}, substitution=1.0)
    np.testing.assert_allclose(r.columns["output"], t2017.x_, rtol=1e-7)
    assert r.columns["final_use_lost"][k] == pytest.approx(
        p * (t2017.Zm_[k].sum() + t2017.Ym_[k].sum()), rel=1e-6)
    assert r.totals["substitutes_supplied"] == pytest.approx(p * t2017.Zm_[k].sum(), rel=1e-6)
    assert r.totals["imports_substituted"] == pytest.approx(r.totals["imports_cut"])


def test_import_cut_real_table_rules(t2017):
    k = list(t2017.index).index("20")
    strict = shock.import_cut(t2017, {"20": 0.3})
    # every sector buys some imported electronics in cn_io_2017_42 → all capped at 70 %; 03
    # and 04 (negative final demand: inventory draw-down) are held at the uniform-scaling
    # floor 0.7 x⁰ too, so the answer is exactly uniform scaling (the LP's lower bound)
    assert (t2017.Zm_[k] > 0).all()
    np.testing.assert_allclose(strict.columns["output"], 0.7 * t2017.x_, rtol=1e-7)
    np.testing.assert_allclose(strict.columns["uniform_output"], 0.7 * t2017.x_, rtol=1e-12)
    assert (strict.columns["binding"] == "import:20").all()
    assert strict.totals["output_loss_pct"] == pytest.approx(strict.totals["loss_bound_pct"])
    assert any("upper bound" in n for n in strict.notes)
    crit = shock.import_cut(t2017, {"20": 0.3}, critical=0.01)
    material = t2017.Zm_[k] / t2017.x_ >= 0.01
    assert crit.totals["sectors_capped_by_imports"] == material.sum() == 4
    np.testing.assert_allclose(crit.columns["output_loss_pct"][material], 30.0, rtol=1e-6)
    half = shock.import_cut(t2017, {"20": 0.3}, substitution=0.5, critical=0.01)
    assert 0 < half.totals["output_loss"] < crit.totals["output_loss"] < strict.totals["output_loss"]
    df = crit.to_frame()
    assert df.loc["16", "binding"] == "import:20" and df.loc["14", "binding"] == "demand"


def test_import_cut_errors(mb, t2017):
    with pytest.raises(TableError, match="needs imported inputs by user"):
        shock.import_cut(mb, {"1": 0.3})
    with pytest.raises(ValueError, match="expected a share in \\[0, 1\\]"):
        shock.import_cut(t2017, {"20": 30})
    with pytest.raises(ValueError, match="argument 'substitution'.*expected a share"):
        shock.import_cut(t2017, {"20": 0.3}, substitution=2)
    with pytest.raises(ValueError, match="argument 'objective'.*one of"):
        shock.import_cut(t2017, {"20": 0.3}, objective="gdp")
    with pytest.raises(TableError, match="unknown imported product '99'"):
        shock.import_cut(t2017, {"99": 0.3})
