"""China MRIO built from the provincial tables (issue 13): the gravity estimator on a synthetic
system with a known answer, and the 2017 MRIO against its own provincial tables, the national
table, its cache, aggregation and the two regional questions."""
from __future__ import annotations

import json

import numpy as np
import pytest

from lianpu.core import gravity as grav

# ---------------------------------------------------------------------------- synthetic


def _system(R=7, beta=1.3, seed=0):
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(20, 45, R), rng.uniform(90, 125, R)
    d = grav.great_circle_km(lat, lon)
    f = grav.distance_decay(d, beta)
    a, b = rng.uniform(0.5, 2, R), rng.uniform(0.5, 2, R)
    O, D = rng.uniform(1, 100, R), rng.uniform(1, 100, R)
    T = a[:, None] * b[None, :] * grav.gravity_flows(O, D, f)
    return d, T


def test_gravity_recovers_true_trade_when_the_assumption_holds():
    d, T = _system()
    est = grav.trade_matrix(T.sum(axis=1), T.sum(axis=0), grav.distance_decay(d, 1.3))
    np.testing.assert_allclose(est, T, rtol=1e-7, atol=1e-9 * T.max())
    assert np.all(np.diag(est) == 0)


def test_gravity_with_the_wrong_decay_does_not_recover_it():
    d, T = _system()
    est = grav.trade_matrix(T.sum(axis=1), T.sum(axis=0), grav.distance_decay(d, 0.3))
    np.testing.assert_allclose(est.sum(axis=1), T.sum(axis=1), rtol=1e-8)
    assert np.abs(est - T).max() > 0.05 * T.max()


def test_great_circle_distances_between_capitals():
    from lianpu.analysis.regions.mrio.build import distances, province_capitals
    caps = province_capitals()
    assert len(caps) == 31 and caps["lat"].between(18, 54).all()
    d = distances()
    assert d.loc["BJ", "SH"] == pytest.approx(1068, rel=0.02)      # Beijing–Shanghai
    assert d.loc["SC", "CQ"] == pytest.approx(267, rel=0.05)       # Chengdu–Chongqing
    assert np.allclose(d.to_numpy(), d.to_numpy().T) and np.all(np.diag(d) == 0)


def test_distance_decay_rejects_bad_input():
    with pytest.raises(ValueError, match="decay"):
        grav.distance_decay(np.ones((2, 2)) - np.eye(2), -1)
    with pytest.raises(ValueError, match="positive"):
        grav.distance_decay(np.zeros((2, 2)), 1.0)


@pytest.mark.parametrize("method", grav.RECONCILE)
def test_reconcile_makes_national_totals_agree(method):
    rng = np.random.default_rng(1)
    S, U = rng.uniform(0, 10, (5, 3)), rng.uniform(0, 10, (5, 3))
    S2, U2 = grav.reconcile(S, U, method)
    np.testing.assert_allclose(S2.sum(axis=0), U2.sum(axis=0))
    target = {"mean": 0.5 * (S.sum(0) + U.sum(0)), "outflows": S.sum(0), "inflows": U.sum(0)}
    np.testing.assert_allclose(U2.sum(axis=0), target[method])


def test_reconcile_caps_buyers_and_keeps_fixed_parts():
    S = np.array([[10.0], [10.0]])
    U = np.array([[2.0], [2.0]])
    S2, U2 = grav.reconcile(S, U, "outflows", cap=np.array([[3.0], [30.0]]),
                            fixed=np.array([[4.0], [0.0]]))
    assert U2[0, 0] == pytest.approx(3.0)            # capped
    assert S2.sum() == pytest.approx(U2.sum())
    assert S2[0, 0] >= 4.0                           # the fixed part is not scaled away
    with pytest.raises(ValueError, match="reconcile"):
        grav.reconcile(S, U, "median")


