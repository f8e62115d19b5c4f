"""Hostile text in a table must not act where lianpu writes it (issue 14, item 3).

Attacks stood for:
* formula injection — sector names like ``=HYPERLINK("http://x")``, ``+1``, ``@SUM(A1)``,
  ``-2+3`` become live formulas in Excel/LibreOffice when written to a workbook or CSV
  (``lianpu export``, the report workbook; the dashboard's downloads are in
  tests/web/test_hardening.py);
* terminal injection — names with rich markup (``[/b]`` crashed ``multipliers``, ``[link=…]``
  made hyperlinks) or raw escape sequences (window title, clear screen) printed by the CLI;
* lost user files — ``report --out`` into a report folder that also holds the user's files;
* interrupted writes — a ``report``/``export`` killed at any instant must leave the old or the
  new output at the path, and the next run removes the debris.
"""
from __future__ import annotations

import dataclasses
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

import lianpu
from lianpu.safe_text import csv_frame, csv_unescape, csv_value, plain

TID = "cn-nbs-2020-42"
FORMULAS = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "-2+3", "=cmd|' /C calc'!A0",
            "\t=1", "\r=1"]
MARKUP = ["[/b]", "[link=http://x]y[/link]", "\x1b]0;title\x07", "\x1b[2J", "[bold]"]
LIANPU = [sys.executable, "-m", "lianpu"]


def renamed(t, names):
    """``t`` with its first sectors (both languages) and its name set to hostile text."""
    sec = t.sectors.copy()
    for i, n in enumerate(names):
        sec.iloc[i, sec.columns.get_loc("name_zh")] = n
        sec.iloc[i, sec.columns.get_loc("name_en")] = n
    return dataclasses.replace(t, sectors=sec, name=names[0])


@pytest.fixture(scope="module")
def base(shared_data):
    return lianpu.load(TID, data_dir=shared_data)


@pytest.fixture(scope="module")
def evil(base):
    return renamed(base, FORMULAS)


@pytest.fixture(scope="module")
def competitive(shared_data):  # the CSV template holds competitive tables only
    return lianpu.load("cn-nbs-2020-153", data_dir=shared_data)


def assert_no_formulas(path, names=FORMULAS):
    """No cell is a formula; every hostile name that appears is a text cell."""
    wb = openpyxl.load_workbook(path)
    seen, numbers = set(), 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and c.value in names:
                    assert c.data_type == "s"
                    seen.add(c.value)
                if isinstance(c.value, (int, float)) and c.value < 0:
                    numbers += 1
    return seen, numbers


# ---------------------------------------------------------------------------- helpers
def test_helpers():
    assert [csv_value(v) for v in ("=a", "+1", "-2", "@x", "\tx", "\rx", "ok", -2.5)] == \
        ["'=a", "'+1", "'-2", "'@x", "'\tx", "'\rx", "ok", -2.5]
    assert csv_unescape("'=a") == "=a" and csv_unescape("'ok") == "'ok"
    import pandas as pd
    f = csv_frame(pd.DataFrame({"=c": ["=x", "y"], "v": [-1.0, 2.0]}, index=["@i", "j"]))
    assert list(f.columns) == ["'=c", "v"] and list(f.index) == ["'@i", "j"]
    assert f.iloc[0, 0] == "'=x" and f.iloc[0, 1] == -1.0
    assert plain("a\x1b[2Jb\x07\u202e") == "a\\x1b[2Jb\\x07\\u202e"


# ---------------------------------------------------------------------------- formulas
def test_export_xlsx_writes_names_as_text(evil, tmp_path):
    from lianpu.export import export_table
    p = export_table(evil, tmp_path / "t.xlsx")
    seen, negative = assert_no_formulas(p)
    assert seen == set(FORMULAS) - {"\r=1"}  # XML reads a bare CR back as a newline
    assert negative > 0  # negative numbers (inventory changes) stay numbers


def test_export_csv_quotes_formulas_and_reads_back(competitive, tmp_path):
    import csv
    from lianpu.export import export_table
    evil = renamed(competitive, FORMULAS)
    p = export_table(evil, tmp_path / "t.csv")
    with open(p, encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert "'=HYPERLINK(\"http://x\")" in cells and "'@SUM(A1)" in cells and "'-2+3" in cells
    assert [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))] == []
    assert any(c.startswith("-") and float(c) < 0 for c in cells if c[1:2].isdigit())
    back = lianpu.load(str(p))
    # round trip unchanged (the reader strips surrounding blanks from every cell, as before)
    assert list(back.sectors["name_zh"][:len(FORMULAS)]) == [n.strip() for n in FORMULAS]
    assert back.name == evil.name


def test_report_workbook_has_no_formulas(evil, tmp_path, shared_data):
    from lianpu.report import build_report
    index = build_report(evil, tracks=["aerospace"], out_dir=tmp_path / "r",
                         data_dir=shared_data)
    seen, _ = assert_no_formulas(index.with_name("lianpu-report.xlsx"))
    assert seen  # the names are in the workbook, as text


# ---------------------------------------------------------------------------- terminal
@pytest.fixture(scope="module")
def markup_csv(competitive, tmp_path_factory):
    from lianpu.export import export_table
    p = tmp_path_factory.mktemp("markup") / "markup.csv"
    export_table(renamed(competitive, MARKUP), p)
    return p


