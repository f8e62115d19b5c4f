"""Regionalization measured on China's provincial tables (docs/regionalize.md §7).

The expected numbers are those of ``bench/regionalize_provinces.py`` (bench/results/
regionalize_provinces.json, run on the CHNIO tables of ../shared/data/cn/chnio): Sichuan 2017
regionalized from the national 42-sector table of 2017 by its gross output alone, compared with
Sichuan's own local view (imports and inflows from other provinces removed in proportion).
They are recomputed here with the same library functions the bench script calls.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.analysis.regions import regionalize as rz
from lianpu.analysis.regions import regionalize_accuracy as ra
from lianpu.satellites.co2.concordance import nbs_concordance


@pytest.fixture(scope="module")
def sichuan(shared_data):
    return lianpu.load("cn-prov-2017-51", data_dir=shared_data)


@pytest.fixture(scope="module")
def nation(shared_data):
    return lianpu.load("cn-nbs-2017-42", data_dir=shared_data)


def _mape(nat, prov, method, delta):
    r = lianpu.regionalize(nat, pd.Series(prov.x_, index=nat.index), method, delta)
    return ra.errors(r.A_, ra.local_coefficients(prov), prov.x_)


def test_sichuan_2017_study_figures(sichuan, nation):
    assert [str(c) for c in sichuan.index] == [str(c) for c in nation.index]
    assert list(sichuan.sectors["name_zh"]) == list(nation.sectors["name_zh"])
    # the figure: FLQ δ = 0.3 misses Sichuan's multipliers by ≈ 35 %, all too low
    e = _mape(nation, sichuan, "flq", 0.3)
    assert e["mape"] == pytest.approx(35.51, abs=0.01)
    assert e["bias"] == pytest.approx(-35.51, abs=0.01)
    # the new default (AFLQ δ = 0.1, leave-one-province-out choice) and SLQ
    assert _mape(nation, sichuan, rz.DEFAULT_METHOD, rz.DEFAULT_DELTA)["mape"] == \
        pytest.approx(17.16, abs=0.01)
    assert _mape(nation, sichuan, "slq", 0.0)["mape"] == pytest.approx(10.18, abs=0.01)
    # national coefficients unchanged
    assert ra.errors(nation.A_, ra.local_coefficients(sichuan), sichuan.x_)["mape"] == \
        pytest.approx(11.90, abs=0.01)
    # calibrated SLQ: λ from Sichuan's published totals of imports, inflows, exports, outflows
    target, mu = ra.local_intermediate_target(ra.trade_totals(sichuan))
    A, lam = ra.calibrated_coefficients(sichuan.x_, nation.x_, nation.A_, target, "slq")
    assert (A * sichuan.x_).sum() == pytest.approx(target, rel=1e-9)
    assert lam == pytest.approx(1.3611, abs=1e-4) and mu == pytest.approx(0.1197, abs=1e-4)
    assert ra.errors(A, ra.local_coefficients(sichuan), sichuan.x_)["mape"] == \
        pytest.approx(6.32, abs=0.01)


def test_default_is_the_lopo_choice():
    """The defaults changed from FLQ δ = 0.3 to AFLQ δ = 0.1 (docs/regionalize.md §7): the
    Python and CLI defaults say so, and a call without method/δ uses them."""
    import inspect

    from lianpu.commands import regions
    assert (rz.DEFAULT_METHOD, rz.DEFAULT_DELTA) == ("aflq", 0.1)
    sig = inspect.signature(rz.regionalize).parameters
    assert (sig["method"].default, sig["delta"].default) == ("aflq", 0.1)
    cli = inspect.signature(regions.regionalize).parameters
    assert (cli["method"].default.default, cli["delta"].default.default) == ("aflq", 0.1)


def test_2012_national_aligned_to_provincial_sectors(shared_data):
    """The 139-sector national table of 2012 maps one-to-one onto the 2012 provincial 42."""
    t139 = lianpu.load("cn-nbs-2012-139", data_dir=shared_data).domestic()
    prov = lianpu.load("cn-prov-2012-51", data_dir=shared_data)
    codes = ra.provincial42_codes_2012(t139, nbs_concordance())
    assert sorted(set(codes)) == [str(c) for c in prov.index]
    by = dict(zip(t139.sectors["name_zh"], codes))
    assert by["废弃资源和废旧材料回收加工品"] == "23" and by["其他制造产品"] == "22"
    assert by["研究和试验发展"] == by["专业技术服务"] == "36"
    n12 = ra.aggregate_table(t139, codes, prov.sectors)
    assert n12.x_.sum() == pytest.approx(t139.x_.sum(), rel=1e-12)
    assert n12.Z_.sum() == pytest.approx(t139.Z_.sum(), rel=1e-12)
    assert n12.imports == "non-competitive"
    r = lianpu.regionalize(n12, pd.Series(prov.x_, index=n12.index), "flq", 0.3)
    assert ra.errors(r.A_, ra.local_coefficients(prov), prov.x_)["mape"] == \
        pytest.approx(37.46, abs=0.01)


def test_2007_national_aligned_to_provincial_sectors(shared_data):
    """2007: the 135 sectors are ranges of the 2002 classification of the provincial 42; the
    provincial table publishes one leakage (流入, abroad and other provinces together)."""
    t135 = lianpu.load("cn-nbs-2007-135", data_dir=shared_data).domestic()
    prov = lianpu.load("cn-prov-2007-51", data_dir=shared_data)
    codes = ra.provincial42_codes_2007(t135)
    by = dict(zip(t135.sectors["name_zh"], codes))
    assert by["文化、办公用机械制造业"] == by["仪器仪表制造业"] == "20"
    assert by["邮政业"] == "28" and by["社会保障业"] == "40"
    n07 = ra.aggregate_table(t135, codes, prov.sectors)
    r = lianpu.regionalize(n07, pd.Series(prov.x_, index=n07.index), "flq", 0.3)
    assert ra.errors(r.A_, ra.local_coefficients(prov), prov.x_)["mape"] == \
        pytest.approx(33.03, abs=0.01)


def test_city_from_its_province(sichuan):
    """Province → city: a provincial table as the parent is used through its local view, and
    the city's column keeps the province's input structure (rest of the province IMN, other
    provinces IMR, abroad IMF)."""
    local = sichuan.local()
    xr = pd.Series(sichuan.x_ * np.where(np.arange(sichuan.n) % 2, 0.2, 0.4), index=sichuan.index)
    city = lianpu.regionalize(sichuan, xr, region="CD")
    assert "local view" in city.notes[0]
    np.testing.assert_array_less(city.A_, local.A_ + 1e-15)      # never above the province's
    rows = list(city.primary_labels.index)
    assert rows[-3:] == ["IMN", "IMR", "IMF"]
    assert city.primary_labels.loc["IMN", "name_en"] == "Inflows from the rest of the province"
    V = city.V_
    np.testing.assert_allclose(V[rows.index("IMR")], local.Zr_.sum(axis=0) / sichuan.x_ * xr,
                               rtol=1e-12)
    np.testing.assert_allclose(V[rows.index("IMF")], local.Zm_.sum(axis=0) / sichuan.x_ * xr,
                               rtol=1e-12)
    np.testing.assert_allclose(city.Z_.sum(axis=0) + V.sum(axis=0), xr, rtol=1e-9)
    m_city = lianpu.multipliers(city)
    m_prov = lianpu.multipliers(sichuan, basis="local")
    assert (m_city.to_numpy() <= m_prov.to_numpy() + 1e-12).all()
    # two regions: city + rest of the province pool back to the province's local flows
    two = lianpu.regionalize(sichuan, xr, two_region=True, region="CD", rest="省内其他")
    n = sichuan.n
    np.testing.assert_allclose(two.Z_[:n, :n] + two.Z_[n:, :n], local.A_ * xr.to_numpy(),
                               rtol=1e-9, atol=1e-6)
    assert "IMR" in two.primary_labels.index


def test_parent_with_net_outflow_only_is_noted(shared_data):
    """A 2002 provincial table has no local view (net outflow only): its published coefficients
    are used and the result says they include inputs from outside."""
    p02 = lianpu.load("cn-prov-2002-51", data_dir=shared_data)
    r = lianpu.regionalize(p02, pd.Series(p02.x_ * 0.3, index=p02.index))
    assert "as published" in r.notes[0] and "overstated" in r.notes[0]


def test_calibration_edges():
    """λ is found by bisection and pinned at the ends when the target is out of reach."""
    An = np.array([[0.2, 0.1], [0.3, 0.1]])
    xn, xr = np.array([100.0, 100.0]), np.array([10.0, 30.0])
    full = (An * xr).sum()
    A, lam = ra.calibrated_coefficients(xr, xn, An, 0.5 * full, "slq")
    assert (A * xr).sum() == pytest.approx(0.5 * full)
    A, lam = ra.calibrated_coefficients(xr, xn, An, 2 * full, "slq")
    np.testing.assert_allclose(A, An)                           # every LQ capped at 1
    t, mu = ra.local_intermediate_target({"imports": 10, "inflows": 30, "exports": 5,
                                          "outflows": 15, "output": 100, "intermediate": 60})
    assert mu == pytest.approx(40 / 120) and t == pytest.approx(40.0)
    t, mu = ra.local_intermediate_target({"imports": 60, "inflows": 90, "exports": 50,
                                          "outflows": 80, "output": 100, "intermediate": 60})
    assert mu == pytest.approx(150 / 250)                       # transit: share of all uses