# ---------------------------------------------------------------------------- 2017 MRIO
@pytest.fixture(scope="module")
def cache(tmp_path_factory, shared_data):
    from lianpu.data.download import download
    from lianpu.data.registry import provinces
    d = tmp_path_factory.mktemp("mrio-cache")
    ids = [f"cn-prov-2017-{p.gb}" for p in provinces()] + ["cn-nbs-2017-42",
                                                            "ceads-provinces-2017"]
    download(ids, data_dir=d, from_dir=shared_data, progress=False)
    return d


@pytest.fixture(scope="module")
def provs(cache):
    from lianpu.analysis.regions.mrio.build import provincial_tables
    return provincial_tables(2017, cache)


@pytest.fixture(scope="module")
def built(cache, provs):
    from lianpu.analysis.regions.mrio.build import assemble
    return assemble(provs, year=2017)


@pytest.fixture(scope="module")
def mrio(built):
    return built[0]


def _block(t, r):
    return np.flatnonzero(np.asarray(t.index.get_level_values(0)) == r)


def test_layout_like_the_ceads_mrio(mrio):
    assert mrio.n == 31 * 42 and mrio.regions[:3] == ["BJ", "TJ", "HE"]
    assert mrio.index.names == ["region", "sector"]
    assert ("ROW", "EX") in mrio.final_demand_labels.index
    assert ("SC", "FU101") in mrio.final_demand_labels.index
    assert mrio.imports == "non-competitive"
    # imports from abroad sit at the using province's rows: Zm is block diagonal
    sc, cq = _block(mrio, "SC"), _block(mrio, "CQ")
    assert mrio.Zm_[np.ix_(cq, sc)].sum() == 0 and mrio.Zm_[np.ix_(sc, sc)].sum() > 0


def test_rows_and_columns_balance(mrio, provs):
    Z, x = mrio.Z_, mrio.x_
    rows = Z.sum(axis=1) + mrio.Y_.sum(axis=1) + mrio.discrepancy_
    cols = Z.sum(axis=0) + mrio.Zm_.sum(axis=0) + mrio.V_.sum(axis=0)
    np.testing.assert_allclose(rows, x, rtol=1e-9, atol=1e-6)
    # columns: exactly the provincial tables' own column totals (which match GO up to the
    # published rounding, ≤ 2e-7 relative)
    pub = np.concatenate([t.Z_.sum(axis=0) + t.V_.sum(axis=0) for t in provs.values()])
    np.testing.assert_allclose(cols, pub, rtol=1e-9, atol=1e-3)
    np.testing.assert_allclose(cols, x, rtol=1e-6, atol=1e-6)


def test_every_province_reproduces_its_own_table(mrio, provs):
    fd = list(mrio.final_demand_labels.index)
    codes = np.asarray([c[-1] for c in mrio.index])
    for r, t in provs.items():
        p = _block(mrio, r)
        np.testing.assert_allclose(mrio.x_[p], t.x_, rtol=1e-12)
        np.testing.assert_allclose(mrio.V_[:, p], t.V_, rtol=1e-12)
        # what the province uses of each product, all origins together, is as published
        use = np.stack([(mrio.Z_[codes == c][:, p]).sum(axis=0) for c in t.index])
        np.testing.assert_allclose(use + mrio.Zm_[np.ix_(p, p)], t.Z_, rtol=1e-9, atol=1e-4)
        pub = list(t.final_demand_labels.index)
        for k in ("FU101", "FU103", "FU201", "FU202"):
            j = fd.index((r, k))
            got = np.array([mrio.Y_[codes == c, j].sum() for c in t.index]) + mrio.Ym_[p, j]
            np.testing.assert_allclose(got, t.Y_[:, pub.index(k)], rtol=1e-9, atol=1e-4)


