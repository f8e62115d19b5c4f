"""CLI for the regions analyses through the real entry point (``lianpu.cli.main``): exit
codes, ``--json`` output that parses and agrees with the library, and one-line errors."""
import json

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


@pytest.fixture(scope="module")
def regional(wiod_dir):
    return wiod_dir / "wiot_regional_2011.RData"


def test_spillover_json_matches_library(capsys, regional):
    code, out, err = run(capsys, "spillover", regional, "--kind", "value_added", "--json")
    assert code == 0 and err == ""
    d = json.loads(out)
    assert d["kind"] == "value_added" and "by_sector" not in d
    assert [r["region"] for r in d["by_region"]] == ["EZ", "EUN", "NAFTA", "CHN", "EAS", "BRIIAT", "RoW"]
    lib = lianpu.regions.spillover(lianpu.load(regional), "value_added").by_region
    for r in d["by_region"]:
        assert r["intra"] + r["feedback"] + r["spillover"] == pytest.approx(r["total"], rel=1e-12)
        assert r["total"] == pytest.approx(lib.loc[r["region"], "total"], rel=1e-12)
    assert d["matrix"]["CHN"]["CHN"] == pytest.approx(lib.loc["CHN", "intra"] + lib.loc["CHN", "feedback"])


def test_spillover_table_and_single_region_error(capsys, regional, nbs_dir):
    code, out, _ = run(capsys, "spillover", regional)
    assert code == 0 and "溢出" in out and "NAFTA" in out
    code, out, err = run(capsys, "spillover", nbs_dir / "cn_io_2020_42.csv")
    assert code == 2 and out == "" and "needs a multi-regional table" in err


def test_twin_json(capsys, regional):
    code, out, _ = run(capsys, "twin", regional, "CHN", "NAFTA", "--top", "3", "--sectors",
                       "c14,c13", "--json")
    assert code == 0
    d = json.loads(out)
    lib = lianpu.twin(lianpu.load(regional), "CHN", "NAFTA", top=3)
    assert [r["direction"] for r in d["summary"]] == ["CHN←NAFTA", "NAFTA←CHN"]
    assert d["summary"][0]["value_added"] == pytest.approx(lib.summary.iloc[0]["value_added"])
    assert len(d["top_sectors"]) == 6 and set(d["complementarity"]) == {"NAFTA→CHN", "CHN→NAFTA"}
    assert 0 <= d["complementarity"]["NAFTA→CHN"]["index"] <= 100
    code, out, err = run(capsys, "twin", regional, "CHN", "Atlantis")
    assert code == 2 and "unknown region" in err
    code, _, err = run(capsys, "twin", regional, "CHN", "EAS", "--top", "0")
    assert code == 2 and "--top" in err


def test_regionalize_template_fill_and_write(capsys, nbs_dir, tmp_path):
    nat = nbs_dir / "cn_io_2020_42.csv"
    tpl = tmp_path / "sc.csv"
    code, out, _ = run(capsys, "regionalize", nat, "--template", tpl, "--json")
    assert code == 0 and json.loads(out)["path"] == str(tpl)
    df = pd.read_csv(tpl, dtype=str, keep_default_na=False)
    t = lianpu.load(nat)
    df["regional_output"] = t.x_ * 0.05 * (1 + (np.arange(t.n) % 3))   # 5–15 % of national
    df.to_csv(tpl, index=False)
    code, out, err = run(capsys, "regionalize", nat, "--regional", tpl, "--method", "aflq",
                         "--delta", "0.2", "--region", "SC", "--out", tmp_path / "sc.parquet",
                         "--json")
    assert code == 0, err
    d = json.loads(out)
    lib = lianpu.regionalize(t, tpl, "aflq", 0.2, region="SC")
    back = lianpu.load(tmp_path / "sc.parquet")
    np.testing.assert_array_equal(back.Z_, lib.Z_)
    assert d["mean_output_multiplier"] == pytest.approx(lianpu.multipliers(lib).mean())
    assert d["mean_output_multiplier"] < d["mean_national_output_multiplier"]
    code, out, _ = run(capsys, "regionalize", nat, "--regional", tpl, "--two-region", "--region",
                       "SC", "--out", tmp_path / "sc2.xlsx")
    assert code == 0 and (tmp_path / "sc2.xlsx").exists() and "SC" in out
    code, _, err = run(capsys, "regionalize", nat, "--regional", tpl)
    assert code == 2 and "--regional and --out are required" in err
    code, _, err = run(capsys, "regionalize", nat, "--regional", tpl, "--delta", "1.5", "--out",
                       tmp_path / "x.parquet")
    assert code == 2 and "δ is outside the FLQ range" in err and not (tmp_path / "x.parquet").exists()


def test_gras_command(capsys, tmp_path):
    """Closed form: a prior of ones with rows (3, 7) and columns (4, 6) → u v'/10."""
    pd.DataFrame(np.ones((2, 2)), index=["a", "b"], columns=["x", "y"]).to_csv(tmp_path / "z.csv")
    pd.DataFrame({"code": ["b", "a"], "total": [7, 3]}).to_csv(tmp_path / "u.csv", index=False)
    pd.DataFrame({"code": ["x", "y"], "total": [4, 6]}).to_csv(tmp_path / "v.csv", index=False)
    code, out, err = run(capsys, "gras", "--table", tmp_path / "z.csv", "--rows", tmp_path / "u.csv",
                         "--cols", tmp_path / "v.csv", "--out", tmp_path / "out.csv", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["max_row_residual"] < 1e-9 and d["iterations"] >= 1
    Z = pd.read_csv(tmp_path / "out.csv", index_col=0)
    np.testing.assert_allclose(Z.to_numpy(), [[1.2, 1.8], [2.8, 4.2]], rtol=1e-10)
    pd.DataFrame({"code": ["x", "y"], "total": [4, 7]}).to_csv(tmp_path / "v.csv", index=False)
    code, _, err = run(capsys, "gras", "--table", tmp_path / "z.csv", "--rows", tmp_path / "u.csv",
                       "--cols", tmp_path / "v.csv", "--out", tmp_path / "out2.csv")
    assert code == 2 and "different grand totals" in err and not (tmp_path / "out2.csv").exists()
    pd.DataFrame({"x": ["1", "abc"], "y": ["1", "1"]}, index=["a", "b"]).to_csv(tmp_path / "z.csv")
    code, _, err = run(capsys, "gras", "--table", tmp_path / "z.csv", "--rows", tmp_path / "u.csv",
                       "--cols", tmp_path / "v.csv", "--out", tmp_path / "out3.csv")
    assert code == 2 and "z.csv: row 'b', column 'x': cell is not a number" in err
