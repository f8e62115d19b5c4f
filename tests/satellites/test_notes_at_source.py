"""Notes are written in both languages where they are made (issue 15): every note the shipped
satellites (satellites/co2/satellite.py, satellites/employment.py, satellites/attach.py) and
the basis views (table_views.py: domestic and local) put on a table is a
:class:`lianpu.core.notes.Note` whose ``.zh`` is Chinese and keeps every number, year, code,
dataset id and file name of its English.

Tables and data are the real ones (../shared/data through the ``shared_data`` fixture). Which
tables raise which note was measured on that data: cn-nbs-2005-42's domestic view re-exports
product 20 (imports above domestic use), the 2017 Chongqing table (cn-prov-2017-50) has
re-exports / transit in its local view (its inflow exceeds gross output, the shared/data
README), the 2007 Sichuan table (cn-prov-2007-51) has only a combined trade_in column, and
CEADs publishes inventories for 1997–2019 (so a 2020 table uses 2019)."""
from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest

import lianpu
from lianpu.core.notes import Note
from lianpu.satellites.attach import attach, note_zh
from lianpu.satellites.co2.satellite import co2_satellite, match_year
from lianpu.satellites.employment import employment_satellite

pytestmark = pytest.mark.data

#: an English sentence in a Chinese note: three English words in a row (codes, units and the
#: citation are not; the same rule as tests/test_cli_notes_zh.py)
SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}")
ALLOWED = ("Shan et al", "IPCC", "Mt CO2", "CEADs")
CJK = re.compile(r"[\u4e00-\u9fff]")


def facts(en: str) -> list:
    """What the Chinese must keep (``en`` a note, or its Chinese: the same tokens are found in
    both, so a year inside a dataset id does not stand in for the year itself): every token
    with a digit in it (years, sector codes, dataset ids such as cn-nbs-2020-42), the files (ceads47_to_nbs42.csv,
    employment_concordance.csv), the matrix names (Zm/Ym, Zr/Yr) and the unit 万人 — less the
    leading ``co2:`` / ``jobs:``, which the Chinese says in words (二氧化碳： / 就业：)."""
    body = re.sub(r"^(co2|jobs): ", "", en)
    toks = re.findall(r"[A-Za-z0-9_./–-]*\d[A-Za-z0-9_./–-]*", body)
    toks = [t.rstrip(".") for t in toks]
    return toks + re.findall(r"[A-Za-z0-9_.-]+\.csv|Z[mr]/Y[mr]|万人", body)


def check(note) -> None:
    assert isinstance(note, Note), repr(note)
    zh = note.zh
    assert zh != str(note) and CJK.search(zh), repr(note)
    plain = zh
    for a in ALLOWED:
        plain = plain.replace(a, "")
    assert not SENTENCE.findall(plain), repr(note)
    missing = Counter(facts(note)) - Counter(facts(zh))   # each as often as in the English
    assert not missing, (missing, repr(note))
    assert note_zh(note) == zh          # the name impact/footprint/the CLI use


def made(before, after) -> tuple:
    """The notes ``after`` added to ``before`` (a builder appends its own)."""
    assert after.notes[:len(before.notes)] == before.notes
    return after.notes[len(before.notes):]


@pytest.fixture(scope="module")
def load(shared_data):
    cache = {}

    def get(tid):
        if tid not in cache:
            cache[tid] = lianpu.load(tid, data_dir=shared_data)
        return cache[tid]
    return get


def test_match_year_why_is_a_note():
    assert match_year(2017) == (2017, "")
    use, why = match_year(2020)
    assert use == 2019
    assert why == ("the table is of 2020 but CEADs publishes inventories only for 1997–2019, "
                   "so 2019 emissions are used (nearest year)")
    check(why)
    assert why.zh == "表为2020年，CEADs只发布1997–2019年的排放清单，故采用最近年份2019年的排放"


@pytest.mark.parametrize("tid, year, n_why", [("cn-nbs-2017-42", None, 0),
                                              ("cn-nbs-2020-42", None, 1),   # 2020 → 2019
                                              ("cn-nbs-2017-42", 2015, 1),   # asked for
                                              ("cn-prov-2017-50", None, 0),  # Chongqing's own
                                              ("cn-prov-2007-51", None, 0)])  # Sichuan 2007
