"""One shape for the scenario results (issue 11): every analysis of analysis/scenarios returns a
:class:`~lianpu.analysis._result.Result` whose ``to_json()`` is strict JSON carrying ``unit``
and ``basis``; frames and arrays inside results are copies; the one demand parser
(:meth:`SectorLookup.demand`) gives what :func:`read_demand` gives; user-argument errors are
:class:`ArgumentError`.

Tables are hand-made (no shared data): Miller & Blair (2009) Table 2.3 and the two-sector
non-competitive toy of tests/analysis/scenarios/test_shock.py, whose import cut by hand gives
outputs [50, 112.5]."""
import json

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu import shock
from lianpu.analysis._result import Result
from lianpu.analysis.scenarios.demand import SectorLookup, as_demand, read_demand, unit_factor
from lianpu.analysis.scenarios.montecarlo import batch
from lianpu.analysis.scenarios.shockbase import ShockResult, by_sector
from lianpu.core.errors import ArgumentError, FormatError


def _strict(r) -> dict:
    """to_json() parsed with NaN/inf refused; unit and basis present."""
    assert isinstance(r, Result)
    d = json.loads(r.to_json(), parse_constant=lambda c: pytest.fail(f"bare {c} in JSON"))
    assert "unit" in d and "basis" in d
    return d


def test_every_scenario_result_is_strict_json_with_unit_and_basis(mb, toy):
    results = {
        "impact": lianpu.impact(mb, [600, 1500], type="II"),
        "batch": batch(mb, {"a": [600, 1500], "b": [1, 2]}),
        "mixed": shock.mixed(mb, {"1": 1000.0}),
        "ghosh": shock.ghosh(mb, [10.0, 0.0]),
        "import_cut": shock.import_cut(toy, {"1": 0.5}),
        "capacity_cut": shock.capacity_cut(toy, {"2": 0.2}),
        "inoperability": shock.inoperability(mb, [10.0, 0.0]),
        "compare_supply": shock.compare_supply(toy, {"2": 0.2}),
        "recovery": shock.recovery(mb, q0={"1": 0.2}, days=10),
        "montecarlo": lianpu.montecarlo(mb, [600, 1500], draws=4, scheduler="serial"),
    }
    for name, r in results.items():
        d = _strict(r)
        assert d["unit"] == "万元", name
        assert d["basis"] and d["basis"]["basis"], name    # the view each model solved on
    # the toy's import cut by hand (test_shock.test_import_cut_by_hand): outputs [50, 112.5]
    rows = _strict(results["import_cut"])["sectors"]
    assert [r["sector"] for r in rows] == ["1", "2"]
    assert [r["output"] for r in rows] == pytest.approx([50.0, 112.5])


def test_nan_becomes_null_and_mrio_codes_are_region_slash_sector():
    idx = pd.MultiIndex.from_tuples([("R1", "a"), ("R2", "a")])
    labels = pd.DataFrame({"name_zh": ["甲", "甲"], "name_en": ["a", "a"]}, index=idx)
    r = ShockResult("test", idx, labels, {"v": np.array([1.0, np.nan])}, {"v": "万元"},
                    totals={"v": float("nan")}, unit="万元")
    d = _strict(r)
    assert [s["sector"] for s in d["sectors"]] == ["R1/a", "R2/a"]
    assert d["sectors"][1]["v"] is None and d["totals"]["v"] is None and d["basis"] is None


def test_results_hold_copies(mb):
    x_before = mb.x_.copy()
    r = shock.mixed(mb, {"1": 1000.0})
    with pytest.raises(ValueError):                     # read-only arrays
        r.columns["baseline_output"][0] = -1.0
    df = r.to_frame()
    df.loc[df.index[0], "baseline_output"] = -1.0       # the frame is the caller's copy
    df.loc[df.index[0], "name_en"] = "changed"
    assert r.columns["baseline_output"][0] == x_before[0]
    assert r.labels["name_en"].iloc[0] != "changed"
    np.testing.assert_array_equal(mb.x_, x_before)
    assert r.labels is not mb.sectors and lianpu.impact(mb, [1, 1]).labels is not mb.sectors
    rec = shock.recovery(mb, q0={"1": 0.2}, days=5)
    with pytest.raises(ValueError):
        rec.path[0, 0] = 0.5


