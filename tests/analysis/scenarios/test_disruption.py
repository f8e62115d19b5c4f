"""Supply disruptions as a linear programme (lianpu.analysis.scenarios.disruption): a scan of every
imported product of cn-nbs-2020-42, two-sector cases solved by hand, and the LP against a
brute-force vertex enumeration on a 5-sector table."""
from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

import lianpu
from lianpu import shock
from lianpu.analysis.scenarios.disruption import binding_summary
from lianpu.cli import main

CUTS = (0.1, 0.3, 0.5)


@pytest.fixture(scope="module")
def t20(shared_data):
    return lianpu.load("cn-nbs-2020-42", data_dir=shared_data)


@pytest.fixture(scope="module")
def scan(t20):
    """import_cut of each of the 42 imported products at 10/30/50 %, τ = 0.01."""
    return {(code, p): shock.import_cut(t20, {code: p}, critical=0.01)
            for code in t20.index for p in CUTS}


def test_scan_all_products_bounds_and_uniform_scaling(t20, scan):
    """For every product and cut: outputs ≥ 0; every sector ≥ the uniform-scaling point
    (1 − p) x⁰ (feasible by the module's proposition) and so loses at most p of its output;
    total output and value-added losses within the stated bound p."""
    x0 = t20.x_
    for (code, p), r in scan.items():
        x = r.columns["output"]
        assert (x >= 0).all(), code
        assert (x >= (1 - p) * x0 * (1 - 1e-7) - 1e-6).all(), (code, p)
        np.testing.assert_allclose(r.columns["uniform_output"], (1 - p) * x0, rtol=1e-12)
        assert r.totals["loss_bound_pct"] == pytest.approx(100 * p)
        assert r.totals["output_loss_pct"] <= 100 * p * (1 + 1e-7), (code, p)
        assert r.totals["value_added_loss_pct"] <= 100 * p * (1 + 1e-7), (code, p)
        assert (x <= x0 * (1 + 1e-9)).all()          # s = 0: never above the baseline
        assert set(r.columns["binding"]) <= ({"", "demand"} | {f"import:{code}"}
                                             | {f"supply:{c}" for c in t20.index})


def test_scan_monotone_in_the_cut(t20, scan):
    """A larger cut never loses less (proved for the objective, value added; checked for gross
    output too): 30 % ≥ 10 %, 50 % ≥ 30 %, for every product."""
    for code in t20.index:
        va = [scan[code, p].totals["value_added_loss"] for p in CUTS]
        out = [scan[code, p].totals["output_loss"] for p in CUTS]
        scale = 1e-7 * t20.value_added_.sum()
        assert va[0] <= va[1] + scale and va[1] <= va[2] + scale, (code, va)
        assert out[0] <= out[1] + 1e-7 * t20.x_.sum() and out[1] <= out[2] + 1e-7 * t20.x_.sum()


@pytest.mark.parametrize("kw", [{"rationing": "free"}, {"objective": "final_use"}])
def test_scan_alternative_rules(t20, kw):
    """The other rules on all 42 products: no failure, outputs ≥ 0, and the objective —
    value added (free) or final use delivered of products with f⁰ ≥ 0 (final_use) — never
    worse than uniform scaling (1 − p) and monotone in the cut (module docstring)."""
    x0 = t20.x_
    f0 = x0 - t20.A_ @ x0
    pos = f0 >= 0
    va = t20.value_added_ / x0
    for code in t20.index:
        got = []
        for p in CUTS:
            r = shock.import_cut(t20, {code: p}, critical=0.01, **kw)
            x = r.columns["output"]
            assert (x >= -1e-9 * x0).all(), (code, p)
            if "rationing" in kw:
                val, base = va @ x, va @ x0
            else:
                val, base = r.columns["final_use"][pos].sum(), f0[pos].sum()
                assert (x >= (1 - p) * x0 * (1 - 1e-7)).all(), (code, p)
            assert val >= (1 - p) * base * (1 - 1e-7), (code, p)
            got.append(val)
        assert got[0] >= got[1] * (1 - 1e-7) and got[1] >= got[2] * (1 - 1e-7), (code, got)


def test_review_cases_do_not_collapse(t20, scan):
    """The review's cases (old loop: 02=30 lost 100 %, 20=38 lost 99.99 %, 03/24 failed):
    now bounded by the cut, smooth in it, and the coal cut binds only at 电力 (24), the one
    sector whose imported-coal coefficient is ≥ 0.01."""
    r = shock.import_cut(t20, {"02": 0.3}, critical=0.01)
    assert 0 < r.totals["output_loss_pct"] < 5
    df = r.to_frame()
    assert list(df.index[df["binding"] == "import:02"]) == ["24"]
    assert df.loc["24", "output_loss_pct"] == pytest.approx(30.0, rel=1e-6)
    a = shock.import_cut(t20, {"20": 0.36}, critical=0.01).totals["output_loss_pct"]
    b = shock.import_cut(t20, {"20": 0.38}, critical=0.01).totals["output_loss_pct"]
    assert a < b < a * 38 / 36 * 1.1                # no jump between 36 % and 38 %
    for code in ("03", "24", "04", "14"):
        assert scan[code, 0.1].totals["output_loss_pct"] <= 10


