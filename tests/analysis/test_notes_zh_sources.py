"""Issue 15: the analyses write their notes bilingually where they make them.

Every note of aggregate / split_sector, the shock family, the MRIO footprint and provincial
profile (and why a year has no WIOD MRIO), the China MRIO (build and questions), regionalize,
the household split, SDA (its notes, classification caption and bases) and the position
series, a track's carve-out (the shipped sources' Chinese, tracks.toml source_zh), and the
GVC, price and CBAM analyses is a :class:`lianpu.core.notes.Note` whose Chinese (``.zh``)
keeps every number and code of its English — the check below pulls them out of the English
text itself (numbers; words with two capitals, a digit, ``_`` or a dot: CEADs, FU101, gap_pct,
ceads47_to_wiod35.csv) and finds each in the Chinese (IO and NEVs may be said in full, 投入产出,
新能源汽车). And every Result's JSON with a ``notes`` list has ``notes_zh`` beside
it, parallel (one rule in ``analysis/_result.py``). The tables are the ones the modules' own
tests use (Miller & Blair 2.3, the scenario toy, test_aggregate's ``small``, the two-region
footprint toy, test_mrio_build's synthetic provinces, test_gvc's MRIO toy) and, where a note
needs real data (WIOD, CEADs, the NBS tables), ../shared/data.
"""
from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.core.notes import Note, zh

from .carbon.test_mrio import _mrio
from .change.test_position_series import _two_years
from .change.test_sda import _table
from .regions.test_mrio_build import _synthetic_provinces
from .scenarios import conftest as scenarios
from .test_aggregate import small
from .valuechains.test_gvc import mrio_table

toy = scenarios.toy   # the scenario tests' non-competitive toy, as a fixture of this module

_NUM = re.compile(r"\d+(?:\.\d+)?")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9_]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: abbreviations that are words, not codes: the Chinese says them in full
_SPELLED = {"IO": "投入产出", "NEVs": "新能源汽车"}


def _facts(en: str) -> set[str]:
    """The numbers and codes of an English note (what its Chinese must keep)."""
    words = {w for w in _WORD.findall(en)
             if sum(c.isupper() for c in w) >= 2 or any(c.isdigit() for c in w)
             or "_" in w or "." in w}
    return set(_NUM.findall(en)) | words


def check_note(n) -> None:
    assert isinstance(n, Note), f"not a Note (no Chinese): {n!r}"
    assert _CJK.search(n.zh) and n.zh != str(n), f"no Chinese text: {n!r}"
    lost = sorted(t for t in _facts(str(n)) if t not in n.zh and _SPELLED.get(t, t) not in n.zh)
    assert not lost, f"the Chinese loses {lost}: {n!r}"


def check_notes(notes) -> None:
    assert notes, "expected notes"
    for n in notes:
        check_note(n)


def check_result(r) -> dict:
    """Every note a Note, and the JSON's notes_zh parallel to its notes."""
    check_notes(r.notes)
    d = json.loads(r.to_json())
    assert d["notes"] == [str(n) for n in r.notes]
    assert d["notes_zh"] == [zh(n) for n in r.notes]
    return d


def new_notes(before, after) -> tuple:
    """The notes an analysis added to a table."""
    assert tuple(after.notes[:len(before.notes)]) == tuple(before.notes)
    return tuple(after.notes[len(before.notes):])


# ---------------------------------------------------------------------------- the JSON rule
def test_json_has_notes_zh_beside_notes_unless_the_result_writes_it():
    """One rule in Result: notes_zh is zh() of each note (a plain note as written), and a
    result that writes notes_zh itself keeps its own."""
    from dataclasses import dataclass

    from lianpu.analysis._result import Result, as_frame, as_series

    @dataclass(frozen=True, eq=False)
    class R(Result):
        notes: tuple
        own: tuple | None = None

        def to_dict(self):
            d = {"notes": list(self.notes)}
            if self.own is not None:
                d["notes_zh"] = list(self.own)
            return d

    d = json.loads(R((Note("a 1", "甲 1"), "plain")).to_json())
    assert d["notes"] == ["a 1", "plain"] and d["notes_zh"] == ["甲 1", "plain"]
    assert json.loads(R((Note("a", "甲"),), own=("自己的",)).to_json())["notes_zh"] == ["自己的"]
    assert "notes_zh" not in json.loads(as_frame(pd.DataFrame({"v": [1.0]})).to_json())
    s = pd.Series([1.0], index=["01"])
    s.attrs["notes"] = (Note("n 2", "注 2"),)
    assert json.loads(as_series(s).to_json())["notes_zh"] == ["注 2"]


