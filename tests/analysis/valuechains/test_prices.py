"""Leontief price model (lianpu.analysis.valuechains.prices).

Expected numbers: (a) Miller & Blair (2009) Table 2.3's two-sector economy
(Z = [[150, 500], [200, 100]], f = (350, 1700), x = (1000, 2000)): value added is the balancing
item, so base prices p' = v'L are exactly 1 and a 100 % rise in all value added doubles every
price; (b) on the NBS 2020 tables, prices recomputed here with an explicit inverse
numpy.linalg.inv(I − A_d) — the dual identity (p' = v'L equals the value-added multipliers of
the quantity model), the wage-share bound of a uniform wage rise and the import-price
pass-through; (c) zero shock → zero change; linearity of the carbon price.
"""
import json

import numpy as np
import pytest

import lianpu
from lianpu.analysis.valuechains import prices
from lianpu.core.errors import ArgumentError


def mb23():
    return lianpu.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], name="M&B 2.3")


def test_miller_blair_dual_prices():
    t = mb23()
    np.testing.assert_allclose(prices.value_added_prices(t), [1.0, 1.0], rtol=1e-12)
    r = prices.cost_push(t, primary={"value_added": 100}, tracks=False)
    np.testing.assert_allclose(r.by_sector.price_change, [1.0, 1.0], rtol=1e-12)


def test_zero_shock_is_zero():
    t = mb23()
    r = prices.cost_push(t, tracks=False)
    assert (r.by_sector.price_change == 0).all()
    r = prices.cost_push(t, wage_rise=0.0, carbon_price=0.0, primary={"VA": 0}, tracks=False)
    assert (r.by_sector.price_change == 0).all()
    json.loads(r.to_json())


def test_bad_share():
    with pytest.raises(ArgumentError, match="argument 'share'"):
        prices.cost_push(mb23(), wage_rise=10, share=1.5)


@pytest.fixture(scope="module")
def t42(shared_data):
    return lianpu.load("cn-nbs-2020-42", data_dir=shared_data)


@pytest.fixture(scope="module")
def t153(shared_data):
    return lianpu.load("cn-nbs-2020-153", data_dir=shared_data)


def _L(t):
    return np.linalg.inv(np.eye(t.n) - t.A_)


def test_dual_identity_equals_value_added_multipliers(t42, t153):
    for t in (t42, t153):
        m = lianpu.multipliers(t, "value_added")
        r = prices.cost_push(t, primary={"value_added": 100}, tracks=False)
        np.testing.assert_allclose(r.by_sector.price_change, m, rtol=1e-9)
        d = t.domestic()
        v = d.value_added_ / d.x_
        np.testing.assert_allclose(r.by_sector.price_change, v @ _L(d), rtol=1e-9)
        # with imported inputs at their price, the base price is exactly 1: (v' + m')L = 1'
        mshare = d.Zm_.sum(axis=0) / d.x_
        np.testing.assert_allclose((v + mshare) @ _L(d), 1.0, atol=2e-4)


def test_uniform_wage_rise_bound(t42):
    w = t42.V_[t42.primary_positions("compensation")].sum(axis=0) / t42.x_
    wage_content = w @ _L(t42)                    # total wage share of each product's cost
    full = prices.cost_push(t42, wage_rise=10, tracks=False).by_sector.price_change
    np.testing.assert_allclose(full, 0.10 * wage_content, rtol=1e-9)
    assert (full <= 0.10 * wage_content + 1e-15).all() and (full < 0.10).all()
    part = prices.cost_push(t42, wage_rise=10, share=0.7, exempt=["01"], tracks=False)
    pc = part.by_sector.price_change
    assert (pc <= 0.10 * wage_content + 1e-15).all()
    assert pc.loc["01"] == 0.0 and part.by_sector.absorbed.loc["01"] > 0
    assert "01" in part.pass_through["text_en"] and part.pass_through["share"] == 0.7


