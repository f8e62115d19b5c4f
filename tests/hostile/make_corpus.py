"""Build the hostile-input corpus (issue 14) from the real files in ../shared/data.

Each case is a mutation of a real table (NBS 2015, 42 sectors, competitive; OECD China 2018;
the generic template and the native Parquet file written from the NBS table; spending
profiles) with the exception class and the message fragment it must give. Nothing is
committed: :func:`build` writes the files into a folder at test time.

Run as a script to print the outcome line::

    python tests/hostile/make_corpus.py [DATA_DIR]     # → "N clear of N"
"""
from __future__ import annotations

import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

if __package__:   # imported by the tests
    from .corpus_ctx import (AE, FE, LONG, NBS, OECD, TE, Ctx, _drop_col, _edit,  # noqa: F401
                             _set_meta, _set_shape, _xlsx, _zip)
else:             # run as a script (python tests/hostile/make_corpus.py)
    from corpus_ctx import (AE, FE, LONG, NBS, OECD, TE, Ctx, _drop_col, _edit,  # noqa: F401
                            _set_meta, _set_shape, _xlsx, _zip)


@dataclass(frozen=True)
class Case:
    name: str          # mutation id
    kind: str          # the class of the list: encodings, delimiters, …
    make: Callable     # make(ctx) -> path (or a callable for API cases)
    error: str | None  # expected exception class name; None: loads and equals the original
    fragment: str      # expected message fragment (or '' when it loads)
    action: str = "load"   # load | demand | call
    format: str | None = None  # lianpu.load(path, format=…) for a forced reader


