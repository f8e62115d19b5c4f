"""lianpu.core.notes: a Note is its English text (a ``str``) and carries its Chinese in ``.zh``.

What is pinned is the contract the rest of lianpu relies on: an existing ``notes`` tuple of
plain strings keeps working when some entries are Notes (equality, hashing, joining, JSON all
see the English), the Chinese survives pickling (Dask workers, the dashboard's process pool)
and a file's parallel ``notes`` / ``notes_zh`` lists (:func:`pair`), and text without a twin is
shown as written (:func:`zh`). The example texts are the domestic view's note
(src/lianpu/table_views.py) and made-up user notes."""
from __future__ import annotations

import copy
import json
import pickle

from lianpu.core.notes import Note, notes_zh, pair, text, zh

EN = "domestic view by import proportionality"
ZH = "国内视角：按进口比例假设把中间使用和最终使用拆分为国产品和进口品"


def test_a_note_is_its_english_text():
    n = Note(EN, ZH)
    assert isinstance(n, str) and n == EN and EN == n and n.zh == ZH
    assert hash(n) == hash(EN) and n in {EN} and EN in (n,)
    assert str(n) == EN and type(str(n)) is str           # str() gives the plain English
    assert n.startswith("domestic") and n.upper() == EN.upper()
    assert " ".join([n, "x"]) == EN + " x"                  # joining gives plain English text
    assert f"{n}" == EN and n + "." == EN + "."
    assert n != ZH                                          # the Chinese is not the note's value
    # two twins of the same English are equal as notes (comparison is the English text's)
    assert Note(EN, ZH) == Note(EN, "另一种译法")


def test_repr_shows_both():
    assert repr(Note("a", "甲")) == "Note('a', '甲')"


def test_json_writes_the_english():
    n = Note(EN, ZH)
    assert json.dumps(n) == json.dumps(EN)
    assert json.loads(json.dumps({"notes": [n, "plain"]}, ensure_ascii=False)) == \
        {"notes": [EN, "plain"]}


def test_pickle_and_copy_keep_the_chinese():
    n = Note(EN, ZH)
    for back in (pickle.loads(pickle.dumps(n)), pickle.loads(pickle.dumps((n, "x")))[0],
                 copy.copy(n), copy.deepcopy(n)):
        assert isinstance(back, Note) and back == EN and back.zh == ZH


def test_zh_and_text_fall_back_to_the_text_as_written():
    n = Note(EN, ZH)
    assert zh(n) == ZH and text(n, "zh") == ZH and n.text("zh") == ZH
    assert text(n, "en") == EN and n.text() == EN and type(text(n, "en")) is str
    assert zh("a note the user wrote") == "a note the user wrote"
    assert text("a note the user wrote", "zh") == "a note the user wrote"
    assert Note("no twin").zh == "no twin" and Note("no twin", "").zh == "no twin"
    assert notes_zh((n, "plain", Note("b", "乙"))) == (ZH, "plain", "乙")
    assert notes_zh(()) == ()


def test_pair_rebuilds_notes_from_parallel_lists():
    back = pair([EN, "plain", "b"], [ZH, "plain", "乙"])
    assert back == (EN, "plain", "b")
    assert isinstance(back[0], Note) and back[0].zh == ZH and back[2].zh == "乙"
    assert type(back[1]) is str                             # Chinese = English: no twin
    # a file written before notes_zh existed, or a shorter / empty entry: plain English
    assert all(type(n) is str for n in pair([EN, "b"], None))
    short = pair([EN, "b"], [ZH])
    assert isinstance(short[0], Note) and type(short[1]) is str
    assert type(pair([EN], [""])[0]) is str
    assert notes_zh(pair([EN, "b"], [ZH, "乙"])) == (ZH, "乙")   # pair inverts notes_zh
