"""Sector aggregation and carve-out (issue 15, item 2).

Expected numbers: the aggregate is built here by hand with the aggregation matrix S
(Z* = S Z Sᵀ, Y* = S Y, V* = V Sᵀ, x* = S x; Miller & Blair 2009, §4.3) and its multipliers
computed with numpy (1'(I − A*)⁻¹); the carve-out with the parent's structure must leave every
other sector's multipliers exactly as they were (consistent disaggregation: a_kj = s_k a_pj,
a_ik = a_ip, so the parts' outputs sum to the parent's in every solution), checked on small
tables, on Hypothesis tables and on the NBS 2020 153-sector table.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lianpu
from lianpu.core.errors import ArgumentError, FormatError, TableError

KW = dict(basis="published")


def small(n=5, seed=1, regions=None):
    rng = np.random.default_rng(seed)
    A = rng.random((n, n)) * (0.6 / n)
    Y = rng.random((n, 3)) * 100 + 1
    Y[:, 2] = -rng.random(n) * 5  # imports (role import), negative
    x = np.linalg.solve(np.eye(n) - A, Y.sum(axis=1))
    Z = A * x
    va = x - Z.sum(axis=0)
    V = np.vstack([0.6 * va, 0.4 * va])
    t = lianpu.IOTable.from_arrays(Z, Y, V, x, sectors=[f"s{i}" for i in range(n)],
                                   names_zh=[f"部门{i}" for i in range(n)],
                                   names_en=[f"sector {i}" for i in range(n)],
                                   final_demand=["HH", "EX", "IM"], primary=["D1", "B2A3N"],
                                   compensation_row="D1", regions=regions, unit="万元",
                                   notes=("original",), name="small")
    return t.with_satellite("co2", rng.random(n) * 10, "t")


def by_hand(t, groups):
    """S from a code → group dict, and the hand-made aggregate's output multipliers."""
    keys = list(dict.fromkeys(groups[c] for c in t.index))
    S = np.array([[1.0 if groups[c] == g else 0.0 for c in t.index] for g in keys])
    Z, x = S @ t.Z_ @ S.T, S @ t.x_
    L = np.linalg.inv(np.eye(len(keys)) - Z / x)
    return S, L.sum(axis=0)


GROUPS = {"s0": "G1", "s1": "G2", "s2": "G1", "s3": "G3", "s4": "G2"}


def test_aggregate_sums_blocks_and_gives_hand_multipliers():
    t = small()
    g = t.aggregate(GROUPS)
    S, out = by_hand(t, GROUPS)
    assert list(g.index) == ["G1", "G2", "G3"]
    np.testing.assert_allclose(g.Z_, S @ t.Z_ @ S.T)
    np.testing.assert_allclose(g.Y_, S @ t.Y_)
    np.testing.assert_allclose(g.V_, t.V_ @ S.T)
    np.testing.assert_allclose(g.x_, S @ t.x_)
    np.testing.assert_allclose(g.satellites["co2"].values, S @ t.satellites["co2"].values)
    np.testing.assert_allclose(lianpu.multipliers(g, "output", **KW).to_numpy(), out, rtol=1e-12)
    # aggregation bias: the aggregate's multiplier is not the output-weighted mean of the parts'
    m = lianpu.multipliers(t, "output", **KW).to_numpy()
    w = S @ (m * t.x_) / (S @ t.x_)
    assert not np.allclose(w, out, rtol=1e-6)
    assert g.fd_roles == t.fd_roles and g.primary_roles == t.primary_roles
    assert g.unit == "万元" and g.compensation_row == "D1" and g.balance.ok
    assert g.notes[0] == "original" and "aggregated 5 → 3" in g.notes[-1]
    assert g.sectors.loc["G3", "name_zh"] == "部门3"  # one member: its own name
    assert g.sectors.loc["G1", "name_zh"] == "部门0、部门2"


