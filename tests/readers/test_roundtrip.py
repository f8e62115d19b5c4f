"""Every format lianpu writes it reads back (issue 15, item 1): ``lianpu export`` to .xlsx (the
workbook, one sheet per block) and .csv (the generic template layout), and native .parquet —
``lianpu.load`` of the file gives the same table: same Z, Y, V, x (bit for bit), labels, roles
and unit. Tables come from Hypothesis (the strategy of tests/readers/test_native.py: 1–5
sectors, competitive or not, one or two regions, satellites, ERR, signed zeros)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lianpu
from lianpu import IOTable
from lianpu.core.notes import Note, zh
from lianpu.export import export_table

from .test_native import assert_tables_equal, tables

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _same_core(a: IOTable, b: IOTable) -> None:
    """Z, Y, V, x and the optional blocks bit for bit; labels, roles, unit."""
    for attr in ("Z_", "Y_", "V_", "x_", "Zm_", "Ym_", "discrepancy_"):
        u, v = getattr(a, attr), getattr(b, attr)
        assert (u is None) == (v is None), attr
        if u is not None:
            assert np.array_equal(u, v) and np.array_equal(np.signbit(u), np.signbit(v)), attr
    for fr in ("sectors", "final_demand_labels", "primary_labels"):
        pd.testing.assert_frame_equal(getattr(a, fr), getattr(b, fr), check_dtype=False,
                                      check_index_type=False)
    assert a.fd_roles == b.fd_roles and a.primary_roles == b.primary_roles
    for attr in ("unit", "year", "name", "value_added_rows", "compensation_row",
                 "household_columns", "imports"):
        assert getattr(a, attr) == getattr(b, attr), attr


@SETTINGS
@given(tables())
def test_xlsx_export_reads_back(t):
    with tempfile.TemporaryDirectory() as d:
        back = lianpu.load(export_table(t, Path(d) / "t.xlsx"))
    assert_tables_equal(t, back)


@SETTINGS
@given(tables())
def test_csv_export_reads_back(t):
    if t.is_multiregional or t.Zm_ is not None:  # the template holds plain tables only
        with tempfile.TemporaryDirectory() as d, pytest.raises(ValueError, match="single-region"):
            export_table(t, Path(d) / "t.csv")
        return
    with tempfile.TemporaryDirectory() as d:
        back = lianpu.load(export_table(t, Path(d) / "t.csv"))
    _same_core(t, back)
    for k, s in t.satellites.items():
        assert np.array_equal(back.satellites[k].values, s.values) and back.satellites[k].unit == s.unit


@SETTINGS
@given(tables())
def test_parquet_export_reads_back(t):
    with tempfile.TemporaryDirectory() as d:
        back = lianpu.load(export_table(t, Path(d) / "t.parquet"))
    assert_tables_equal(t, back)


def _declared(tmp):
    """Roles that inference would not give (a declared role must survive the file)."""
    Z = pd.DataFrame([[10.0, 5.0], [4.0, 8.0]], index=["a", "b"], columns=["a", "b"])
    Y = pd.DataFrame({"Spending": [30.0, 20.0], "Stock change": [-2.0, 1.0]}, index=["a", "b"])
    V = pd.DataFrame([[10.0, 5.0], [2.0, 1.0], [0.0, 0.0]], index=["Pay", "Rest", "Adj"],
                     columns=["a", "b"])
    x = Z.sum(axis=1) + Y.sum(axis=1)
    V.loc["Rest"] = x.to_numpy() - Z.sum(axis=0).to_numpy() - V.loc["Pay"].to_numpy()
    return IOTable.from_frames(Z, Y, V, roles={"Spending": "household", "Stock change": "inventory",
                                               "Pay": "compensation"}, unit="EUR m", name="d")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".parquet"])
def test_declared_roles_survive_each_format(suffix, tmp_path):
    t = _declared(tmp_path)
    assert t.fd_roles == ("household", "inventory") and t.compensation_row == "Pay"
    back = lianpu.load(export_table(t, tmp_path / f"t{suffix}"))
    _same_core(t, back)


def test_cli_export_xlsx_reads_back(tmp_path, capsys):
    """Through the real entry point: ``lianpu export FILE --to t.xlsx`` then ``lianpu.load``."""
    from lianpu.cli import main
    t = _declared(tmp_path)
    src = export_table(t, tmp_path / "src.parquet")
    out = tmp_path / "t.xlsx"
    assert main(["export", str(src), "--to", str(out)]) in (0, None)
    _same_core(t, lianpu.load(out))


def test_template_meta_roles_are_read(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("code,name_zh,name_en,a,b,FD:C1,FD:C2,x\n"
                 "a,,,10,5,30,-2,\nb,,,4,8,20,1,\n"
                 "VA:w,,,20,10,,,\nVA:r,,,9,10,,,\n"
                 "META:roles,FD:C1=household; FD:C2=inventory; VA:w=compensation,,,,,,\n",
                 encoding="utf-8")
    t = lianpu.load(p)
    assert t.fd_roles == ("household", "inventory") and t.primary_roles[0] == "compensation"


def test_template_meta_roles_unknown_code(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("code,name_zh,name_en,a,FD:C1,x\na,,,1,3,\nMETA:roles,FD:ZZ=household,,,,\n",
                 encoding="utf-8")
    with pytest.raises(lianpu.FormatError, match="META:roles names an unknown code"):
        lianpu.load(p)


# --------------------------------------------------------------- notes keep their Chinese (#15)
# A Note is its English text with its Chinese twin (lianpu.core.notes); both formats keep the
# twins in a ``notes_zh`` list parallel to ``notes`` (Parquet metadata; the workbook's meta
# sheet), and files written before it existed still load, their notes plain English.
NOTES = (Note("domestic view by import proportionality",
              "国内视角：按进口比例假设把中间使用和最终使用拆分为国产品和进口品"),
         "a note the user wrote", Note("jobs: 2018", "就业：2018年数据"))


def _zh_and_types(notes):
    return [(str(n), zh(n), type(n)) for n in notes]


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_notes_keep_their_chinese(suffix, tmp_path):
    t = _declared(tmp_path).evolve(notes=NOTES)
    back = lianpu.load(export_table(t, tmp_path / f"t{suffix}"))
    assert _zh_and_types(back.notes) == _zh_and_types(NOTES)   # plain text stays plain


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_real_view_notes_keep_their_chinese(suffix, tmp_path, shared_data):
    """cn-nbs-2005-42's domestic view: its notes (domestic view, re-exports of product 20)
    are Notes made by table_views.py; saved and loaded they are the same Notes."""
    d = lianpu.load("cn-nbs-2005-42", data_dir=shared_data).domestic()
    assert len(d.notes) >= 2 and all(isinstance(n, Note) for n in d.notes[-2:])
    back = lianpu.load(export_table(d, tmp_path / f"d{suffix}"))
    assert _zh_and_types(back.notes) == _zh_and_types(d.notes)


def test_parquet_without_notes_zh_still_loads(tmp_path):
    import json

    import pyarrow.parquet as pq
    p = export_table(_declared(tmp_path).evolve(notes=NOTES), tmp_path / "t.parquet")
    tbl = pq.read_table(p)
    meta = json.loads(tbl.schema.metadata[b"lianpu"])
    assert meta["notes_zh"] == [zh(n) for n in NOTES]
    del meta["notes_zh"]                                        # as written before #15
    pq.write_table(tbl.replace_schema_metadata({b"lianpu": json.dumps(meta)}), p)
    back = lianpu.load(p)
    assert back.notes == NOTES and all(type(n) is str for n in back.notes)
    meta["notes_zh"] = ["只有一条"]                              # not parallel to notes
    pq.write_table(tbl.replace_schema_metadata({b"lianpu": json.dumps(meta)}), p)
    with pytest.raises(lianpu.FormatError, match=r"t\.parquet.*notes_zh is not parallel to "
                                                 r"notes.*found 1 entries.*a list of 3 strings"):
        lianpu.load(p)


def test_workbook_without_notes_zh_still_loads(tmp_path):
    import openpyxl
    p = export_table(_declared(tmp_path).evolve(notes=NOTES), tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(p)
    ws = wb["meta 元数据"]
    row = next(r[0].row for r in ws.iter_rows() if r[0].value == "notes_zh")
    ws.delete_rows(row)                                         # as exported before #15
    wb.save(p)
    back = lianpu.load(p)
    assert back.notes == NOTES and all(type(n) is str for n in back.notes)
    ws.insert_rows(row)
    ws.cell(row, 1, "notes_zh")
    ws.cell(row, 2, '["只有一条"]')
    wb.save(p)
    with pytest.raises(lianpu.FormatError, match=r"t\.xlsx.*notes_zh is not parallel to "
                                                 r"notes.*found 1 entries.*3 strings"):
        lianpu.load(p)
