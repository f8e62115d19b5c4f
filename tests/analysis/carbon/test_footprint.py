"""Carbon footprints: identities on every NBS table, and a hand-checked small economy.

Expected numbers: the accounting identities (Σ_k D_k = e'x; PBA − CBA = EEE − EEI), the CEADs
inventory's own totals, an explicit-inverse computation of the same quantities on a 2-sector
table (reference only, in the test), and lianpu.multipliers for the CO2 multipliers.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.analysis.carbon.footprint import co2_satellite, footprint, match_year
from lianpu.core.errors import TableError

NBS_IDS = ["cn-nbs-2002-122", "cn-nbs-2005-42", "cn-nbs-2007-135", "cn-nbs-2010-41",
           "cn-nbs-2012-139", "cn-nbs-2015-42", "cn-nbs-2017-149", "cn-nbs-2017-42",
           "cn-nbs-2018-153", "cn-nbs-2018-42", "cn-nbs-2020-153", "cn-nbs-2020-42"]


@pytest.mark.parametrize("id", NBS_IDS)
def test_identities_on_every_matched_nbs_year(shared_data, id):
    t = co2_satellite(lianpu.load(id, data_dir=shared_data), data_dir=shared_data)
    f = footprint(t)
    tot = f.totals
    pba = tot["production_based"]
    # closed-economy (domestic) identity: embodied in domestic final use + in exports = e'x
    assert tot["domestic_final_use_and_exports"] == pytest.approx(pba - tot["household_direct"],
                                                                  rel=1e-9)
    # balance under the DTA: PBA − DTA footprint = EEE (DTA) − emissions avoided by importing
    assert pba - tot["footprint_dta"] == pytest.approx(
        tot["embodied_in_exports_dta"] - tot["avoided_by_imports"], abs=1e-9 * pba)
    assert tot["net_transfer_dta"] == pytest.approx(
        tot["embodied_in_exports_domestic"] - tot["avoided_by_imports_domestic_use"],
        abs=1e-9 * pba)
    assert tot["footprint_dta"] == pytest.approx(
        tot["footprint_domestic"] + tot["avoided_by_imports_domestic_use"], rel=1e-12)
    fr = f.frame
    assert fr["total_dta"].sum() - fr.loc["EX", "total_dta"] == pytest.approx(tot["footprint_dta"])
    assert fr.loc["EX", "total_dta"] == pytest.approx(tot["embodied_in_exports_dta"])
    assert fr.loc["EX", "role"] == "export" and fr["leaves_economy"].sum() == 1
    # 100 % of the CEADs total of the matched year (2020 → 2019) is production-based
    sat = t.satellites["co2"]
    assert pba == pytest.approx(sat.values.sum() + sat.final_demand.sum(), rel=1e-12)


def test_2020_uses_2019_and_says_why(shared_data):
    t = co2_satellite(lianpu.load("cn-nbs-2020-42", data_dir=shared_data), data_dir=shared_data)
    note = [n for n in t.notes if n.startswith("co2:")][0]
    assert "inventory 2019" in note and "the table is of 2020" in note and "1997–2019" in note
    # 2019 national total, 'Total Consumption' row of sheet '2019', column 'Scope 1 Total'
    total = t.satellites["co2"].values.sum() + t.satellites["co2"].final_demand.sum()
    assert total == pytest.approx(9794.756396640432, rel=1e-12)
    assert match_year(2017) == (2017, "") and match_year(1995)[0] == 1997


def _small():
    """Two sectors, non-competitive: domestic Z, imported Zm, final use (C, EX) and imports."""
    Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    Zm = np.array([[20.0, 30.0], [10.0, 40.0]])
    Y = np.array([[300.0, 50.0], [1600.0, 100.0]])
    Ym = np.array([[40.0, 0.0], [60.0, 0.0]])
    x = Z.sum(axis=1) + Y.sum(axis=1)
    V = (x - Z.sum(axis=0) - Zm.sum(axis=0))[None, :]
    t = lianpu.IOTable.from_arrays(Z, Y, V, x, final_demand=["C", "EX"], primary=["VA"],
                                   Zm_=Zm, Ym_=Ym, name="small")
    return t.with_satellite("co2", [30.0, 12.0], "Mt CO2", final_demand=[5.0, 0.0])


def test_small_economy_by_hand():
    t = _small()
    f = footprint(t, by="category")
    x, F = t.x_, np.array([30.0, 12.0])
    e = F / x
    Ad = t.Z_ / x
    Am = t.Zm_ / x
    Ld = np.linalg.inv(np.eye(2) - Ad)          # reference only
    L = np.linalg.inv(np.eye(2) - Ad - Am)
    D = e @ Ld @ t.Y_
    Im = e @ L @ Am @ Ld @ t.Y_ + e @ L @ t.Ym_
    np.testing.assert_allclose(f.frame["domestic"], D)
    np.testing.assert_allclose(f.frame["avoided_by_imports_dta"], Im)
    assert f.totals["production_based"] == pytest.approx(47.0)
    assert f.totals["footprint_dta"] == pytest.approx(D[0] + Im[0] + 5.0)
    assert f.totals["footprint_domestic"] == pytest.approx(D[0] + 5.0)
    assert f.totals["embodied_in_exports_dta"] == pytest.approx(D[1] + Im[1])
    assert f.totals["embodied_in_exports_domestic"] == pytest.approx(D[1])
    assert f.totals["avoided_by_imports"] == pytest.approx(e @ L @ (t.Zm_.sum(1) + t.Ym_.sum(1)))
    np.testing.assert_allclose(f.multipliers["multiplier_domestic"], e @ Ld * 1e6)
    np.testing.assert_allclose(f.multipliers["multiplier_dta"], e @ L * 1e6)


def test_multipliers_agree_with_lianpu_multipliers(shared_data):
    t = co2_satellite(lianpu.load("cn-nbs-2018-42", data_dir=shared_data), data_dir=shared_data)
    f = footprint(t, by="sector")
    m = lianpu.multipliers(t, "co2")  # non-competitive table: A is domestic
    np.testing.assert_allclose(f.frame["multiplier_domestic"], m * 1e6, rtol=1e-10)
    assert f.frame["direct"].sum() == pytest.approx(t.satellites["co2"].values.sum())
    cons = (f.frame["footprint_domestic"] + f.frame["avoided_by_imports_domestic_use"]).sum()
    assert cons + f.totals["household_direct"] == pytest.approx(f.totals["footprint_dta"])
    assert f.frame["footprint_dta"].sum() == pytest.approx(cons)
    # the components by final-use role add up to the footprint of domestic use + exports
    comps = [c for c in f.frame.columns if c.startswith("fp_")]
    assert set(comps) == {"fp_consumption", "fp_investment", "fp_inventory", "fp_exports"}
    np.testing.assert_allclose(f.frame[comps].drop(columns="fp_exports").sum(axis=1),
                               f.frame["footprint_dta"], rtol=1e-9, atol=1e-9)


def test_by_track(shared_data):
    t = co2_satellite(lianpu.load("cn-nbs-2020-153", data_dir=shared_data), data_dir=shared_data)
    sec = footprint(t, by="sector").frame
    f = footprint(t, by="track")
    assert len(f.frame) >= 3
    for tid in ("aerospace", "biomedicine", "new_energy"):
        row = f.frame.loc[tid]
        codes = row["sectors"].split("/")
        assert row["direct"] == pytest.approx(sec.loc[codes, "direct"].sum())
        assert row["footprint_dta"] == pytest.approx(sec.loc[codes, "footprint_dta"].sum())
        parts = [c for c in f.frame.columns if c.startswith("fp_") and c != "fp_exports"]
        assert row[parts].sum() == pytest.approx(row["footprint_dta"], abs=1e-9)
    assert any("tracks may share sectors" in n for n in f.notes)
    # 新材料 on the 2020 table: negative because of destocking, and the note says so
    nm = f.frame.loc["new_materials"]
    assert nm["footprint_dta"] < 0 and nm["fp_inventory"] < nm["footprint_dta"]
    assert "changes in inventories" in nm["note_en"] and "存货变动" in nm["note_zh"]
    assert any(n.startswith("new_materials") and "negative" in n for n in f.notes)
    assert all(r["note_en"] == "" for _, r in f.frame.iterrows() if r["footprint_dta"] >= 0)


def test_errors(shared_data):
    t = _small()
    with pytest.raises(TableError, match=r"small: argument 'satellite': no satellite 'water'"):
        footprint(t, "water")
    with pytest.raises(ValueError, match=r"argument 'by': found 'region'"):
        footprint(t, by="region")
    with pytest.raises(TableError, match="no sector concordance for this table"):
        co2_satellite(t.evolve(year=2017), data_dir=shared_data)


def _no_nan(s):
    def bad(c):
        raise AssertionError(f"bare {c} in JSON")
    return json.loads(s, parse_constant=bad)


def test_result_serialises(shared_data):
    f = footprint(_small())
    d = f.to_dict()
    assert d["unit"] == "Mt CO2" and len(d["rows"]) == 2 and "DTA" in d["basis"]
    assert set(d["totals_labels"]) == set(d["totals"])
    assert isinstance(f.to_frame(), pd.DataFrame)
    assert _no_nan(f.to_json())["basis"] == d["basis"]
    for by in ("sector",):
        _no_nan(footprint(_small(), by=by).to_json())


def test_nonresident_purchases_count_as_exports(shared_data):
    """OECD: CONS_NONRES (role 'nonresident') leaves the economy, as in domestic()."""
    t = lianpu.load("cn-oecd-2017", data_dir=shared_data)
    codes = list(map(str, t.final_demand_labels.index))
    assert "CONS_NONRES" in codes
    F = t.x_ * 1e-6
    t = t.with_satellite("co2", F, "Mt CO2")
    f = footprint(t)
    assert bool(f.frame.loc["CONS_NONRES", "leaves_economy"])
    assert f.frame.loc["CONS_NONRES", "role"] == "nonresident"
    out = f.frame[f.frame["leaves_economy"]]
    assert f.totals["embodied_in_exports_dta"] == pytest.approx(out["total_dta"].sum())
    assert f.totals["embodied_in_exports_domestic"] == pytest.approx(out["domestic"].sum())


# ------------------------------------------------------------------ issue 11: shape and view
def test_footprint_is_a_result():
    from lianpu.analysis._result import Result
    f = footprint(_small())
    assert isinstance(f, Result)
    d = json.loads(f.to_json(), parse_constant=lambda c: pytest.fail(f"bare {c} in JSON"))
    assert d["unit"] == "Mt CO2" and d["basis"] == f.basis and d["by"] == "category"
    assert not hasattr(f, "dumps")


def test_by_is_an_argument_error():
    from lianpu.core.errors import ArgumentError
    with pytest.raises(ArgumentError, match=r"argument 'by': found 'region'"):
        footprint(_small(), by="region")


def test_domestic_view_is_resolve_basis():
    """The carbon view is resolve_basis's view: the non-competitive table itself, the
    competitive table's cached domestic() view; a closed table gets zero import blocks."""
    from lianpu.analysis.basis import resolve_basis
    from lianpu.analysis.carbon.footprint import domestic_view
    t = _small()
    assert domestic_view(t) is t is resolve_basis(t)[0]
    Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    closed = lianpu.IOTable.from_arrays(Z, np.array([[350.0], [1700.0]]), name="closed")
    v = domestic_view(closed)
    assert resolve_basis(closed)[1].name == "published"
    np.testing.assert_array_equal(v.Zm_, 0.0)
    np.testing.assert_array_equal(v.Ym_, 0.0)
    np.testing.assert_array_equal(v.Z_, closed.Z_)


def test_domestic_view_of_a_competitive_table(shared_data):
    from lianpu.analysis.basis import resolve_basis
    from lianpu.analysis.carbon.footprint import domestic_view
    t = lianpu.load("cn-nbs-2017-42", data_dir=shared_data)
    assert domestic_view(t) is resolve_basis(t)[0] is t.domestic()