def test_aggregate_from_csv_and_toml_with_names(tmp_path):
    t = small()
    csvp = tmp_path / "c.csv"
    csvp.write_text("code,group,name_zh,name_en\n" + "".join(
        f"{c},{g},组{g[1]},group {g[1]}\n" for c, g in GROUPS.items()), encoding="utf-8")
    tomlp = tmp_path / "c.toml"
    tomlp.write_text('[groups.G1]\nname_zh = "组1"\nname_en = "group 1"\ncodes = ["s0", "s2"]\n'
                     '[groups.G2]\ncodes = ["s1", "s4"]\n[groups.G3]\ncodes = ["s3"]\n',
                     encoding="utf-8")
    a, b = t.aggregate(csvp), t.aggregate(tomlp)
    np.testing.assert_array_equal(a.Z_, b.Z_)
    assert a.sectors.loc["G1", "name_en"] == "group 1" == b.sectors.loc["G1", "name_en"]
    assert "c.csv" in a.notes[-1]


def test_concordance_errors_name_file_and_row(tmp_path):
    t = small()
    p = tmp_path / "bad.csv"
    p.write_text("code,group\ns0,G1\ns1,G2\ns0,G3\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad.csv: row 'line 4': sector code 's0' is mapped "
                                          r"twice.*\(line 2\)"):
        t.aggregate(p)
    with pytest.raises(TableError, match=r"does not map every sector.*'s4'"):
        t.aggregate({k: v for k, v in GROUPS.items() if k != "s4"})
    with pytest.raises(TableError, match=r"maps codes that are not sectors.*'zz'"):
        t.aggregate({**GROUPS, "zz": "G9"})
    q = tmp_path / "nohead.csv"
    q.write_text("s0,G1\n", encoding="utf-8")
    with pytest.raises(FormatError, match="header lacks the columns code and group"):
        t.aggregate(q)


def test_aggregate_multiregional_within_regions():
    t = small(6, regions=["R1"] * 3 + ["R2"] * 3)
    # sector codes s0..s5 are unique across regions here; map by sector code
    g = t.aggregate({"s0": "X", "s1": "X", "s2": "Y", "s3": "X", "s4": "Y", "s5": "Y"})
    assert list(g.index) == [("R1", "X"), ("R1", "Y"), ("R2", "X"), ("R2", "Y")]
    assert g.x_.sum() == pytest.approx(t.x_.sum())
    np.testing.assert_allclose(g.x_[0], t.x_[0] + t.x_[1])


def test_aggregate_domestic_view_keeps_import_blocks():
    t = small().domestic()
    g = t.aggregate(GROUPS)
    S, _ = by_hand(t, GROUPS)
    np.testing.assert_allclose(g.Zm_, S @ t.Zm_ @ S.T)
    np.testing.assert_allclose(g.Ym_, S @ t.Ym_)
    assert g.imports == "non-competitive" and g.balance.ok


# ---------------------------------------------------------------------------- split_sector
def _unchanged(t, u, p, m):
    """Multipliers of u (p split into m parts right after p) equal t's, parts = parent's."""
    for kind in ("output", "value_added", "income", "co2"):
        a = lianpu.multipliers(t, kind, **KW).to_numpy()
        b = lianpu.multipliers(u, kind, **KW).to_numpy()
        expect = np.r_[a[:p + 1], [a[p]] * m, a[p + 1:]]
        np.testing.assert_allclose(b, expect, rtol=1e-10, err_msg=kind)