# ---------------------------------------------------------------------------- the cases
def cases() -> list[Case]:
    C = Case
    return [
        # encodings ---------------------------------------------------------------------
        C("nbs-gbk", "encodings", lambda c: c.write("gbk.csv", c.nbs_text, "gb18030"), None, ""),
        C("nbs-utf8-bom", "encodings", lambda c: c.write("bom.csv", c.nbs_text, "utf-8-sig"),
          None, ""),
        C("nbs-utf16-bom", "encodings", lambda c: c.write("u16.csv", c.nbs_text, "utf-16"),
          None, ""),
        C("nbs-utf16-no-bom", "encodings",
          lambda c: c.write("u16le.csv", c.nbs_text, "utf-16-le"), FE,
          "looks like UTF-16 without a byte-order mark"),
        C("nbs-bad-bytes", "encodings",
          lambda c: c.write("badbytes.csv", c.nbs_text.encode() + b"\x80\xff\xfe\x00"[:3]),
          FE, "cannot decode the file"),
        C("oecd-gbk", "encodings", lambda c: c.write("oecd_gbk_2018.csv", c.oecd_text, "gbk"),
          None, ""),
        C("generic-utf16-over-1mib", "encodings", lambda c: _big_names(c, "utf-16"), None, ""),
        C("generic-utf8-over-1mib", "encodings", lambda c: _big_names(c, "utf-8"), None, ""),
        C("generic-utf16", "encodings",
          lambda c: c.write("gen16.csv", c.generic_text, "utf-16"), None, ""),
        # delimiters --------------------------------------------------------------------
        C("nbs-semicolon", "delimiters",
          lambda c: c.write("semi.csv", c.join(c.rows(), ";")), FE, "delimiter ';'"),
        C("nbs-tab", "delimiters",
          lambda c: c.write("tab.csv", c.join(c.rows(), "\t")), FE, "delimiter tab"),
        C("oecd-semicolon", "delimiters",
          lambda c: c.write("oecd_semi.csv", c.join(c.rows("oecd"), ";")), FE,
          "closest is oecd"),
        C("generic-tab", "delimiters",
          lambda c: c.write("gen_tab.csv", c.join(c.rows("generic"), "\t")), FE,
          "closest is generic"),
        # title rows --------------------------------------------------------------------
        C("nbs-title-row", "title rows",
          lambda c: c.write("title.csv", "2015年投入产出表\n" + c.nbs_text), FE,
          "header row found at line 2"),
        C("nbs-two-title-rows", "title rows",
          lambda c: c.write("title2.csv", "表1\n单位：万元\n" + c.nbs_text), FE,
          "header row found at line 3"),
        C("oecd-title-row", "title rows",
          lambda c: c.write("oecd_title.csv", "OECD IOT\n" + c.oecd_text), FE,
          "header row found at line 2"),
        C("generic-title-row", "title rows",
          lambda c: c.write("gen_title.csv", "my table\n" + c.generic_text), FE,
          "closest is generic"),
        # missing / extra columns -------------------------------------------------------
        C("nbs-no-go", "missing/extra columns",
          lambda c: c.write("nogo.csv", c.join(_drop_col(c.rows(), "GO"))), FE,
          "no 'GO' column"),
        C("nbs-no-tiu", "missing/extra columns",
          lambda c: c.write("notiu.csv", c.join(_drop_col(c.rows(), "TIU"))), FE,
          "no 'TIU' column"),
        C("nbs-column-after-go", "missing/extra columns",
          lambda c: c.write("aftergo.csv", c.join([r + (["EXTRA"] if i == 0 else ["1"])
                                                   for i, r in enumerate(c.rows())])),
          FE, "column after 'GO'"),
        C("nbs-unknown-fu", "missing/extra columns",
          lambda c: c.write("fu.csv", c.join([r[:-1] + (["FOO"] if i == 0 else ["0"]) + r[-1:]
                                              for i, r in enumerate(c.rows())])),
          FE, "unknown final-use column"),
        C("nbs-drop-sector-col", "missing/extra columns",
          lambda c: c.write("dropsec.csv", c.join(_drop_col(c.rows(), "05"))), FE,
          "code not in the header"),
        C("oecd-no-impo", "missing/extra columns",
          lambda c: c.write("oecd_noimpo.csv", c.join(_drop_col(c.rows("oecd"), "IMPO"))), FE,
          "no 'IMPO' column"),
        C("generic-no-fd", "missing/extra columns",
          lambda c: c.write("gen_nofd.csv", c.join(
              [[v for v, h in zip(r, c.rows("generic")[0]) if not h.startswith("FD:")]
               for r in c.rows("generic")])), FE, "no final-demand column"),
        # non-numbers -------------------------------------------------------------------
        C("nbs-text-cell", "non-numbers",
          lambda c: c.write("text.csv", c.cell("nbs", "07", "12", "abc")), FE,
          "row '07', column '12': cell is not a number"),
        C("nbs-empty-cell", "non-numbers",
          lambda c: c.write("empty.csv", c.cell("nbs", "07", "12", "")), FE, "cell is empty"),
        C("nbs-decimal-comma", "non-numbers",
          lambda c: c.write("comma.csv", c.cell("nbs", "07", "12", "1,5")), FE,
          "found '1,5'"),
        C("oecd-text-cell", "non-numbers",
          lambda c: c.write("oecd_text_2018.csv", c.cell("oecd", "05", "10", "n/a")), FE,
          "cell is not a number"),
        C("generic-text-cell", "non-numbers",
          lambda c: c.write("gen_text.csv", c.cell("generic", "03", "04", "x1")), FE,
          "cell is not a number"),
        # NaN / inf ---------------------------------------------------------------------
        C("nbs-nan", "NaN/inf", lambda c: c.write("nan.csv", c.cell("nbs", "07", "12", "nan")),
          FE, "row '07', column '12'"),
        C("nbs-inf", "NaN/inf", lambda c: c.write("inf.csv", c.cell("nbs", "07", "12", "inf")),
          FE, "not a finite number"),
        C("nbs-1e400", "NaN/inf",
          lambda c: c.write("e400.csv", c.cell("nbs", "07", "GO", "1e400")), FE,
          "not a finite number"),
        C("oecd-inf", "NaN/inf",
          lambda c: c.write("oecd_inf_2018.csv", c.cell("oecd", "05", "10", "-inf")), FE,
          "not a finite number"),
        C("generic-nan", "NaN/inf",
          lambda c: c.write("gen_nan.csv", c.cell("generic", "03", "04", "NaN")), FE,
          "not a finite number"),
        C("native-nan-value", "NaN/inf", lambda c: _native_nan(c), FE, "not finite"),
        # huge fields -------------------------------------------------------------------
        C("nbs-huge-name", "huge fields",
          lambda c: c.write("hugename.csv", c.cell("nbs", "07", "Description", "x" * 200_000)),
          FE, "field too long"),
        C("generic-huge-name", "huge fields",
          lambda c: c.write("gen_huge.csv", c.cell("generic", "03", "name_en", "y" * 140_000)),
          FE, "more than 131,072 characters"),
        C("oecd-huge-cell", "huge fields",
          lambda c: c.write("oecd_huge_2018.csv", c.cell("oecd", "05", "10", "9" * 150_000)),
          FE, "field too long"),
        C("nbs-5000-digits", "huge fields",
          lambda c: c.write("digits.csv", c.cell("nbs", "07", "12", "9" * 5000)), FE,
          "row '07', column '12'"),
        # NUL bytes ---------------------------------------------------------------------
        C("nbs-nul-name", "NUL bytes",
          lambda c: c.write("nul.csv", c.cell("nbs", "07", "DescriptionInChinese", "煤\x00炭")),
          FE, "NUL character"),
        C("nbs-nul-number", "NUL bytes",
          lambda c: c.write("nul2.csv", c.cell("nbs", "07", "12", "1\x002")), FE,
          "NUL character"),
        C("generic-nul-name", "NUL bytes",
          lambda c: c.write("gen_nul.csv", c.cell("generic", "03", "name_zh", "a\x00b")), FE,
          "NUL character"),
        C("demand-nul", "NUL bytes", lambda c: c.demand("d_nul.csv", "01,1\x000,万元\n"), FE,
          "NUL character", "demand"),
        # duplicate codes ---------------------------------------------------------------
        C("nbs-dup-row", "duplicate codes",
          lambda c: c.write("duprow.csv", c.join(_rename_row(c.rows(), "05", "04"))), FE,
          "duplicated sector row"),
        C("nbs-dup-header", "duplicate codes",
          lambda c: c.write("duphead.csv", c.join(_rename_head(c.rows(), "05", "04"))), FE,
          "duplicated sector code in header"),
        C("oecd-dup-header", "duplicate codes",
          lambda c: c.write("oecd_dup_2018.csv", c.join(_rename_head(c.rows("oecd"), "05", "04"))),
          FE, "duplicated column in header"),
        C("generic-dup-row", "duplicate codes",
          lambda c: c.write("gen_dup.csv", c.join(_rename_row(c.rows("generic"), "05", "04"))),
          FE, "duplicated row code"),
        # unbalanced rows ---------------------------------------------------------------
        C("nbs-long-row", "unbalanced rows",
          lambda c: c.write("longrow.csv", c.join([r + (["9"] if r[0] == "07" else [])
                                                   for r in c.rows()])), FE,
          "row has more cells than the header"),
        C("nbs-short-row", "unbalanced rows",
          lambda c: c.write("shortrow.csv", c.join([r[:-5] if r[0] == "07" else r
                                                    for r in c.rows()])), FE, "cell is empty"),
        C("nbs-total-mismatch", "unbalanced rows",
          lambda c: c.write("tiu.csv", c.cell("nbs", "07", "TIU", "1")), TE,
          "does not match the published total"),
        C("oecd-long-row", "unbalanced rows",
          lambda c: c.write("oecd_long_2018.csv", c.join([r + (["1"] if r[0] == "05" else [])
                                                          for r in c.rows("oecd")])), FE,
          "row has more cells than the header"),
        C("generic-long-row", "unbalanced rows",
          lambda c: c.write("gen_long.csv", c.join([r + (["1"] if r[0] == "05" else [])
                                                    for r in c.rows("generic")])), FE,
          "row has more cells than the header"),
        # negative flows ----------------------------------------------------------------
        C("generic-negative-flow", "negative flows",
          lambda c: c.write("gen_neg.csv", c.cell("generic", "03", "04", "-5")), TE,
          "negative"),
        C("oecd-positive-imports", "negative flows",
          lambda c: c.write("oecd_imp_2018.csv", c.cell("oecd", "05", "IMPO", "5")), FE,
          "imports must be stored negative-signed"),
        # truncated files ---------------------------------------------------------------
        C("nbs-truncated-half", "truncated files",
          lambda c: c.write("half.csv", "\n".join(c.lines()[:20]) + "\n"), FE, "missing"),
        C("nbs-truncated-midline", "truncated files",
          lambda c: c.write("mid.csv", c.nbs_text[:len(c.nbs_text) - 300]), FE, "TI"),
        C("nbs-header-only", "truncated files",
          lambda c: c.write("headonly.csv", c.lines()[0] + "\n"), FE, "row missing"),
        C("missing-file", "truncated files", lambda c: c.out / "nope.csv", FE, "file not found"),
        C("folder-not-file", "truncated files", lambda c: _folder(c), FE, "Is a directory"),
        C("empty-file", "truncated files", lambda c: c.write("empty0.csv", b""), FE,
          "the file is empty"),
        C("native-truncated", "truncated files",
          lambda c: c.write("trunc.parquet", c.native_path.read_bytes()[:-200]), FE,
          "unknown table format"),
        # tampered Parquet metadata -----------------------------------------------------
        C("native-huge-shape", "tampered Parquet metadata",
          lambda c: c.native("huge.parquet", _set_shape("Z", [10**7, 10**7])), FE,
          "impossible shape"),
        C("native-negative-shape", "tampered Parquet metadata",
          lambda c: c.native("negshape.parquet", _set_shape("Y", [42, -1])), FE,
          "impossible shape"),
        C("native-shape-mismatch", "tampered Parquet metadata",
          lambda c: c.native("mismatch.parquet", _set_shape("Z", [3, 3])), FE,
          "does not match the labels"),
        C("native-no-shapes", "tampered Parquet metadata",
          lambda c: c.native("noshapes.parquet", _set_meta("shapes", None)), FE,
          "no block shapes"),
        C("native-no-sectors", "tampered Parquet metadata",
          lambda c: c.native("nosec.parquet", lambda m: {k: v for k, v in m.items()
                                                        if k != "sectors"}), FE,
          "label frames missing or broken"),
        C("native-bad-position", "tampered Parquet metadata",
          lambda c: c.native("pos.parquet", _set_meta("value_added_rows", [999])), FE,
          "metadata is malformed (found IndexError"),
        C("native-sectors-string", "tampered Parquet metadata",
          lambda c: c.native("secstr.parquet", _set_meta("sectors", "oops")), FE,
          "label frames missing or broken"),
        C("native-bad-json", "tampered Parquet metadata",
          lambda c: c.native("json.parquet", lambda m: b"{not json"), FE, "not valid JSON"),
        C("native-no-key", "tampered Parquet metadata", lambda c: _native_nokey(c), FE,
          "unknown table format"),
        C("native-satellites-int", "tampered Parquet metadata",
          lambda c: c.native("sat.parquet", _set_meta("satellites", 5)), FE,
          "metadata is malformed (found TypeError"),
        C("native-newer-version", "tampered Parquet metadata",
          lambda c: c.native("v9.parquet", _set_meta("version", 9)), FE, "newer lianpu format"),
        # zip / xlsx oddities -----------------------------------------------------------
        C("xlsx-nbs-ok", "zip/xlsx oddities", lambda c: _xlsx(c, "nbs_2015_42.xlsx"), None, ""),
        C("xlsx-text-cell", "zip/xlsx oddities",
          lambda c: _xlsx(c, "text.xlsx", lambda r: _edit(r, "07", "12", "abc")), FE,
          "cell is not a number"),
        C("xlsx-broken-number-xml", "zip/xlsx oddities", lambda c: _xlsx_bad_number(c), FE,
          "cannot read the workbook"),
        C("ceads-empty-zip", "zip/xlsx oddities",
          lambda c: _zip(c, "ceads_nowb.xlsx", {"hello.txt": "hi"}), FE,
          "the ceads_mrio reader cannot parse the file", format="ceads_mrio"),
        C("workbook-broken-number-xml", "zip/xlsx oddities", lambda c: _xlsx_bad_number(c), FE,
          "the workbook reader cannot parse the file", format="workbook"),
        C("ceads-folder", "truncated files", lambda c: _folder(c), FE, "cannot read the file",
          format="ceads_mrio"),
        C("xlsx-not-a-zip", "zip/xlsx oddities", lambda c: c.write("fake.xlsx", c.nbs_text), FE,
          "unknown table format"),
        C("xlsx-truncated", "zip/xlsx oddities",
          lambda c: c.write("cut.xlsx", _xlsx(c, "_full.xlsx").read_bytes()[:3000]), FE,
          "unknown table format"),
        C("xlsx-empty-zip", "zip/xlsx oddities",
          lambda c: _zip(c, "nowb.xlsx", {"hello.txt": "hi"}), FE, "unknown table format"),
        C("csv-is-a-zip", "zip/xlsx oddities",
          lambda c: c.write("zip.csv", _xlsx(c, "_z.xlsx").read_bytes()), FE,
          "unknown table format"),
        C("parquet-is-csv", "zip/xlsx oddities",
          lambda c: c.write("csv.parquet", c.nbs_text), FE, "unknown table format"),
        # long ids ----------------------------------------------------------------------
        C("nbs-long-id", "long ids",
          lambda c: c.write("longid.csv", c.join(_rename_head(_rename_row(c.rows(), "05", LONG),
                                                              "05", LONG))), FE,
          "code too long (found 300 characters, expected at most 255)"),
        C("generic-long-id", "long ids",
          lambda c: c.write("gen_longid.csv", c.join(_rename_head(
              _rename_row(c.rows("generic"), "05", LONG), "05", LONG))), FE, "code too long"),
        C("oecd-long-id", "long ids",
          lambda c: c.write("oecd_longid_2018.csv", c.join(_rename_head(
              _rename_row(c.rows("oecd"), "05", LONG), "05", LONG))), FE, "code too long"),
        # bad demand files --------------------------------------------------------------
        C("demand-decimal-comma", "bad demand files",
          lambda c: c.demand("d_comma.csv", '01,"1,5",亿元\n'), FE, "a decimal comma?",
          "demand"),
        C("demand-thousands", "bad demand files",
          lambda c: c.demand("d_thou.csv", '01,"1,500",万元\n'), None, "1500", "demand"),
        C("demand-european", "bad demand files",
          lambda c: c.demand("d_eu.csv", '01,"1.234,5",万元\n'), FE, "ambiguous comma",
          "demand"),
        C("demand-overflow", "bad demand files",
          lambda c: c.demand("d_over.csv", "01,1e308,万元\n01,1e308,万元\n"), FE,
          "demand is not finite", "demand"),
        C("demand-huge", "bad demand files",
          lambda c: c.demand("d_huge.csv", "01,1e300,万元\n"), FE, "demand amount out of range",
          "demand"),
        C("api-huge-array", "bad demand files",
          lambda c: (lambda: _as_demand(c, [1e305] + [0.0] * 41)), AE,
          "argument 'demand': demand amount out of range", "call"),
        C("web-huge", "bad demand files", lambda c: (lambda: _web(c, {"01": 1e300})), AE,
          "demand amount out of range", "call"),
        C("rda-garbage", "zip/xlsx oddities",
          lambda c: c.write("wiot_2011.RData", b"\x1f\x8b\x08\x00garbage" * 10), FE,
          "wiot_2011.RData"),
        C("nbs-quote-broken", "unbalanced rows",
          lambda c: c.write("quote.csv", c.nbs_text.replace('"', '', 1)), FE, "quote.csv"),
        C("demand-negative", "bad demand files",
          lambda c: c.demand("d_neg.csv", "01,-5,万元\n"), FE, "negative amount", "demand"),
        C("demand-nan", "bad demand files", lambda c: c.demand("d_nan.csv", "01,nan,万元\n"),
          FE, "not a finite number", "demand"),
        C("demand-unknown-sector", "bad demand files",
          lambda c: c.demand("d_sec.csv", "99,5,万元\n"), FE, "unknown sector code '99'",
          "demand"),
        C("demand-wrong-unit", "bad demand files",
          lambda c: c.demand("d_unit.csv", "01,5,美元\n"), FE, "column 'unit'", "demand"),
        C("demand-gbk", "bad demand files",
          lambda c: c.demand("d_gbk.csv", "01,5,万元\n", "gb18030"), None, "5", "demand"),
        C("demand-utf16", "bad demand files",
          lambda c: c.demand("d_u16.csv", "01,5,万元\n", "utf-16"), None, "5", "demand"),
        C("demand-bad-toml", "bad demand files",
          lambda c: c.write("d.toml", "unit = 亿元\n[amount\n"), FE, "d.toml", "demand"),
        C("api-negative-array", "bad demand files",
          lambda c: (lambda: _as_demand(c, [-1.0] + [0.0] * 41)), AE,
          "argument 'demand': negative demand", "call"),
        C("api-inf-array", "bad demand files",
          lambda c: (lambda: _as_demand(c, [float("inf")] + [0.0] * 41)), AE,
          "NaN or infinity", "call"),
        C("api-shape", "bad demand files", lambda c: (lambda: _as_demand(c, [1.0, 2.0])), AE,
          "expected (42,)", "call"),
        C("web-decimal-comma", "bad demand files", lambda c: (lambda: _web(c, {"01": "1,5"})),
          AE, "decimal comma", "call"),
        C("web-negative", "bad demand files", lambda c: (lambda: _web(c, {"01": -3})), AE,
          "negative demand", "call"),
        C("web-overflow", "bad demand files",
          lambda c: (lambda: _web(c, "01:1e308,01:1e308")), AE, "not a finite number", "call"),
        # writes ------------------------------------------------------------------------
        C("write-disk-full", "full disk", lambda c: (lambda: _disk_full(c)), "WriteError",
          "disk full", "call"),
        C("write-permission", "full disk", lambda c: (lambda: _no_permission(c)), "WriteError",
          "permission denied", "call"),
    ]


