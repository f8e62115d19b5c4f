"""Multi-regional analytics (lianpu.analysis.regions.spillover / twin).

Expected numbers come from (a) a two-region, one-sector table solved by hand (the 2×2
Leontief inverse in closed form, Miller & Blair 2009 §3.5 definitions), (b) explicit
inverses (numpy.linalg.inv) on the 7-region WIOD 2011 table — an independent route to the
same quantities — and (c) accounting identities on the 41-economy WIOD 2011 table."""
import json
import sys
import types

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.analysis.regions import spillover as R
from lianpu.analysis.regions.twin import complementarity
from lianpu.core.errors import TableError
from lianpu.table import _label_frame


def mrio(Z, Y, regions, sectors, fd, **kw):
    idx = pd.MultiIndex.from_arrays([regions, sectors], names=["region", "sector"])
    return lianpu.IOTable(np.asarray(Z, float), np.asarray(Y, float),
                          (np.full(len(regions), 100.0) - np.asarray(Z, float).sum(0))[None, :]
                          if "V" not in kw else kw.pop("V"),
                          np.asarray(Z, float).sum(1) + np.asarray(Y, float).sum(1),
                          sectors=_label_frame(idx),
                          final_demand_labels=_label_frame(pd.MultiIndex.from_tuples(
                              fd, names=["region", "category"])),
                          primary_labels=_label_frame(["VA"], index_name="row"), **kw)


@pytest.fixture(scope="module")
def hand():
    """A = [[0.2, 0.1], [0.3, 0.4]] (region 1, region 2; one sector each), x = (100, 100).
    Δ = (1 − 0.2)(1 − 0.4) − 0.1·0.3 = 0.45; L = [[0.6, 0.1], [0.3, 0.8]] / Δ."""
    return mrio([[20, 10], [30, 40]], [[70, 0], [0, 30]], ["r1", "r2"], ["s", "s"],
                [("r1", "FD"), ("r2", "FD")])


def test_miller_decomposition_by_hand(hand):
    """Demand for r1's product: intra 1/(1 − 0.2) = 1.25; own L_11 = 0.6/0.45 = 1.3333;
    feedback = 1.3333 − 1.25 = 0.08333 (= bc / ((1 − a)Δ)); spillover L_21 = 0.3/0.45 =
    0.6667; total = 0.9/0.45 = 2. For r2: intra 1/0.6, own 0.8/0.45, spillover 0.1/0.45."""
    s = R.spillover(hand).by_sector
    np.testing.assert_allclose(s.loc[("r1", "s")], [1.25, 0.08333333333, 0.66666666667, 2.0])
    np.testing.assert_allclose(s.loc[("r2", "s")], [1 / 0.6, 0.8 / 0.45 - 1 / 0.6, 0.1 / 0.45,
                                                    0.9 / 0.45])


def test_block_diagonal_table_has_no_feedback_or_spillover():
    """No interregional trade: L is block-diagonal, so feedback = spillover = 0 exactly."""
    t = mrio([[10, 5, 0, 0], [5, 10, 0, 0], [0, 0, 20, 1], [0, 0, 3, 4]],
             [[85, 0], [85, 0], [0, 79], [0, 93]], ["a", "a", "b", "b"], ["1", "2", "1", "2"],
             [("a", "FD"), ("b", "FD")])
    s = R.spillover(t).by_sector
    assert (s["feedback"].abs() < 1e-14).all() and (s["spillover"] == 0).all()


@pytest.fixture(scope="module")
def wiod(wiod_dir):
    return lianpu.load(wiod_dir / "wiot_2011.RData")


@pytest.fixture(scope="module")
def wiod7(wiod_dir):
    return lianpu.load(wiod_dir / "wiot_regional_2011.RData")


