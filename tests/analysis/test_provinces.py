"""Every analysis on a province (issue 12, items 3–4): Sichuan's own numbers from its own table.

Independent routes: numpy inverses of the local coefficients; the published (full-technology)
coefficients, which the local view only splits; the CEADs workbook's own "Scope 1 Total" of
Sichuan 2017 (318.84 Mt CO2, row "Total Consumption" of sheet Sichuan2017, read here with
openpyxl); SDA orderings that must sum to the change in emissions.
"""
from __future__ import annotations

import numpy as np
import pytest

import lianpu
from lianpu.analysis.carbon.footprint import co2_satellite

PROVINCES = ("51", "50", "62", "61")   # 四川, 重庆, 甘肃, 陕西


@pytest.fixture(scope="module")
def cache(tmp_path_factory, shared_data):
    from lianpu.data.download import download
    d = tmp_path_factory.mktemp("prov-cache")
    ids = [f"cn-prov-{y}-51" for y in (2002, 2007, 2012, 2017)] + \
          [f"cn-prov-2017-{p}" for p in PROVINCES[1:]] + \
          ["ceads-provinces-2017", "ceads-provinces-2012", "ceads-provinces-2007",
           "ceads-provinces-2002"]
    download(ids, data_dir=d, from_dir=shared_data, progress=False)
    return d


@pytest.fixture(scope="module")
def sc(cache):
    return lianpu.load("cn-prov-2017-51", data_dir=cache)


def test_default_basis_is_the_local_view_and_multipliers_follow_it(sc):
    m = lianpu.multipliers(sc)
    assert m.attrs["basis"] == "local"
    A = sc.local().A_
    np.testing.assert_allclose(m.to_numpy(), np.linalg.inv(np.eye(sc.n) - A).sum(axis=0),
                               rtol=1e-10)
    # the local view only splits the published coefficients: A_local + A_abroad + A_provinces
    lv = sc.local()
    np.testing.assert_allclose(lv.Z_ + lv.Zm_ + lv.Zr_, sc.Z_, rtol=1e-12, atol=1e-6)
    m2 = lianpu.multipliers(sc, type="II")
    assert (m2 > m).all() and "FU101+FU102" in m2.attrs["closure"]["text_en"]


def test_weak_links_keep_abroad_and_other_provinces_apart(sc):
    w = lianpu.weaklinks(sc, "电子信息")
    L = w.links
    np.testing.assert_allclose(L["chain_total"], L["chain_domestic"] + L["chain_imported"]
                               + L["chain_inflow"], rtol=1e-12)
    # the chain's total intermediate requirement is the published A times the chain's output
    f = np.zeros(sc.n)
    S = [list(sc.index).index("20")]
    f[S] = sc.local().Y_.sum(axis=1)[S]
    xf = np.linalg.solve(np.eye(sc.n) - sc.local().A_, f)
    np.testing.assert_allclose(L["chain_total"].reindex(sc.index).to_numpy(), sc.A_ @ xf,
                               rtol=1e-9)
    s = w.summary
    assert s["outside_share"] == pytest.approx(s["import_share"] + s["inflow_share"], rel=1e-12)
    assert 0 < s["import_share"] < s["inflow_share"]  # Sichuan buys more from other provinces
    assert list(w.shortboard.columns[:5]) == ["rank", "name_zh", "name_en", "outside_share",
                                              "import_share"]


def test_provincial_co2_is_the_province_inventory(sc, cache):
    import openpyxl
    from lianpu.data import registry
    wb = openpyxl.load_workbook(registry.path_of("ceads-provinces-2017", cache), read_only=True)
    row = next(r for r in wb["Sichuan2017"].iter_rows(values_only=True)
               if r[0] == "Total Consumption")
    t = co2_satellite(sc, data_dir=cache)
    sat = t.satellites["co2"]
    assert sat.values.sum() + sat.final_demand.sum() == pytest.approx(row[-1], rel=1e-9)
    f = lianpu.footprint(t)
    assert f.totals["production_based"] == pytest.approx(row[-1], rel=1e-9)
    assert "四川" in t.notes[-1]


@pytest.mark.parametrize("p", PROVINCES)
def test_co2_production_and_dta_footprint_close_their_accounts(cache, p):
    t = co2_satellite(lianpu.load(f"cn-prov-2017-{p}", data_dir=cache), data_dir=cache)
    tot = lianpu.footprint(t).totals
    # production = own emissions for local final use + for exports/outflows (+ households)
    assert tot["identity_gap"] == pytest.approx(0, abs=1e-9 * tot["production_based"])
    assert tot["footprint_dta"] > 0


def test_structural_change_of_sichuan_2002_to_2017(cache):
    ts = [lianpu.load(f"cn-prov-{y}-51", data_dir=cache) for y in (2002, 2007, 2012, 2017)]
    for a, b in zip(ts, ts[1:]):
        r = lianpu.sda(a, b, "co2", data_dir=cache)
        eff = r.orderings[[c for c in r.orderings.columns if c != "total"]]
        np.testing.assert_allclose(eff.sum(axis=1), r.q_b - r.q_a, rtol=1e-9)
        assert any("current prices" in n for n in r.notes)
        assert "common" in r.classification or "sectors" in r.classification
    r = lianpu.sda(ts[0], ts[1], "output", data_dir=cache)
    assert any("different bases" in n for n in r.notes)  # 2002 has no local view


def test_sichuan_report_speaks_of_sichuan(cache, tmp_path):
    from lianpu.report.build import build_report
    out = tmp_path / "r"
    t = lianpu.load("cn-prov-2017-51", data_dir=cache)
    build_report(t, ["electronic_information"], "zh", out, data_dir=cache)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "四川2017年投入产出表" in html and "省外调入" in html
    # the CO2 note names Sichuan's own CEADs inventory (satellites/co2/satellite.py: the
    # province's name, its CEADs sheet name and the year), in the report's language
    assert "CEADs四川（Sichuan）2017年排放清单" in html and "CEADs inventory of" not in html
    build_report(t, ["electronic_information"], "en", tmp_path / "en", data_dir=cache)
    en = (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
    assert "CEADs inventory of 四川 (Sichuan) 2017" in en and "排放清单" not in en
