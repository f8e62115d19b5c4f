"""The chains commands through the real entry point (``lianpu.cli.main``): exit codes, stderr
one-liners, ``--json`` that parses and agrees with the library, and the files written."""
from __future__ import annotations

import json

import pytest

import lianpu
from lianpu.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


@pytest.fixture(scope="module")
def f42(nbs_dir):
    return nbs_dir / "cn_io_2020_42.csv"


@pytest.fixture(scope="module")
def f153(nbs_dir):
    return nbs_dir / "cn_io_2020_153.csv"


def test_tracks_json_and_table(capsys):
    code, out, err = run(capsys, "tracks", "--json")
    assert code == 0 and not err
    d = json.loads(out)
    assert len(d["tracks"]) == 23 and "nbs42" in d["classifications"]  # 19 + 4 carve-outs
    aero = next(t for t in d["tracks"] if t["id"] == "aerospace")
    assert aero["codes"]["nbs153"] == ["083", "092"] and aero["notes"]["nbs42"]
    code, out, _ = run(capsys, "tracks")
    assert code == 0 and "航空航天" in out and "low_altitude_economy" in out
    code, out, _ = run(capsys, "tracks", "--lang", "en")
    assert code == 0 and "Aerospace" in out


def test_tracks_user_file_error_is_one_line(capsys, tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text("[tracks.x]\nname_en = 'X'\n[tracks.x.codes]\nnbs42 = ['18']\n",
                 encoding="utf-8")
    code, out, err = run(capsys, "tracks", "--tracks", p)
    assert code == 2 and not out
    assert "bad.toml: track 'x': key 'name_zh' is missing" in err
    assert len(err.strip().splitlines()) == 1


def test_keysectors_json_agrees_with_library(capsys, f42):
    code, out, err = run(capsys, "keysectors", f42, "--json")
    assert code == 0 and not err
    d = json.loads(out)
    assert len(d["sectors"]) == 42 and d["columns"]["power_of_dispersion"][0] == "影响力系数"
    k = lianpu.keysectors(lianpu.load(f42))
    top = k.sort_values("power_of_dispersion", ascending=False).iloc[0]
    assert d["sectors"][0]["sector"] == top.name
    assert d["sectors"][0]["power_of_dispersion"] == pytest.approx(top["power_of_dispersion"])
    code, out, _ = run(capsys, "keysectors", f42, "--top", "5")
    assert code == 0 and "影响力" in out and "关键部门" in out


def test_chain_json_html_graphml(capsys, f153, tmp_path):
    h, g = tmp_path / "aero.html", tmp_path / "aero.graphml"
    code, out, err = run(capsys, "chain", f153, "--track", "航空航天", "--depth", "3", "--top",
                         "7", "--json", "--html", h, "--graphml", g)
    assert code == 0 and not err
    d = json.loads(out)
    assert d["track"]["id"] == "aerospace" and len(d["paths"]) == 7 and d["depth"] == 3
    assert d["files"] == {"html": str(h), "graphml": str(g)}
    text = h.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text and "航空航天" in text
    assert g.read_text(encoding="utf-8").startswith("<?xml")


def test_chain_table_by_english_name_and_codes(capsys, f153):
    code, out, _ = run(capsys, "chain", f153, "--track", "Aerospace", "--rows", "4", "--top",
                       "3", "--lang", "en")
    # --lang en: the display unit in English (亿元 is '100 million CNY'; issue 15: one language)
    assert code == 0 and "structural paths" in out and "100 million CNY" in out and "Aerospace" in out
    code, out, _ = run(capsys, "chain", f153, "--track", "083,092", "--top", "3", "--json")
    assert code == 0 and json.loads(out)["track"]["sectors"] == ["083", "092"]


def test_unknown_track_exit_2_lists_known(capsys, f42):
    code, out, err = run(capsys, "chain", f42, "--track", "量子计算")
    assert code == 2 and not out
    assert "unknown track '量子计算'" in err and "aerospace (航空航天)" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "weaklinks", f42, "--track", "nope")
    assert code == 2 and "unknown track 'nope'" in err


def test_bad_flags_exit_2(capsys, f42):
    assert run(capsys, "chain", f42, "--track", "aerospace", "--depth", "0")[0] == 2
    code, _, err = run(capsys, "keysectors", f42, "--lang", "fr")
    assert code == 2 and "--lang" in err


def test_weaklinks_json_and_table(capsys, f42):
    code, out, err = run(capsys, "weaklinks", f42, "--track", "电子信息", "--json", "--top", "4")
    assert code == 0 and not err
    d = json.loads(out)
    assert d["track"]["name_zh"] == "电子信息" and len(d["risk"]) == 4
    assert d["risk"][0]["code"] == "20" and 0 < d["summary"]["import_content"] < 1
    code, out, _ = run(capsys, "weaklinks", f42, "--track", "electronic_information")
    assert code == 0 and "短板清单" in out and "风险清单" in out and "招商清单" in out