def test_free_rationing_beats_proportional_and_final_use_objective(t20):
    """Without the uniform-scaling floor the LP has more room: value added lost is ≤ that of
    the proportional rule; objective="final_use" delivers at least as much final use."""
    prop = shock.import_cut(t20, {"04": 0.3}, critical=0.01)
    free = shock.import_cut(t20, {"04": 0.3}, critical=0.01, rationing="free")
    assert free.totals["value_added_loss"] <= prop.totals["value_added_loss"] * (1 + 1e-9)
    fu = shock.import_cut(t20, {"04": 0.3}, critical=0.01, objective="final_use")
    assert fu.columns["final_use"].sum() >= prop.columns["final_use"].sum() * (1 - 1e-9)
    assert (fu.columns["output"] >= 0.7 * t20.x_ * (1 - 1e-7)).all()


# ------------------------------------------------------------------- two sectors by hand
# the toy (conftest.py): x = [100, 200]; Z = [[10, 80], [20, 10]]; f = [10, 170]; sector 1 buys
# 30 of imported product 1. A = [[0.1, 0.4], [0.2, 0.05]]; value added [40, 110] → ratios
# [0.4, 0.55].


def test_capacity_cut_by_hand(toy):
    """Sector 2 loses 20 % of capacity: x₂ ≤ 160, floor 0.8 x⁰. Balance of 1:
    0.9 x₁ = 0.4·160 + f₁ with f₁ ≤ 10 → x₁ ≤ 74/0.9 = 82.22; balance of 2:
    f₂ = 0.95·160 − 0.2 x₁. Maximising 0.4 x₁ + 0.55 x₂ takes x₁ = 82.22 (demand-limited:
    all its final users are served), f₂ = 152 − 16.44 = 135.56 of 170."""
    r = shock.capacity_cut(toy, {"2": 0.2})
    x1 = 74 / 0.9
    np.testing.assert_allclose(r.columns["output"], [x1, 160.0], rtol=1e-9)
    np.testing.assert_allclose(r.columns["final_use"], [10.0, 152 - 0.2 * x1], rtol=1e-9)
    assert list(r.columns["binding"]) == ["demand", "capacity"]
    assert r.totals["loss_bound_pct"] == pytest.approx(20.0)
    assert r.params["capacity"] == {"2": 0.2}


def test_import_cut_substitution_by_hand(toy):
    """Cut 50 % of imported 1 with s = 0.5: sector 1 keeps 15 of its 30 imports and may buy
    up to 0.5·15 = 7.5 from domestic 1, so x₁ ≤ (15 + 7.5)/0.3 = 75 (c = 1 − 0.5·0.5).
    Balance of 1 with the substitutes d: x₁ = 0.1 x₁ + 0.4 x₂ + d + f₁, d = 0.3 x₁ − 15.
    At x₁ = 75: d = 7.5, 0.4 x₂ + f₁ = 67.5 − 7.5 = 60; x₂ ≤ (170 + 0.2·75)/0.95 = 194.7
    by demand, so x₂ = 60/0.4 = 150 with f₁ = 0 (value added 0.55 per unit of 2 beats
    final use of 1). Check the alternative: lower d means lower x₁ (0.3 x₁ ≤ 15 + d)."""
    r = shock.import_cut(toy, {"1": 0.5}, substitution=0.5)
    np.testing.assert_allclose(r.columns["output"], [75.0, 150.0], rtol=1e-9)
    assert r.totals["substitutes_supplied"] == pytest.approx(7.5)
    assert list(r.columns["binding"]) == ["import:1", "supply:1"]


# ------------------------------------------------------------ brute force on 5 sectors
def _five():
    rng = np.random.default_rng(11)
    n = 5
    x = rng.uniform(80, 120, n)
    A = rng.uniform(0, 0.12, (n, n)) * (rng.random((n, n)) < 0.8)
    Am = np.zeros((n, n))
    Am[0, [1, 2, 4]] = [0.08, 0.15, 0.05]     # imported 1 bought by sectors 2, 3, 5
    Am[3, [0, 3]] = [0.10, 0.06]              # imported 4 bought by sectors 1, 4
    Z, Zm = A * x[None, :], Am * x[None, :]
    f = x - Z.sum(axis=1)
    V = (x - Z.sum(axis=0) - Zm.sum(axis=0))[None, :]
    assert (f > 0).all() and (V > 0).all()
    t = lianpu.IOTable.from_arrays(Z, f[:, None], V, x, Zm_=Zm, Ym_=np.ones((n, 1)),
                                   name="five", unit="万元")
    return t, A, Am, x, f, V[0] / x


