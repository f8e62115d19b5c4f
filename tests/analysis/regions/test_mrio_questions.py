"""Issue 13 item 4 on the 2017 China MRIO: chains across provinces, domestic value chains,
CO2 across provinces (lianpu.analysis.regions.mrio.questions). Expected numbers are identities of
the model (tiers sum to L f − f; value added absorbed sums to value added; production = the
consumption-side attributions) and the CEADs provincial inventories themselves (each
province's production-based CO2 equals the total of its own CEADs 2017 inventory)."""
from __future__ import annotations

import json

import numpy as np
import pytest


@pytest.fixture(scope="module")
def cache(tmp_path_factory, shared_data):
    from lianpu.data.download import download
    from lianpu.data.registry import provinces
    d = tmp_path_factory.mktemp("mrio-q-cache")
    ids = [f"cn-prov-2017-{p.gb}" for p in provinces()] + ["ceads-provinces-2017"]
    download(ids, data_dir=d, from_dir=shared_data, progress=False)
    return d


@pytest.fixture(scope="module")
def mrio(cache):
    import lianpu
    return lianpu.load("cn-mrio-2017", data_dir=cache)


@pytest.fixture(scope="module")
def with_co2(mrio, cache):
    from lianpu.analysis.regions.mrio.build import co2_satellite
    return co2_satellite(mrio, cache)


# ---------------------------------------------------------------------------- chains
@pytest.fixture(scope="module")
def across(mrio):
    from lianpu.analysis.regions.mrio.questions import chain_across
    return chain_across(mrio, "四川", "电子信息")


def test_supply_view_keeps_identities_and_makes_ghosh_possible(mrio):
    from lianpu.analysis.regions.mrio.questions import supply_view
    # the builder applies the supply view: no near-zero-output sector sells, the Ghosh inverse
    # exists, and applying it again changes nothing
    assert any(n.startswith("supply view") for n in mrio.notes)
    mrio.factor_ghosh
    assert supply_view(mrio) == (mrio, "")
    v = mrio
    np.testing.assert_allclose(v.Z_.sum(axis=1) + v.Y_.sum(axis=1) + v.discrepancy_, v.x_,
                               rtol=1e-9, atol=1e-5)
    # column totals: local + interprovincial + imports + primary inputs = output
    # (to the provincial tables' published rounding, ≤ 1e-7 of a sector's output here)
    np.testing.assert_allclose(v.Z_.sum(0) + v.Zm_.sum(0) + v.V_.sum(0), v.x_, rtol=1e-6,
                               atol=1e-5)


def test_chain_across_tiers_by_origin(across):
    bo = across.by_origin
    assert across.region == "SC" and "ROW" in bo.index and "CQ" in bo.index
    prov = bo.drop("ROW")
    # tiers equal lianpu.chain's (same final demand), and tiers + beyond = L f − f
    np.testing.assert_allclose(prov[[f"tier{k}" for k in range(1, 5)]].sum().to_numpy(),
                               across.chain.summary["tiers"], rtol=1e-9)
    assert prov["total"].sum() == pytest.approx(across.chain.summary["indirect_requirement"],
                                                rel=1e-9)
    tiers = [c for c in bo.columns if c.startswith("tier")] + ["beyond"]
    np.testing.assert_allclose(bo[tiers].sum(axis=1), bo["total"], rtol=1e-9)
    assert bo["share"].sum() == pytest.approx(1.0)
    assert bo.index[0] == "SC"                                   # own province first
    assert across.by_origin_sector.index.get_level_values(0).isin(["SC"]).sum() == 0
    # paths cross provinces; weak links name their origin (a province or ROW = abroad)
    assert across.paths["path_zh"].str.contains("广东").any()
    assert across.weak["top_origin"].isin(["ROW", "GD", "CQ", "JS"]).any()
    json.loads(across.to_json())


# ---------------------------------------------------------------------------- domestic value chains
def test_domestic_chains_identities(mrio):
    from lianpu.analysis.regions.mrio.questions import domestic_chains
    d = domestic_chains(mrio, "四川")
    t = d.totals
    va = mrio.value_added_[np.asarray(mrio.index.get_level_values(0)) == "SC"].sum()
    assert d.absorbed["value_added"].sum() == pytest.approx(va, rel=1e-9)
    assert t["absorbed_own"] + t["absorbed_other_provinces"] + t["absorbed_abroad"] + \
        t["absorbed_residual"] == pytest.approx(va, rel=1e-9)
    bs = d.by_sector
    np.testing.assert_allclose(bs[["own", "other_provinces", "abroad", "residual"]].sum(axis=1),
                               bs["value_added"], rtol=1e-7, atol=1e-3)
    # sources of the final demand: v' + m' = 1'(I − A) (up to sectors with x = 0)
    assert d.sources["value_added"].sum() == pytest.approx(t["final_demand"], rel=1e-3)
    assert 0.5 < t["absorbed_own_share"] < 0.95 and t["absorbed_abroad_share"] > 0
    assert "wang_position" in d.position.columns
    json.loads(d.to_json())