@pytest.mark.parametrize("cmd", [["multipliers"], ["keysectors"]])
def test_terminal_prints_names_literally(markup_csv, cmd):
    r = subprocess.run(LIANPU + cmd + [str(markup_csv), "--lang", "en"], capture_output=True,
                       timeout=120, env={**os.environ, "COLUMNS": "250"})
    out = r.stdout.decode("utf-8")
    assert r.returncode == 0, r.stderr.decode()
    assert b"\x1b" not in r.stdout and b"\x07" not in r.stdout
    assert "[/b]" in out and "[bold]" in out and "\\x1b[2J" in out  # shown as typed
    if cmd == ["multipliers"]:  # keysectors wraps its narrow name column
        assert "[link=http://x]y[/link]" in out and "\\x1b]0;title\\x07" in out


# ---------------------------------------------------------------------------- report --out
def test_report_out_keeps_user_files(base, tmp_path, shared_data):
    from lianpu.report import build_report
    from lianpu.report.build import ReportError
    out = tmp_path / "r"
    build_report(base, tracks=["aerospace"], out_dir=out, data_dir=shared_data)
    mine = out / "my-notes.txt"
    mine.write_text("mine", encoding="utf-8")
    with pytest.raises(ReportError, match=r"also holds files lianpu did not write "
                                          r"\(my-notes\.txt\)"):
        build_report(base, tracks=["aerospace"], out_dir=out, data_dir=shared_data)
    assert mine.read_text(encoding="utf-8") == "mine"
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # nothing half-built left


def test_report_restores_a_report_parked_by_a_killed_swap(base, tmp_path, shared_data):
    """The two-rename fallback killed between its renames: the next run puts it back."""
    from lianpu.report import build_report
    from lianpu.report.build import recover
    out = tmp_path / "r"
    build_report(base, tracks=["aerospace"], out_dir=out, data_dir=shared_data)
    parked = tmp_path / ".r.old-999999999-x"
    os.replace(out, parked)
    (tmp_path / ".r.building-999999999-y").mkdir()
    recover(out)
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_created_with_the_umask(base, tmp_path):
    from lianpu.export import export_table
    old = os.umask(0o027)
    try:
        from lianpu import atomic
        atomic.umask.cache_clear()
        p = export_table(base, tmp_path / "t.xlsx")
        assert p.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)
        atomic.umask.cache_clear()


# ---------------------------------------------------------------------------- kill test
def _complete_report(out: Path) -> bool:
    html = (out / "index.html").read_text("utf-8")
    openpyxl.load_workbook(out / "lianpu-report.xlsx", read_only=True).close()
    return html.rstrip().endswith("</html>") and (out / ".lianpu-report").is_file()


def _complete_xlsx(p: Path) -> bool:
    openpyxl.load_workbook(p, read_only=True).close()
    return True


def _run_and_kill(args, delay):
    proc = subprocess.Popen(LIANPU + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)


@pytest.mark.parametrize("what", ["report", "export"])
def test_killed_at_random_instants_leaves_old_or_new(what, tmp_path, shared_data):
    """Seeded SIGKILLs over a run's whole span; after each the path holds a complete output,
    and a normal run afterwards removes every leftover."""
    rng = random.Random(14)
    if what == "report":
        out = tmp_path / "r"
        args = ["report", TID, "--out", str(out), "--tracks", "aerospace", "--data-dir",
                str(shared_data)]
        check = _complete_report
    else:
        out = tmp_path / "t.xlsx"
        args = ["export", TID, "--to", str(out), "--data-dir", str(shared_data)]
        check = _complete_xlsx
    t0 = time.monotonic()
    subprocess.run(LIANPU + args, check=True, capture_output=True, timeout=120)
    span = time.monotonic() - t0
    assert check(out)
    for _ in range(5 if what == "report" else 6):
        _run_and_kill(args, rng.uniform(0.3 * span, 1.05 * span))
        assert out.exists() and check(out)  # the old or the new output, complete
    subprocess.run(LIANPU + args, check=True, capture_output=True, timeout=120)
    assert check(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # debris removed


def test_nul_in_a_name_is_refused_where_it_enters():
    """Issue 14: a NUL inside a sector name made the xlsx export crash later; a table built in
    Python now refuses it with the place named (readers already refuse it in files)."""
    import lianpu
    with pytest.raises(lianpu.TableError, match=r"row '1', column 'name_zh': sector label holds "
                                                r"a NUL character \(found '\\x00'"):
        lianpu.IOTable.from_arrays([[1, 0], [0, 1]], [[5], [5]], names_zh=["a\x00b", "c"])


def test_control_characters_in_names_do_not_break_the_workbook(tmp_path):
    """A name with ESC or BEL (kept by the table, escaped on screen) is written to Excel with
    the character shown escaped, instead of crashing the writer (openpyxl refuses C0 controls)."""
    import openpyxl

    import lianpu
    from lianpu.export import export_table as export
    t = lianpu.IOTable.from_arrays([[1, 0], [0, 1]], [[5], [5]],
                                   names_zh=["a\x1b[2Jb", "c\x07"])
    out = export(t, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(out, read_only=True)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row
             if isinstance(c, str)]
    assert "a\\x1b[2Jb" in cells and "c\\x07" in cells