def _rename_row(rows, old, new):
    rows = [list(r) for r in rows]
    for r in rows[1:]:
        if r[0].strip() == old:
            r[0] = new
            break
    return rows


def _rename_head(rows, old, new):
    rows = [list(r) for r in rows]
    rows[0] = [new if h == old else h for h in rows[0]]
    return rows


def _xlsx_bad_number(c: Ctx) -> Path:
    """The generic template as .xlsx with one numeric cell's XML made unparsable."""
    import re

    from lianpu.readers.generic import write_table
    src = c.out / "_gen_src.xlsx"
    write_table(c.table, src)
    p = c.out / "badnum.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(p, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode()
                text = re.sub(r'(<c r="D2"[^>]*>)<v>[^<]*</v>', r"\1<v>.7.2.1</v>", text, count=1)
                data = text.encode()
            zout.writestr(item, data)
    return p


def _big_names(c: Ctx, enc: str) -> Path:
    """The generic file with 15,000-character names: over 1 MiB, so the format sniffer reads
    only its start and must not cut a character in two."""
    rows = c.rows("generic")
    for r in rows[1:43]:
        r[1] = "煤" * 15_000
    return c.write(f"bignames_{enc}.csv", c.join(rows), enc)


def _folder(c: Ctx) -> Path:
    p = c.out / "folder.csv"
    p.mkdir(exist_ok=True)
    return p