# ----------------------------------------------------------------------------- one demand parser
def test_form_rows_give_what_the_file_gives(tmp_path, mb):
    """The same demand as a CSV file and as form rows: identical Demand (1 亿元 = 10,000 万元)."""
    p = tmp_path / "d.csv"
    p.write_text("sector,amount,unit,local_share\n1,1,亿元,0.5\n2,\"1,500\",万元,\n2,500,万元,1\n",
                 encoding="utf-8")
    f = read_demand(p, mb)
    rows = [{"sector": "1", "amount": 1, "unit": "亿元", "local_share": 0.5},
            {"sector": "2", "amount": "1,500", "unit": "万元", "local_share": None},
            {"sector": "2", "amount": 500, "unit": "万元", "local_share": 1}]
    d = SectorLookup(mb).demand(rows)
    np.testing.assert_array_equal(d.amount, f.amount)
    np.testing.assert_array_equal(d.local, f.local)
    assert d.amount.ravel().tolist() == [10_000.0, 2_000.0]
    assert d.local.ravel().tolist() == [5_000.0, 2_000.0]
    assert d.scenarios == f.scenarios == ("demand",) and d.source == "demand"
    frame = pd.DataFrame(rows)
    np.testing.assert_array_equal(SectorLookup(mb).demand(frame).local, f.local)
    # no unit: the table's unit; a mapping sector → amount; a list of rows into impact
    np.testing.assert_array_equal(SectorLookup(mb).demand({"1": 600, "2": 1500}).amount.ravel(),
                                  [600, 1500])
    r = lianpu.impact(mb, [{"sector": "1", "amount": 600}, {"sector": "2", "amount": 1500}],
                      type="I")
    np.testing.assert_allclose(r.output("total").ravel(), [1247.52, 1841.58], atol=5e-3)  # M&B 2.3
    assert as_demand(mb, rows).local.ravel().tolist() == [5_000.0, 2_000.0]


def test_form_rows_scenarios_and_regions():
    Z = np.array([[10, 5, 1, 0], [4, 10, 0, 2], [1, 0, 10, 5], [0, 3, 6, 10.0]])
    t = lianpu.IOTable.from_arrays(Z, np.full((4, 1), 50.0), sectors=["a", "b", "a", "b"],
                                   regions=["R1", "R1", "R2", "R2"], unit="million USD")
    d = SectorLookup(t).demand([{"sector": "a", "region": "R2", "amount": 10, "scenario": "x"},
                                {"sector": "R1/b", "amount": 5, "unit": "百万美元",
                                 "scenario": "y"}])
    assert d.scenarios == ("x", "y")
    np.testing.assert_array_equal(d.amount, [[0, 0], [0, 5], [10, 0], [0, 0]])


@pytest.mark.parametrize("rows, match", [
    ([{"sector": "9", "amount": 1}], r"demand: row 1: column 'sector': unknown sector code '9'"),
    ([{"sector": "1", "amount": 1}, {"sector": "2", "amount": "1,5"}],
     r"demand: row 2: column 'amount': ambiguous comma"),
    ([{"sector": "1", "amount": -1}], r"column 'amount': negative amount"),
    ([{"sector": "1", "amount": 1, "unit": "million USD"}], r"column 'unit': unit 'million USD' is in USD"),
    ([{"sector": "1", "amount": 1, "unit": ""}], r"column 'unit': missing unit"),
    ([{"sector": "1", "amount": 1, "local_share": 1.5}], r"local share outside \[0, 1\]"),
    ([{"sector": "1", "amount": 1, "colour": "red"}], r"unknown field 'colour'"),
    ([{"amount": 1}], r"missing sector"),
    ([], r"no rows"),
    ("18:5", r"argument 'demand': not a list of demand rows"),
])
def test_form_row_errors_are_argument_errors(mb, rows, match):
    with pytest.raises(ArgumentError, match=match):
        SectorLookup(mb).demand(rows)


def test_negative_rows_on_request(mb):
    d = SectorLookup(mb).demand([{"sector": "1", "amount": -5}], allow_negative=True)
    assert d.amount[0, 0] == -5