def test_national_trade_totals(mrio, provs, built):
    diag = built[1]
    im = sum(-t.Y["IM"].sum() for t in provs.values())
    ex = sum(t.Y["EX"].sum() for t in provs.values())
    # national imports as published, plus the sales of near-zero-output sectors the builder
    # moves to the buyers' purchases from outside the system (supply view; ~0.02 % of Z)
    moved = diag["moved_to_imports"]
    assert 0 <= moved < 1e-3 * mrio.Z_.sum()
    assert mrio.Zm_.sum() + mrio.Ym_.sum() == pytest.approx(im + moved, rel=1e-9)
    ex_col = list(mrio.final_demand_labels.index).index(("ROW", "EX"))
    assert mrio.Y_[:, ex_col].sum() + mrio.Ym_[:, ex_col].sum() == pytest.approx(ex, rel=1e-9)
    # each product's trade matrix meets the reconciled outflows and inflows exactly
    T = diag["trade"]
    np.testing.assert_allclose(T.sum(axis=2).T, diag["sent_reconciled"], rtol=1e-8, atol=1e-2)
    np.testing.assert_allclose(T.sum(axis=1).T, diag["received_reconciled"], rtol=1e-8, atol=1e-2)
    # the reconciliation residual is the published outflow − inflow gap, product by product
    gap = diag["gap"]["gap"].to_numpy()
    np.testing.assert_allclose(diag["residual"].sum(axis=0).to_numpy(), gap, rtol=1e-6,
                               atol=1e-3 * np.abs(gap).max())
    assert diag["gap"]["gap"].sum() / 1e4 == pytest.approx(-68728, rel=1e-3)


def test_reconcile_outflows_keeps_every_senders_outflow(provs):
    from lianpu.analysis.regions.mrio.build import assemble
    _, diag = assemble(provs, reconcile="outflows")
    S, S2 = diag["sent"], diag["sent_reconciled"]
    # kept, except for products where buyers cannot take in that much (the cap on inflows)
    free = np.isclose(diag["received_reconciled"].sum(axis=0), S.sum(axis=0), rtol=1e-9)
    assert free.sum() >= 20          # 25 of 42 in 2017: buyers cannot absorb the rest
    np.testing.assert_allclose(S2[:, free], S[:, free], rtol=1e-9)
    assert (S2.sum(axis=0) <= S.sum(axis=0) * (1 + 1e-9)).all()


def test_against_the_national_table(mrio, cache):
    import lianpu
    from lianpu.analysis.regions.mrio.build import national_gap
    g = national_gap(mrio, lianpu.load("cn-nbs-2017-42", data_dir=cache))
    assert 1.0 < g.totals["value_added"]["ratio"] < 1.06      # provinces ≈ 103 % of national
    assert g.by_sector is not None and len(g.by_sector) == 42
    json.loads(g.to_json())



def test_cache_second_call_reads_the_file_and_parameters_do_not_collide(cache):
    import lianpu
    from lianpu.analysis.regions.mrio.build import build_china_mrio, cache_path
    a = lianpu.load("cn-mrio-2017", data_dir=cache)
    p = cache_path(2017, data_dir=cache)
    assert p.is_file() and "2017" in p.name and p.with_suffix(".json").is_file()
    b = build_china_mrio(2017, data_dir=cache)
    np.testing.assert_array_equal(a.Z_, b.Z_)
    assert any('"decay": 1.0' in n for n in b.notes)
    assert cache_path(2017, decay=2.0, data_dir=cache) != p
    assert cache_path(2017, reconcile="inflows", data_dir=cache) != p
    from lianpu.data import registry
    assert "cn-mrio-2017" not in {d.id for d in registry.datasets(auxiliary=True)}


def test_decay_changes_the_trade_pattern(provs, mrio):
    from lianpu.analysis.regions.mrio.build import assemble
    far, _ = assemble(provs, decay=2.0)
    sc, cq = _block(mrio, "SC"), _block(mrio, "CQ")
    near, near2 = mrio.Z_[np.ix_(cq, sc)].sum(), far.Z_[np.ix_(cq, sc)].sum()
    assert near2 > near          # stronger decay: more trade with the nearest neighbour
    np.testing.assert_allclose(far.x_, mrio.x_)