# ---------------------------------------------------------------------------- aggregate, split
def test_aggregate_and_split_sector_notes(tmp_path):
    t = small()
    g = t.aggregate({"s0": "X", "s1": "X", "s2": "Y", "s3": "Y", "s4": "Y"})
    check_notes(new_notes(t, g))
    f = tmp_path / "c.csv"
    f.write_text("code,group\ns0,X\ns1,X\ns2,X\ns3,Y\ns4,Y\n", encoding="utf-8")
    n = new_notes(t, t.aggregate(f))
    check_notes(n)
    assert "c.csv" in n[0].zh
    mr = small(6, regions=["R1"] * 3 + ["R2"] * 3)
    check_notes(new_notes(mr, mr.aggregate({f"s{i}": "XY"[i % 2] for i in range(6)})))
    p = 2   # the given-inputs-and-sales split of test_aggregate
    a_par = t.Z_[:, p] / t.x_[p]
    inputs = {"n": {"s0": 0.5 * a_par[0], "s2": 0.8 * a_par[2], "s4": 1.2 * a_par[4]}}
    sales = {"n": {"s0": 0.2, "s3": 0.3, "HH": 0.1, "EX": 0.4}}
    u = t.split_sector("s2", {"n": ("新", "new")}, 0.25, source="NBS 2020", inputs=inputs,
                       sales=sales)
    n = new_notes(t, u)
    assert len(n) == 3 and n[0].startswith("split_sector:")
    check_notes(n)
    check_notes(new_notes(t, t.split_sector("s1", {"a": ("甲", "A"), "b": ("乙", "B")},
                                            {"a": 0.1, "b": 0.2}, source="x")))


# ---------------------------------------------------------------------------- shocks
def test_shock_family_notes(toy, mb):
    from lianpu.analysis.scenarios import shock
    for r in (shock.mixed(toy, {"1": 120.0}), shock.ghosh(toy, [1.0, 0.0]),
              shock.inoperability(toy, [5.0, 0.0]),
              shock.compare_supply(toy, {"1": 0.5}),
              shock.import_cut(toy, {"1": 0.5}),
              shock.capacity_cut(toy, {"2": 0.3}, critical=0.01),
              shock.recovery(toy, [0.5, 0.2], days=5)):
        check_result(r)
    r = shock.recovery(toy, c_star=[2.0, 0.0], days=30)    # q would pass 1: clipped, and said
    assert r.notes[-1].startswith("inoperability was clipped")
    check_result(r)
    mc = lianpu.montecarlo(mb, [10.0, 20.0], draws=4, seed=3)
    check_notes(mc.notes)
    d = json.loads(mc.to_json())
    k = len(mc.notes)
    assert len(d["notes_zh"]) == len(d["notes"])
    assert d["notes_zh"][:k] == [n.zh for n in mc.notes]
    assert d["notes_zh"][k:] == list(mc.point.notes_zh or map(zh, mc.point.notes))


def test_strict_leontief_cap_note():
    """The 'capped k of n sectors' caveat: every sector buys the cut import (critical=0)."""
    Z = np.array([[10.0, 20.0, 5.0], [15.0, 10.0, 5.0], [5.0, 5.0, 10.0]])
    Zm = np.array([[3.0, 4.0, 2.0], [0.0] * 3, [0.0] * 3])
    x = np.array([100.0, 120.0, 90.0])
    V = (x - Z.sum(axis=0) - Zm.sum(axis=0))[None, :]
    t = lianpu.IOTable.from_arrays(Z, (x - Z.sum(axis=1))[:, None], V, x, Zm_=Zm,
                                   Ym_=np.zeros((3, 1)), name="cap")
    r = lianpu.shock.import_cut(t, {"1": 0.5})
    assert any(n.startswith("strict Leontief") for n in r.notes)
    check_result(r)


# ---------------------------------------------------------------------------- carbon
def test_mrio_footprint_notes():
    r = lianpu.analysis.carbon.mrio.mrio_footprint(_mrio(), "A", {"A": np.array([0.2, 0.1])})
    assert r.missing == ("B",)
    d = check_result(r)
    check_note(r.basis)   # the basis the footprint screen prints after 口径
    assert d["basis_zh"] == r.basis.zh


