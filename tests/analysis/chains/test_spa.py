"""Structural path analysis: path sums converge to the Leontief inverse on a real table, the
best-first search finds exactly the brute-force top paths, and pruning loses nothing above
the threshold."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

import lianpu
from lianpu.analysis.chains.spa import path_sums_by_origin, spa


@pytest.fixture(scope="module")
def t42(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2020_42.csv")


@pytest.fixture(scope="module")
def setup(t42):
    A = t42.A_
    L = np.linalg.inv(np.eye(t42.n) - A)          # independent route: explicit inverse
    return A, L, np.ones(t42.n) @ L


def test_path_sums_converge_to_leontief_entries(t42, setup):
    """With f = e_j, the paths ending in j from origin i add up to Σ_{k≤d} (A^k)_ij exactly
    (full enumeration), increase with d, and approach L_ij."""
    A, L, m = setup
    j = list(t42.index).index("20")                # 通信设备、计算机和其他电子设备
    f = np.zeros(t42.n)
    f[j] = 1.0
    power, series, prev = np.eye(t42.n), np.zeros(t42.n), None
    for d in range(3):
        series += power[:, j]
        power = A @ power
        r = spa(A, f, m, depth=d, top=None, threshold=0.0, min_order=0)
        s = path_sums_by_origin(r, t42.n)
        np.testing.assert_allclose(s, series, rtol=1e-10, atol=1e-15)
        if prev is not None:
            assert (s >= prev - 1e-15).all() and s.sum() > prev.sum()
        assert (s <= L[:, j] + 1e-12).all()
        prev = s
    gaps = [L[:, j].sum() - prev.sum()]              # order ≤ 2, every path
    for d, thr in ((8, 3e-5), (8, 1e-5)):            # deeper, pruned below the threshold
        r = spa(A, f, m, depth=d, top=None, threshold=thr, min_order=0)
        s = path_sums_by_origin(r, t42.n)
        assert (s <= L[:, j] + 1e-12).all()
        gaps.append(L[:, j].sum() - s.sum())
    assert gaps[0] > gaps[1] > gaps[2] > 0
    assert gaps[2] / L[:, j].sum() < 0.10           # within 10 % of the column sum of L


def _brute_force(A, f, depth, min_order=1):
    """Every path up to ``depth`` by explicit enumeration (origin first)."""
    n = len(f)
    out = []
    for j in np.flatnonzero(f):
        for k in range(min_order, depth + 1):
            for seq in itertools.product(range(n), repeat=k):
                nodes = (*seq, j)           # origin … → j
                v = f[j]
                for a, b in itertools.pairwise(nodes):
                    v *= A[a, b]
                out.append((nodes, v))
    return out


def test_best_first_top_paths_equal_brute_force():
    """Small random economy: the top 15 paths of order 1..3 equal those of full enumeration."""
    rng = np.random.default_rng(7)
    n = 9
    A = rng.uniform(0, 1, (n, n)) * (rng.uniform(0, 1, (n, n)) < 0.6)
    A *= 0.7 / A.sum(axis=0).max()
    f = rng.uniform(0, 100, n) * (rng.uniform(0, 1, n) < 0.5)
    m = np.linalg.solve((np.eye(n) - A).T, np.ones(n))
    want = sorted(_brute_force(A, f, 3), key=lambda p: -abs(p[1]))[:15]
    got = spa(A, f, m, depth=3, top=15).paths
    assert [p for p, _ in got] == [p for p, _ in want]
    np.testing.assert_allclose([v for _, v in got], [v for _, v in want], rtol=1e-12)


def test_threshold_keeps_every_path_above_it(t42, setup):
    """Pruning with the bound p·(1'L)_i never drops a path whose value is above the threshold:
    compare with the exhaustive order ≤ 2 enumeration on the real table."""
    A, _, m = setup
    f = np.zeros(t42.n)
    idx = [list(t42.index).index(c) for c in ("18", "20")]
    f[idx] = t42.Y_.sum(axis=1)[idx]
    thr = 1e-3 * (m @ f)
    full = spa(A, f, m, depth=2, top=None, threshold=0.0)
    want = {p: v for p, v in full.paths if abs(v) >= thr}
    got = dict(spa(A, f, m, depth=2, top=None, threshold=thr).paths)
    assert set(got) == set(want) and len(got) > 10
    assert all(abs(v) >= thr for v in got.values())


def test_top_paths_real_153_are_fast_and_ordered(nbs_dir):
    t = lianpu.load(nbs_dir / "cn_io_2020_153.csv").domestic()
    m = lianpu.multipliers(t).to_numpy()
    f = np.zeros(t.n)
    f[[82, 91]] = t.Y_.sum(axis=1)[[82, 91]]       # 083, 092: 航空航天
    r = spa(t.A_, f, m, depth=6, top=20, threshold=1e-5 * (m @ f))
    vals = [abs(v) for _, v in r.paths]
    assert len(vals) == 20 and vals == sorted(vals, reverse=True)
    assert r.seconds < 1.0                          # measured ≈ 2 ms (bench/bench_spa.py)
    assert r.expanded < 2000                        # vs 153^6 paths in the full tree
    assert 0 < r.covered <= r.total


def test_order_zero_and_intensity():
    """Order 0 is s_j f_j; an intensity row weights the origin of each path."""
    A = np.array([[0.0, 0.5], [0.0, 0.0]])
    m_out = np.linalg.solve((np.eye(2) - A).T, np.ones(2))
    r = spa(A, np.array([0.0, 10.0]), m_out, depth=2, top=None, min_order=0)
    assert dict(r.paths) == {(1,): 10.0, (0, 1): 5.0}
    s = np.array([2.0, 0.1])
    m_s = np.linalg.solve((np.eye(2) - A).T, s)
    r = spa(A, np.array([0.0, 10.0]), m_s, s, depth=2, top=None, min_order=0)
    assert dict(r.paths) == pytest.approx({(1,): 1.0, (0, 1): 10.0})
    assert r.total == pytest.approx(11.0)
