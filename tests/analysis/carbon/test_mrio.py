"""MRIO footprint with the intensities that exist: a hand-sized two-region table (reference:
explicit inverse, in the test only) and WIOD 2013 with CEADs intensities for China only.

Expected numbers: CBA_r = Σ_s e_s'(L y_r)_s + H_r by explicit inverse; the identity own +
foreign-driven + residual = e'x; the CEADs national totals (production-based = inventory
total); missing foreign intensities stay missing (None in JSON), never filled in.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.analysis.carbon.mrio import mrio_footprint, wiod_footprint
from lianpu.core.errors import TableError


def _no_nan(s):
    def bad(c):
        raise AssertionError(f"bare {c} in JSON")
    return json.loads(s, parse_constant=bad)


def _mrio():
    Z = np.array([[10.0, 20, 5, 2], [15, 10, 3, 4], [4, 6, 20, 10], [2, 3, 10, 15]])
    Y = np.array([[50.0, 10], [60, 5], [8, 70], [6, 40]])
    return lianpu.IOTable.from_arrays(Z, Y, regions=["A", "A", "B", "B"],
                                      sectors=["s1", "s2", "s1", "s2"],
                                      final_demand=pd.MultiIndex.from_tuples(
                                          [("A", "HH"), ("B", "HH")]), name="ab")


def test_two_regions_by_hand():
    t = _mrio()
    eA, eB = np.array([0.2, 0.1]), np.array([0.05, 0.3])
    e = np.concatenate([eA, eB])
    L = np.linalg.inv(np.eye(4) - t.Z_ / t.x_)  # reference only
    xA = L @ t.Y_[:, 0]
    r = mrio_footprint(t, "A", {"A": eA, "B": eB}, direct_fd={"A/HH": 1.5})
    assert r.totals["footprint_mrio"] == pytest.approx(e @ xA + 1.5)
    assert r.totals["own_for_own_final_demand"] == pytest.approx(eA @ xA[:2])
    assert r.totals["foreign_for_own_final_demand"] == pytest.approx(eB @ xA[2:])
    assert r.totals["own_for_foreign_final_demand"] == pytest.approx(eA @ (L @ t.Y_[:, 1])[:2])
    assert r.totals["production_based"] == pytest.approx(eA @ t.x_[:2] + 1.5)
    assert r.totals["identity_gap"] == pytest.approx(0.0, abs=1e-12)
    assert r.totals["net_transfer_mrio"] == pytest.approx(
        r.totals["production_based"] - r.totals["footprint_mrio"])
    # B's intensities unknown: the foreign part is missing, not estimated; the proxy uses A's
    m = mrio_footprint(t, "A", {"A": eA})
    assert m.missing == ("B",)
    assert m.totals["footprint_mrio"] is None and m.totals["net_transfer_mrio"] is None
    assert m.totals["foreign_at_own_intensities"] == pytest.approx(eA @ xA[2:])
    assert m.totals["footprint_mrio_lower_bound"] == pytest.approx(eA @ xA[:2])
    d = _no_nan(m.to_json())
    assert d["totals"]["footprint_mrio"] is None and d["missing_intensities"] == ["B"]
    assert d["unit"] == "Mt CO2" and "MRIO" in d["basis"]
    assert m.by_origin["value_added_share"].sum() == pytest.approx(1.0)
    assert any("missing (None), not estimated" in n for n in m.notes)


def test_errors():
    t = _mrio()
    with pytest.raises(TableError, match="no region 'C'"):
        mrio_footprint(t, "C", {"A": [1, 1]})
    with pytest.raises(TableError, match="wrong shape"):
        mrio_footprint(t, "A", {"A": [1, 1, 1]})
    with pytest.raises(TableError, match="not a multi-regional table"):
        mrio_footprint(lianpu.IOTable.from_arrays([[1.0]], [2.0]), "A", {})


def test_wiod_china_2011(shared_data):
    t = lianpu.load("wiod2013-2011", data_dir=shared_data)
    r = wiod_footprint(t, data_dir=shared_data)
    from lianpu.satellites.co2 import inventory as inv
    total = float(inv.read_national(2011, data_dir=shared_data).sector_totals("China", 2011).sum())
    tot = r.totals
    assert tot["production_based"] == pytest.approx(total, rel=1e-9)  # 100 % mapped
    assert tot["identity_gap"] == pytest.approx(0.0, abs=1e-6 * total)
    assert len(r.missing) == 40 and tot["foreign_for_own_final_demand"] is None
    assert tot["footprint_mrio"] is None
    # China's emissions for foreign final demand: a large share of production (≈ a quarter)
    assert 0.15 < tot["own_for_foreign_final_demand"] / total < 0.35
    assert tot["footprint_mrio_lower_bound"] < tot["footprint_own_intensities_proxy"]
    share = r.by_origin.loc[~r.by_origin["own"], "share_of_foreign_output"]
    assert share.sum() == pytest.approx(1.0)
    _no_nan(r.to_json())


def test_mrio_result_and_compare_share_the_result_shape():
    """Issue 11: MrioFootprint is a Result; compare() a ResultFrame whose JSON carries the
    unit and both bases (NaN where the MRIO is missing → null)."""
    from lianpu.analysis._result import Result, ResultFrame
    from lianpu.analysis.carbon.footprint import footprint
    from lianpu.analysis.carbon.mrio import MrioFootprint, compare
    t = lianpu.IOTable.from_arrays([[150.0, 500.0], [200.0, 100.0]], [350.0, 1700.0],
                                   name="closed").with_satellite("co2", [30.0, 12.0], "Mt CO2")
    dta = footprint(t)
    f = compare(dta, None)
    assert isinstance(f, ResultFrame) and f["mrio"].isna().all()
    d = json.loads(f.to_json(), parse_constant=lambda c: pytest.fail(f"bare {c}"))
    assert d["unit"] == "Mt CO2" and d["basis"] == {"dta": dta.basis, "mrio": None}
    assert all(r["mrio"] is None for r in d["rows"])
    assert issubclass(MrioFootprint, Result)