def test_missing_provincial_tables_are_named(tmp_path):
    from lianpu.analysis.regions.mrio.build import build_china_mrio
    from lianpu.core.errors import DatasetError
    with pytest.raises(DatasetError, match="31 provincial tables"):
        build_china_mrio(2012, data_dir=tmp_path)


def test_bad_parameters(cache):
    from lianpu.analysis.regions.mrio.build import build_china_mrio
    from lianpu.core.errors import ArgumentError
    with pytest.raises(ArgumentError, match="decay"):
        build_china_mrio(2017, decay=-1, data_dir=cache)
    with pytest.raises(ArgumentError, match="reconcile"):
        build_china_mrio(2017, reconcile="max", data_dir=cache)
    with pytest.raises(ArgumentError, match="year"):
        build_china_mrio(2015, data_dir=cache)


# ---------------------------------------------------------------------------- aggregation
def test_aggregate_chengyu_keeps_the_model_consistent(mrio):
    from lianpu.analysis.regions.mrio.build import aggregate_regions
    a = aggregate_regions(mrio, "chengyu")
    assert "chengyu" in a.regions and "SC" not in a.regions and len(a.regions) == 30
    cy = _block(a, "chengyu")
    both = np.concatenate([_block(mrio, "SC"), _block(mrio, "CQ")])
    assert a.x_[cy].sum() == pytest.approx(mrio.x_[both].sum())
    # trade between the members is now inside the block
    inside = mrio.Z_[np.ix_(both, both)].sum()
    assert a.Z_[np.ix_(cy, cy)].sum() == pytest.approx(inside)
    assert a.Z_.sum() == pytest.approx(mrio.Z_.sum()) and a.Zm_.sum() == pytest.approx(mrio.Zm_.sum())
    rows = a.Z_.sum(axis=1) + a.Y_.sum(axis=1) + a.discrepancy_
    np.testing.assert_allclose(rows, a.x_, rtol=1e-9, atol=1e-6)


def test_aggregate_nbs_four_regions_and_user_toml(mrio, tmp_path):
    from lianpu.analysis.regions.mrio.build import aggregate_regions
    a = aggregate_regions(mrio, "nbs4")
    assert a.regions == ["east", "northeast", "central", "west"] or set(a.regions) == {
        "east", "central", "west", "northeast"}
    assert a.n == 4 * 42 and a.x_.sum() == pytest.approx(mrio.x_.sum())
    f = tmp_path / "mine.toml"
    f.write_text('[groups.sw]\nname_zh = "西南"\nname_en = "Southwest"\n'
                 'members = ["四川", "重庆", "贵州", "云南", "西藏"]\n', encoding="utf-8")
    b = aggregate_regions(mrio, f, rest="RoC")
    assert b.regions == ["RoC", "sw"] or set(b.regions) == {"sw", "RoC"}
    from lianpu.core.errors import ArgumentError
    with pytest.raises(ArgumentError, match="two groups"):
        aggregate_regions(mrio, {"a": ["SC"], "b": ["四川"]})


# ---------------------------------------------------------------------------- questions
@pytest.fixture(scope="module")
def with_co2(mrio, cache, provs):
    from lianpu.analysis.regions.mrio.build import co2_satellite
    return co2_satellite(mrio, cache, tables=provs)


def test_co2_satellite_per_province_and_tibet_missing(with_co2, mrio):
    t, missing = with_co2
    assert missing == ("XZ",)
    co2 = t.satellites["co2"].values
    assert co2[_block(t, "XZ")].sum() == 0 and co2[_block(t, "SC")].sum() > 100
    assert any("西藏" in n for n in t.notes)


