"""Chain maps: tiers add up to L f − f, totals and downstream against explicit inverses,
upstreamness = Ghosh row sums (Miller–Temurshoev), APL identities, and the graph/HTML views
(self-contained, no asset fetched from a network, no overlapping labels)."""
from __future__ import annotations

import itertools
import json
import re

import networkx as nx
import numpy as np
import pytest

import lianpu
from lianpu.analysis.chains.position import apl, apl_columns, apl_rows, downstreamness, upstreamness
from lianpu.core.errors import TableError
from lianpu.report.chain_svg import to_html


@pytest.fixture(scope="module")
def t153(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2020_153.csv")


@pytest.fixture(scope="module")
def t42(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2020_42.csv")


@pytest.fixture(scope="module")
def aero(t153):
    return lianpu.chain(t153, "航空航天", depth=4, top=20)


def _f(tb, codes):
    idx = [list(tb.index).index(c) for c in codes]
    f = np.zeros(tb.n)
    f[idx] = tb.Y_.sum(axis=1)[idx]
    return f, idx


def test_tiers_sum_to_total_minus_final_demand(t153, aero):
    """Σ_k A^k f (k = 1..4) + beyond = L f − f with L f from an independent dense solve, the
    tiers are the matrix powers, and with a deep map nothing is left beyond."""
    tb = t153.domestic()
    f, _ = _f(tb, ["083", "092"])
    Lf = np.linalg.solve(np.eye(tb.n) - tb.A_, f)
    up = aero.upstream.loc[list(tb.index)]
    tiers = up[[f"tier_{k}" for k in range(1, 5)]].to_numpy()
    np.testing.assert_allclose(tiers.sum(axis=1) + up["beyond"], Lf - f, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(up["total"], Lf, rtol=1e-9)
    for k in range(1, 5):
        np.testing.assert_allclose(tiers[:, k - 1], np.linalg.matrix_power(tb.A_, k) @ f,
                                   rtol=1e-9, atol=1e-9)
    deep = lianpu.chain(t153, "aerospace", depth=60, top=5)
    assert abs(deep.summary["beyond"]) < 1e-6 * deep.summary["indirect_requirement"]
    assert sum(aero.summary["tiers"]) + aero.summary["beyond"] == pytest.approx(
        (Lf - f).sum(), rel=1e-9)


def test_direct_and_downstream_against_explicit_inverses(t153, aero):
    tb = t153.domestic()
    _, S = _f(tb, ["083", "092"])
    up = aero.upstream.loc[list(tb.index)]
    np.testing.assert_allclose(up["direct_input"], tb.Z_[:, S].sum(axis=1), rtol=1e-12)
    down = aero.downstream.loc[list(tb.index)]
    np.testing.assert_allclose(down["direct_sales"], tb.Z_[S, :].sum(axis=0), rtol=1e-12)
    G = np.linalg.inv(np.eye(tb.n) - tb.B_)
    xs = np.zeros(tb.n)
    xs[S] = tb.x_[S]
    np.testing.assert_allclose(down["forward_total"], xs @ (G - np.eye(tb.n)), rtol=1e-8,
                               atol=1e-6)
    assert (down["forward_total"] >= down["direct_sales"] - 1e-6).all()


def test_upstreamness_is_ghosh_row_sums(t42):
    """Antràs et al. (2012) U = (I − Δ)⁻¹1 with Δ = B equals G1 (Miller & Temurshoev 2017),
    and equals x̂⁻¹ L x (the Leontief route): both checked with explicit inverses."""
    U = upstreamness(t42).to_numpy()
    G = np.linalg.inv(np.eye(42) - t42.B_)
    np.testing.assert_allclose(U, G.sum(axis=1), rtol=1e-10)
    L = np.linalg.inv(np.eye(42) - t42.A_)
    np.testing.assert_allclose(U, L @ t42.x_ / t42.x_, rtol=1e-10)
    np.testing.assert_allclose(downstreamness(t42), L.sum(axis=0), rtol=1e-10)
    assert (U >= 1 - 1e-12).all()


def test_apl_miller_blair_by_hand():
    """M&B §2.3: L − I = [[.25413, .33003], [.26403, .12211]], L(L − I) by hand gives APL =
    [[1.5970, 1.3762], [1.3762, 1.8357]]; also the power series Σ k A^k / Σ A^k."""
    t = lianpu.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700])
    got = apl(t).to_numpy()
    np.testing.assert_allclose(got, [[1.5970, 1.3762], [1.3762, 1.8357]], atol=1e-4)
    A, num, den, P = t.A_, np.zeros((2, 2)), np.zeros((2, 2)), np.eye(2)
    for k in range(1, 200):
        P = P @ A
        num += k * P
        den += P
    np.testing.assert_allclose(got, num / den, rtol=1e-10)
    np.testing.assert_allclose(apl_rows(t, [0, 1]), got, rtol=1e-12)


def test_apl_is_one_for_direct_links_only():
    """A chain 1 → 2 → 3 with no other flows: APL(1→2) = APL(2→3) = 1, APL(1→3) = 2, and
    pairs with no link at all are undefined (NaN)."""
    Z = [[0, 30, 0], [0, 0, 40], [0, 0, 0]]
    t = lianpu.IOTable.from_arrays(Z, [[70], [60], [100]])
    m = apl(t).to_numpy()
    assert m[0, 1] == pytest.approx(1.0) and m[1, 2] == pytest.approx(1.0)
    assert m[0, 2] == pytest.approx(2.0)
    assert np.isnan(m[2, 0]) and np.isnan(m[0, 0])


def test_apl_columns_on_a_real_table(t42):
    L = np.linalg.inv(np.eye(42) - t42.A_)
    M = L - np.eye(42)
    cols = [17, 19]
    with np.errstate(invalid="ignore"):           # 0/0 where there is no link: NaN on both sides
        ref = (L @ M)[:, cols] / M[:, cols]
    np.testing.assert_allclose(apl_columns(t42, cols), ref, rtol=1e-9)


def test_chain_results_and_exports(aero, tmp_path):
    assert aero.track_id == "aerospace" and aero.classification == "nbs153"
    assert aero.track_sectors == ("083", "092")
    assert "import proportionality" in aero.basis
    fr = aero.to_frame()
    assert {"tier_1", "direct_sales", "apl", "upstreamness"} <= set(fr.columns)
    d = json.loads(aero.to_json(rows=5))
    assert d["track"]["name_zh"] == "航空航天" and len(d["paths"]) == 20
    assert len(d["upstream"]) == 5 and d["paths"][0]["codes"][-1] in ("083", "092")
    vals = aero.paths["value"].abs().to_numpy()
    assert (np.diff(vals) <= 0).all()
    g = aero.to_networkx()
    assert g.number_of_nodes() >= 10 and g.number_of_edges() >= 10
    assert any(d.get("kind") == "track" for _, d in g.nodes(data=True))
    p = aero.to_graphml(tmp_path / "aero.graphml")
    g2 = nx.read_graphml(p)
    assert g2.number_of_nodes() == g.number_of_nodes()


def test_html_is_offline_bilingual_and_uncluttered(aero, tmp_path):
    p = tmp_path / "aero.html"
    text = to_html(aero, p, lang="zh")
    assert p.read_text(encoding="utf-8") == text
    assert "http://" not in text and "https://" not in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(//|[a-z]+:)""", text, re.IGNORECASE)
    assert "<link" not in text and "@import" not in text
    assert "航空航天" in text and "Aerospace" in text and "data-en=" in text
    assert "其他" in text                       # small suppliers merged on a 153-sector table
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', text)
    by_col: dict = {}
    for cx, cy, r in circles:
        by_col.setdefault(cx, []).append((float(cy), float(r)))
    for nodes in by_col.values():
        assert len(nodes) <= 9                   # at most 8 sectors + one "others" node
        nodes.sort()
        for (y1, r1), (y2, r2) in itertools.pairwise(nodes):
            assert y2 - y1 >= r1 + r2 + 12       # labels (12 px) cannot overlap
    assert "Chain map" in to_html(aero, lang="en")


def test_driver_output_and_errors(t42):
    cm = lianpu.chain(t42, "future_materials", driver="output", depth=2, top=5)
    assert cm.summary["final_demand"] == pytest.approx(t42.x["12"] + t42.x["13"] + t42.x["14"])
    with pytest.raises(ValueError, match="argument 'depth'"):
        lianpu.chain(t42, "aerospace", depth=0)
    with pytest.raises(ValueError, match="argument 'driver'"):
        lianpu.chain(t42, "aerospace", driver="supply")
    # 02 煤炭: final demand −1.2e6 万元 in 2020 (inventory run-down exceeds other final use)
    assert t42.Y.loc["02"].sum() < 0
    with pytest.raises(TableError, match="final demand is not positive"):
        lianpu.chain(t42, ["02"])
    assert lianpu.chain(t42, ["02"], driver="output", depth=2, top=3).summary["total_requirement"] > 0


def test_wiod_chain_by_region(wiod_dir):
    t = lianpu.load(wiod_dir / "wiot_2011.RData")
    cm = lianpu.chain(t, "electronic_information", region="CHN", depth=3, top=10)
    assert cm.track_sectors == (("CHN", "c14"),)
    assert cm.summary["spa_seconds"] < 1.0          # measured ≈ 1 ms (bench/bench_spa.py)
    assert sum(cm.summary["tiers"]) + cm.summary["beyond"] == pytest.approx(
        cm.summary["indirect_requirement"], rel=1e-9)
    assert cm.paths["codes"].iloc[0][-1] == "CHN/c14"
    assert "other regions" not in cm.basis and "multi-regional" in cm.basis