def test_split_with_parents_structure_leaves_other_multipliers_unchanged():
    t = small()
    u = t.split_sector("s2", {"s2a": ("集成电路", "integrated circuits")}, 0.3,
                       source="test figure")
    assert list(u.index) == ["s0", "s1", "s2", "s2a", "s3", "s4"]
    assert u.balance.ok and u.x_[3] == pytest.approx(0.3 * t.x_[2])
    assert u.x_[2] + u.x_[3] == pytest.approx(t.x_[2])
    _unchanged(t, u, 2, 1)
    assert "share source: test figure" in u.notes[-1] and "input structure: the parent" in u.notes[-1]
    assert u.sectors.loc["s2a", "name_zh"] == "集成电路"
    # aggregating the parts back gives the original table
    back = u.aggregate({**{c: c for c in t.index}, "s2a": "s2"})
    np.testing.assert_allclose(back.Z_, t.Z_, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(back.Y_, t.Y_, rtol=1e-12, atol=1e-9)


def test_split_into_two_parts_and_on_the_domestic_view():
    t = small().domestic()
    u = t.split_sector("s1", {"a": ("甲", "a"), "b": ("乙", "b")}, {"a": 0.2, "b": 0.1},
                       source="x")
    assert u.balance.ok
    _unchanged(t, u, 1, 2)


def test_split_with_given_inputs_and_sales_balances():
    t = small()
    p = 2
    a_par = t.Z_[:, p] / t.x_[p]
    inputs = {"n": {"s0": 0.5 * a_par[0], "s2": 0.8 * a_par[2], "s4": 1.2 * a_par[4]}}
    sales = {"n": {"s0": 0.2, "s3": 0.3, "HH": 0.1, "EX": 0.4}}
    u = t.split_sector("s2", {"n": ("新", "new")}, 0.25, source="y", inputs=inputs, sales=sales)
    assert u.balance.ok
    j = list(u.index).index("n")
    c = u.Z_[:, j] / u.x_[j]  # rows s0, s1, s2, n, s3, s4
    np.testing.assert_allclose(c[[0, 1, 4, 5]], [0.5 * a_par[0], 0, 0, 1.2 * a_par[4]], rtol=1e-12)
    # purchases from the parent (s2 as a whole) are 0.8 a_p2, split between the two parts
    assert (u.Z_[2, j] + u.Z_[3, j]) / u.x_[j] == pytest.approx(0.8 * a_par[2])
    # sales: shares of its domestic uses (x_n − its share of imports)
    q = u.x_[j] - 0.25 * t.Y_[p, 2]
    assert u.Z_[j, 0] == pytest.approx(0.2 * q) and u.Y_[j, 1] == pytest.approx(0.4 * q)
    assert u.Y_[j, 2] == pytest.approx(0.25 * t.Y_[p, 2])  # imports by output share
    assert any("given for n" in n or "as given" in n for n in u.notes)


@pytest.mark.parametrize("kw,match", [
    (dict(source=""), "needs its source"),
    (dict(source="s", shares=1.2), "positive and leave part of the parent"),
    (dict(source="s", into={"s1": ("x", "x")}), "already a sector"),
    (dict(source="s", code="zz"), "unknown sector"),
    (dict(source="s", sales={"n": {"s0": 0.5}}), "sum to 1"),
    (dict(source="s", inputs={"n": {"s0": 5.0}}), "exceed the parent's purchases|no room"),
])
def test_split_errors(kw, match):
    t = small()
    args = dict(code="s2", into={"n": ("新", "new")}, shares=0.3)
    args.update(kw)
    with pytest.raises(ArgumentError, match=match):
        t.split_sector(args.pop("code"), args.pop("into"), args.pop("shares"), **args)


@st.composite
def split_cases(draw):
    n = draw(st.integers(2, 6))
    t = small(n, seed=draw(st.integers(0, 2**31)))
    p = draw(st.integers(0, n - 1))
    s = draw(st.floats(0.01, 0.95))
    return t, p, s


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(split_cases())
def test_split_property_multipliers_unchanged(case):
    t, p, s = case
    u = t.split_sector(t.index[p], {"new": ("新", "new")}, s, source="hypothesis")
    assert u.balance.ok
    _unchanged(t, u, p, 1)


def test_split_on_nbs_2020_153(nbs_dir):
    """On a real table: 集成电路 out of 087 电子元器件 (an illustrative share)."""
    t = lianpu.load(nbs_dir / "cn_io_2020_153.csv")
    p = list(t.index).index("087") if "087" in list(t.index) else None
    if p is None:
        pytest.skip("no sector 087 in this table")
    u = t.split_sector("087", {"087a": ("集成电路", "integrated circuits")}, 0.3, source="test")
    assert u.balance.ok
    a = lianpu.multipliers(t, "output", basis="published").to_numpy()
    b = lianpu.multipliers(u, "output", basis="published").to_numpy()
    np.testing.assert_allclose(np.delete(b, p + 1), a, rtol=1e-10)
    # and on the default (domestic) basis too
    a = lianpu.multipliers(t, "output").to_numpy()
    b = lianpu.multipliers(u, "output").to_numpy()
    np.testing.assert_allclose(np.delete(b, p + 1), a, rtol=1e-10)