def test_co2_notes(load, shared_data, tid, year, n_why):
    t = load(tid)
    new = made(t, co2_satellite(t, year=year, data_dir=shared_data))
    assert len(new) == 1
    n = new[0]
    check(n)
    assert n.startswith("co2: CEADs ") and n.zh.startswith("二氧化碳：CEADs")
    assert n.count("; the table is of") == n_why and n.zh.count("；表为") == n_why
    if t.province:
        assert "(Chongqing)" in n or "(Sichuan)" in n
        assert "（Chongqing）" in n.zh or "（Sichuan）" in n.zh
    if year == 2015:
        assert n.endswith("; the table is of 2017; 2015 emissions were asked for")
        assert n.zh.endswith("；表为2017年；按指定采用2015年的排放")


@pytest.mark.parametrize("tid, n_notes", [("cn-nbs-2020-153", 2), ("cn-nbs-2017-42", 1)])
def test_jobs_notes(load, shared_data, tid, n_notes):
    t = load(tid)
    new = made(t, employment_satellite(t, None, shared_data))
    assert len(new) == n_notes      # 2020 adds "employment data end in 2018"
    for n in new:
        check(n)
        assert n.startswith("jobs: ") and n.zh.startswith("就业：")
    assert new[-1].zh.endswith("门类内按劳动者报酬占比拆分")


def test_domestic_view_notes(load):
    t = load("cn-nbs-2005-42")
    new = made(t, t.domestic())
    assert new == ("domestic view by import proportionality",
                   "re-exports: imports exceed domestic use for 20; their import share is "
                   "spread over exports too")
    for n in new:
        check(n)
    assert new[1].zh == "转口：20的进口超过国内使用，其进口占比也分摊到出口"
    assert made(load("cn-nbs-2020-153"), load("cn-nbs-2020-153").domestic()) == new[:1]


def test_local_view_notes(load):
    cq = load("cn-prov-2017-50")
    new = made(cq, cq.local())
    assert len(new) == 2 and new[1].startswith("re-exports / transit: supply from outside ")
    sc = load("cn-prov-2007-51")
    new2 = made(sc, sc.local())
    assert len(new2) == 2 and new2[1].startswith("trade_in combines abroad and other provinces")
    assert new2[0] == new[0]
    for n in new + new2:
        check(n)
    assert new[1].zh.startswith("转口/过境：") and "2012年和2017年" in new2[1].zh


def test_notes_survive_later_steps(load, shared_data):
    """A table built from a noted table keeps the Notes (evolve copies the tuple)."""
    t = load("cn-nbs-2005-42")
    d = co2_satellite(t, data_dir=shared_data).domestic()
    new = made(t, d)
    assert len(new) == 3 and all(isinstance(n, Note) for n in new)
    assert np.isfinite(d.satellites["co2"].values).all()


def test_attach_notes(load, shared_data):
    t = load("cn-nbs-2020-42")
    a = attach(t, "jobs", data_dir=shared_data)
    assert a.attached and a.year == 2018
    assert isinstance(a.note, Note) and a.note_zh == a.note.zh
    assert a.note == " ".join(made(t, a.table))          # the English as before: joined
    assert a.note.zh == "；".join(n.zh for n in made(t, a.table))
    check(a.note)
    again = attach(a.table, "jobs", data_dir=shared_data)   # already there: its last note
    assert not again.attached and again.note is a.table.notes[-1] and again.note_zh == \
        again.note.zh
    c = attach(t, "co2", data_dir=shared_data)
    check(c.note)
    assert c.note_zh.startswith("二氧化碳：CEADs全国排放清单2019年")
    own = t.with_satellite("co2", np.ones(t.n), "Mt CO2")   # a satellite lianpu did not make
    o = attach(own, "co2", data_dir=shared_data)
    assert not o.attached and o.note == "co2: the table's own satellite"
    assert isinstance(o.note, Note) and o.note_zh == "二氧化碳：表自带的卫星账户"