def test_import_price_and_carbon(t42, shared_data):
    r = prices.cost_push(t42, import_price={"03": 20}, tracks=False)
    i = list(t42.index).index("03")
    expect = 0.20 * (t42.Zm_[i] / t42.x_) @ _L(t42)
    np.testing.assert_allclose(r.by_sector.price_change, expect, rtol=1e-9)
    c1 = prices.cost_push(t42, carbon_price=100, data_dir=shared_data)
    c2 = prices.cost_push(t42, carbon_price=200, data_dir=shared_data)
    np.testing.assert_allclose(c2.by_sector.price_change, 2 * c1.by_sector.price_change, rtol=1e-12)
    co2 = lianpu.co2_satellite(t42, data_dir=shared_data).satellites["co2"].values   # Mt
    direct = 100 * co2 * 1e6 / (t42.x_ * 1e4)     # 元/t × t ÷ (万元 × 10⁴ 元/万元)
    np.testing.assert_allclose(c1.by_sector.direct, direct, rtol=1e-12)
    assert c1.by_sector.price_change.idxmax() == "24"          # electricity and heat
    hh = c1.households
    assert list(hh.index) == ["households_estimated"]          # TC-only table: said so
    assert "TC" in hh.basket_source.iloc[0] and 0 < hh.cost_of_living_change.iloc[0] < 0.02
    assert len(c1.by_track) > 0
    json.loads(c1.to_json())


def test_rural_and_urban_baskets(t153, shared_data):
    r = prices.cost_push(t153, carbon_price=100, data_dir=shared_data, tracks=False)
    hh = r.households
    assert {"FU101", "FU102", "all_households"} <= set(hh.index)
    assert hh.loc["FU101", "name_zh"] == "农村居民"
    lo, hi = sorted(hh.loc[["FU101", "FU102"], "cost_of_living_change"])
    assert lo <= hh.loc["all_households", "cost_of_living_change"] <= hi


def test_report_section(t42, shared_data):
    from lianpu.report.valuechains import valuechains_section
    s = valuechains_section(t42, "en", data_dir=shared_data)
    assert s.title.startswith("6.") and {sh.key for sh in s.sheets} == {"prices-carbon", "prices-households"}
    assert s.sheets[0].frame.iloc[0, 0] == "24"       # electricity and heat leads


def test_results_share_the_one_result_shape():
    """Issue 11: PriceResult is a Result; value_added_prices a ResultSeries (a Series in every
    respect) whose JSON carries the unit and the basis. M&B 2.3: p' = v'L = (1, 1)."""
    from lianpu.analysis._result import Result, ResultSeries
    t = mb23()
    r = prices.cost_push(t, primary={"value_added": 10}, tracks=False)
    assert isinstance(r, Result) and "to_json" not in type(r).__dict__
    d = json.loads(r.to_json(), parse_constant=lambda c: pytest.fail(f"bare {c}"))
    assert d["unit"] == prices.UNIT and d["basis"]["basis"] == "published"
    s = prices.value_added_prices(t)
    assert isinstance(s, ResultSeries) and s.name == "value_added_price"
    d = json.loads(s.to_json(), parse_constant=lambda c: pytest.fail(f"bare {c}"))
    assert d["unit"] == prices.UNIT and d["basis"] == "published"
    assert [v["value"] for v in d["values"]] == pytest.approx([1.0, 1.0])


def test_no_household_split_falls_back_to_total_consumption(monkeypatch):
    """The basket fallback catches the library's own errors only (no more except Exception):
    a DatasetError gives the TC basket; a bug (here a TypeError) is not hidden."""
    from lianpu.analysis import households
    from lianpu.core.errors import DatasetError
    t = lianpu.IOTable.from_arrays([[150, 500], [200, 100]], [[350], [1700]],
                                   final_demand=["TC"], name="tc")
    if "consumption" not in t.fd_roles:
        pytest.skip("TC is not read as role 'consumption' here")

    def missing(table, data_dir=None):
        raise DatasetError("cn-nbs-2020-153 is not in the cache")
    monkeypatch.setattr(households, "household_split", missing)
    r = prices.cost_push(t, primary={"value_added": 10}, tracks=False)
    assert list(r.households.index) == ["TC"]
    assert any("cn-nbs-2020-153 is not in the cache" in n for n in r.notes)

    def bug(table, data_dir=None):
        raise TypeError("a bug")
    monkeypatch.setattr(households, "household_split", bug)
    with pytest.raises(TypeError, match="a bug"):
        prices.cost_push(t, primary={"value_added": 10}, tracks=False)
