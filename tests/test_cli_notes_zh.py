"""Notes and caveats in Chinese under ``--lang zh`` (issue 15 item 3): impact, footprint and the
satellite data-year notes carry ``notes_zh``, parallel to ``notes`` (same length, same order),
and the CLI prints them after 说明：. The English ``notes`` stay as they were.

Every other note the CLI shows is a :class:`lianpu.core.notes.Note` printed in the screen's
language: the shock, inoperability and Monte-Carlo caveats, the MRIO footprint's, a reader's
data notes (``lianpu info`` on a WIOD and an OECD table), the notes of an aggregated table and
of a sector split (``info`` on the saved table) and a track's carve-out (``chain --share``,
and ``chain`` with the share shipped in tracks.toml, its source cited in Chinese).

Expected facts come from the English notes of the same run (the ``--json`` output): each number
and code in a note (a year, a share such as 69.1%, a dataset id) appears again in its Chinese
twin, and under ``--lang en`` the English note itself is on screen."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lianpu.cli import main
from lianpu.satellites.attach import note_zh

EXAMPLE = Path(__file__).resolve().parents[1] / "docs/examples/project_demand.csv"
IDS = ["cn-nbs-2020-42", "cn-nbs-2020-153", "ceads-china", "cn-employment", "wiod2013-2010"]
#: an English sentence: three English words in a row (codes in capitals such as a list of
#: region codes 'AUS, AUT, BEL', units and citations are not)
SENTENCE = re.compile(r"[A-Za-z][a-z]+(?:[ ,]+[A-Za-z][a-z]+){2,}")
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


def test_satellite_note_zh(cache):
    # the notes satellites/co2/satellite.py and satellites/employment.py write (as Notes: the
    # English text pinned as before, its Chinese written where the note is made)
    import lianpu
    from lianpu.satellites.co2.satellite import co2_satellite
    from lianpu.satellites.employment import employment_satellite
    t = lianpu.load("cn-nbs-2020-42", data_dir=cache)
    co2 = co2_satellite(t, data_dir=cache).notes[-1]
    assert co2 == ("co2: CEADs national inventory 2019 (scope 1, IPCC sectoral, Mt CO2; Shan et "
                   "al. 2018, 2020) put on cn-nbs-2020-42 sectors by ceads47_to_nbs42.csv; the "
                   "table is of 2020 but CEADs publishes inventories only for 1997–2019, so 2019 "
                   "emissions are used (nearest year)")
    assert note_zh(co2) == ("二氧化碳：CEADs全国排放清单2019年（范围1，IPCC部门法，Mt CO2；Shan et "
                            "al. 2018, 2020），按ceads47_to_nbs42.csv分配到cn-nbs-2020-42的部门；"
                            "表为2020年，CEADs只发布1997–2019年的排放清单，故采用最近年份2019年的排放")
    jobs = employment_satellite(t, None, cache).notes[len(t.notes)]
    assert jobs == ("jobs: the table is for 2020, employment data end in 2018: 2018 employment "
                    "used (万人)")
    assert note_zh(jobs) == "就业：表为2020年，就业统计截至2018年，采用2018年的就业人数（万人）"
    assert note_zh("a note the user wrote") == "a note the user wrote"  # not lianpu's: as written


def test_attach_carries_note_zh(cache):
    import lianpu
    from lianpu.satellites.attach import attach
    a = attach(lianpu.load("cn-nbs-2020-42", data_dir=cache), "co2", data_dir=cache)
    assert a.year == 2019 and "2019 emissions are used" in a.note
    assert a.note_zh.startswith("二氧化碳：CEADs全国排放清单2019年") and not english(a.note_zh)


# --------------------------------------------------------------------------- every other note
def flat(text: str) -> str:
    return "".join(text.split())


def check_screens(capsys, args, en_notes):
    """``args`` under --lang zh prints each note after 说明： in Chinese — no English sentence,
    the English note's numbers and codes kept, the English sentence itself not shown — and
    under --lang en prints each English note as it is in the JSON."""
    assert en_notes, args
    code, out, err = run(capsys, *args, "--lang", "zh")
    assert code == 0, err
    shown = note_lines(out)
    assert shown and not english(shown), shown
    for en in en_notes:
        assert facts(en) <= facts(shown), (en, shown)
        if english(en):
            assert flat(en) not in flat(out), en
    code, out_en, err = run(capsys, *args, "--lang", "en")
    assert code == 0, err
    for en in en_notes:
        assert flat(en) in flat(out_en), en


SCENARIOS = {
    "shock": ["shock", "cn-nbs-2020-42", "--cut", "20=30", "--critical", "0.01", "--top", "3"],
    "inoperability": ["inoperability", "cn-nbs-2020-42", "--shock", "20=10", "--days", "30",
                      "--top", "3"],
    "inoperability-static": ["inoperability", "cn-nbs-2020-42", "--shock", "20=10", "--static",
                             "--top", "3"],
    "montecarlo": ["montecarlo", "cn-nbs-2020-42", "--demand", EXAMPLE, "--draws", "8",
                   "--no-progress"],
    "footprint-mrio": ["footprint", "wiod2013-2010", "--top", "3"],
}


@pytest.mark.parametrize("cmd", list(SCENARIOS))
def test_result_notes_in_the_screen_language(capsys, cache, cmd):
    # shock: the LP's assumptions (critical-input threshold 0.01) and the basis; inoperability:
    # the model (Lian & Haimes 2006 daily output x/365; Santos & Haimes 2004); Monte Carlo: the
    # draws, σ and seed; the MRIO footprint: CEADs 2010 on WIOD's 35 industries, 40 regions
    # without intensities
    args = [*SCENARIOS[cmd], "--data-dir", cache]
    code, js, err = run(capsys, *args, "--json")
    assert code == 0, err
    check_screens(capsys, args, json.loads(js)["notes"])


@pytest.mark.parametrize("fixture, name", [("wiod_dir", "wiot_2010.RData"),
                                           ("oecd_dir", "oecd2021_chn_2018.csv")])
def test_reader_notes_on_info(capsys, request, fixture, name):
    # the readers' data notes (WIOD: VA = x − 1'Z, the rounding discrepancy of 99 million USD;
    # OECD: IMPO → IM, VALU): listed after 说明 in Chinese, in English under --lang en
    path = request.getfixturevalue(fixture) / name
    code, js, err = run(capsys, "info", path, "--json")
    assert code == 0, err
    d = json.loads(js)
    assert d["notes"] and len(d["notes_zh"]) == len(d["notes"])
    code, out, _ = run(capsys, "info", path, "--lang", "zh")
    code_en, out_en, _ = run(capsys, "info", path, "--lang", "en")
    assert code == code_en == 0
    for en, zh in zip(d["notes"], d["notes_zh"]):
        assert zh != en and not english(zh), (en, zh)
        assert facts(en) <= facts(zh), (en, zh)
        assert flat(zh) in flat(out) and flat(en) not in flat(out), zh
        assert flat(en) in flat(out_en), en


def test_aggregate_and_split_notes_on_info(capsys, cache, tmp_path):
    # aggregate 42 → 2 sectors, then carve a sub-sector out of one group (share 0.2, a stated
    # source): the saved table's notes say both, in the screen's language
    import lianpu
    t = lianpu.load("cn-nbs-2020-42", data_dir=cache)
    codes = [str(c) for c in t.index]
    agg = t.aggregate({c: "G1" if i < 21 else "G2" for i, c in enumerate(codes)})
    split = agg.split_sector("G1", {"G1a": ("甲组", "group A")}, 0.2, source="survey 2020")
    path = tmp_path / "agg.parquet"
    split.save(path)
    code, js, err = run(capsys, "info", path, "--json")
    assert code == 0, err
    en_notes = json.loads(js)["notes"]
    assert any(n.startswith("sectors aggregated 42 → 2") for n in en_notes)
    assert any(n.startswith("split_sector: G1a") for n in en_notes)
    code, out, _ = run(capsys, "info", path, "--lang", "zh")
    assert code == 0
    shown = out.split("说明", 1)[1]
    assert not english(shown.replace("survey 2020", "")), shown  # the user's source as given
    for en in en_notes:
        assert facts(en) <= facts(shown) and flat(en) not in flat(out), en
    code, out_en, _ = run(capsys, "info", path, "--lang", "en")
    assert all(flat(n) in flat(out_en) for n in en_notes)


def test_carve_out_note_on_chain(capsys, cache):
    # integrated circuits carved out of 094 at a share the user gives (0.12, 'CSIA 2021')
    args = ["chain", "cn-nbs-2020-153", "--track", "integrated_circuits", "--share", "0.12",
            "--share-source", "CSIA 2021", "--rows", "3", "--top", "2", "--data-dir", cache]
    code, js, err = run(capsys, *args, "--json")
    assert code == 0, err
    track = json.loads(js)["track"]
    assert track["note"].startswith("094.IC carved out of 094")
    check_screens(capsys, args, [track["note"]])


@pytest.mark.parametrize("source, track", [("cn-nbs-2020-153", "integrated_circuits"),
                                           ("cn-nbs-2020-42", "new_energy_vehicles")])
def test_carve_out_note_with_the_shipped_share(capsys, cache, source, track):
    # the share shipped in tracks.toml (CSIA 2020 for ICs in 094, CAAM 2020 for NEVs in 18):
    # the Chinese screen cites its source in Chinese (source_zh), every figure of the English
    # note kept, and shows no English source; the English screen shows the English note
    import lianpu
    args = ["chain", source, "--track", track, "--rows", "3", "--top", "2", "--data-dir", cache]
    code, js, err = run(capsys, *args, "--json")
    assert code == 0, err
    got = json.loads(js)["track"]
    co = lianpu.tracks()[track].carve_out[got["classification"]]
    assert co.share is not None and co.source_zh
    assert co.source in got["note"] and f"{co.share:.4g}" in got["note"]
    assert co.source_zh in got["note_zh"] and co.source not in got["note_zh"]
    code, out, err = run(capsys, *args, "--lang", "zh")
    assert code == 0, err
    shown = note_lines(out)   # 对应说明：… (a long note folds over lines, numbers too)
    assert shown and not english(shown), shown
    assert flat(co.source_zh) in flat(out) and flat(co.source) not in flat(out)
    assert all(f in flat(shown) for f in facts(got["note"])), shown
    code, out_en, err = run(capsys, *args, "--lang", "en")
    assert code == 0, err
    assert flat(got["note"]) in flat(out_en) and flat(co.source_zh) not in flat(out_en)
