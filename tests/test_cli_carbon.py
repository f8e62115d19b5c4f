"""Carbon commands through the real entry point (``lianpu.cli.main``): footprint, emissions,
sda, position. Expected numbers are the library's own results on the same tables (the CLI
must print them unchanged) and the CEADs sheets' own totals."""
from __future__ import annotations

import json

import pytest

import lianpu
from lianpu.cli import main

IDS = ["cn-nbs-2020-42", "cn-nbs-2012-139", "cn-nbs-2017-42", "cn-oecd-2017", "cn-oecd-2018",
       "ceads-china", "ceads-provinces-2017", "wiod2013-2010", "cn-nbs-2010-41"]


@pytest.fixture(scope="module")
def cache(tmp_path_factory, shared_data):
    """A cache seeded with --from, the CEADs workbooks included (sha256-verified copies)."""
    d = tmp_path_factory.mktemp("cache")
    assert main(["download", *IDS, "--from", str(shared_data), "--data-dir", str(d),
                 "--json"]) == 0
    return d


def run(capsys, *args):
    code = main(list(args))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_footprint_json_matches_library(capsys, cache):
    code, out, err = run(capsys, "footprint", "cn-nbs-2020-42", "--satellite", "co2", "--json",
                         "--data-dir", str(cache))
    assert code == 0, err
    d = json.loads(out)
    from lianpu.analysis.carbon.footprint import footprint
    ref = footprint(lianpu.load("cn-nbs-2020-42", data_dir=cache), data_dir=cache)
    assert d["totals"] == pytest.approx(ref.totals)
    assert [r["code"] for r in d["rows"]] == ["TC", "FU201", "FU202", "EX"]
    assert any("2019 emissions are used" in n for n in d["notes"])


@pytest.mark.parametrize("by", ["sector", "track"])
def test_footprint_by_sector_and_track(capsys, cache, by):
    code, out, err = run(capsys, "footprint", "cn-nbs-2020-42", "--by", by, "--top", "3",
                         "--lang", "en", "--data-dir", str(cache))
    assert code == 0, err
    assert "footprint" in out and "production_based" in out


def test_emissions_province(capsys, cache):
    code, out, err = run(capsys, "emissions", "--province", "四川", "--year", "2017", "--json",
                         "--data-dir", str(cache))
    assert code == 0, err
    d = json.loads(out)
    # 'Scope 1 Total' of Sichuan2017's total row
    assert d["totals"]["province_total"] == pytest.approx(318.84077146425136, rel=1e-12)
    assert len(d["sectors"]) == 10 and d["sectors"][0]["code"] == "14"
    code, out, _ = run(capsys, "emissions", "--province", "Gansu", "--year", "2017", "--top", "3",
                       "--data-dir", str(cache))
    assert code == 0 and "甘肃" in out


def test_sda(capsys, cache):
    code, out, err = run(capsys, "sda", "cn-nbs-2012-139", "cn-nbs-2017-42", "--satellite", "co2",
                         "--json", "--data-dir", str(cache))
    assert code == 0, err
    d = json.loads(out)
    assert sum(e["mean"] for e in d["effects"]) == pytest.approx(d["change"], rel=1e-9)
    assert set(d["spread_max_minus_min"]) == {"intensity", "technology", "structure", "level"}
    code, out, err = run(capsys, "sda", "cn-oecd-2017", "cn-oecd-2018", "--quantity",
                         "value_added", "--top", "3", "--data-dir", str(cache))
    assert code == 0, err
    assert "结构分解" in out and "value_added" in out


def _no_nan(s):
    def bad(c):
        raise AssertionError(f"bare {c} in JSON")
    return json.loads(s, parse_constant=bad)


def test_sda_deflator_both_ways(capsys, cache, tmp_path):
    code, out, err = run(capsys, "sda", "cn-nbs-2012-139", "cn-nbs-2017-42", "--satellite", "co2",
                         "--deflator", "cn-gdp", "--json", "--data-dir", str(cache))
    assert code == 0, err
    d = _no_nan(out)
    assert d["basis"].startswith("current prices") and d["unit"] == "Mt CO2"
    assert d["deflated"]["basis"].startswith("constant prices of 2012")
    assert d["deflated"]["change"] == pytest.approx(d["change"], rel=1e-9)
    assert sum(e["mean"] for e in d["deflated"]["effects"]) == pytest.approx(d["change"])
    f = tmp_path / "defl.csv"
    f.write_text("# test indices\nyear,index\n2017,100\n2018,104\n", encoding="utf-8")
    args = ["sda", "cn-oecd-2017", "cn-oecd-2018", "--quantity", "value_added", "--deflator",
            str(f), "--data-dir", str(cache)]
    code, out, err = run(capsys, *args)   # the default screen is Chinese: both bases said so
    assert code == 0, err
    flat = "".join(out.split())           # a note folds over lines
    assert "2017年不变价" in flat and "现价（未平减）" in flat
    assert "constantpricesof" not in flat and "currentprices" not in flat
    code, out, err = run(capsys, *args, "--lang", "en")
    assert code == 0, err
    assert "constant prices of 2017" in out and "current prices" in out
    code, out, err = run(capsys, "sda", "cn-oecd-2017", "cn-oecd-2018", "--deflator",
                         str(tmp_path / "none.csv"), "--data-dir", str(cache))
    assert code == 2 and "--deflator" in err and "no such deflator file" in err


