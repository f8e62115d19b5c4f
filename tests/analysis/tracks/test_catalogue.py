"""Tracks as data: the shipped file against the real NBS/OECD/WIOD sector lists, classification
detection on every real table, resolving by id/name/codes, and user-file validation."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.analysis.tracks.catalogue import (
    classification_of,
    expand,
    find_track,
    resolve,
    resolve_track,
    track_codes,
    tracks,
)
from lianpu.core.errors import FormatError, TableError

FUTURE = {"未来制造", "未来信息", "未来材料", "未来能源", "未来空间", "未来健康"}
CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"[A-Za-z]?\d+(?:\.\d+)?")   # codes (090, C26, c14, J582) and numbers
CHENGDU = {"电子信息", "高端能源装备", "软件和信息服务", "生物医药", "轨道交通", "航空航天", "新能源",
           "新材料", "精细化工", "农副产品加工", "人工智能", "低空经济", "先进制造"}
# issue 15: tracks carved out of a sector by an output share (carve_out in tracks.toml)
CARVED = {"集成电路", "新能源汽车", "新型显示", "低空飞行器"}


@pytest.fixture(scope="module")
def nbs(nbs_dir):
    names = ["2005_42", "2010_41", "2015_42", "2017_42", "2017_149", "2018_42", "2018_153",
             "2020_42", "2020_153", "2002_122", "2007_135", "2012_139"]
    return {k: lianpu.load(nbs_dir / f"cn_io_{k}.csv") for k in names}


@pytest.fixture(scope="module")
def oecd(oecd_dir):
    return lianpu.load(oecd_dir / "oecd2021_chn_2018.csv")


@pytest.fixture(scope="module")
def wiod(wiod_dir):
    return lianpu.load(wiod_dir / "wiot_2011.RData")


def test_shipped_tracks_are_the_briefs_list():
    ts = tracks()
    assert {t.name_zh for t in ts.values()} == FUTURE | CHENGDU | CARVED
    assert {t.name_zh for t in ts.values() if t.group == "未来产业"} == FUTURE
    for t in ts.values():
        assert t.name_en and t.description_zh and t.description_en
        for cid in ("nbs42", "nbs153", "nbs149", "oecd45", "wiod35"):
            assert cid in t.codes, (t.id, cid)
            assert t.notes.get(cid), f"track {t.id}: no mapping note for {cid}"


def test_codes_exist_in_the_real_tables(nbs, oecd, wiod):
    """Every code a track claims is a sector of the real table of that classification."""
    real = {"nbs42": set(nbs["2020_42"].index), "nbs149": set(nbs["2017_149"].index),
            "nbs153": set(nbs["2020_153"].index), "oecd45": set(oecd.index),
            "wiod35": set(wiod.index.get_level_values(-1))}
    real["nbs153_2018"] = set(nbs["2018_153"].index)
    for t in tracks().values():
        for cid, codes in t.codes.items():
            missing = set(codes) - real[cid]
            assert not missing, (t.id, cid, missing)
        assert set(t.codes["nbs153"]) <= real["nbs153_2018"]


def test_153_lists_of_2018_and_2020_are_identical(nbs):
    """The claim in tracks.toml: same codes, same names, both languages."""
    a, b = nbs["2018_153"].sectors, nbs["2020_153"].sectors
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("fine,coarse,cid", [("2020_153", "2020_42", "nbs153"),
                                             ("2018_153", "2018_42", "nbs153"),
                                             ("2017_149", "2017_42", "nbs149")])
def test_concordance_to_42_reproduces_42_sector_output(nbs, fine, coarse, cid):
    """Aggregating the fine table's output by the shipped map gives the 42-sector table's
    output (two tables the NBS published from the same accounts)."""
    cls = tracks().classifications[cid]
    xf, xc = nbs[fine].x, nbs[coarse].x
    assert sorted(c for kids in cls.to_parent.values() for c in kids) == list(xf.index)
    agg = pd.Series({p: xf[list(kids)].sum() for p, kids in cls.to_parent.items()})
    np.testing.assert_allclose(agg[xc.index].to_numpy(), xc.to_numpy(), rtol=1e-6)


def test_every_42_sector_is_in_a_track_or_outside(nbs):
    ts = tracks()
    used = {c for t in ts.values() for c in t.codes["nbs42"]}
    outside = set(ts.outside["nbs42"])
    assert not used & outside, used & outside
    assert used | outside == set(nbs["2020_42"].index)
    assert all(v.strip() for v in ts.outside["nbs42"].values())
    assert ts.outside_zh["nbs42"].keys() == ts.outside["nbs42"].keys()
    assert all(CJK.search(v.split("：", 1)[-1]) for v in ts.outside_zh["nbs42"].values())


def test_every_note_has_a_chinese_translation():
    """notes_zh: the same classifications as notes, in Chinese, with the same codes and numbers."""
    for t in tracks().values():
        assert t.notes_zh.keys() == t.notes.keys(), t.id
        for cid, zh in t.notes_zh.items():
            assert CJK.search(zh) and zh != t.notes[cid], (t.id, cid)
            assert sorted(NUMBER.findall(zh)) == sorted(NUMBER.findall(t.notes[cid])), (t.id, cid)
            assert t.note(cid, "zh") == zh and t.note(cid) == zh
            assert t.note(cid, "en") == t.notes[cid]
    assert tracks()["aerospace"].note("nbs999", "zh") == ""


def test_note_of_a_derived_classification_is_in_both_languages(nbs):
    sel = resolve_track(nbs["2015_42"], "electronic_information")
    t = tracks()["electronic_information"]
    assert sel.note.startswith("derived from nbs42 codes ['20'] by the nbs42_2015 concordance; ")
    assert sel.note.endswith(t.notes["nbs42"])
    assert sel.note_zh == "由nbs42的代码20按nbs42_2015对照表换算；" + t.notes_zh["nbs42"]


def test_coarse_codes_are_backed_by_fine_codes():
    """Every 42-sector code of a track contains at least one of its 153 (and 149) codes, and the
    149 mapping stays inside the 42-sector parents of the 153 mapping."""
    ts = tracks()
    c153, c149 = ts.classifications["nbs153"], ts.classifications["nbs149"]
    for t in ts.values():
        p153 = {c153.parent_of(c) for c in t.codes["nbs153"]}
        p149 = {c149.parent_of(c) for c in t.codes["nbs149"]}
        assert set(t.codes["nbs42"]) <= p153, t.id
        assert set(t.codes["nbs42"]) <= p149, t.id
        assert p149 <= p153, t.id


@pytest.mark.parametrize("key,cid", [("2005_42", "nbs42_2005"), ("2010_41", "nbs41"),
                                     ("2015_42", "nbs42_2015"), ("2017_42", "nbs42"),
                                     ("2018_42", "nbs42"), ("2020_42", "nbs42"),
                                     ("2017_149", "nbs149"), ("2018_153", "nbs153"),
                                     ("2020_153", "nbs153")])
def test_classification_detected(nbs, key, cid):
    assert classification_of(nbs[key]) == cid


def test_classification_oecd_wiod_and_unmapped(nbs, oecd, wiod):
    assert classification_of(oecd) == "oecd45"
    assert classification_of(wiod) == "wiod35"
    for key in ("2002_122", "2007_135", "2012_139"):
        with pytest.raises(TableError, match="cannot tell the sector classification"):
            classification_of(nbs[key])


@pytest.mark.parametrize("key,expected", [("2005_42", "17"), ("2010_41", "17"), ("2015_42", "18"),
                                          ("2020_42", "18")])
def test_derived_classifications_map_to_the_same_sector(nbs, key, expected):
    """航空航天 maps to 交通运输设备 in every 42/41-sector vintage, whatever its code."""
    t = nbs[key]
    sel = resolve_track(t, "aerospace")
    assert sel.codes == (expected,)
    assert "交通运输设备" in t.sectors.loc[expected, "name_zh"]


def test_derived_classifications_keep_sector_names(nbs):
    """Mapped through the concordance, each track's 2015 sectors have the same names as its
    2020 sectors (2015's merged 36 科学研究和技术服务 and split 22/23 aside)."""
    new, old = nbs["2020_42"].sectors.name_zh, nbs["2015_42"].sectors.name_zh
    for t in tracks().values():
        got = {old[c] for c in resolve_track(nbs["2015_42"], t.id).codes}
        want = {new[c] for c in t.codes["nbs42"]}
        fix = {"其他制造产品和废品废料": {"其他制造产品", "废品废料"},
               "研究和试验发展": {"科学研究和技术服务"}}
        want = set().union(*(fix.get(w, {w}) for w in want))
        assert got == want, t.id


def test_resolve_by_id_names_and_codes(nbs):
    t = nbs["2020_153"]
    pos = {c: i for i, c in enumerate(t.index)}
    want = [pos["083"], pos["092"]]
    assert resolve(t, "aerospace") == want
    assert resolve(t, "航空航天") == want
    assert resolve(t, "AEROSPACE") == want
    assert resolve(t, find_track("Aerospace")) == want
    assert resolve(t, ["083", "092"]) == want
    sel = resolve_track(t, "aerospace")
    assert sel.classification == "nbs153" and "航空、航天器" in sel.note


def test_unknown_track_lists_known_ones(nbs):
    with pytest.raises(TableError, match=r"unknown track 'nope'.*aerospace \(航空航天\)"):
        resolve(nbs["2020_42"], "nope")


def test_unknown_sector_code(nbs):
    with pytest.raises(TableError, match="'99' is not a sector of this table"):
        resolve(nbs["2020_42"], ["18", "99"])


def test_mrio_resolve_by_region(wiod):
    sel = resolve_track(wiod, "electronic_information", region="CHN")
    assert sel.codes == (("CHN", "c14"),)
    assert len(resolve(wiod, "electronic_information")) == len(wiod.regions)
    assert resolve(wiod, ["CHN/c14", ("USA", "c14")]) == [
        list(wiod.index).index(("CHN", "c14")), list(wiod.index).index(("USA", "c14"))]
    with pytest.raises(TableError, match="unknown region 'XXX'"):
        resolve(wiod, "aerospace", region="XXX")


# --------------------------------------------------------------------------- user files
GOOD = """
schema = 1
[tracks.drones]
name_zh = "无人机"
name_en = "Drones"
[tracks.drones.codes]
nbs153 = ["083", "095"]
"""


def test_user_file_replaces_tracks_and_keeps_classifications(tmp_path, nbs):
    p = tmp_path / "mine.toml"
    p.write_text(GOOD, encoding="utf-8")
    ts = tracks(p)
    assert list(ts) == ["drones"] and "nbs42" in ts.classifications
    assert resolve(nbs["2020_153"], "无人机", ts) == [82, 94]
    with pytest.raises(TableError, match=r"track 'drones' \(无人机\) has no codes for "
                                         r"classification 'nbs42'.*nbs153"):
        resolve(nbs["2020_42"], "drones", ts)
    assert track_codes(ts["drones"], "nbs153", ts)[0] == ("083", "095")


def test_user_file_notes_zh_optional(tmp_path, nbs):
    """A file without notes_zh shows the English note in zh views; with it, the Chinese one."""
    p = tmp_path / "mine.toml"
    p.write_text(GOOD + '[tracks.drones.notes]\nnbs153 = "083 and 095."\n', encoding="utf-8")
    d = tracks(p)["drones"]
    assert d.notes_zh == {} and d.note("nbs153", "zh") == d.note("nbs153", "en") == "083 and 095."
    assert resolve_track(nbs["2020_153"], "drones", p).note_zh == "083 and 095."
    p.write_text(GOOD + '[tracks.drones.notes]\nnbs153 = "083 and 095."\n'
                 '[tracks.drones.notes_zh]\nnbs153 = "083和095。"\n', encoding="utf-8")
    d = tracks(p)["drones"]
    assert (d.note("nbs153", "zh"), d.note("nbs153", "en")) == ("083和095。", "083 and 095.")
    sel = resolve_track(nbs["2020_153"], "drones", p)
    assert (sel.note, sel.note_zh) == ("083 and 095.", "083和095。")


@pytest.mark.parametrize("text,match", [
    (GOOD.replace('name_zh = "无人机"\n', ""),
     r"mine.toml: track 'drones': key 'name_zh' is missing"),
    (GOOD.replace("nbs153 =", "nbs999 ="),
     r"track 'drones', key 'codes.nbs999': unknown classification"),
    (GOOD.replace('"095"]', '"995"]'),
     r"key 'codes.nbs153': code '995' is not a nbs153 sector code"),
    (GOOD.replace('"095"]', '"083"]'), r"code '083' is listed twice"),
    (GOOD.replace("name_en =", "nmae_en = 'x'\nname_en ="),
     r"track 'drones': unknown key 'nmae_en'"),
    (GOOD.replace('nbs153 = ["083", "095"]', "nbs153 = []"), r"codes must be a non-empty list"),
    (GOOD + '[tracks.drones.notes_zh]\nnbs999 = "无人机"\n',
     r"mine.toml: track 'drones', key 'notes_zh.nbs999': unknown classification"),
    (GOOD.replace("[tracks.drones.codes]", 'notes_zh = "无人机"\n[tracks.drones.codes]'),
     r"track 'drones': key 'notes_zh' must map classifications to texts"),
    ("schema = 1\n[tracks", r"mine.toml: not valid TOML"),
    ("schema = 1\n", r"mine.toml: no \[tracks\.\*\] tables"),
])
def test_user_file_errors_name_track_and_key(tmp_path, text, match):
    p = tmp_path / "mine.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match=match):
        tracks(p)


def test_expand_ranges():
    assert expand("001-003") == ["001", "002", "003"]
    assert expand("c9-c11") == ["c9", "c10", "c11"]
    assert expand("07") == ["07"]
