"""Every note a reader writes on its table is bilingual where it is made (issue 15): a
:class:`lianpu.core.notes.Note` whose English is the text the readers always wrote (the
existing reader tests pin parts of it; the static notes are pinned whole below, copied from the
readers before the Chinese was added) and whose Chinese says the same facts — it is Chinese
(CJK characters, no English sentence of three or more words outside code and unit tokens) and
keeps every number and upper-case code of the English.

Tables: the ones the reader tests load — the real OECD, WIOD, NBS and CHNIO files of
../shared/data (``shared_data`` fixtures of tests/conftest.py, CHNIO through the seeded
``chnio_cache``), the generated ICIO and EXIOBASE files of big_mrio_fixtures.py, the CEADs MRIO
layout of test_ceads_mrio.py and pymrio's own test system."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import lianpu
from lianpu.core.notes import Note
from lianpu.data import registry
from lianpu.readers import exiobase, icio

sys.path.insert(0, str(Path(__file__).parent))
import big_mrio_fixtures as fx  # noqa: E402
import test_ceads_mrio as ceads  # noqa: E402

frames = ceads.frames  # the CEADs MRIO test's fixture: its balanced 12-sector table

CJK = re.compile(r"[\u3400-\u9fff]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
CODE = re.compile(r"(?<![A-Za-z])[A-Z][A-Z0-9_]+(?![a-z])")   # IMPO, VA004, CN1, ERR, TLS …
# three or more words of Latin letters separated by single spaces: an English phrase left
# in the Chinese (code and unit tokens — 'million USD', cif/fob, split='merge' — stay shorter)
SENTENCE = re.compile(r"[A-Za-z][A-Za-z'-]*(?: [A-Za-z][A-Za-z'-]*){2,}")


def check_notes(notes, where: str) -> None:
    """Each note is a Note with a Chinese twin that keeps the English's numbers and codes."""
    for note in notes:
        assert isinstance(note, Note), (where, note)
        en, zh = str(note), note.zh
        assert zh != en and CJK.search(zh), (where, en, zh)
        assert not SENTENCE.search(zh), (where, SENTENCE.search(zh).group(0), zh)
        for tok in NUMBER.findall(en) + CODE.findall(en):
            assert tok in zh, (where, tok, en, zh)


def test_checker_refuses_what_it_should():
    """The checker itself: an untranslated note, a lost number and a lost code all fail."""
    bad = ["plain English, not a Note",
           Note("trade is not split by partner: FU302 流出"),       # zh falls back to English
           Note("blank cells read as 0: 12", "空白单元格按 0 读取"),  # 12 lost
           Note("IMPO → IM", "进口取负值"),                          # codes lost
           Note("kept as published", "保留 kept as published")]     # English phrase left
    for note in bad:
        with pytest.raises(AssertionError):
            check_notes([note], "checker")
    check_notes([Note("IMPO → IM (negative), 1.5e-05 million USD",
                      "IMPO → IM（取负值），1.5e-05 million USD")], "checker")


# ---------------------------------------------------------------------------- real data
def test_oecd_notes(oecd_dir):
    t = lianpu.load(oecd_dir / "oecd2021_chn_2018.csv")
    assert list(t.notes) == ["competitive imports: IMPO → IM (negative); EXPO → EX",
                             "value added = VALU (basic prices); product-tax rows are primary "
                             "inputs only"]
    assert "竞争型进口" in t.notes[0].zh and "增加值" in t.notes[1].zh
    check_notes(t.notes, "oecd 2018")


@pytest.mark.parametrize("fname", ["wiot_regional_2011.RData", "wiot_regional_1995.RData"])
def test_wiod_notes(wiod_dir, fname):
    t = lianpu.load(wiod_dir / fname)
    assert t.notes[0] == ("VA = x − 1'Z: includes product taxes, cif/fob adjustment, purchases "
                          "by (non-)residents and international transport margins")
    # the rounding residual: max |.| measured in test_wiod.py (4.74 regional 2011, 1e-9 1995)
    assert t.notes[1].startswith("discrepancy = integer-rounding residual x − Z·1 − Y·1 (max |.| ")
    assert t.notes[1].endswith(" million USD), not a published column")
    assert "平衡项" in t.notes[0].zh and "统计误差" in t.notes[1].zh
    check_notes(t.notes, fname)


def test_nbs_tables_write_no_english_only_note(nbs_dir):
    """The NBS reader writes no note of its own today; any it writes must be bilingual."""
    for fname in ("cn_io_2017_42.csv", "cn_io_2020_153.csv"):
        check_notes(lianpu.load(nbs_dir / fname).notes, fname)


@pytest.fixture(scope="module")
def chnio_tables(chnio_cache):
    """Every CHNIO table of the registry: 151 provincial tables 1997–2017 and the national
    ones 1990–2000 (the ones test_chnio.py loads)."""
    ids = [d.id for d in registry.datasets(provincial=True) if d.format == "chnio"]
    return {i: lianpu.load(i, data_dir=chnio_cache) for i in ids}