# ---------------------------------------------------------------------------- carbon
@pytest.fixture(scope="module")
def flows(with_co2):
    from lianpu.analysis.regions.mrio.questions import carbon_flows
    t, missing = with_co2
    return carbon_flows(t, track="电子信息", track_region="四川", missing=missing)


def test_carbon_production_equals_consumption_side_attributions(flows):
    F, by = flows.flows, flows.by_region
    np.testing.assert_allclose(F.sum(axis=1), by["production"], rtol=1e-9, atol=1e-9)
    assert by["production"].sum() == pytest.approx(
        by["consumption"].sum() + flows.totals["for_exports_abroad"]
        + flows.totals["for_discrepancy"], rel=1e-9)
    assert (by["consumption_residual_home"].sum() + flows.totals["for_exports_abroad"]
            == pytest.approx(by["production"].sum(), rel=1e-9))
    g = flows.groups
    assert set(g.index) == {"east", "central", "west", "northeast"}
    assert g.to_numpy().sum() == pytest.approx(F.to_numpy().sum(), rel=1e-9)
    assert g.loc["west", "east"] > g.loc["east", "west"]          # West emits for the East
    assert flows.track["co2"].idxmax() == "SC"


def test_carbon_production_equals_ceads_provincial_totals(flows, cache):
    from lianpu.satellites.co2 import inventory as inv
    from lianpu.data.registry import province
    by = flows.by_region
    assert by.loc["XZ", "production"] == 0 and any("西藏" in n for n in flows.notes)
    invent = inv.read_provinces(2017, data_dir=cache)
    checked = 0
    for r in by.index.drop("XZ"):
        name = inv.province(province(r).name_en)
        total = float(invent.sector_totals(name, 2017).sum())
        assert by.loc[r, "production"] == pytest.approx(total, rel=1e-9), r
        checked += 1
    assert checked == 30
    assert by.loc["SC", "production"] == pytest.approx(318.8, abs=0.05)


def test_cli_chain_dvc_carbon(cache, capsys):
    from lianpu.cli import main
    assert main(["mrio", "chain", "2017", "四川", "--track", "电子信息", "--data-dir", str(cache),
                 "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["region"] == "SC" and d["by_origin"][0]["origin"] == "SC"
    assert main(["mrio", "dvc", "2017", "四川", "--data-dir", str(cache), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["totals"]["absorbed_own_share"] > 0.5
    assert main(["mrio", "carbon", "2017", "--by", "region", "--data-dir", str(cache)]) == 0
    assert "west" in capsys.readouterr().out
    assert main(["mrio", "carbon", "2017", "--by", "city", "--data-dir", str(cache)]) == 2


def test_consumption_equals_carbon_mrio_footprint(flows, with_co2):
    """The same account through lianpu.analysis.carbon.mrio.mrio_footprint (every province's
    intensities given; 西藏's are the satellite's zeros)."""
    from lianpu.analysis.carbon.mrio import mrio_footprint
    t, _ = with_co2
    lev = np.asarray(t.index.get_level_values(0))
    e = np.divide(t.satellites["co2"].values, t.x_, out=np.zeros(t.n), where=t.x_ > 0)
    fdl = list(t.final_demand_labels.index)
    hh = {c: v for c, v in zip(fdl, t.satellites["co2"].final_demand) if c[0] == "SC" and v}
    fp = mrio_footprint(t, "SC", {r: e[lev == r] for r in t.regions}, direct_fd=hh)
    assert fp.totals["footprint_mrio"] == pytest.approx(flows.by_region.loc["SC", "consumption"],
                                                        rel=1e-9)
    assert fp.totals["production_based"] == pytest.approx(
        flows.by_region.loc["SC", "production"], rel=1e-9)


def _strict(text: str) -> dict:
    def bad(c):
        raise AssertionError(f"non-strict JSON constant {c}")
    return json.loads(text, parse_constant=bad)


def test_question_results_are_results_with_unit_and_basis(mrio, across, flows):
    """Issue 11: every question's result is a Result whose to_json is strict JSON carrying
    unit and basis; inflow_dependence is a ResultFrame (rows sum to the region's inputs)."""
    from lianpu.analysis._result import Result, ResultFrame
    from lianpu.analysis.regions.mrio.questions import BASIS, domestic_chains, inflow_dependence
    for res in (across, domestic_chains(mrio, "四川"), flows):
        assert isinstance(res, Result)
        d = _strict(res.to_json())
        # the JSON adds the notes' Chinese beside them (issue 15: Result writes notes_zh)
        assert d["unit"] and d["basis"] == BASIS and d.keys() == res.to_dict().keys() | {"notes_zh"}
    dep = inflow_dependence(mrio, "四川")
    assert isinstance(dep, ResultFrame) and dep.attrs["basis"] == BASIS
    p = np.flatnonzero(np.asarray(mrio.index.get_level_values(0)) == "SC")
    assert dep["inputs"].sum() == pytest.approx(mrio.Z_[:, p].sum() + mrio.Zm_[:, p].sum())
    d = _strict(dep.to_json())
    assert d["unit"] == mrio.unit and d["rows"][0]["sector"] == dep.index[0]