def test_wiod_footprint_and_provincial_profile_notes(shared_data):
    from lianpu.analysis.carbon.mrio import wiod_footprint
    from lianpu.analysis.carbon.provinces import profile
    from lianpu.satellites.co2.satellite import profile_inputs
    check_result(wiod_footprint(lianpu.load("wiod2013-2011", data_dir=shared_data),
                                data_dir=shared_data))
    en, table, prov, nat = profile_inputs("四川", 2017, data_dir=shared_data)
    r = profile(en, 2017, table, prov, nat)
    check_result(r)
    r = profile(en, 2016, table, prov, nat)   # another year than the table's: said so
    assert any("the inventory is of 2016" in n for n in r.notes)
    check_result(r)


# ---------------------------------------------------------------------------- China MRIO
@pytest.fixture(scope="module")
def mrio():
    """The MRIO built from 31 synthetic two-sector provinces (test_mrio_build's generator,
    every province so that the shipped groups — East, 成渝 — resolve)."""
    from lianpu.analysis.regions.mrio.build import assemble, province_capitals
    tables, _, _ = _synthetic_provinces(regs=tuple(province_capitals().index))
    return assemble(tables, decay=1.0, year=2017)[0], tables


@pytest.fixture(scope="module")
def with_co2(mrio):
    from lianpu.table_satellite import Satellite
    m = mrio[0]
    sats = dict(m.satellites)
    sats["co2"] = Satellite("co2", m.x_ * 1e-5, "Mt CO2", "二氧化碳排放", "CO2 emissions",
                            np.zeros(len(m.final_demand_labels)))
    return m.evolve(satellites=sats)


def test_china_mrio_build_notes(mrio):
    from lianpu.analysis.regions.mrio.build import national_gap, trade_gap_report
    m, tables = mrio
    check_notes(m.notes)
    assert m.notes[0].zh.startswith("china_mrio 参数：")
    check_result(trade_gap_report(2017, tables=tables))
    check_result(national_gap(m, tables["SC"]))            # same sector codes: by sector
    check_result(national_gap(m, small()))                  # other codes: totals only
    check_notes(new_notes(m, m.aggregate_regions("chengyu")))


def test_china_mrio_question_notes(mrio, with_co2):
    from lianpu.analysis.regions.mrio import questions as Q
    m = mrio[0]
    tv, note = Q.supply_view(m, floor=float(np.sort(m.x_)[1]) * 1.01)
    check_notes((note,))
    assert new_notes(m, tv) == (note,)
    for r in (Q.chain_across(m, "SC", ["01"]), Q.domestic_chains(m, "SC"),
              Q.carbon_flows(with_co2, track=["01"], track_region="SC"),
              Q.dual_core(with_co2, "SC", "CQ", missing=("XZ",)), Q.dual_core(m, "SC", "CQ"),
              Q.complement(m, "GS", "chengyu", ["01"], shift=1.0)):
        check_result(r)


# ---------------------------------------------------------------------------- regionalize
def test_regionalize_notes():
    from lianpu.analysis.regions.regionalize import regionalize
    from lianpu.analysis.regions.regionalize_accuracy import aggregate_table
    t = small()
    xr = pd.Series(t.x_ * np.array([0.5, 0.1, 0.3, 0.05, 0.2]), index=t.index)
    for kw in (dict(method="slq"), dict(method="flq", delta=0.3, two_region=True)):
        r = regionalize(t, xr, **kw)
        check_notes(r.notes)
        assert r.notes[-1 if not kw.get("two_region") else -2].zh.startswith("按区域总产出")
    sectors = pd.DataFrame({"name_zh": ["甲", "乙"], "name_en": ["A", "B"]}, index=["A", "B"])
    check_notes(new_notes(t, aggregate_table(t, ["A", "A", "B", "B", "B"], sectors)))


# ---------------------------------------------------------------------------- households
def test_household_split_notes(shared_data, tmp_path_factory):
    from lianpu.analysis.households import household_split
    from lianpu.data.download import download
    d = tmp_path_factory.mktemp("hh-notes")
    download(["cn-nbs-2020-42", "cn-nbs-2020-153"], data_dir=d, from_dir=shared_data,
             progress=False)
    r = household_split(lianpu.load("cn-nbs-2020-42", data_dir=d), data_dir=d)
    assert r.no_consumption          # products without consumption in 2020-153: said so
    check_result(r)