# each branch of the CHNIO readers' notes, and a table that takes it (found by loading all)
CHNIO_BRANCHES = {
    "trade exceeds gross output": "cn-prov-2017-50",          # Chongqing transit trade
    "inflows exceed local use": "cn-prov-2017-50",
    "operating surplus VA004 = 0": "cn-prov-2017-51",
    "publish net outflow (NOF) only": "cn-prov-2002-11",
    "trade is not split by partner: outflow (FU302": "cn-prov-2007-11",
    "blank cell(s) in the data": "cn-prov-2002-45",
    "disagree with their detail": "cn-prov-2002-32",
    "balance tolerance widened": "cn-prov-2002-35",
    "negative entr(y/ies)": "cn-prov-1997-13",
    "1997: trade is not split by partner": "cn-prov-1997-11",
    "调出 is read as net outflow": "cn-prov-1997-23",
    "the columns beyond 总产出": "cn-prov-1997-23",
    "the workbook holds other sheets too": "cn-prov-1997-21",
    "net exports (净出口) only": "cn-nbs-1990-33",
    "MPS-era layout": "cn-nbs-1990-33",
    "subtotal rows and columns (T1, T2, TM, T3, TNM)": "cn-nbs-1995-33",
}


def test_chnio_notes_every_table(chnio_tables):
    for tid, t in chnio_tables.items():
        check_notes(t.notes, tid)
    for text, tid in CHNIO_BRANCHES.items():
        assert any(text in n for n in chnio_tables[tid].notes), (text, tid)


def test_chnio_notes_chinese_facts(chnio_tables):
    # the shared/data README: Chongqing 2017 inflow 79,221 and outflow 77,283 亿元 against
    # gross output 55,915 (as test_chnio.py pins the English)
    cq = next(n for n in chnio_tables["cn-prov-2017-50"].notes if "exceeds gross output" in n)
    assert "重庆" in cq.zh and "2017" in cq.zh and "过境贸易" in cq.zh
    assert all(v in cq.zh for v in ("79,221 亿元", "77,283 亿元", "55,915 亿元"))
    va = next(n for n in chnio_tables["cn-prov-2017-51"].notes if "VA004 = 0 in 01" in n)
    assert "营业盈余 VA004 = 0" in va.zh and "劳动者报酬 VA001" in va.zh
    flaw = next(n for n in chnio_tables["cn-prov-2002-32"].notes if "disagree" in n)
    # the Chinese lists the same disagreements (each "… 为 found，公布值为 expected") as the English
    assert flaw.zh.count("公布值为") == str(flaw).count("against the published")
    nof = next(n for n in chnio_tables["cn-prov-2002-11"].notes if "NOF" in n)
    assert "净流出（NOF）" in nof.zh and "本地视角" in nof.zh


# ---------------------------------------------------------------------------- generated files
@pytest.fixture(autouse=True)
def _cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LIANPU_DATA", str(tmp_path / "data"))


def test_icio_notes(tmp_path):
    f = tmp_path / "ICIO2023_2019.csv"
    fx.write_icio(f, extended=True)
    merged = icio.read_icio(f, cache=False)
    assert merged.notes[0] == "CN1, CN2 merged into CHN (split='merge')"
    assert merged.notes[0].zh == "CN1、CN2 已合并为 CHN（split='merge'）"
    kept = icio.read_icio(f, split="keep", cache=False)
    assert kept.notes[0] == ("CN1, CN2 kept as regions (split='keep'); their final demand stays "
                             "under CHN/MEX")
    plain = tmp_path / "ICIO2023_2020.csv"
    fx.write_icio(plain)
    one = icio.read_icio(plain, cache=False)
    assert len(one.notes) == 1 and one.notes[0].startswith(
        "taxes less subsidies on final products (TLS row, final-demand columns: ")
    for t in (merged, kept, one):
        assert t.notes[-1].endswith(" million USD) are not part of V")
        check_notes(t.notes, t.name)


def test_exiobase_notes(tmp_path):
    z = fx.write_exiobase(tmp_path)
    t = exiobase.read_exiobase(z, cache=False)
    assert t.notes[0] == ("VA = x − 1'Z: the balancing item (value added and taxes); the "
                          "factor-input rows are satellites")
    assert t.notes[1].startswith("extensions read: ") and "平衡项" in t.notes[0].zh
    none = exiobase.read_exiobase(z, extensions=[], cache=False)
    assert none.notes[1] == "extensions read: none" and none.notes[1].zh == "已读取的扩展：无"
    for table in (t, none):
        check_notes(table.notes, table.name)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_ceads_mrio_notes(frames, tmp_path, suffix):
    _, parts = frames
    t = lianpu.load(ceads.write(ceads.layout(parts), tmp_path / f"ceads_mrio_2017{suffix}"))
    assert list(t.notes) == ["competitive imports: foreign imports are the column ('ROW', 'IM')"]
    assert "竞争型进口" in t.notes[0].zh
    check_notes(t.notes, t.name)


def test_pymrio_notes():
    pymrio = pytest.importorskip("pymrio", reason="pymrio is in the test extras")
    t = lianpu.IOTable.from_pymrio(pymrio.load_test())
    assert any("do not close the columns" in n for n in t.notes)
    # the index-name notes are read back by to_pymrio (English, unchanged)
    assert "pymrio extension 'emissions' index: stressor, compartment" in t.notes
    check_notes(t.notes, "pymrio test system")
    back = t.to_pymrio()
    assert list(back.emissions.F.index.names) == ["stressor", "compartment"]