def test_unit_factor_uses_the_one_parser_and_keeps_its_texts():
    assert unit_factor("亿元", "万元") == 1e4 and unit_factor("元", "10,000 CNY (万元)") == 1e-4
    assert unit_factor("million USD", "百万美元") == 1.0
    with pytest.raises(ArgumentError, match="missing unit"):
        unit_factor(" ", "万元")
    with pytest.raises(ArgumentError, match="is in USD, the table's unit '万元' is in CNY"):
        unit_factor("USD", "万元")
    with pytest.raises(ArgumentError, match="unit 'persons' is not the table's unit '万元'"):
        unit_factor("persons", "万元")
    with pytest.raises(FormatError):                   # files keep their FormatError
        read_demand(__import__("pathlib").Path("/nonexistent/d.csv"), None)


def test_user_argument_errors_are_argument_errors(mb, toy):
    r = lianpu.impact(mb, [1, 1], type="I")
    with pytest.raises(ArgumentError, match="argument 'effect'"):
        r.output("induced")                           # Type I has no induced effect
    with pytest.raises(ArgumentError, match="argument 'indicator'"):
        r.effect("jobs", "total")
    with pytest.raises(ArgumentError, match="argument 'supply_change'"):
        by_sector(mb, [1, 2, 3], "supply_change")
    with pytest.raises(ArgumentError, match="given twice"):
        shock.mixed(mb, {"1": 1.0, "01": 2.0})
    with pytest.raises(ArgumentError, match="exactly one of"):
        shock.inoperability(mb)
    with pytest.raises(ArgumentError, match="argument 'capacity'"):
        shock.compare_supply(toy, {"2": 1.5})
    with pytest.raises(ArgumentError, match="argument 'target'"):
        shock.resilience(mb, 30, target=1.0)
    with pytest.raises(ArgumentError, match="argument 'recovery_days'"):
        shock.resilience(mb, 0)
    with pytest.raises(ArgumentError, match="argument 'q0'"):
        shock.recovery(mb, q0={"1": 1.5})
    with pytest.raises(ArgumentError, match="argument 'sigma'"):
        lianpu.montecarlo(mb, [1, 1], draws=2, sigma=-1, scheduler="serial")
    with pytest.raises(ArgumentError, match="argument 'scheduler'"):
        lianpu.montecarlo(mb, [1, 1], draws=2, scheduler="nope")


# ------------------------------------------------------------------ issue 14: demand shapes, finite results
def test_a_mapping_demand_is_the_array_demand(mb):
    """{sector: amount} is read like the positional array. Miller & Blair Table 2.3:
    A = [[.15, .25], [.2, .05]], det(I − A) = 0.7575, so L·(100, 0)' = (95, 20)/0.7575."""
    r = lianpu.impact(mb, {"1": 100.0}, type="I")
    assert r.type1[:, 0] == pytest.approx([95 / 0.7575, 20 / 0.7575], rel=1e-12)
    a = r.to_dict()
    b = lianpu.impact(mb, [100.0, 0.0], type="I").to_dict()
    assert a["totals"] == b["totals"]
    frame = lianpu.impact(mb, {"1": 100.0}, type="I").to_frame()
    assert frame.select_dtypes("number").to_numpy().sum() == pytest.approx(
        lianpu.impact(mb, [100.0, 0.0], type="I").to_frame().select_dtypes("number")
        .to_numpy().sum())


def test_a_demand_that_is_no_set_of_amounts_is_an_argument_error(mb):
    with pytest.raises(ArgumentError, match=r"mb23: argument 'demand': demand is not a set of "
                                            r"amounts \(found object"):
        lianpu.impact(mb, object())


def test_a_non_finite_effect_is_an_error_not_a_result(mb, monkeypatch):
    """Finite, in-range demand whose effect overflows must not come back as inf/NaN numbers
    (issue 14: non-finite results are errors). The overflow is forced in the solve."""
    from lianpu.analysis.scenarios import impact as imp
    monkeypatch.setattr(imp.leo, "leontief_solve", lambda factor, f: np.full(f.shape, np.inf))
    with pytest.raises(ArgumentError, match=r"the Type I output effect of this demand is not a "
                                            r"finite number"):
        lianpu.impact(mb, [100.0, 0.0], type="I")
