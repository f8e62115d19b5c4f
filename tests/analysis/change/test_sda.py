"""Structural decomposition: exactness for every ordering, sign flip, and hand-checked cases.

Expected numbers: the telescoping identity (every ordering's effects add up to Q_b − Q_a),
the symmetry of the average over all orderings (Dietzenbacher & Los 1998), one-factor
changes (then the whole change is that factor's), the OECD tables' own value-added row and
the CEADs national totals (Q of CO2 = production emissions).
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lianpu
from lianpu.analysis.change.sda import FACTORS, sda, sda_chain
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
    from lianpu.satellites.co2 import inventory as inv
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


# ------------------------------------------------------------------ prices and deflation
from lianpu.analysis.change.sda import read_deflator  # noqa: E402


def _no_nan(s):
    def bad(c):
        raise AssertionError(f"bare {c} in JSON")
    return json.loads(s, parse_constant=bad)


def test_deflation_by_hand_pure_inflation():
    """b is a with every price doubled and the same emissions: in current prices the SDA
    shows a falling intensity offset by a rising level (−¾ Q and +¾ Q: half of the 24
    orderings change e first, at level a (−Q/2), half after the level (−Q)); deflated by
    p_b/p_a = 2 the two tables are identical and every effect is 0."""
    Z, Y, F = [[150, 500], [200, 100]], [350, 1700], [10, 20]
    a = _table(Z, Y, F, "a", 2000)
    b = _table(np.multiply(Z, 2), np.multiply(Y, 2), F, "b", 2001)
    r = sda(a, b, "co2", deflator={2000: 50.0, 2001: 100.0})
    _check_exact(r)
    q = r.q_a
    assert r.change == pytest.approx(0.0, abs=1e-12)
    assert r.effects.loc["intensity", "mean"] == pytest.approx(-0.75 * q)
    assert r.effects.loc["level", "mean"] == pytest.approx(0.75 * q)
    assert r.basis.startswith("current prices")
    d = r.deflated
    _check_exact(d)
    assert d.basis.startswith("constant prices of 2000")
    np.testing.assert_allclose(d.effects["mean"], 0.0, atol=1e-12)
    assert d.change == pytest.approx(r.change, abs=1e-12)
    # output: deflated b is a, so Q_b(deflated) = Q_a = total output of a
    o = sda(a, b, "output", deflator={2000: 50.0, 2001: 100.0})
    assert o.q_b == pytest.approx(2 * o.q_a) and o.deflated.q_b == pytest.approx(o.q_a)
    _no_nan(r.to_json())


def test_deflation_by_hand_one_relative_price():
    """Only product 1's price doubles (row 1 of Z and y ×2): A changes in current prices
    (a technology effect appears), deflating by sector (p = 2, 1) recovers table a exactly."""
    Z, Y, F = np.array([[150.0, 500], [200, 100]]), np.array([350.0, 1700]), [10, 20]
    p = np.array([2.0, 1.0])
    a = _table(Z, Y, F, "a", 2000)
    b = _table(p[:, None] * Z, p * Y, F, "b", 2001)
    frame = pd.DataFrame({2000: [1.0, 1.0], 2001: [2.0, 1.0]}, index=list(map(str, a.index)))
    r = sda(a, b, "co2", deflator=frame)
    assert abs(r.effects.loc["technology", "mean"]) > 1e-3
    np.testing.assert_allclose(r.deflated.effects["mean"], 0.0, atol=1e-10)
    _check_exact(r.deflated)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.floats(0.0, 30.0), min_size=18, max_size=18),
       st.lists(st.floats(1.0, 20.0), min_size=6, max_size=6),
       st.lists(st.floats(0.5, 3.0), min_size=6, max_size=6))
def test_property_deflated_co2_change_equals_current(zs, ys, ps):
    """Deflation moves effects between factors, never the total change in emissions."""
    a = _table(np.reshape(zs[:9], (3, 3)), np.array(ys[:3]) * 10, [1.0, 2.0, 3.0], "a", 1)
    b = _table(np.reshape(zs[9:], (3, 3)), np.array(ys[3:]) * 10, [2.0, 1.0, 0.5], "b", 2)
    frame = pd.DataFrame({1: ps[:3], 2: ps[3:]}, index=list(map(str, a.index)))
    r = sda(a, b, "co2", deflator=frame)
    _check_exact(r)
    _check_exact(r.deflated)
    assert r.deflated.q_a == pytest.approx(r.q_a, rel=1e-9)
    assert r.deflated.change == pytest.approx(r.change, rel=1e-9, abs=1e-9)


def test_nbs_2012_2017_co2_both_ways(shared_data):
    a = lianpu.load("cn-nbs-2012-139", data_dir=shared_data)
    b = lianpu.load("cn-nbs-2017-42", data_dir=shared_data)
    r = sda(a, b, "co2", data_dir=shared_data, deflator="cn-gdp")
    d = r.deflated
    _check_exact(r)
    _check_exact(d)
    assert d.change == pytest.approx(r.change, rel=1e-9)
    # World Bank GDP deflator 2017/2012 = 105.70 / 96.89: the intensity effect shrinks
    assert "p_2017/p_2012 = 1.091" in " ".join(d.notes)
    assert r.effects.loc["intensity", "mean"] < d.effects.loc["intensity", "mean"] < 0
    assert r.effects.loc["level", "mean"] > d.effects.loc["level", "mean"] > 0
    assert any("current prices, not deflated" in n for n in r.notes)
    out = _no_nan(r.to_json())
    assert out["basis"].startswith("current") and out["deflated"]["basis"].startswith("constant")
    assert out["unit"] == "Mt CO2" == out["deflated"]["unit"]
    # by sector on the 39 common codes: ΔQ still the same
    codes = list(r.by_sector.index)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({2012: 1.0, 2017: rng.uniform(0.8, 1.5, len(codes))}, index=codes)
    r2 = sda(a, b, "co2", data_dir=shared_data, deflator=frame)
    _check_exact(r2.deflated)
    assert r2.deflated.change == pytest.approx(r.change, rel=1e-9)


def test_read_deflator_layouts_and_errors(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("# my source: table X\nyear,index\n2000,50\n2001,100\n", encoding="utf-8")
    d = read_deflator(p)
    assert d.by_year == {2000: 50.0, 2001: 100.0}
    np.testing.assert_allclose(d.relative(2001, 2000, ["1", "2"]), [2.0, 2.0])
    p.write_text("sector,year,index\n1,2000,1\n1,2001,2\n2,2000,1\n2,2001,1\n")
    np.testing.assert_allclose(read_deflator(p).relative(2001, 2000, ["1", "2"]), [2.0, 1.0])
    p.write_text("sector,2000,2001\n1,1,2\n2,1,1.5\n")
    np.testing.assert_allclose(read_deflator(p).relative(2001, 2000, ["2", "1"]), [1.5, 2.0])
    with pytest.raises(TableError, match="no price index for some sectors"):
        read_deflator(p).relative(2001, 2000, ["1", "3"])
    with pytest.raises(TableError, match="no price index for 1999"):
        read_deflator(p).relative(2001, 1999, ["1"])
    p.write_text("year,index\n2000,0\n")
    with pytest.raises(TableError, match="price indices must be positive"):
        read_deflator(p)
    p.write_text("when,what\n2000,1\n")
    with pytest.raises(TableError, match="unknown deflator layout"):
        read_deflator(p)
    with pytest.raises(TableError, match="no such deflator file"):
        read_deflator(tmp_path / "nope.csv")
    g = read_deflator("cn-gdp")
    assert g.by_year[2017] == 105.70 and g.currency == "CNY"


def test_chain_deflated_in_one_basis(shared_data):
    ts = [lianpu.load(f"cn-nbs-{k}", data_dir=shared_data) for k in ("2012-139", "2017-42",
                                                                     "2020-42")]
    chain = sda_chain(ts, "co2", data_dir=shared_data, deflator="cn-gdp")
    assert chain.attrs["basis"]["deflated"].startswith("constant prices of 2012")
    assert chain.loc["total", "change_deflated"] == pytest.approx(chain.loc["total", "change"])
    defl = [f"{f}_deflated" for f in FACTORS]
    assert chain.loc["total", defl].sum() == pytest.approx(chain.loc["total", "change"])


# ------------------------------------------------------------------ the Result shape (issue 11)
def test_result_json_is_strict_even_without_change():
    """Two identical tables: the change is 0, so every ``share`` is NaN (0/0); the JSON must
    still parse with allow_nan=False (NaN → null) and carry unit and basis."""
    from lianpu.analysis._result import Result
    a = _table([[150, 500], [200, 100]], [350, 1700], [10, 20], "a", 2000)
    r = sda(a, a, "co2")
    assert isinstance(r, Result) and r.change == 0.0
    assert r.effects["share"].isna().all()
    d = json.loads(r.to_json(), parse_constant=lambda c: pytest.fail(f"bare {c} in JSON"))
    assert [e["share"] for e in d["effects"]] == [None] * 4
    assert d["unit"] == "Mt CO2" and d["basis"].startswith("current prices")


def test_sda_chain_is_a_result_frame():
    """sda_chain: still a DataFrame (rows by period + 'total'), now with to_json carrying the
    quantity's unit and the basis dict."""
    from lianpu.analysis._result import ResultFrame
    a = _table([[150, 500], [200, 100]], [350, 1700], [10, 20], "a", 2000)
    b = _table([[300, 1000], [400, 200]], [700, 3400], [20, 40], "b", 2001)
    chain = sda_chain([a, b, a], "co2")
    assert isinstance(chain, ResultFrame) and list(chain.index) == ["2000–2001", "2001–2000",
                                                                    "total"]
    d = json.loads(chain.to_json(), parse_constant=lambda c: pytest.fail(f"bare {c} in JSON"))
    assert d["unit"] == "Mt CO2" and d["basis"] == {"current": chain.attrs["basis"]["current"]}
    # there and back: the chained total change is 0 (30 Mt up, 30 down; from the level test)
    assert [r["change"] for r in d["rows"]] == pytest.approx([30.0, -30.0, 0.0])


def test_sda_chain_refuses_one_table_as_an_argument_error():
    from lianpu.core.errors import ArgumentError
    a = _table([[150, 500], [200, 100]], [350, 1700], [10, 20], "a", 2000)
    with pytest.raises(ArgumentError, match=r"argument 'tables': fewer than 2 tables"):
        sda_chain([a], "co2")