# ---------------------------------------------------------------------------- change
def test_sda_and_position_series_notes():
    from lianpu.analysis.change.position_series import position_series
    from lianpu.analysis.change.sda import sda
    Z, Y, F = [[150, 500], [200, 100]], [350, 1700], [10, 20]
    a = _table(Z, Y, F, "a", 2000)
    b = _table(np.multiply(Z, 1.5), np.multiply(Y, 2), F, "b", 2001)
    for q in ("co2", "output"):
        r = sda(a, b, q, deflator={2000: 50.0, 2001: 100.0})
        check_result(r)
        check_result(r.deflated)
    # the classification caption and both bases are Notes too, and the JSON has their Chinese
    assert r.classification == "the tables' own 2 sectors"
    check_note(r.classification)
    check_note(r.basis)
    check_note(r.deflated.basis)
    assert r.deflated.basis.startswith("constant prices of 2000")
    assert r.deflated.basis.zh.startswith("2000 年不变价")
    d = json.loads(r.to_json())
    assert d["classification_zh"] == r.classification.zh and d["basis_zh"] == r.basis.zh
    assert d["deflated"]["basis_zh"] == r.deflated.basis.zh
    # USD tables on two bases, a CNY index, households' direct emissions: every caveat
    Z, Y = np.asarray(Z, float), np.asarray(Y, float)
    a = lianpu.IOTable.from_arrays(Z, Y, name="a", year=2010, unit="million USD")
    b = lianpu.IOTable.from_arrays(1.5 * Z, np.column_stack([2 * Y, [-10.0, -20.0]]),
                                   final_demand=["FD", "IM"], name="b", year=2012,
                                   unit="million USD")
    r = sda(a.with_satellite("co2", F, "Mt CO2", final_demand=[1.0]),
            b.with_satellite("co2", F, "Mt CO2", final_demand=[2.0, 0.0]), "co2",
            deflator="cn-gdp")
    assert any(n.startswith("caution: a CNY price index") for n in r.deflated.notes)
    assert any(n.startswith("the two tables are on different bases") for n in r.notes)
    assert any(n.startswith("direct final-demand (household) co2") for n in r.notes)
    check_result(r)
    check_result(r.deflated)
    p = position_series(tables=_two_years(), deflator={2000: 50.0, 2001: 100.0})
    assert p.notes[-1].startswith("import content also in constant prices of 2000")
    check_result(p)


def test_sda_classification_of_nbs_tables(shared_data):
    # two NBS tables of one classification (2017 and 2020, 42 sectors), and of two (2017 42,
    # 2020 153: the common classification of nbs42_concordance.csv)
    from lianpu.analysis.change.sda import sda
    a, b, c = (lianpu.load(i, data_dir=shared_data)
               for i in ("cn-nbs-2017-42", "cn-nbs-2020-42", "cn-nbs-2020-153"))
    same = sda(a, b, "output").classification
    assert same.endswith(" sectors") and same.zh.endswith(" 的部门")
    check_note(same)
    common = sda(a, c, "output").classification
    assert common.startswith("common ") and "nbs42_concordance.csv" in common
    assert common.zh.startswith("两张表共同的 ")
    check_note(common)


def test_nearest_wiod_year_says_why_in_both_languages():
    # WIOD 2013 covers 1995–2011: a year inside has its MRIO and no reason; one before is
    # shown as 1995, one after has none (the DTA footprint only); a table without a year
    from lianpu.analysis.carbon.mrio import nearest_wiod_year
    assert nearest_wiod_year(2010) == (2010, "")
    y, why = nearest_wiod_year(1990)
    assert y == 1995 and why.startswith("WIOD 2013 starts in 1995; 1990 has no MRIO")
    check_note(why)
    y, why = nearest_wiod_year(2020)
    assert y is None and why.startswith("no MRIO for 2020 in the data")
    check_note(why)
    y, why = nearest_wiod_year(None)
    assert y is None and why == "the table has no year"
    check_note(why)


# ---------------------------------------------------------------------------- tracks
SHIPPED_SHARES = [("integrated_circuits", "nbs153"), ("integrated_circuits", "nbs42"),
                  ("new_energy_vehicles", "nbs153"), ("new_energy_vehicles", "nbs42")]