def _vertices_max(A, x0, f0, v, lo, hi):
    """max v'x over {lo ≤ x ≤ hi, 0 ≤ (I − A) x ≤ f0} by enumerating every vertex: each
    choice of n active constraints among the 4n, solved, kept if feasible."""
    n = len(x0)
    I = np.eye(n)
    rows = [(I[i], lo[i]) for i in range(n)] + [(I[i], hi[i]) for i in range(n)] \
        + [((I - A)[i], 0.0) for i in range(n)] + [((I - A)[i], f0[i]) for i in range(n)]
    best, arg = -np.inf, None
    for combo in itertools.combinations(range(len(rows)), n):
        M = np.array([rows[c][0] for c in combo])
        if abs(np.linalg.det(M)) < 1e-12:
            continue
        x = np.linalg.solve(M, np.array([rows[c][1] for c in combo]))
        g = (I - A) @ x
        if ((x >= lo - 1e-9) & (x <= hi + 1e-9)).all() and (g >= -1e-9).all() and \
                (g <= f0 + 1e-9).all() and v @ x > best:
            best, arg = v @ x, x
    return best, arg


@pytest.mark.parametrize("rationing", ["proportional", "free"])
def test_lp_against_vertex_enumeration(rationing):
    """Strict Leontief (τ = 0, s = 0): the LP reduces to x only — caps x_j ≤ (1 − p_k) x⁰_j
    for the users of cut k, floor ĉ x⁰ (proportional) or 0 (free), 0 ≤ (I − A) x ≤ f⁰ — and
    its optimum is the best of the feasible vertices, enumerated here (C(20, 5) systems)."""
    t, A, Am, x0, f0, v = _five()
    p = {"1": 0.4, "4": 0.25}
    hi = x0.copy()
    hi[[1, 2, 4]] = 0.6 * x0[[1, 2, 4]]
    hi[[0, 3]] = 0.75 * x0[[0, 3]]
    lo = 0.6 * x0 if rationing == "proportional" else np.zeros(5)
    best, xb = _vertices_max(A, x0, f0, v, lo, hi)
    r = shock.import_cut(t, p, rationing=rationing)
    assert v @ r.columns["output"] == pytest.approx(best, rel=1e-7)
    assert r.totals["value_added_loss"] == pytest.approx(v @ (x0 - xb), rel=1e-6)


def test_cli_shows_binding(capsys, shared_data):
    code = main(["shock", "cn-nbs-2020-42", "--cut", "02=30", "--critical", "0.01", "--json",
                 "--data-dir", str(shared_data)])
    cap = capsys.readouterr()
    assert code == 0, cap.err
    d = json.loads(cap.out)
    assert d["totals"]["output_loss_pct"] < 5 and d["params"]["rationing"] == "proportional"
    assert d["binding"][0]["constraint"] == "import:02"
    assert next(r for r in d["sectors"] if r["sector"] == "24")["binding"] == "import:02"
    code = main(["shock", "cn-nbs-2020-42", "--capacity", "24=20", "--critical", "0.01",
                 "--data-dir", str(shared_data)])
    cap = capsys.readouterr()
    assert code == 0 and "what binds" in cap.out and "capacity" in cap.out
    code = main(["shock", "cn-nbs-2020-42", "--cut", "02=30", "--rationing", "fair",
                 "--data-dir", str(shared_data)])
    assert code == 2 and "--rationing: found 'fair'" in capsys.readouterr().err


def test_binding_summary(t20):
    r = shock.capacity_cut(t20, {"24": 0.2}, critical=0.01)
    rows = binding_summary(r)
    assert ("capacity", 1, pytest.approx(0.2 * t20.x_[list(t20.index).index("24")])) in rows


def test_inoperability_compare_supply(t20):
    """Electric power (24) loses 20 % of capacity. Demand side (IIM, c* = 0.2 at 24): the
    normalised Leontief solve x̂⁻¹ L x̂ c*, by numpy here; supply side: capacity_cut, where 24
    itself loses exactly 20 % (binding: capacity) and nobody loses more than the bound."""
    r = shock.compare_supply(t20, {"24": 0.2}, critical=0.01)
    k = list(t20.index).index("24")
    c = np.zeros(t20.n)
    c[k] = 0.2
    L = np.linalg.inv(np.eye(t20.n) - t20.A_)
    np.testing.assert_allclose(r.columns["demand_inoperability"], (L @ (t20.x_ * c)) / t20.x_,
                               rtol=1e-9)
    q = r.columns["supply_inoperability"]
    assert q[k] == pytest.approx(0.2, rel=1e-7) and r.columns["binding"][k] == "capacity"
    assert (q <= 0.2 + 1e-9).all() and (q >= -1e-9).all()
    cap = shock.capacity_cut(t20, {"24": 0.2}, critical=0.01)
    assert r.totals["supply_loss"] == pytest.approx(cap.totals["output_loss"])