def _native_nan(c: Ctx) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq
    tbl = pq.read_table(c.native_path)
    vals = tbl.column("value").to_numpy().copy()
    vals[5] = float("nan")
    tbl = tbl.set_column(tbl.column_names.index("value"), "value", pa.array(vals))
    p = c.out / "nanval.parquet"
    pq.write_table(tbl, p)
    return p


def _native_nokey(c: Ctx) -> Path:
    import pyarrow.parquet as pq
    tbl = pq.read_table(c.native_path).replace_schema_metadata({})
    p = c.out / "nokey.parquet"
    pq.write_table(tbl, p)
    return p


def _as_demand(c: Ctx, arr):
    from lianpu.analysis.scenarios.demand import as_demand
    return as_demand(c.table, arr)


def _web(c: Ctx, d):
    from lianpu.web.views import parse_demand
    return parse_demand(c.table, d)


def _disk_full(c: Ctx):
    import errno
    from unittest import mock
    real = open

    def full(*a, **k):
        fh = real(*a, **k)
        def write(*_a, **_k):
            raise OSError(errno.ENOSPC, "No space left on device")
        fh.write = write
        return fh
    with mock.patch("builtins.open", full):
        from lianpu.atomic import atomic_open
        with atomic_open(c.out / "full.txt", "w") as fh:
            fh.write("x")


