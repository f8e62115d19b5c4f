"""The one text-decoding rule of the readers (lianpu.readers.base.decode_text): UTF-8, UTF-8
with BOM, GB18030 (what Chinese Excel writes), UTF-16 with BOM — for files read whole
(read_text) and for streamed ones (text_encoding / stream_encoding: ICIO, EXIOBASE); and the
registry saying a reader's failure instead of a bare "unknown table format"."""
from __future__ import annotations

import codecs
import io
import zipfile

import pytest

import lianpu
from lianpu.core.errors import FormatError
from lianpu.readers import base

TEXT = "code,name_zh\n01,农林牧渔产品和服务\n"


@pytest.mark.parametrize("raw, enc", [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("gb18030"), "gb18030"),
    (TEXT.encode("utf-16"), "utf-16"),  # Python writes the BOM
])
def test_one_rule_for_whole_and_streamed_files(tmp_path, raw, enc):
    p = tmp_path / "t.csv"
    p.write_bytes(raw)
    assert base.read_text(p) == TEXT
    assert base.text_encoding(p) == enc
    with open(p, "rb") as fh:  # the stream is rewound for the reader that follows
        assert base.stream_encoding(fh, p.name) == enc and fh.read() == raw
    with open(p, encoding=enc, newline="") as fh:  # the codec opens the file as text
        assert fh.read().lstrip("\ufeff") == TEXT


def test_stream_encoding_of_a_zip_member(tmp_path):
    p = tmp_path / "t.zip"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("IOT/x.txt", TEXT.encode("gb18030"))
    with zipfile.ZipFile(p) as z, z.open("IOT/x.txt") as fh:
        enc = base.stream_encoding(fh, "t.zip/IOT/x.txt")
        assert enc == "gb18030"
        assert io.TextIOWrapper(fh, encoding=enc, newline="").read() == TEXT


def test_a_cut_multibyte_character_at_the_head_boundary_still_decodes(tmp_path):
    # the head is the first MiB: a 3-byte UTF-8 character cut there must not make it GB18030
    body = ("x" * (base.HEAD_BYTES - 1) + "农\n").encode("utf-8")
    p = tmp_path / "long.csv"
    p.write_bytes(body)
    assert base.text_encoding(p) == "utf-8"


def test_undecodable_file_is_a_format_error_naming_the_file(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_bytes(b"a,b\n" + b"\x81\x30" * 10 + b"\xff\xff\n")  # neither UTF-8 nor GB18030
    for call in (base.read_text, base.text_encoding):
        with pytest.raises(FormatError, match=r"bad\.csv.*cannot decode the file.*GB18030"):
            call(p)
    with pytest.raises(FormatError, match=r"missing\.csv: file not found"):
        base.text_encoding(tmp_path / "missing.csv")


def test_registry_says_which_reader_failed_on_the_file(tmp_path):
    """A .xls that is no workbook: the chnio reader's sniff fails (xlrd cannot open it); that
    failure is in the error, before "unknown table format" (it used to be swallowed)."""
    p = tmp_path / "sheet.xls"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(FormatError) as e:
        lianpu.load(p)
    msg = str(e.value)
    assert "the chnio reader fails on it: cannot be read as an Excel 97–2003 workbook" in msg
    assert "XLRDError" in msg and msg.endswith("describes them)")
    assert "unknown table format" in msg


def test_same_failure_of_several_readers_is_said_once(tmp_path):
    p = tmp_path / "fake.xlsx"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(FormatError) as e:
        lianpu.load(p)
    msg = str(e.value)
    assert msg.count("BadZipFile: File is not a zip file") == 1
    assert "generic" in msg.split("fail on it")[0] and "workbook" in msg.split("fail on it")[0]


def _with_reader(monkeypatch, guess):
    reader = base.Reader("probe", "a test reader that probes the registry", guess,
                         lambda p, **k: None)
    monkeypatch.setattr(base, "_cache", {"probe": reader})


def test_a_bug_in_a_sniff_stays_a_traceback(tmp_path, monkeypatch):
    p = tmp_path / "t.csv"
    p.write_text(TEXT, encoding="utf-8")

    def buggy(path):
        return {}["no such key"]  # our own KeyError: a bug, not the file's fault
    _with_reader(monkeypatch, buggy)
    with pytest.raises(KeyError):
        base.detect(p)

    def refuses(path):
        raise FormatError(f"{path.name}: row 12: looks like an NBS table but TIU is missing")
    _with_reader(monkeypatch, refuses)
    with pytest.raises(FormatError, match=r"t\.csv: the probe reader fails on it: row 12: "
                                          r"looks like an NBS table"):
        base.detect(p)
