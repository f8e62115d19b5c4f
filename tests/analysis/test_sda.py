"""Structural decomposition: exactness for every ordering, sign flip, and hand-checked cases.

Expected numbers: the telescoping identity (every ordering's effects add up to Q_b − Q_a),
the symmetry of the average over all orderings (Dietzenbacher & Los 1998), one-factor
changes (then the whole change is that factor's), the OECD tables' own value-added row and
the CEADs national totals (Q of CO2 = production emissions).
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lianpu
from lianpu.analysis.sda import FACTORS, sda, sda_chain
from lianpu.core.errors import TableError


def _table(Z, Y, F, name, year):
    Z, Y = np.asarray(Z, float), np.asarray(Y, float)
    t = lianpu.IOTable.from_arrays(Z, Y, name=name, year=year)
    return t.with_satellite("co2", F, "Mt CO2")


def _check_exact(r):
    np.testing.assert_allclose(r.orderings[list(FACTORS)].sum(axis=1), r.change,
                               rtol=1e-10, atol=1e-9 * max(abs(r.q_a), abs(r.q_b)))
    assert len(r.orderings) == 24
    assert r.effects["mean"].sum() == pytest.approx(r.change, rel=1e-10, abs=1e-9 * abs(r.q_b))
    np.testing.assert_allclose(r.by_sector["change"].sum(), r.change, rtol=1e-9, atol=1e-9)


def test_one_factor_changes_are_attributed_wholly():
    a = _table([[150, 500], [200, 100]], [350, 1700], [10, 20], "a", 2000)
    # level only: final demand doubled, same structure, technology and intensity (F doubles)
    b = _table([[300, 1000], [400, 200]], [700, 3400], [20, 40], "b", 2001)
    r = sda(a, b, "co2")
    assert r.change == pytest.approx(30.0)
    assert r.effects.loc["level", "mean"] == pytest.approx(30.0)
    for f in ("intensity", "technology", "structure"):
        assert r.effects.loc[f, "mean"] == pytest.approx(0.0, abs=1e-12)
        assert r.effects.loc[f, "std"] == pytest.approx(0.0, abs=1e-12)
    # intensity only: same table, emissions +50 %
    c = _table([[150, 500], [200, 100]], [350, 1700], [15, 30], "c", 2001)
    r = sda(a, c, "co2")
    assert r.effects.loc["intensity", "mean"] == pytest.approx(15.0)
    assert abs(r.effects.drop("intensity")["mean"]).max() < 1e-12


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(0.0, 30.0), min_size=18, max_size=18),
       st.lists(st.floats(1.0, 20.0), min_size=6, max_size=6))
def test_property_exact_and_antisymmetric(zs, ys):
    """Random 3-sector tables: every ordering sums to the change; swapping a, b flips signs."""
    Za, Zb = np.reshape(zs[:9], (3, 3)), np.reshape(zs[9:], (3, 3))
    a = _table(Za, np.array(ys[:3]) * 10, [1.0, 2.0, 3.0], "a", 1)
    b = _table(Zb, np.array(ys[3:]) * 10, [2.0, 1.0, 0.5], "b", 2)
    r, back = sda(a, b, "co2"), sda(b, a, "co2")
    _check_exact(r)
    np.testing.assert_allclose(back.effects["mean"], -r.effects["mean"], atol=1e-10)


def test_nbs_two_classifications_co2(shared_data):
    a = lianpu.load("cn-nbs-2012-139", data_dir=shared_data)
    b = lianpu.load("cn-nbs-2017-42", data_dir=shared_data)
    r = sda(a, b, "co2", data_dir=shared_data)
    _check_exact(r)
    assert "common 39-sector" in r.classification and len(r.by_sector) == 39
    # Q is production emissions of each year: CEADs total less households ('Urban', 'Rural')
    from lianpu.carbon import inventory as inv
    nat = inv.read_national([2012, 2017], data_dir=shared_data)
    for q, y in ((r.q_a, 2012), (r.q_b, 2017)):
        s = nat.sector_totals("China", y)
        assert q == pytest.approx(s.sum() - s[["46", "47"]].sum(), rel=1e-9)
    back = sda(b, a, "co2", data_dir=shared_data)
    np.testing.assert_allclose(back.effects["mean"], -r.effects["mean"], rtol=1e-9, atol=1e-6)
    assert any("not decomposed" in n for n in r.notes)


def test_same_classification_output_has_no_intensity_effect(shared_data):
    a = lianpu.load("cn-nbs-2017-42", data_dir=shared_data)
    b = lianpu.load("cn-nbs-2020-42", data_dir=shared_data)
    r = sda(a, b, "output")
    _check_exact(r)
    assert r.classification == "cn-nbs-2017-42 sectors"
    assert r.effects.loc["intensity", "mean"] == 0.0  # e = 1 in both years
    assert r.q_a == pytest.approx(a.x_.sum(), rel=1e-6)  # Q = 1'L y = total output
    assert any("current prices" in n for n in r.notes)


def test_oecd_series_value_added(shared_data):
    ts = [lianpu.load(f"cn-oecd-{y}", data_dir=shared_data) for y in (1995, 2005, 2018)]
    r = sda(ts[0], ts[-1], "value_added")
    _check_exact(r)
    # Q = total value added (VALU row): e'L y = v'x
    assert r.q_a == pytest.approx(ts[0].value_added_.sum(), rel=1e-6)
    assert r.q_b == pytest.approx(ts[-1].value_added_.sum(), rel=1e-6)
    chain = sda_chain(ts, "value_added")
    assert list(chain.index) == ["1995–2005", "2005–2018", "total"]
    assert chain.loc["total", list(FACTORS)].sum() == pytest.approx(r.change, rel=1e-9)


def test_errors(shared_data):
    a = lianpu.load("cn-nbs-2017-42", data_dir=shared_data)
    o = lianpu.load("cn-oecd-2017", data_dir=shared_data)
    with pytest.raises(TableError, match="different sectors and no concordance"):
        sda(a, o, "output")
    with pytest.raises(TableError, match=r"argument 'quantity': unknown quantity 'water'"):
        sda(a, a, "water")
    with pytest.raises(ValueError, match="fewer than 2 tables"):
        sda_chain([a], "output")