def _no_permission(c: Ctx):
    import errno
    from unittest import mock

    from lianpu.atomic import atomic_path
    with mock.patch("tempfile.mkstemp", side_effect=PermissionError(errno.EACCES, "denied")):
        with atomic_path(c.out / "ro" / "t.csv"):
            pass


# ---------------------------------------------------------------------------- running
def run_case(case: Case, ctx: Ctx):
    """(clear: bool, detail) of one case: the expected class and fragment, the file named."""
    import numpy as np

    import lianpu
    from lianpu.core.errors import LianpuError
    made = case.make(ctx)
    try:
        if case.action == "call":
            got = made()
        elif case.action == "demand":
            from lianpu.analysis.scenarios.demand import read_demand
            got = read_demand(made, ctx.table)
        else:
            got = lianpu.load(made, format=case.format)
    except LianpuError as exc:
        text = str(exc)
        named = case.action == "call" or made.name in text
        ok = (type(exc).__name__ == case.error or case.error in
              [k.__name__ for k in type(exc).__mro__]) and case.fragment in text and named
        return ok, f"{type(exc).__name__}: {text}"
    except Exception as exc:  # noqa: BLE001 - a traceback is exactly what the corpus counts
        return False, f"TRACEBACK {type(exc).__name__}: {exc}"
    if case.error is not None:
        return False, "accepted silently"
    if case.action == "demand":
        return str(int(got.amount.sum())) == case.fragment, f"amount {got.amount.sum()}"
    ref = ctx.oecd if case.name.startswith("oecd") else ctx.table
    same = all(np.array_equal(getattr(got, a), getattr(ref, a)) for a in ("Z", "Y", "V", "x"))
    return same, "loaded, numbers equal" if same else "loaded, numbers DIFFER"


def run(data: Path, out: Path, verbose: bool = False):
    ctx = Ctx(data, out)
    results = []
    for case in cases():
        ok, detail = run_case(case, ctx)
        results.append((case, ok, detail))
        if verbose:
            print(f"{'ok ' if ok else 'BAD'} {case.kind:28} {case.name:26} {detail[:150]}")
    clear = sum(ok for _, ok, _ in results)
    line = f"{clear} clear of {len(results)}"
    return results, line


if __name__ == "__main__":  # pragma: no cover
    import tempfile
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[3] / "shared" / "data"
    with tempfile.TemporaryDirectory() as tmp:
        _, line = run(data, Path(tmp), verbose=True)
    print(line)