def test_dual_core_sichuan_chongqing(with_co2):
    from lianpu.analysis.regions.mrio.questions import dual_core
    t, missing = with_co2
    r = dual_core(t, "四川", "重庆", missing=missing)
    s = r.summary
    assert list(s.index) == ["SC←CQ", "CQ←SC"]
    assert (s[["output", "value_added", "co2"]] > 0).all().all()
    assert (s[["output_share", "value_added_share"]] < 0.2).all().all()
    # by sector sums to the summary
    assert r.by_sector.loc["SC←CQ", "output"].sum() == pytest.approx(s.loc["SC←CQ", "output"])
    m = r.miller.loc["output"]
    np.testing.assert_allclose(m[["intra", "feedback", "spillover"]].sum(axis=1), m["total"])
    assert set(r.block.index) == {"CY←RoC", "RoC←CY"}
    d = json.loads(r.to_json())
    assert d["unit"] and d["basis"] and any("西藏" in n for n in d["notes"])


@pytest.mark.parametrize("track", ["航空航天", "新能源"])
def test_complement_gansu_chengyu(with_co2, track):
    from lianpu.analysis.regions.mrio.questions import complement
    t, _ = with_co2
    zero = complement(t, "甘肃", "成渝", track, shift=0.0)
    assert zero.totals["supplier_output_change"] == 0.0
    assert zero.totals["target_intermediate_imports_after"] == pytest.approx(
        zero.totals["target_intermediate_imports_before"])
    r = complement(t, "甘肃", "成渝", track, shift=0.2)
    tt = r.totals
    moved = 0.2 * (tt["shiftable_from_abroad"] + tt["shiftable_from_east"])
    assert tt["supplier_output_change"] >= moved * 0.999          # direct plus indirect
    assert tt["east_output_change"] < 0
    assert tt["track_import_share_after"] < tt["track_import_share_before"]
    assert tt["supplier_co2_change"] > 0
    assert 0 < tt["direct_share"] < 0.2
    assert r.realized["direct"].sum() == pytest.approx(tt["direct_from_supplier"])
    json.loads(r.to_json())
    from lianpu.core.errors import ArgumentError
    with pytest.raises(ArgumentError, match="shift"):
        complement(t, "甘肃", "成渝", track, shift=1.5)
    with pytest.raises(ArgumentError, match="supplier"):
        complement(t, "四川", "成渝", track)


