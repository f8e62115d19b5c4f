"""Issue 11 for the report: one formatter (core.units), the analysis defaults decided in
lianpu.analysis.defaults, results memoised per build (never on the table), no import circle
between the report's plan and its section modules."""
from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pytest

import lianpu
from lianpu.analysis import defaults

REPORT = Path(__file__).parents[2] / "src" / "lianpu" / "report"
# a 3-sector table in 万元 (numbers chosen so that sector 2 has the largest output)
Z = [[10, 20, 5], [15, 30, 10], [5, 10, 5]]
Y = [[65], [145], [30]]


def small(unit="万元", **kw):
    return lianpu.IOTable.from_arrays(Z, Y, unit=unit, **kw)


# ------------------------------------------------------------------ one formatter
def test_the_report_has_no_formatter_of_its_own():
    from lianpu.core import units
    from lianpu.report import i18n
    for name in ("fmt_num", "fmt_pct", "display_unit", "short_unit", "check_lang"):
        f = getattr(i18n, name, None)
        assert f is None or f.__module__ != "lianpu.report.i18n", name
    # the texts the report printed before, now from core.units (issue 15's display rule)
    assert units.Unit.parse("10,000 CNY (万元)").display("zh") == (1e-4, "亿元")
    assert units.Unit.parse("万元").text("en") == "10,000 CNY"
    assert units.Unit.parse("million USD").display("en") == (1e-3, "billion USD")


def test_chain_map_numbers_go_through_fmt_num():
    from lianpu.core.units import fmt_by_size as _fmt
    # the chain map's size rule, unchanged: 0 decimals from 100, 3 from 0.01, else 2e
    assert _fmt(12345.6) == "12,346" and _fmt(100) == "100"
    assert _fmt(5) == "5.000" and _fmt(np.float64(0.25)) == "0.250"
    assert _fmt(0.001234) == "1.23e-03"
    assert _fmt(None) == _fmt(math.nan) == _fmt(math.inf) == "—"


# ------------------------------------------------------------------ analysis defaults
def test_example_demand_is_one_billion_in_the_tables_unit():
    t = small()
    # x = Z·1 + Y = (100, 200, 50): the largest sector is '2'; 10 亿元 = 100,000 万元
    assert defaults.example_demand(t) == {"2": 100_000.0}
    assert defaults.example_demand(small("million USD")) == {"2": 1000.0}   # 1 billion USD


def test_regions_by_default():
    t = small()
    assert defaults.chain_region(t) is None and defaults.regional_province(t) is None
    mr = lianpu.IOTable.from_arrays(np.eye(4) * 5, [[20], [20], [20], [20]],
                                    regions=["KOR", "CHN", "KOR", "CHN"],
                                    sectors=["A", "A", "B", "B"])
    assert defaults.chain_region(mr) == "CHN"                 # China where present
    assert defaults.chain_region(mr, "KOR") == "KOR"
    assert defaults.regional_province(mr) == "KOR"           # no 四川: the first region
    assert defaults.regional_province(mr, "CHN") == "CHN"


def test_type_ii_falls_back_to_type_i_with_the_reason():
    t = small()   # no household column: Type II cannot close households
    res, why = defaults.impact_with_fallback(t, {"2": 10.0}, "II")
    assert res.type == "I" and why
    again, none = defaults.impact_with_fallback(t, {"2": 10.0}, "I")
    assert none == "" and np.allclose(again.effect("output", "total"),
                                      res.effect("output", "total"))


def test_report_tracks_default_and_unknown():
    assert defaults.DEFAULT_TRACKS[0] == "electronic_information"
    assert defaults.report_tracks(small()) == []   # codes '1'..'3' match no track
    with pytest.raises(lianpu.LianpuError):
        defaults.report_tracks(small(), ["no-such-track"])


# ------------------------------------------------------------------ results memo
def test_the_memo_is_per_build_and_never_on_the_table():
    from lianpu.report.common import analysis, memo
    t = small()
    calls = []

    def fn(table):
        calls.append(1)
        return len(calls)

    assert analysis(t, ("x",), fn) == 1 and analysis(t, ("x",), fn) == 2  # no memo: fresh
    with memo() as m:
        assert analysis(t, ("x",), fn) == 3 and analysis(t, ("x",), fn) == 3
        with memo():                                   # an inner build shares the outer memo
            assert analysis(t, ("x",), fn) == 3
        assert len(m) == 1
    with memo():                                        # a new build starts empty
        assert analysis(t, ("x",), fn) == 4
    assert not any(isinstance(k, tuple) and "x" in k
                   for k in t.__dict__.get("_lianpu_cache", {}))


def test_a_section_build_leaves_the_table_memo(report_cache):
    from lianpu.data import registry
    from lianpu.report import build_section
    t = registry.load_dataset("cn-nbs-2020-42", data_dir=report_cache)
    build_section(t, "chain", "zh", track=("18",))
    before = set(t.__dict__.get("_lianpu_cache", {}))
    for sel in (("18", "19"), ("20",), ("20", "21")):
        build_section(t, "chain", "en", track=sel)
    assert set(t.__dict__.get("_lianpu_cache", {})) == before


# ------------------------------------------------------------------ no circle
def _report_imports(path: Path) -> set:
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                out.add(node.module.split(".")[0])
            else:
                out.update(a.name for a in node.names)
    return out


def test_no_circle_between_the_plan_and_the_sections():
    """common.py (the shared helpers) imports no section module; no section module imports
    content.py (the plan)."""
    sections = {"overview", "economy", "tracks", "lists", "extras", "valuechains", "regional",
                "content", "build", "sections"}
    assert _report_imports(REPORT / "common.py") & sections == set()
    for name in ("overview", "economy", "tracks", "lists", "extras", "valuechains", "regional"):
        assert "content" not in _report_imports(REPORT / f"{name}.py"), name
