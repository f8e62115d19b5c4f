"""Notes and caveats in Chinese under ``--lang zh`` (issue 15 item 3): impact, footprint and the
satellite data-year notes carry ``notes_zh``, parallel to ``notes`` (same length, same order),
and the CLI prints them after 说明：. The English ``notes`` stay as they were.

Expected facts come from the English notes of the same run: each number and code in a note
(a year, a share such as 69.1%, a dataset id) appears again in its Chinese twin."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lianpu.cli import main
from lianpu.satellites.attach import note_zh

EXAMPLE = Path(__file__).resolve().parents[1] / "docs/examples/project_demand.csv"
IDS = ["cn-nbs-2020-42", "cn-nbs-2020-153", "ceads-china", "cn-employment"]
#: an English sentence: three English words in a row (codes, units and citations are not)
SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}")
ALLOWED = ("Shan et al", "IPCC", "Mt CO2", "CEADs")


@pytest.fixture(scope="module")
def cache(tmp_path_factory, shared_data):
    d = tmp_path_factory.mktemp("notes-zh-cache")
    assert main(["download", *IDS, "--from", str(shared_data), "--data-dir", str(d),
                 "--json"]) == 0
    return d


def run(capsys, *args):
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def english(text: str) -> list:
    for a in ALLOWED:
        text = text.replace(a, "")
    return SENTENCE.findall(text)


def note_lines(out: str) -> str:
    """The text after each 说明： to the next one (a long note folds over lines)."""
    return "".join(out.split("说明：")[1:]) if "说明：" in out else ""


def facts(note: str) -> set:
    """Numbers, percentages and dataset ids of a note (what its translation must keep)."""
    return set(re.findall(r"cn-nbs-\d+-\d+|\d+(?:\.\d+)?", note))


@pytest.mark.parametrize("extra", [[], ["--households", "TC", "--mode", "net"], ["--jobs"],
                                   ["--basis", "published"]])
def test_impact_zh_notes_on_screen_and_in_json(capsys, cache, extra):
    # 42: Type II split closure / TC closure warning and net mode; 153: jobs data-year notes and
    # the domestic-view note, and the competitive-table note on the published basis
    src = "cn-nbs-2020-42" if extra in ([], ["--households", "TC", "--mode", "net"]) \
        else "cn-nbs-2020-153"
    args = ["impact", src, "--demand", EXAMPLE, "--data-dir", cache, *extra]
    code, js, err = run(capsys, *args, "--json")
    assert code == 0, err
    d = json.loads(js)
    assert d["notes"] and len(d["notes_zh"]) == len(d["notes"])
    for en, zh in zip(d["notes"], d["notes_zh"]):
        assert not english(zh), (en, zh)
        assert facts(en) <= facts(zh), (en, zh)
    code, out, err = run(capsys, *args, "--lang", "zh")
    assert code == 0, err
    shown = note_lines(out)
    assert shown and not english(shown), shown
    for zh in d["notes_zh"]:
        assert "".join(zh.split()) in "".join(out.split())
    code, out_en, _ = run(capsys, *args, "--lang", "en")  # English screen keeps the notes
    assert all("".join(n.split()) in "".join(out_en.split()) for n in d["notes"])


def test_impact_type2_note_keeps_english_text(capsys, cache):
    code, js, _ = run(capsys, "impact", "cn-nbs-2020-42", "--demand", EXAMPLE, "--json",
                      "--data-dir", cache)
    d = json.loads(js)
    assert d["notes"][0].startswith("Type II: labour income row VA001; households = ")
    assert d["notes_zh"][0].startswith("II型（居民内生）：劳动者报酬行VA001；")
    assert "69.1%" in d["notes_zh"][0] and "69.1 %" in d["notes"][0]


@pytest.mark.parametrize("by", ["category", "track"])
def test_footprint_zh_notes(capsys, cache, by):
    args = ["footprint", "cn-nbs-2020-153", "--by", by, "--data-dir", cache]
    code, js, err = run(capsys, *args, "--json")
    assert code == 0, err
    d = json.loads(js)
    assert len(d["notes_zh"]) == len(d["notes"]) >= 4
    assert any("2019 emissions are used" in n for n in d["notes"])  # English unchanged
    for en, zh in zip(d["notes"], d["notes_zh"]):
        assert not english(zh), (en, zh)
        assert facts(en) <= facts(zh), (en, zh)
    code, out, err = run(capsys, *args, "--top", "3")
    assert code == 0, err
    assert not english(note_lines(out).split("口径")[0])


def test_satellite_note_zh():
    # the texts satellites/co2/satellite.py and satellites/employment.py write
    co2 = ("co2: CEADs national inventory 2019 (scope 1, IPCC sectoral, Mt CO2; Shan et al. "
           "2018, 2020) put on cn-nbs-2020-42 sectors by ceads47_to_nbs42.csv; the table is of "
           "2020 but CEADs publishes inventories only for 1997–2019, so 2019 emissions are used "
           "(nearest year)")
    assert note_zh(co2) == ("二氧化碳：CEADs全国排放清单2019年（范围1，IPCC部门法，Mt CO2；Shan et "
                            "al. 2018, 2020），按ceads47_to_nbs42.csv分配到cn-nbs-2020-42的部门；"
                            "表为2020年，CEADs只发布1997–2019年的排放清单，故采用最近年份2019年的排放")
    jobs = "jobs: the table is for 2020, employment data end in 2018: 2018 employment used (万人)"
    assert note_zh(jobs) == "就业：表为2020年，就业统计截至2018年，采用2018年的就业人数（万人）"
    assert note_zh("a note the user wrote") == "a note the user wrote"  # not lianpu's: as written


def test_attach_carries_note_zh(cache):
    import lianpu
    from lianpu.satellites.attach import attach
    a = attach(lianpu.load("cn-nbs-2020-42", data_dir=cache), "co2", data_dir=cache)
    assert a.year == 2019 and "2019 emissions are used" in a.note
    assert a.note_zh.startswith("二氧化碳：CEADs全国排放清单2019年") and not english(a.note_zh)