def test_cli_mrio(cache, capsys):
    from lianpu.cli import main
    assert main(["mrio", "build", "--year", "2017", "--data-dir", str(cache), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["totals"]["gap_pct"] < 0 and d["table"] == "cn-mrio-2017"
    assert main(["mrio", "complement", "2017", "--supplier", "甘肃", "--target", "成渝",
                 "--track", "航空航天", "--shift", "0", "--data-dir", str(cache), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["totals"]["supplier_output_change"] == 0
    assert main(["mrio", "twin", "2017", "四川", "重庆", "--data-dir", str(cache), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [r["direction"] for r in d["summary"]] == ["SC←CQ", "CQ←SC"]
    assert main(["mrio", "complement", "2017", "--shift", "2", "--data-dir", str(cache)]) == 2
    assert main(["mrio", "build", "--year", "2016", "--data-dir", str(cache)]) == 2


def test_table_method_aggregate_regions(mrio):
    a = mrio.aggregate_regions("chengyu", rest="RoC")
    assert set(a.regions) == {"chengyu", "RoC"} and a.x_.sum() == pytest.approx(mrio.x_.sum())


# ---------------------------------------------------------------------------- end to end, synthetic
def _synthetic_provinces(regs=("SH", "CQ", "SC", "GS"), n=2, beta=1.0, seed=3):
    """Provincial tables cut from a known MRIO whose trade has the gravity form and whose
    buyers split inflows by origin in the same shares for every use (Chenery–Moses).
    ``regs`` in the order of province_capitals.csv (the MRIO's region order)."""
    from lianpu import IOTable
    from lianpu.analysis.regions.mrio.build import province_capitals
    from lianpu.data.registry import province
    rng = np.random.default_rng(seed)
    caps = province_capitals().loc[list(regs)]
    f = grav.distance_decay(grav.great_circle_km(caps["lat"], caps["lon"]), beta)
    R, k = len(regs), 5
    T = np.stack([rng.uniform(0.5, 2, R)[:, None] * rng.uniform(0.5, 2, R)[None, :]
                  * grav.gravity_flows(rng.uniform(5, 20, R), rng.uniform(5, 20, R), f) * 1e3
                  for _ in range(n)])                                  # (n, R, R)
    IF = T.sum(axis=1).T                                               # (R, n) received
    OF = T.sum(axis=2).T                                               # (R, n) sent
    tables, truth = {}, np.zeros((R * n, R * n))
    for t, r in enumerate(regs):
        W = np.hstack([rng.uniform(1, 3, (n, n)), rng.uniform(50, 100, (n, k))])
        W *= (3 * IF[t] / W.sum(axis=1))[:, None]                      # inflows are 1/3 of use
        u = W.sum(axis=1)
        m = 0.1 * u
        Zr = (IF[t] / u)[:, None] * W
        Zloc = W - Zr - (m / u)[:, None] * W
        EX = rng.uniform(10, 20, n) * 1e3
        Y = np.column_stack([W[:, n:], EX, OF[t], -m, -IF[t]])
        tables[r] = IOTable.from_arrays(
            W[:, :n], Y, sectors=["01", "02"], final_demand=list(
                ("FU101", "FU102", "FU103", "FU201", "FU202", "EX", "OF", "IM", "IF")),
            primary=["VA001"], year=2017, name=f"synthetic {r}", province=province(r).gb,
            unit="10,000 CNY (万元)")
        truth[t * n:(t + 1) * n, t * n:(t + 1) * n] = Zloc[:, :n]
        for a in range(R):
            if a != t:
                truth[a * n:(a + 1) * n, t * n:(t + 1) * n] = (T[:, a, t] / IF[t])[:, None] * Zr[:, :n]
    return tables, truth, T


def test_end_to_end_recovers_a_known_mrio():
    from lianpu.analysis.regions.mrio.build import assemble
    tables, truth, T = _synthetic_provinces()
    m, diag = assemble(tables, decay=1.0, year=2017)
    np.testing.assert_allclose(diag["trade"], T, rtol=1e-7, atol=1e-6)
    np.testing.assert_allclose(m.Z_, truth, rtol=1e-7, atol=1e-6)
    assert np.abs(diag["residual"].to_numpy()).max() < 1e-6
    wrong, _ = assemble(tables, decay=2.0, year=2017)
    assert np.abs(wrong.Z_ - truth).max() > 1e-3 * truth.max()


def test_build_and_question_results_are_results(mrio, cache, provs, with_co2):
    """Issue 11: TradeGap, NationalGap, DualCore and Resonance are Results; to_json is strict
    JSON (no NaN) with unit and basis."""
    import lianpu
    from lianpu.analysis._result import Result
    from lianpu.analysis.regions.mrio.build import national_gap, trade_gap_report
    from lianpu.analysis.regions.mrio.questions import complement, dual_core

    def bad(c):
        raise AssertionError(f"non-strict JSON constant {c}")
    t, missing = with_co2
    for res in (trade_gap_report(2017, tables=provs),
                national_gap(mrio, lianpu.load("cn-nbs-2017-42", data_dir=cache)),
                dual_core(t, "SC", "CQ", missing=missing),
                complement(t, "甘肃", "成渝", "航空航天", shift=0.0)):
        assert isinstance(res, Result)
        d = json.loads(res.to_json(), parse_constant=bad)
        # the JSON adds the notes' Chinese beside them (issue 15: Result writes notes_zh)
        assert d["unit"] and d["basis"] and d.keys() == res.to_dict().keys() | {"notes_zh"}