def test_footprint_track_explains_negative(capsys, cache):
    code, out, err = run(capsys, "footprint", "cn-nbs-2020-42", "--by", "track", "--json",
                         "--data-dir", str(cache))
    assert code == 0, err
    d = _no_nan(out)
    assert "DTA" in d["basis"] and "footprint_dta" in d["totals_labels"]
    assert all(r["note_en"] for r in d["rows"] if r["footprint_dta"] < 0)


def test_footprint_mrio_beside_dta(capsys, cache):
    code, out, err = run(capsys, "footprint", "cn-nbs-2010-41", "--mrio", "--json",
                         "--data-dir", str(cache))
    assert code == 0, err
    d = _no_nan(out)
    rows = {r["code"]: r for r in d["mrio_comparison"]["rows"]}
    assert d["mrio_comparison"]["table"] == "wiod2013-2010"
    assert rows["production_based"]["dta"] == pytest.approx(rows["production_based"]["mrio"])
    assert rows["footprint"]["mrio"] is None and rows["net_transfer"]["mrio"] is None
    assert rows["net_transfer"]["dta"] == pytest.approx(d["totals"]["net_transfer_dta"])
    assert "not estimated" in d["mrio_comparison"]["note"]
    # after 2011 there is no MRIO: said so, DTA only
    code, out, err = run(capsys, "footprint", "cn-nbs-2020-42", "--mrio", "--lang", "en",
                         "--data-dir", str(cache))
    assert code == 0, err
    assert "WIOD 2013 ends in 2011" in out.replace("\n", " ") or "ends in 2011" in out


def test_footprint_on_wiod_is_mrio(capsys, cache):
    code, out, err = run(capsys, "footprint", "wiod2013-2010", "--top", "3", "--json",
                         "--data-dir", str(cache))
    assert code == 0, err
    d = _no_nan(out)
    assert d["region"] == "CHN" and d["totals"]["footprint_mrio"] is None
    assert len(d["missing_intensities"]) == 40 and len(d["by_origin"]) == 4


def test_position_deflator(capsys, cache, tmp_path):
    codes = [str(c) for c in lianpu.load("cn-oecd-2017", data_dir=cache).index]
    f = tmp_path / "p.csv"
    f.write_text("sector,2017,2018\n" + "".join(f"{c},1,{1 + i / 100}\n"
                                                 for i, c in enumerate(codes)), encoding="utf-8")
    code, out, err = run(capsys, "position", "--from", "2017", "--to", "2018", "--deflator",
                         str(f), "--json", "--data-dir", str(cache))
    assert code == 0, err
    d = _no_nan(out)
    assert d["basis"].startswith("current prices")
    assert d["deflated"]["basis"].startswith("constant prices of 2017")
    f.write_text("sector,2017,2018\n01,1,1\n", encoding="utf-8")
    code, out, err = run(capsys, "position", "--from", "2017", "--to", "2018", "--deflator",
                         str(f), "--data-dir", str(cache))
    assert code == 2 and "--deflator" in err and "no price index for some sectors" in err


def test_position_writes_html(capsys, cache, tmp_path):
    html = tmp_path / "p.html"
    code, out, err = run(capsys, "position", "--from", "2017", "--to", "2018", "--html",
                         str(html), "--json", "--data-dir", str(cache))
    assert code == 0, err
    d = json.loads(out)
    assert d["years"] == [2017, 2018] and html.is_file()


@pytest.mark.parametrize("args, message", [
    (["footprint", "cn-nbs-2020-42", "--by", "region"], "--by: found 'region'"),
    (["emissions", "--province", "西藏", "--year", "2017"], "no inventory for Tibet"),
    (["emissions", "--province", "四川", "--year", "2020"],
     "no CEADs provincial inventory for 2020"),
    (["sda", "cn-nbs-2017-42", "cn-oecd-2017"], "different sectors and no concordance"),
    (["sda", "cn-nbs-2017-42", "cn-nbs-2020-42", "--quantity", "jobs"], "--quantity: found 'jobs'"),
    (["position", "--from", "1990"], "--from/--to: found 1990–2018"),
    (["footprint", "ceads-china"], "'ceads-china' is not an IO table"),
])
def test_errors_exit_2_one_line(capsys, cache, args, message):
    code, out, err = run(capsys, *args, "--data-dir", str(cache))
    assert code == 2 and out == ""
    assert message in err and err.startswith("error: ")
