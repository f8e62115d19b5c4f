"""Issue 11, item 1 for chains, multipliers and tracks: every public analysis returns a
``Result`` whose ``to_json()`` is strict JSON (no bare NaN/Infinity) carrying ``unit`` and
``basis``, MRIO codes written "REGION/SECTOR", and the pandas results still pandas.

Expected numbers: Miller & Blair (2009) Table 2.3 — output multipliers 1.51815, 1.45215 and
L = [[1.25413, 0.33003], [0.26403, 1.12211]] (book p. 33); the small two-region table is the
one of tests/analysis/carbon/test_mrio.py, checked against numpy's explicit inverse here.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.analysis._result import Result, ResultFrame, ResultSeries
from lianpu.analysis.chains.extraction import extraction_effects
from lianpu.analysis.chains.finaldemand import inducement
from lianpu.analysis.chains.position import apl, downstreamness, upstreamness
from lianpu.analysis.chains.spa import spa
from lianpu.analysis.tracks.catalogue import resolve_track
from lianpu.core.errors import ArgumentError, LianpuError


def strict(text: str) -> dict:
    """json.loads that refuses NaN/Infinity (they are not JSON)."""
    def bad(c):
        raise AssertionError(f"bare {c} in JSON")
    d = json.loads(text, parse_constant=bad)
    assert "unit" in d and "basis" in d, sorted(d)
    return d


def _mrio():
    Z = np.array([[10.0, 20, 5, 2], [15, 10, 3, 4], [4, 6, 20, 10], [2, 3, 10, 15]])
    Y = np.array([[50.0, 10], [60, 5], [8, 70], [6, 40]])
    return lianpu.IOTable.from_arrays(Z, Y, regions=["A", "A", "B", "B"],
                                      sectors=["s1", "s2", "s1", "s2"],
                                      final_demand=pd.MultiIndex.from_tuples(
                                          [("A", "HH"), ("B", "HH")]), name="ab")


def test_multipliers_are_a_result_series_with_unit_and_basis(mb):
    for kw in ({}, {"type": "II"}, {"kind": "income", "form": "direct_effect"}):
        m = lianpu.multipliers(mb, **kw)
        assert isinstance(m, ResultSeries) and isinstance(m, pd.Series) and isinstance(m, Result)
        d = strict(m.to_json())
        assert d["unit"] == m.attrs["unit"]
        assert d["basis"]["basis"] == m.attrs["basis"] and d["basis"]["note_en"]
        assert [v["sector"] for v in d["values"]] == ["1", "2"]
        np.testing.assert_allclose([v["value"] for v in d["values"]], m.to_numpy())
    m = lianpu.multipliers(mb)
    assert [round(v["value"], 5) for v in strict(m.to_json())["values"]] == [1.51815, 1.45215]
    assert "万元 of output per 万元 of final demand" == m.attrs["unit"]
    assert type(m * 2) is pd.Series                      # arithmetic gives plain pandas


def test_inverses_are_result_frames_in_table_unit_per_unit(mb):
    L, G = lianpu.leontief_inverse(mb), lianpu.ghosh_inverse(mb)
    assert isinstance(L, ResultFrame) and isinstance(G, ResultFrame)
    d = strict(L.to_json())
    assert d["unit"] == "万元/万元" and d["basis"]["requested"] == "as given"
    np.testing.assert_allclose([[r["1"], r["2"]] for r in d["rows"]],
                               [[1.25413, 0.33003], [0.26403, 1.12211]], atol=5e-6)
    strict(G.to_json())


def test_keysectors_is_a_result_frame(mb):
    k = lianpu.keysectors(mb)
    assert isinstance(k, ResultFrame) and isinstance(k, pd.DataFrame)
    d = strict(k.to_json())
    assert d["unit"] == "万元" and d["basis"]["basis"] == k.attrs["basis"]
    assert [r["sector"] for r in d["rows"]] == ["1", "2"]
    assert d["rows"][0]["power_of_dispersion"] == pytest.approx(1.0222, abs=5e-5)
    kz = lianpu.keysectors(mb, lang="zh")
    assert "影响力系数" in kz.columns and isinstance(kz, ResultFrame)
    with pytest.raises(ArgumentError, match="argument 'lang'"):
        lianpu.keysectors(mb, lang="fr")


def test_position_extraction_inducement_spa_are_results(mb):
    G = np.linalg.inv(np.eye(2) - mb.Z_ / mb.x_[:, None])      # B = x̂⁻¹ Z, reference only
    for r in (upstreamness(mb), downstreamness(mb)):
        assert isinstance(r, ResultSeries)
        d = strict(r.to_json())
        assert d["unit"] == "steps (≥ 1)" and d["basis"]["basis"]
    np.testing.assert_allclose(upstreamness(mb).to_numpy(), G.sum(axis=1), rtol=1e-12)
    a = apl(mb)
    assert isinstance(a, ResultFrame)
    strict(a.to_json())
    eff = extraction_effects(mb)
    assert isinstance(eff, Result) and set(eff) >= {"total_output", "forward_va"}
    d = strict(eff.to_json())
    assert d["unit"] == "万元" and len(d["rows"]) == 2
    np.testing.assert_allclose(eff.to_frame()["total_output"], eff["total_output"])
    ind = inducement(mb)
    # HH is consumption, OTHER an unrecognized column ('other'); no capital formation
    assert isinstance(ind, Result) and ind["items"] == ["consumption", "capital", "exports",
                                                        "other"]
    np.testing.assert_allclose(ind["induced"].sum(axis=1), mb.x_, rtol=1e-12)  # Σ_k L y_k = x
    d = strict(ind.to_json())
    assert d["basis"] and d["rows"][0]["sector"] == "1"
    assert d["rows"][0]["inducement_capital"] is None       # 0/0 → NaN → null
    A = mb.A_
    m = np.linalg.solve((np.eye(2) - A).T, np.ones(2))
    s = spa(A, np.array([0.0, 10.0]), m, depth=3, top=None)
    d = strict(s.to_json())
    assert d["unit"] is None and d["basis"] is None           # bare arrays: none known
    assert sum(p["value"] for p in d["paths"]) == pytest.approx(s.covered)


def test_mrio_codes_and_nan_in_chain_results():
    t = _mrio()
    sel = resolve_track(t, ["s1"], region="A")
    assert isinstance(sel, Result)
    assert strict(sel.to_json())["codes"] == ["A/s1"]
    cm = lianpu.chain(t, ["s1"], region="A", depth=2, top=5)
    d = strict(cm.to_json(rows=2))
    assert d["unit"] == t.unit and isinstance(d["basis"], str)
    assert d["track"]["sectors"] == ["A/s1"] and len(d["upstream"]) == 2
    assert all("/" in r["sector"] for r in d["upstream"])
    w = lianpu.weaklinks(t, ["s1"], region="A")
    d = strict(w.to_json(rows=3))
    assert d["region"] == "A" and len(d["links"]) <= 3
    assert {r["cut_loss"] for r in d["links"]} == {None}   # MRIO: no LP, NaN → null
    ic = lianpu.import_content(t)
    assert isinstance(ic, ResultSeries)
    d = strict(ic.to_json())
    assert [v["sector"] for v in d["values"]] == ["A/s1", "A/s2", "B/s1", "B/s2"]
    assert "foreign value-added" in d["basis"]


def test_result_frames_are_copies(mb):
    t = _mrio()
    cm = lianpu.chain(t, ["s1"], region="A", depth=2, top=5)
    cm.upstream.loc[:, "total"] = -1.0                    # changing what you were given …
    again = lianpu.chain(t, ["s1"], region="A", depth=2, top=5)
    assert (again.upstream["total"] > 0).all()            # … changes no later result


def test_user_argument_errors_are_argument_errors(mb):
    t = _mrio()
    for kw, arg in (({"depth": 0}, "depth"), ({"top": 0}, "top"),
                    ({"threshold": 1.0}, "threshold"), ({"driver": "supply"}, "driver")):
        with pytest.raises(ArgumentError, match=f"argument '{arg}'"):
            lianpu.chain(t, ["s1"], region="A", **kw)
    with pytest.raises(ArgumentError, match="argument 'type'.*expected 'I' or 'II'"):
        lianpu.multipliers(mb, type="III")
    with pytest.raises(ArgumentError, match="argument 'form'"):
        lianpu.multipliers(mb, form="per_job")
    from lianpu.analysis.chains.extraction import extracted_output
    with pytest.raises(ArgumentError, match="argument 'kind'"):
        extracted_output(mb, 0, kind="sideways")
    assert issubclass(ArgumentError, LianpuError)


def test_household_data_dir_is_not_in_the_table_memo(mb, tmp_path):
    from lianpu.analysis.households import _DATA_DIRS, _resolve_dir, remember_data_dir
    assert remember_data_dir(mb, tmp_path) is mb
    assert _DATA_DIRS[mb] == tmp_path and str(_resolve_dir(mb, None)) == str(tmp_path)
    from lianpu.table import _MEMO
    memo = mb.__dict__.get(_MEMO, {})
    assert all(v is not tmp_path for v in memo.values())      # not stored in the table's memo
    assert not any("data_dir" in str(k) for k in memo)


def test_real_chain_weaklinks_and_carve_out_are_strict_json(nbs_dir):
    """NBS 2020 42 sectors (non-competitive): chain and weak links of 电子信息, and the
    新能源汽车 carve-out of 18 汽车 (shipped share 0.0214, see test_carveout.py)."""
    from lianpu.analysis.tracks.carveout import carve_out_for
    t = lianpu.load(nbs_dir / "cn_io_2020_42.csv")
    cm = lianpu.chain(t, "电子信息", depth=3, top=10)
    d = strict(cm.to_json(rows=5))
    assert d["unit"] == t.unit and "non-competitive" in d["basis"] and len(d["upstream"]) == 5
    w = lianpu.weaklinks(t, "电子信息")
    d = strict(w.to_json(rows=3))
    assert d["unit"] == t.unit and len(d["risk"]) <= 3
    split, sel = carve_out_for(t, "新能源汽车")
    d = strict(sel.to_json())
    assert d["codes"] == ["18.NEV"] and d["track"] == "new_energy_vehicles"
    assert split.x["18.NEV"] == pytest.approx(0.0214 * t.x["18"], rel=1e-12)
    k = lianpu.keysectors(t)
    d = strict(k.to_json())
    assert d["basis"]["basis"] == "domestic" and len(d["rows"]) == 42


def test_type2_closure_is_a_result(mb):
    """M&B Table 2.3 with HH as the household column: households spend Σ HH / Σ COMP =
    400 / (0.6 · 2050) = 32.5 % of labour income on the table's products."""
    from lianpu.analysis.households import closure
    c = closure(mb)
    assert isinstance(c, Result) and c.method == "own"
    d = strict(c.to_json())
    assert d["share_of_labour_income"] == pytest.approx(400 / (0.6 * 2050), rel=1e-12)
    assert d["unit"] is None and d["basis"] is None
