"""Regionalization by location quotients (lianpu.analysis.regions.regionalize).

Expected numbers: the LQ formulas of Flegg & Webber (1997, 2000) worked by hand on a
3-sector example (below); identities that must hold by construction (a region equal to the
whole nation reproduces the national coefficients, since SLQ = 1 and λ* = log₂2^δ = 1; the
two-region table pools back to the national domestic table). The real national table is NBS
2020 (42 sectors, non-competitive); its "region" is a fixed share pattern of national output
(we have no provincial output table), used only for properties that hold for any region."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lianpu
from lianpu.analysis.regions.regionalize import location_quotients, read_regional_data, write_template
from lianpu.core.errors import FormatError, TableError

LAM = math.log2(1.1) ** 0.3   # λ* for TRE/TNE = 0.1, δ = 0.3: 0.13750352…^0.3 = 0.55143477…


def test_lq_formulas_by_hand():
    """National output (100, 200, 700), regional (20, 10, 70): TRE/TNE = 0.1, SLQ = (2, 0.5, 1).
    CILQ_ij = SLQ_i/SLQ_j off the diagonal, SLQ_i on it; FLQ = λ*·CILQ; AFLQ multiplies
    column 1 (SLQ_1 = 2 > 1) by log₂3 = 1.58496…; everything capped at 1."""
    reg, nat = [20, 10, 70], [100, 200, 700]
    np.testing.assert_allclose(location_quotients(reg, nat, "slq"),
                               [[1, 1, 1], [.5, .5, .5], [1, 1, 1]])
    np.testing.assert_allclose(location_quotients(reg, nat, "cilq"),
                               [[1, 1, 1], [.25, .5, .5], [.5, 1, 1]])
    np.testing.assert_allclose(location_quotients(reg, nat, "flq", 0.3),
                               [[1, 1, 1], [.25 * LAM, .5 * LAM, .5 * LAM], [.5 * LAM, 1, LAM]])
    np.testing.assert_allclose(location_quotients(reg, nat, "aflq", 0.3)[:, 0],
                               [1, .25 * LAM * math.log2(3), .5 * LAM * math.log2(3)])
    assert LAM == pytest.approx(0.5514347723, abs=1e-10)


measures = arrays(float, 6, elements=st.floats(0.0, 1e4))


@settings(max_examples=100, deadline=None)
@given(reg=measures, extra=measures, d=st.floats(0.0, 0.99))
def test_flq_delta_zero_is_cilq_and_all_methods_at_most_one(reg, extra, d):
    nat = reg + extra + 1.0          # national ≥ regional, every sector present nationally
    if reg.sum() <= 0:
        reg = reg + 1.0
    np.testing.assert_array_equal(location_quotients(reg, nat, "flq", 0.0),
                                  location_quotients(reg, nat, "cilq"))
    for m in ("slq", "cilq", "flq", "aflq"):
        c = location_quotients(reg, nat, m, d)
        assert (c >= 0).all() and (c <= 1).all()
    # FLQ shrinks CILQ by λ* ≤ 1, AFLQ never goes below FLQ
    assert (location_quotients(reg, nat, "flq", d) <= location_quotients(reg, nat, "cilq")).all()
    assert (location_quotients(reg, nat, "aflq", d) >= location_quotients(reg, nat, "flq", d)).all()


@pytest.fixture(scope="module")
def nbs(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2020_42.csv")


@pytest.fixture(scope="module")
def xr(nbs):
    """A region with 3 %–12 % of national output, varying by sector (fixed pattern)."""
    share = 0.03 + 0.09 * (np.arange(nbs.n) % 7) / 6
    return pd.Series(nbs.x_ * share, index=nbs.index)


@pytest.mark.parametrize("method", ["slq", "cilq", "flq", "aflq"])
@pytest.mark.parametrize("delta", [0.1, 0.4])
def test_regional_coefficients_never_above_national(nbs, xr, method, delta):
    r = lianpu.regionalize(nbs, xr, method, delta)
    assert (r.A_ <= nbs.A_ + 1e-15).all()
    np.testing.assert_allclose(r.x_, xr.to_numpy())
    assert list(r.primary_labels.index) == ["VA001", "VA002", "VA003", "VA004", "IMN", "IMF"]
    # each column keeps the national input structure: own + inflows + imports + VA = 1
    np.testing.assert_allclose((r.Z_.sum(0) + r.V_.sum(0)) / r.x_, 1.0, rtol=1e-12)
    assert (r.Y_[:, 0] >= 0).all()
    two = lianpu.regionalize(nbs, xr, method, delta, two_region=True, region="SC")
    n = nbs.n
    for blk in (two.A_[:n, :n], two.A_[n:, n:]):
        assert (blk <= nbs.A_ + 1e-15).all()
    # both regions have the national technology: own + inflow coefficients = national
    np.testing.assert_allclose(two.A_[:n, :n] + two.A_[n:, :n], nbs.A_, atol=1e-15)
    np.testing.assert_allclose(two.A_[:n, n:] + two.A_[n:, n:], nbs.A_, atol=1e-15)


def test_two_region_table_pools_back_to_the_nation(nbs, xr):
    two = lianpu.regionalize(nbs, xr, "flq", 0.3, two_region=True, region="SC", rest="其他")
    n = nbs.n
    assert two.regions == ["SC", "其他"]
    pooled = two.Z_[:n] + two.Z_[n:]
    np.testing.assert_allclose(pooled[:, :n] + pooled[:, n:], nbs.Z_, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(two.x_[:n] + two.x_[n:], nbs.x_, rtol=1e-12)
    np.testing.assert_allclose(two.Y_[:n].sum(1) + two.Y_[n:].sum(1),
                               nbs.Y_.sum(1), rtol=1e-9, atol=1e-3)
    fd = list(two.final_demand_labels.index)
    assert fd == [("ALL", "FD"), ("ALL", "FU202")]
    # regionalized multipliers: intra-regional (region alone) below the national ones
    sp = lianpu.regions.spillover(two).by_sector.loc["SC"]
    assert (sp.intra <= lianpu.multipliers(nbs).to_numpy() + 1e-12).all()


@pytest.mark.parametrize("method", ["slq", "flq", "aflq"])
def test_region_equal_to_nation_reproduces_national_coefficients(nbs, method):
    r = lianpu.regionalize(nbs, pd.Series(nbs.x_, index=nbs.index), method, 0.3)
    np.testing.assert_allclose(r.A_, nbs.A_, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(lianpu.multipliers(r), lianpu.multipliers(nbs), rtol=1e-10)


def test_template_round_trip_and_employment_option(nbs, xr, tmp_path):
    path = write_template(nbs, tmp_path / "tpl.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(df.columns) == ["code", "name_zh", "name_en", "regional_output",
                                "regional_employment", "national_employment"]
    assert df.loc[0, "name_zh"] == "农林牧渔产品和服务"
    df["regional_output"] = xr.to_numpy()
    df.to_csv(path, index=False)
    a = lianpu.regionalize(nbs, path, "flq", 0.3)
    np.testing.assert_allclose(a.A_, lianpu.regionalize(nbs, xr, "flq", 0.3).A_)
    # employment: x_r = x_n · e_r / e_n (national output per worker in each sector)
    df["regional_output"] = ""
    df["regional_employment"] = np.arange(1, nbs.n + 1) * 10.0
    df["national_employment"] = np.arange(1, nbs.n + 1) * 200.0
    df.to_csv(path, index=False)
    x, _, _, kind = read_regional_data(path, nbs)
    assert kind == "employment"
    np.testing.assert_allclose(x, nbs.x_ * 0.05)


def test_xlsx_template_with_numeric_codes(nbs, xr, tmp_path):
    """Excel turns the code 01 into the number 1: such codes still match the national 01…"""
    df = pd.DataFrame({"code": [int(c) for c in nbs.index], "regional_output": xr.to_numpy()})
    df.to_excel(tmp_path / "r.xlsx", index=False)
    x, _, _, kind = read_regional_data(tmp_path / "r.xlsx", nbs)
    np.testing.assert_allclose(x, xr.to_numpy())
    assert kind == "output"


def _bad(tmp_path, nbs, edit):
    df = pd.read_csv(write_template(nbs, tmp_path / "t.csv"), dtype=str, keep_default_na=False)
    df["regional_output"] = [f"{v:.1f}" for v in nbs.x_ * 0.1]
    df = edit(df)
    df.to_csv(tmp_path / "bad.csv", index=False)
    return tmp_path / "bad.csv"


@pytest.mark.parametrize("edit, pattern", [
    (lambda d: d.assign(code=d.code.where(d.index != 3, "99")),
     r"bad\.csv: row 5, column 'code': unknown sector code \(found '99'"),
    (lambda d: d.drop(index=7), r"bad\.csv: row \"'08'\", column 'code': sector missing"),
    (lambda d: d.assign(regional_output=d.regional_output.where(d.index != 2, "1,2x")),
     r"bad\.csv: row 4, column 'regional_output': cell is not a number \(found '1,2x'"),
    (lambda d: d.assign(regional_employment="5"), r"fill either regional_output, or "
     r"regional_employment together with national_employment"),
    (lambda d: d.assign(regional_output=d.regional_output.where(d.index != 0, "1e12")),
     r"bad\.csv: row 2, column 'regional_output': regional output exceeds national output"),
    (lambda d: d.assign(regional_output=d.regional_output.where(d.index != 1, "")),
     r"bad\.csv: row 3, column 'regional_output': cell is empty"),
])
def test_template_errors_name_row_and_column(nbs, tmp_path, edit, pattern):
    with pytest.raises(FormatError, match=pattern):
        lianpu.regionalize(nbs, _bad(tmp_path, nbs, edit))


def test_argument_errors(nbs, xr, wiod_dir):
    with pytest.raises(ValueError, match=r"argument 'method': unknown method 'lq'"):
        lianpu.regionalize(nbs, xr, "lq")
    with pytest.raises(ValueError, match=r"argument 'delta': δ is outside the FLQ range"):
        lianpu.regionalize(nbs, xr, "flq", 1.0)
    mr = lianpu.load(wiod_dir / "wiot_regional_2011.RData")
    with pytest.raises(TableError, match="national table must be single-region"):
        lianpu.regionalize(mr, xr)
