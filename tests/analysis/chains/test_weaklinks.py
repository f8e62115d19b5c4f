"""Import content and weak links against independent computations: explicit inverses, the
non-competitive import block of the NBS 2017 table, and brute-force re-solves of extracted
tables (Ghosh and Leontief)."""
from __future__ import annotations

import json

import numpy as np
import pytest

import lianpu
from lianpu.core.errors import TableError


@pytest.fixture(scope="module")
def t17(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2017_42.csv")


@pytest.fixture(scope="module")
def t20(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2020_42.csv")


@pytest.fixture(scope="module")
def wiod(wiod_dir):
    return lianpu.load(wiod_dir / "wiot_2011.RData")


def _track_f(t, codes):
    S = [list(t.index).index(c) for c in codes]
    f = np.zeros(t.n)
    f[S] = t.Y_.sum(axis=1)[S]
    return S, f


def test_import_content_from_import_block_2017(t17):
    """m' = 1'Am L with Am = Zm x̂⁻¹ — computed here with numpy's inverse from the table's own
    import rows — equals lianpu's solve, sector by sector and for a track's demand."""
    L = np.linalg.inv(np.eye(42) - t17.Z_ / t17.x_[None, :])
    Am = t17.Zm_ / t17.x_[None, :]
    m = np.ones(42) @ Am @ L
    got = lianpu.import_content(t17)
    np.testing.assert_allclose(got.to_numpy(), m, rtol=1e-10)
    assert "non-competitive" in got.attrs["basis"]
    _, f = _track_f(t17, ["20"])
    w = lianpu.weaklinks(t17, "electronic_information")
    assert w.summary["import_content"] == pytest.approx((Am @ L @ f).sum() / f.sum(), rel=1e-10)
    np.testing.assert_allclose(w.links.loc[list(t17.index), "chain_imported"], Am @ L @ f,
                               rtol=1e-10)
    assert 0.0 < w.summary["import_content"] < 1.0


def test_import_content_competitive_uses_domestic_view(nbs_dir):
    t = lianpu.load(nbs_dir / "cn_io_2020_153.csv")
    got = lianpu.import_content(t)
    d = t.domestic()
    L = np.linalg.inv(np.eye(t.n) - d.A_)
    np.testing.assert_allclose(got, (d.Zm_ / d.x_[None, :]).sum(axis=0) @ L, rtol=1e-9)
    assert "import proportionality" in got.attrs["basis"]


def test_links_are_consistent(t20):
    w = lianpu.weaklinks(t20, "aerospace")
    lk = w.links
    used = lk["chain_total"] > 0                 # NaN shares only for inputs the chain never uses
    assert lk.loc[~used, "import_share"].isna().all() and used.sum() >= 40
    assert lk.loc[used, "import_share"].between(0, 1).all()
    assert lk["requirement_share"].sum() == pytest.approx(1.0)
    np.testing.assert_allclose(lk["chain_total"], lk["chain_domestic"] + lk["chain_imported"])
    S, f = _track_f(t20, ["18"])
    xf = np.linalg.solve(np.eye(42) - t20.A_, f)
    np.testing.assert_allclose(lk.loc[list(t20.index), "chain_domestic"], t20.A_ @ xf,
                               rtol=1e-10)
    np.testing.assert_allclose(lk.loc[list(t20.index), "direct_imported"], t20.Zm_[:, S].sum(1))


def _ghosh_x(Z, x, prim):
    """x' = prim' (I − B)⁻¹ with B = x̂⁻¹ Z, by a dense solve."""
    B = Z / x[:, None]
    return np.linalg.solve((np.eye(len(x)) - B).T, prim)


def test_chokepoints_equal_brute_force_extractions(t20):
    """Supply loss: zero row k of B and re-solve the Ghosh model; market loss: delete sector k
    (row, column and final demand) and re-solve the Leontief model."""
    w = lianpu.weaklinks(t20, "electronic_information")
    S, _ = _track_f(t20, ["20"])
    Z, x = t20.Z_, t20.x_
    prim = x - Z.sum(axis=0)
    f = x - t20.A_ @ x
    for code in ("14", "28", "12", "02"):
        k = list(t20.index).index(code)
        Zk = Z.copy()
        Zk[k, :] = 0.0
        B = Z / x[:, None]
        Bk = B.copy()
        Bk[k, :] = 0.0
        xg = np.linalg.solve((np.eye(42) - Bk).T, prim)
        want = (x[S] - xg[S]).sum() / x[S].sum()
        assert w.chokepoints.loc[code, "supply_loss_share"] == pytest.approx(want, rel=1e-8)
        keep = [i for i in range(42) if i != k]
        xl = np.zeros(42)
        xl[keep] = np.linalg.solve(np.eye(41) - t20.A_[np.ix_(keep, keep)], f[keep])
        want = (x[S] - xl[S]).sum() / x[S].sum()
        assert w.chokepoints.loc[code, "market_loss_share"] == pytest.approx(want, rel=1e-8)
    assert "20" not in w.chokepoints.index


def test_ghosh_stop_risk_equals_ghosh_with_fewer_primary_inputs(t20):
    """If the imports of product i stop, every user's primary inputs fall by zm_ij."""
    w = lianpu.weaklinks(t20, "electronic_information")
    S, _ = _track_f(t20, ["20"])
    Z, x = t20.Z_, t20.x_
    prim = x - Z.sum(axis=0)
    for code in ("20", "04", "12"):
        i = list(t20.index).index(code)
        xg = _ghosh_x(Z, x, prim - t20.Zm_[i, :])
        want = (x[S] - xg[S]).sum() / x[S].sum()
        assert w.links.loc[code, "ghosh_stop_risk"] == pytest.approx(want, rel=1e-8)
        assert w.links.loc[code, "ghosh_cut_loss"] == pytest.approx(0.3 * want, rel=1e-8)


def test_planner_lists(t20):
    w = lianpu.weaklinks(t20, "electronic_information", top=5, material=0.01,
                         min_import_share=0.1, attract_share=0.3)
    sb, rk, at = w.shortboard, w.risk, w.attraction
    assert list(sb["rank"]) == list(range(1, len(sb) + 1)) and len(sb) >= 3
    assert (np.diff(sb["import_share"]) <= 0).all() and (sb["import_share"] >= 0.1).all()
    assert (sb["requirement_share"] >= 0.01).all()
    assert (np.diff(rk["cut_loss"]) <= 0).all() and len(rk) == 5
    assert (at["import_share"] >= 0.3).all() and (np.diff(at["chain_imported"]) <= 0).all()
    # 通信设备、计算机和其他电子设备 (chips and components) heads the risk list of 电子信息
    assert rk.index[0] == "20"
    # track = sector 20, which buys 3.4 % of its output as imported 20 (≥ 0.01: critical):
    # a 30 % cut caps it at 70 % (import_cut), so the track loses exactly 30 %, while the
    # Ghosh indicator for the same cut is about a third of that (not an upper bound)
    assert rk.loc["20", "cut_loss"] == pytest.approx(0.30, rel=1e-6)
    assert rk.loc["20", "ghosh_cut_loss"] < rk.loc["20", "cut_loss"] / 2
    r = lianpu.shock.import_cut(t20, {"04": 0.3}, critical=0.01)
    assert rk.loc["04", "cut_loss"] == pytest.approx(
        r.columns["output_loss"][19] / t20.x_[19], rel=1e-9)
    d = json.loads(w.to_json(rows=3))
    assert d["track"]["name_zh"] == "电子信息" and len(d["shortboard"]) <= 3
    st = w.strengths
    assert st.index.tolist() == ["20"]
    fd = list(t20.final_demand_labels.index)
    assert st.loc["20", "export_share"] == pytest.approx(
        (t20.Y_[19, fd.index("EX")]) / t20.x_[19])


def test_attraction_list_leaves_out_what_cannot_be_attracted(t20, nbs_dir):
    """Crude oil/gas and metal ores are imported ≥ 30 % by the 电子信息 chain but cannot be
    attracted (natural resources): left out of 招商清单, listed in ``excluded`` with the reason
    from lianpu/data/attraction_exclusions.csv; on the 153-sector table air passenger
    transport (117) for 航空航天 too."""
    w = lianpu.weaklinks(t20, "electronic_information")
    assert {"03", "04"} <= set(w.excluded.index)
    assert not set(w.excluded.index) & set(w.attraction.index)
    assert (w.excluded["category"] == "resource").all()
    assert w.excluded.loc["04", "reason_en"].startswith("natural-resource extraction")
    assert any("cannot be attracted" in n for n in w.notes)
    d = json.loads(w.to_json())
    assert {r["code"] for r in d["attraction_excluded"]} == set(w.excluded.index)
    t153 = lianpu.load(nbs_dir / "cn_io_2020_153.csv")
    w = lianpu.weaklinks(t153, "aerospace", top=20)
    assert "117" in w.excluded.index and w.excluded.loc["117", "category"] == "passenger"
    banned = {"006", "007", "008", "009", "010", "011", "111", "115", "117", "152", "153"}
    assert not banned & set(w.attraction.index)


def test_mrio_needs_region_and_concentration(wiod):
    with pytest.raises(TableError, match="needs the track's region"):
        lianpu.weaklinks(wiod, "electronic_information")
    w = lianpu.weaklinks(wiod, "electronic_information", region="CHN")
    lk = w.links
    assert len(lk) == 35 and lk.index.name == "code"
    R = len(wiod.regions)
    used = lk["chain_total"] > 0                 # c35 (private households) sells nothing
    assert lk.loc[used, "hhi"].between(1 / R - 1e-12, 1 + 1e-12).all() and used.sum() >= 34
    assert (lk.loc[used, "top_origin"] != "CHN").all()
    # independent: CHN producers' chain purchases of c9 (chemicals) by origin, from A and L f
    S = [list(wiod.index).index(("CHN", "c14"))]
    f = np.zeros(wiod.n)
    f[S] = wiod.Y_.sum(axis=1)[S]
    xf = wiod.factor.solve(f)
    chn = np.asarray(wiod.index.get_level_values(0)) == "CHN"
    rows = np.asarray(wiod.index.get_level_values(1)) == "c9"
    use = (wiod.A_[np.ix_(rows, chn)] * xf[chn]).sum(axis=1)
    assert lk.loc["c9", "hhi"] == pytest.approx(((use / use.sum()) ** 2).sum(), rel=1e-9)
    origin = np.asarray(wiod.index.get_level_values(0))[rows]
    foreign = origin != "CHN"
    assert lk.loc["c9", "import_share"] == pytest.approx(use[foreign].sum() / use.sum())
    assert lk.loc["c9", "top_origin"] == origin[foreign][np.argmax(use[foreign])]


def test_mrio_import_content_is_foreign_value_added(wiod):
    """For (CHN, c14): value added of all non-Chinese sectors per unit of final demand,
    with the column of L from an independent dense solve."""
    ic = lianpu.import_content(wiod)
    j = list(wiod.index).index(("CHN", "c14"))
    e = np.zeros(wiod.n)
    e[j] = 1.0
    col = np.linalg.solve(np.eye(wiod.n) - wiod.A_, e)
    v = wiod.value_added_ / np.where(wiod.x_ > 0, wiod.x_, 1.0)
    foreign = np.asarray(wiod.index.get_level_values(0)) != "CHN"
    assert ic.iloc[j] == pytest.approx(v[foreign] @ col[foreign], rel=1e-8)
    assert 0.05 < ic.iloc[j] < 0.5
    assert "foreign value-added" in ic.attrs["basis"]


def _provincial_mrio():
    """Two provinces × two sectors with exports and imports from abroad in ('ROW', …) columns,
    the layout of the CEADs provincial MRIO reader (numbers made up, rows and columns balance:
    x = Z·1 + Y·1 and value added = x − 1'Z)."""
    import pandas as pd
    idx = pd.MultiIndex.from_tuples([("A", "s1"), ("A", "s2"), ("B", "s1"), ("B", "s2")],
                                    names=["region", "sector"])
    Z = pd.DataFrame([[10, 20, 5, 0], [5, 10, 0, 5], [4, 0, 10, 10], [0, 6, 5, 10]],
                     index=idx, columns=idx, dtype=float)
    cols = pd.MultiIndex.from_tuples([("A", "CONS_h"), ("B", "CONS_h"), ("ROW", "EX"),
                                      ("ROW", "IM")])
    Y = pd.DataFrame([[40, 10, 20, -10], [30, 5, 10, -5], [5, 50, 10, -8], [5, 40, 5, 0]],
                     index=idx, columns=cols, dtype=float)
    return lianpu.IOTable.from_frames(Z, Y)


def test_provincial_mrio_origins_include_abroad():
    """Origins of province A's chain purchases: A itself, province B, and abroad ('ROW', the
    import block of the domestic view) — recomputed here from A, Am and an explicit solve."""
    t = _provincial_mrio()
    w = lianpu.weaklinks(t, ["s1"], region="A")
    assert "abroad" in w.basis
    d = t.domestic()
    x, n = d.x_, d.n
    f = np.zeros(n)
    f[0] = d.Y_[0].sum()
    xf = np.linalg.solve(np.eye(n) - d.A_, f)
    Am = d.Zm_ / x[None, :]
    R = [0, 1]
    for c, rows in (("s1", [0, 2]), ("s2", [1, 3])):
        own = d.A_[rows[0], R] @ xf[R]
        other = d.A_[rows[1], R] @ xf[R]
        abroad = sum(Am[r, R] @ xf[R] for r in rows)
        tot = own + other + abroad
        lk = w.links.loc[c]
        assert lk["import_share"] == pytest.approx((other + abroad) / tot, rel=1e-10)
        assert lk["chain_abroad"] == pytest.approx(abroad, rel=1e-10)
        assert lk["hhi"] == pytest.approx(((np.array([own, other, abroad]) / tot) ** 2).sum())
        assert lk["top_origin"] == ("B" if other > abroad else "ROW")
    ic = lianpu.import_content(t)
    L = np.linalg.inv(np.eye(n) - d.A_)
    v = d.value_added_ / x
    want = v[2:] @ L[2:, 0] + Am.sum(axis=0) @ L[:, 0]     # B's value added + imports, for A/s1
    assert ic.iloc[0] == pytest.approx(want, rel=1e-10)
    assert "imports from abroad" in ic.attrs["basis"]