@pytest.mark.parametrize("kind", ["output", "value_added"])
def test_terms_sum_to_total_multiplier_every_product_and_region(wiod, kind):
    res = R.spillover(wiod, kind)
    s = res.by_sector
    np.testing.assert_allclose(s.intra + s.feedback + s.spillover, s.total, rtol=1e-12)
    np.testing.assert_allclose(s.total, lianpu.multipliers(wiod, kind), rtol=1e-10, atol=1e-14)
    b = res.by_region
    assert list(b.index) == wiod.regions
    np.testing.assert_allclose(b.intra + b.feedback + b.spillover, b.total, rtol=1e-12)
    np.testing.assert_allclose(res.matrix.sum(axis=0), b.total, rtol=1e-12)
    assert (s.intra >= 0).all() and (s.feedback >= -1e-12).all() and (s.spillover >= 0).all()


def test_decomposition_against_explicit_inverses(wiod7):
    """Independent route: L = inv(I − A) and inv(I − A_rr) on the 245-sector regional table."""
    n = wiod7.n
    L = np.linalg.inv(np.eye(n) - wiod7.A_)
    s = R.spillover(wiod7).by_sector
    reg = np.asarray(wiod7.index.get_level_values(0))
    for r in wiod7.regions:
        p = np.flatnonzero(reg == r)
        Lrr = np.linalg.inv(np.eye(p.size) - wiod7.A_[np.ix_(p, p)])
        np.testing.assert_allclose(s.intra.to_numpy()[p], Lrr.sum(0), rtol=1e-10)
        np.testing.assert_allclose(s.feedback.to_numpy()[p], L[np.ix_(p, p)].sum(0) - Lrr.sum(0),
                                   rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(s.spillover.to_numpy()[p], L[:, p].sum(0) - L[np.ix_(p, p)].sum(0),
                                   rtol=1e-10)


def test_satellite_kind(wiod7):
    """Any satellite: here a 'jobs' row = 2 × value added, so every term is twice the value-
    added one (zero-output industries have intensity 0 in both)."""
    t = wiod7.with_satellite("jobs", 2 * wiod7.value_added_, "persons")
    a, b = R.spillover(t, "jobs").by_sector, R.spillover(wiod7, "value_added").by_sector
    np.testing.assert_allclose(a.to_numpy(), 2 * b.to_numpy(), rtol=1e-12)


def test_value_added_matrix_identities(wiod):
    """Rows: Σ over final-demand regions (+ the rounding-discrepancy column) = each producing
    region's value added. Columns: v' = 1'(I − A) makes v̂L y_d sum to 1'y_d, exactly except
    for the 22 zero-output WIOD industries whose stray rounded final-demand cells carry no
    coefficient (measured gap ≤ 2 million USD of a region's final demand)."""
    V = R.value_added_matrix(wiod)
    va = pd.Series(wiod.value_added_, index=wiod.index).groupby(level=0, sort=False).sum()
    assert list(V.index) == wiod.regions and V.columns[-1] == "(discrepancy)"
    np.testing.assert_allclose(V.sum(axis=1), va.reindex(V.index), rtol=1e-9)
    regs, Yd = R.final_demand_by_region(wiod)
    np.testing.assert_allclose(V[regs].sum(axis=0), Yd.sum(axis=0), atol=2.5)
    S = R.value_added_matrix(wiod, by="sector")
    np.testing.assert_allclose(S.sum(axis=1), wiod.value_added_, rtol=1e-9, atol=1e-6)
    assert abs(V["(discrepancy)"].sum()) < 1e-3 * va.sum()   # 0.04 % of world value added


def test_value_added_matrix_against_explicit_inverse(wiod7):
    L = np.linalg.inv(np.eye(wiod7.n) - wiod7.A_)
    v = np.divide(wiod7.value_added_, wiod7.x_, out=np.zeros(wiod7.n), where=wiod7.x_ > 0)
    regs, Yd = R.final_demand_by_region(wiod7)
    exp = pd.DataFrame(v[:, None] * (L @ Yd), index=wiod7.index, columns=regs).groupby(
        level=0, sort=False).sum()
    np.testing.assert_allclose(R.value_added_matrix(wiod7)[regs], exp, rtol=1e-9)


def test_trade_value_added(wiod7):
    """E = DVA + domestic double counted + VS + other with other ≈ 0 (VA is WIOD's balancing
    item); DVA = v_r'(I − A_rr)⁻¹ e_r and VS = Σ_{q≠r} v_q'L_qr e_r (foreign content) computed
    with explicit inverses; the old names (dva_feedback, fva) are gone."""
    T = R.trade_value_added(wiod7)
    np.testing.assert_allclose(T.dva + T.domestic_double_counted + T.vs + T.other, T.gross_exports,
                               rtol=1e-12)
    assert not {"dva_feedback", "fva", "fva_share"} & set(T.columns)
    assert (T.other.abs() < 1e-6 * T.gross_exports).all()
    L = np.linalg.inv(np.eye(wiod7.n) - wiod7.A_)
    v = np.divide(wiod7.value_added_, wiod7.x_, out=np.zeros(wiod7.n), where=wiod7.x_ > 0)
    e = R.gross_exports(wiod7)
    reg = np.asarray(wiod7.index.get_level_values(0))
    for r in wiod7.regions:
        p, q = np.flatnonzero(reg == r), np.flatnonzero(reg != r)
        dva = v[p] @ np.linalg.inv(np.eye(p.size) - wiod7.A_[np.ix_(p, p)]) @ e[p]
        assert T.loc[r, "dva"] == pytest.approx(dva, rel=1e-9)
        assert T.loc[r, "vs"] == pytest.approx(v[q] @ L[np.ix_(q, p)] @ e[p], rel=1e-9)
        Lrr = L[np.ix_(p, p)]
        ddc = v[p] @ (Lrr - np.linalg.inv(np.eye(p.size) - wiod7.A_[np.ix_(p, p)])) @ e[p]
        assert T.loc[r, "domestic_double_counted"] == pytest.approx(ddc, rel=1e-7)
        # gross exports: sales to other regions' producers and final users
        Z, Y = wiod7.Z, wiod7.Y
        ex = Z.loc[r].drop(columns=r, level=0).to_numpy().sum() + Y.loc[r].drop(
            columns=r, level=0).to_numpy().sum()
        assert T.loc[r, "gross_exports"] == pytest.approx(ex, rel=1e-12)
    assert ((T.vax_ratio > 0.5) & (T.vax_ratio < 1)).all()


def test_twin_against_explicit_inverse(wiod7):
    t = wiod7.with_satellite("jobs", 0.01 * wiod7.x_, "thousand persons")
    tw = lianpu.twin(t, "CHN", "EAS", top=245)
    L = np.linalg.inv(np.eye(t.n) - t.A_)
    regs, Yd = R.final_demand_by_region(t)
    reg = np.asarray(t.index.get_level_values(0))
    v = np.divide(t.value_added_, t.x_, out=np.zeros(t.n), where=t.x_ > 0)
    for a, b in (("CHN", "EAS"), ("EAS", "CHN")):
        p = reg == a
        xb = L @ Yd[:, regs.index(b)]
        row = tw.summary.loc[f"{a}←{b}"]
        assert row["output"] == pytest.approx(xb[p].sum(), rel=1e-10)
        assert row["value_added"] == pytest.approx((v * xb)[p].sum(), rel=1e-10)
        assert row["jobs"] == pytest.approx(0.01 * xb[p].sum(), rel=1e-10)
        assert row["output_share"] == pytest.approx(xb[p].sum() / t.x_[p].sum(), rel=1e-10)
        ts = tw.top_sectors[tw.top_sectors.direction == f"{a}←{b}"]
        assert ts.value_added.is_monotonic_decreasing
        assert ts.value_added.sum() == pytest.approx(row["value_added"], rel=1e-10)
        tp = tw.top_products[tw.top_products.direction == f"{a}←{b}"]
        assert tp.value_added.sum() == pytest.approx(row["value_added"], rel=1e-10)
    assert set(tw.to_dict()) >= {"summary", "top_sectors", "top_products"}
    assert json.loads(tw.to_json()).keys() == tw.to_dict().keys()  # project convention: text


def test_complementarity_by_hand():
    """A (sectors 1, 2) and B. A's track = sector 1; its inputs (column (A,1)): 10 of product
    1 and 30 of product 2 from A, and 10 and 30 from B → requirements (20, 60): q = (0.25,
    0.75). B's output (100, 100): p = (0.5,
    0.5). Index = 100·(min(.25,.5) + min(.75,.5)) = 75; realized share = 40/80 = 0.5."""
    Z = [[10, 0, 0, 0], [30, 0, 0, 0], [10, 0, 0, 0], [30, 0, 0, 0]]
    t = mrio(Z, [[110, 0], [70, 0], [0, 90], [0, 70]], ["A", "A", "B", "B"],
             ["1", "2", "1", "2"], [("A", "FD"), ("B", "FD")],
             V=np.array([[40, 100, 100, 100.0]]))
    c = complementarity(t, "B", "A", ["1"])
    assert c.index == pytest.approx(75.0) and c.realized_share == pytest.approx(0.5)
    assert c.interregional_share == pytest.approx(1.0)   # all outside inputs come from B
    np.testing.assert_allclose(c.products.loc[["1", "2"], "requirement_share"], [0.25, 0.75])
    np.testing.assert_allclose(c.products.loc[["1", "2"], "supplier_share"], [0.5, 0.5])


def test_track_ids_resolved_through_tracks_module(wiod7, monkeypatch):
    """Without lianpu.analysis.tracks.catalogue a track id is a clear error; with it, the positions it
    returns are mapped to sector codes of the user region."""
    monkeypatch.setitem(sys.modules, "lianpu.analysis.tracks.catalogue", None)
    with pytest.raises(TableError, match="track ids need lianpu.analysis.tracks.catalogue"):
        complementarity(wiod7, "EAS", "CHN", "ev")
    fake = types.SimpleNamespace(resolve=lambda table, track: [13, 12] if track == "ev" else [])
    monkeypatch.setitem(sys.modules, "lianpu.analysis.tracks.catalogue", fake)
    a = complementarity(wiod7, "EAS", "CHN", "ev")
    b = complementarity(wiod7, "EAS", "CHN", ["c14", "c13"])
    assert a.sectors == ("c14", "c13") and a.index == b.index


def test_track_id_with_the_real_tracks_module(wiod7):
    """When lianpu.analysis.tracks.catalogue is installed, a track id selects the codes it resolves to
    in the user region (whatever the shipped track list says)."""
    tracks = pytest.importorskip("lianpu.analysis.tracks.catalogue")
    tid = next(k for k, v in tracks.tracks().items() if "wiod35" in v.codes)
    want = list(dict.fromkeys(wiod7.index[i][-1] for i in tracks.resolve(wiod7, tid)))
    c = complementarity(wiod7, "EAS", "CHN", tid)
    assert list(c.sectors) == want
    assert c.index == pytest.approx(complementarity(wiod7, "EAS", "CHN", want).index)


def test_region_names_and_errors(wiod7, hand):
    assert R.resolve_region(wiod7, "中国") == "CHN" and R.resolve_region(wiod7, "CHN") == "CHN"
    with pytest.raises(TableError, match=r"unknown region \(found 'Mars'"):
        lianpu.twin(wiod7, "CHN", "Mars")
    with pytest.raises(TableError, match="must differ"):
        lianpu.twin(wiod7, "CHN", "CHN")
    with pytest.raises(TableError, match="unknown sector code in the track"):
        complementarity(wiod7, "EAS", "CHN", ["c99"])
    national = lianpu.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700])
    with pytest.raises(TableError, match="needs a multi-regional table"):
        R.spillover(national)
    assert R.spillover(hand).to_dict()["by_region"][0]["region"] == "r1"
