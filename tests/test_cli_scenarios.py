"""Scenario commands through the real entry point (``lianpu.cli.main``): exit codes, one-line
errors naming the demand file line, and --json output equal to the library's."""
import json
from pathlib import Path

import numpy as np
import pytest

import lianpu
from lianpu.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "docs/examples/project_demand.csv"


def run(capsys, *args):
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


@pytest.fixture(scope="module")
def t20(nbs_dir):
    return nbs_dir / "cn_io_2020_42.csv"


@pytest.fixture(scope="module")
def t17(nbs_dir):
    return nbs_dir / "cn_io_2017_42.csv"


def test_impact_json_matches_library(capsys, t20, shared_data):
    emp = shared_data / "cn/cn_employment_1990_2018.csv"
    code, out, err = run(capsys, "impact", t20, "--demand", EXAMPLE, "--households", "TC",
                         "--employment", emp, "--json")
    assert code == 0, err
    d = json.loads(out)
    from lianpu.satellites import employment_satellite
    t = employment_satellite(lianpu.load(t20), emp)
    r = lianpu.impact(t, EXAMPLE, type="II", households=("TC",))
    tot = {(x["indicator"], x["scenario"]): x for x in d["totals"]}
    assert tot[("output", "demand")]["total"] == pytest.approx(r.totals().loc[("output", "demand"), "total"])
    assert tot[("jobs", "demand")]["induced"] > 0 and d["type"] == "II"


def test_impact_table_output(capsys, t20):
    code, out, _ = run(capsys, "impact", t20, "--demand", EXAMPLE, "--type", "I")
    assert code == 0 and "交通运输设备" in out and "间接" in out  # --lang zh: Chinese headers


@pytest.mark.parametrize("body, match", [
    ("sector,amount,unit\n18,5,万元\n99,1,万元\n", "bad.csv: line 3: column 'sector': unknown sector code '99'"),
    ("sector,amount,unit\n18,5,million USD\n", "bad.csv: line 2: column 'unit'"),
])
def test_bad_demand_file_one_line_exit_2(capsys, tmp_path, t20, body, match):
    p = tmp_path / "bad.csv"
    p.write_text(body, encoding="utf-8")
    code, out, err = run(capsys, "impact", t20, "--demand", p, "--type", "I", "--json")
    assert code == 2 and out == ""
    assert match in err and len(err.strip().splitlines()) == 1


def test_type2_without_households_exit_2(capsys, t20, tmp_path):
    """An empty cache: no detailed table for the household split, so Type II needs --households."""
    code, _, err = run(capsys, "impact", t20, "--demand", EXAMPLE, "--data-dir", str(tmp_path))
    assert code == 2 and "households=('TC',)" in err


def test_shock_json(capsys, t17):
    code, out, err = run(capsys, "shock", t17, "--cut", "20=30", "--critical", "0.01", "--json")
    assert code == 0, err
    d = json.loads(out)
    r = lianpu.shock.import_cut(lianpu.load(t17), {"20": 0.3}, critical=0.01)
    assert d["totals"]["output_loss"] == pytest.approx(r.totals["output_loss"])
    assert d["params"]["cut"] == {"20": 0.3}
    code, _, err = run(capsys, "shock", t17, "--cut", "20:30")
    assert code == 2 and "--cut: found '20:30', expected SECTOR=PCT" in err


def test_inoperability_json(capsys, t17):
    code, out, _ = run(capsys, "inoperability", t17, "--shock", "24=20", "--days", "30", "--json")
    d = json.loads(out)
    assert code == 0 and d["days"] == 30
    row = next(r for r in d["sectors"] if r["sector"] == "24")
    assert row["initial"] == pytest.approx(0.2)
    code, out, _ = run(capsys, "inoperability", t17, "--shock", "24=20", "--static", "--json")
    s = lianpu.shock.inoperability(lianpu.load(t17), c_star={"24": 0.2})
    assert code == 0 and json.loads(out)["totals"]["economic_loss"] == pytest.approx(
        s.totals["economic_loss"])


def test_montecarlo_json(capsys, t20):
    code, out, err = run(capsys, "montecarlo", t20, "--demand", EXAMPLE, "--draws", "8",
                         "--scheduler", "serial", "--no-progress", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["draws"] == 8 and d["percentiles"] == [5, 50, 95]
    r = lianpu.montecarlo(lianpu.load(t20), EXAMPLE, draws=8, scheduler="serial")
    row = next(x for x in d["totals"] if x["indicator"] == "output" and x["effect"] == "total")
    assert row["p50"] == pytest.approx(r.totals().loc[("output", "total", "demand"), "p50"])
    assert np.isfinite(row["p5"])