def test_carve_out_notes_cite_the_source_in_chinese(shared_data, tmp_path):
    # every carve-out shipped with a share (tracks.toml) gives its source in Chinese too
    # (source_zh), keeping the English source's figures and codes; the Chinese carve-out note
    # cites it, the English note the English source
    from importlib import resources

    from lianpu.analysis.tracks.carveout import carve_out_for
    ts = lianpu.tracks()
    shipped = [(t, co) for t in ts.values() for co in t.carve_out.values()
               if co.share is not None]
    assert sorted((t.id, co.classification) for t, co in shipped) == SHIPPED_SHARES
    tables = {"nbs153": lianpu.load("cn-nbs-2020-153", data_dir=shared_data),
              "nbs42": lianpu.load("cn-nbs-2020-42", data_dir=shared_data)}
    for track, co in shipped:
        check_note(Note(co.source, co.source_zh))
        split, sel = carve_out_for(tables[co.classification], track, ts)
        assert co.source in sel.note and f"{co.share:.4g} of its output" in sel.note
        assert co.source_zh in sel.note_zh and co.source not in sel.note_zh
        check_note(Note(sel.note, sel.note_zh))
        # on the table carved already: the split's own note leads, in the note's language
        _, again = carve_out_for(split, track, ts)
        assert again.note.startswith(f"split_sector: {co.code}")
        assert again.note_zh.startswith(f"split_sector：从 {co.parent} 的产出中拆分出 {co.code}")
    # a user's tracks file without source_zh still loads: the Chinese note shows the source
    # as the file gives it
    text = resources.files("lianpu.data").joinpath("tracks.toml").read_text(encoding="utf-8")
    own = tmp_path / "tracks.toml"
    own.write_text("\n".join(line for line in text.splitlines()
                             if not line.startswith("source_zh = ")), encoding="utf-8")
    co = lianpu.tracks(own)["integrated_circuits"].carve_out["nbs153"]
    assert co.source_zh == "" and co.source == ts["integrated_circuits"].carve_out["nbs153"].source
    _, sel = carve_out_for(tables["nbs153"], "integrated_circuits", own)
    assert f"（{co.source}）" in sel.note_zh and sel.note.startswith("094.IC carved out of 094")


# ---------------------------------------------------------------------------- value chains
def test_gvc_and_price_notes(mrio):
    from lianpu.analysis.valuechains import gvc, prices
    t = mrio_table()
    for r in (gvc.decompose(t, "bm", "country"), gvc.decompose(t, "wwz", "sector"),
              gvc.participation(t), gvc.position(t)):
        check_result(r)
    # the China MRIO has a discrepancy and imports from abroad: both said in the notes
    r = gvc.participation(mrio[0])
    assert r.notes[0].startswith("the table's discrepancy")
    assert r.notes[1].startswith("value added is taken as every primary input")
    check_result(r)
    # a competitive table in the domestic view; the household column is the basket
    check_result(prices.cost_push(small(), wage_rise=10.0, carbon_price=100.0))
    # only total consumption and no household split; households burn fuel
    tc = lianpu.IOTable.from_arrays([[150, 500], [200, 100]], [[300, 50], [1500, 200]],
                                    final_demand=["TC", "EX"], name="tc", unit="万元")
    r = prices.cost_push(tc.with_satellite("co2", [10.0, 20.0], "Mt CO2",
                                           final_demand=[5.0, 0.0]), carbon_price=100.0)
    assert [n[:25] for n in r.notes] == ["household direct emission", "no household columns and "]
    check_result(r)


def test_cbam_notes(shared_data):
    from lianpu.analysis.valuechains import cbam
    t42 = lianpu.co2_satellite(lianpu.load("cn-nbs-2020-42", data_dir=shared_data),
                               data_dir=shared_data)
    r = cbam.exposure(t42, price_gap=80.0, eur_cny=7.8, eu_share=1.0)
    assert r.notes[-1] == cbam.ESTIMATE_EN and r.notes[-1].zh == cbam.ESTIMATE_ZH
    check_result(r)


def test_weaklinks_notes(shared_data):
    """The ranking notes of the weak-link lists (national: the LP cut; with an exclusion list)."""
    t = lianpu.load("cn-nbs-2020-42", data_dir=shared_data)
    w = lianpu.weaklinks(t, "future_manufacturing")
    check_result(w)
    assert any("cut_loss" in n and "LP" in zh(n) for n in w.notes)
