"""Generic wide template: write → fill → read, against Miller & Blair (2009) Table 2.3."""
from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import lianpu
from lianpu import FormatError, IOTable, TableError
from lianpu.readers import generic
from lianpu.readers.generic import read_generic, write_template

# Miller & Blair (2009), Table 2.3: two sectors, one final-demand column
MB_Z = [[150, 500], [200, 100]]
MB_F = [350, 1700]
MB_X = [1000, 2000]
MB_VA = [650, 1400]
MB_OUTPUT_MULTIPLIERS = [1.51815, 1.45215]
SECTORS = [("1", "农业", "Agriculture"), ("2", "制造业", "Manufacturing")]
FD = [("HH", "居民消费", "Household consumption")]
PRIMARY = [("compensation", "劳动者报酬", "Compensation of employees")]


def read_rows(path):
    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return [list(r) for r in csv.reader(fh)]
    ws = load_workbook(path).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def write_rows(path, rows):
    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows([["" if v is None else v for v in r] for r in rows])
        return
    wb = load_workbook(path)
    ws = wb.active
    ws.delete_rows(1, ws.max_row)
    for r in rows:
        ws.append(r)
    wb.save(path)


def filled(tmp_path, suffix=".csv", with_x=True):
    """The template filled with M&B Table 2.3, as a list of rows (and its path)."""
    p = tmp_path / f"mb{suffix}"
    write_template(p, SECTORS, FD, PRIMARY, unit="$", year=2009)
    rows = read_rows(p)
    for i in range(2):
        rows[1 + i][3:5] = MB_Z[i]
        rows[1 + i][5] = MB_F[i]
        rows[1 + i][6] = MB_X[i] if with_x else None
    rows[3][3:5] = MB_VA
    return p, rows


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_miller_blair_output_multipliers(tmp_path, suffix):
    p, rows = filled(tmp_path, suffix)
    write_rows(p, rows)
    t = lianpu.load(p)  # auto-detected as the generic template
    assert generic.READER.guess_can_open(p)
    m = lianpu.multipliers(t, "output")
    np.testing.assert_allclose(m.to_numpy(), MB_OUTPUT_MULTIPLIERS, atol=5e-6)
    assert list(t.index) == ["1", "2"] and t.label("zh").tolist() == ["农业", "制造业"]
    assert t.final_demand_labels.loc["HH", "name_en"] == "Household consumption"
    assert t.primary_labels.loc["compensation", "name_zh"] == "劳动者报酬"
    assert (t.unit, t.year, t.compensation_row, t.household_columns) == ("$", 2009,
                                                                         "compensation", ("HH",))
    np.testing.assert_array_equal(t.x_, MB_X)


def test_x_and_value_added_may_be_omitted(tmp_path):
    p, rows = filled(tmp_path, with_x=False)
    rows = [r for r in rows if not str(r[0]).startswith("VA:")
            and r[0] != "META:compensation_row"]
    write_rows(p, rows)
    t = read_generic(p)
    np.testing.assert_array_equal(t.x_, MB_X)
    np.testing.assert_array_equal(t.V_, [MB_VA])
    assert list(t.primary_labels.index) == ["VA"]


def test_documented_example(tmp_path):
    """The example of docs/template.md: imports negative, a satellite, META rows, blank rows."""
    p = tmp_path / "doc.csv"
    p.write_text(
        "code,name_zh,name_en,01,02,FD:HH,FD:EX,FD:IM,x\n"
        "01,农业,Agriculture,150,500,300,60,-10,1000\n"
        "02,工业,Industry,200,100,1500,250,-50,2000\n"
        ",,,,,,,,\n"
        "VA:compensation,劳动者报酬,Compensation of employees,400,900,,,,\n"
        "VA:surplus,营业盈余,Operating surplus,250,500,,,,\n"
        "SAT:CO2[t],二氧化碳排放,CO2 emissions,12.5,80,,,,\n"
        "FD:HH,居民消费支出,Household consumption,,,,,,\n"
        "META:unit,万元,free comment,,,,,,\n"
        "META:year,2020,,,,,,,\n"
        "META:household_columns,FD:HH,,,,,,,\n"
        'META:value_added_rows,"compensation, VA:surplus",,,,,,,\n', encoding="utf-8")
    t = lianpu.load(p)
    assert list(t.final_demand_labels.index) == ["HH", "EX", "IM"]
    np.testing.assert_array_equal(t.imports_total_, [10, 50])
    assert t.satellites["CO2"].unit == "t" and t.satellites["CO2"].final_demand is None
    assert t.household_columns == ("HH",)
    assert t.value_added_rows == ("compensation", "surplus")
    assert t.year == 2020 and t.unit == "万元"


def test_from_frames_matches_template(tmp_path):
    p, rows = filled(tmp_path)
    write_rows(p, rows)
    from_file = read_generic(p)
    codes = ["1", "2"]
    t = IOTable.from_frames(
        pd.DataFrame(MB_Z, index=codes, columns=codes, dtype=float),
        pd.DataFrame({"HH": MB_F}, index=codes, dtype=float),
        V=pd.DataFrame([MB_VA], index=["compensation"], columns=codes, dtype=float),
        x=MB_X, sectors=pd.DataFrame({"name_zh": ["农业", "制造业"],
                                      "name_en": ["Agriculture", "Manufacturing"]}, index=codes),
        satellites={"CO2": pd.Series({"2": 8.0, "1": 3.0})}, unit="$")
    np.testing.assert_array_equal(t.Z_, from_file.Z_)
    np.testing.assert_array_equal(t.V_, from_file.V_)
    assert t.label("en").tolist() == ["Agriculture", "Manufacturing"]
    np.testing.assert_array_equal(t.satellites["CO2"].values, [3.0, 8.0])
    np.testing.assert_allclose(lianpu.multipliers(t, "output").to_numpy(),
                               MB_OUTPUT_MULTIPLIERS, atol=5e-6)


def test_template_writer_defaults_and_layout(tmp_path):
    p = write_template(tmp_path / "empty.xlsx", ["01", "02", "03"],
                       satellites=[("CO2", "t", "二氧化碳", "CO2")])
    rows = read_rows(p)
    assert rows[0] == ["code", "name_zh", "name_en", "01", "02", "03", "FD:HH", "FD:GOV",
                       "FD:GFCF", "FD:INV", "FD:EX", "FD:IM", "x"]
    codes = [r[0] for r in rows]
    assert "VA:compensation" in codes and "SAT:CO2[t]" in codes and "META:unit" in codes
    assert load_workbook(p).active.freeze_panes == "D2"
    assert not list(tmp_path.glob(".*part*"))


@pytest.mark.parametrize("bad, match", [
    (dict(path="t.txt"), r"argument 'path': unsupported file type '\.txt'"),
    (dict(sectors=["1", "1"]), r"argument 'sectors': duplicated code '1'"),
    (dict(sectors=["x"]), r"argument 'sectors': sector code 'x' is reserved"),
])
def test_template_writer_rejects(tmp_path, bad, match):
    kw = dict(path="t.csv", sectors=["1"]) | bad
    with pytest.raises(ValueError, match=match):
        write_template(tmp_path / kw.pop("path"), **kw)


# ---------------------------------------------------------------------------- malformed files
def _set(r, c, v):
    def f(rows):
        rows[r][c] = v
    return f


def _header(c, v):
    return _set(0, c, v)


MALFORMED = [
    (_set(1, 4, "n/a"), r"mb\.csv: row '1', column '2': cell is not a number \(found 'n/a'"),
    (_set(2, 5, ""), r"row '2', column 'FD:HH': cell is empty \(expected a number \(0 for none\)"),
    (_set(2, 0, "1"), r"row '1': duplicated row code"),
    (_header(4, "1"), r"row 'header', column '1': duplicated column code"),
    (_header(2, "english"), r"header does not start with the template's lead columns "
                            r"\(found \['code', 'name_zh', 'english'\]"),
    (_header(5, "HH"), r"header has no final-demand column"),
    (_set(3, 0, "GDP"), r"row 'GDP': row code is neither a sector of the header nor VA:, SAT:, "
                        r"FD: or META:"),
    (lambda rows: rows.pop(2), r"row '2': sector row missing \(found 1 sector rows, "
                               r"expected 2 rows"),
    (lambda rows: rows.insert(1, rows.pop(2)), r"sector rows are not in the header's order "
                                               r"\(found \['2', '1'\]"),
    (_set(3, 5, "7"), r"row 'VA:compensation', column 'FD:HH': cell must be empty"),
    (_set(2, 6, ""), r"row '2', column 'x': cell is empty \(expected every x cell filled, "
                     r"or all empty"),
    (_set(3, 0, "SAT:CO2"), r"row 'SAT:CO2': malformed satellite code"),
    (lambda rows: rows.append(["META:year", "2009a"]), r"duplicated row code"),
    (lambda rows: rows.__setitem__(slice(None), [r for r in rows if r[0] != "META:year"]
                                   + [["META:year", "二〇〇九"]]),
     r"row 'META:year', column 'name_zh': not a year \(found '二〇〇九'"),
    (lambda rows: rows.append(["META:colour", "red"]), r"row 'META:colour': unknown META key"),
    (lambda rows: rows.append(["FD:GOV", "政府"]),
     r"row 'FD:GOV': FD: row names no final-demand column of the header \(expected one of "
     r"\['FD:HH'\]"),
    (_set(-1, 0, ""), r"row 'line \d+': row has no code"),
    (lambda rows: [r for r in rows if r[0] == "META:compensation_row"][0].__setitem__(1, "wages"),
     r"META:compensation_row names an unknown code \(found 'wages', "
     r"expected one of \['compensation'\]"),
    (_set(1, 6, 999), r"mb\.csv: row '1' is unbalanced"),
]


@pytest.mark.parametrize("mutate, match", MALFORMED)
def test_malformed_template(tmp_path, mutate, match):
    p, rows = filled(tmp_path)
    mutate(rows)
    write_rows(p, rows)
    with pytest.raises((FormatError, TableError), match=match):
        read_generic(p)


def test_malformed_xlsx_text_cell(tmp_path):
    p, rows = filled(tmp_path, ".xlsx")
    rows[2][3] = "二百"
    write_rows(p, rows)
    with pytest.raises(FormatError, match=r"mb\.xlsx: row '2', column '1': cell is not a number "
                                          r"\(found '二百'"):
        lianpu.load(p)


def test_guess_rejects_other_csv(tmp_path):
    p = tmp_path / "other.csv"
    p.write_text("Code,Description,DescriptionInChinese\n", encoding="utf-8")
    assert not generic.READER.guess_can_open(p)


def test_gb18030_saved_template_loads(tmp_path):
    """What Chinese Excel writes when a planner saves the filled template as CSV: GB18030 (no
    BOM). Expected numbers: Miller & Blair (2009) Table 2.3, as in the UTF-8 test above."""
    p, rows = filled(tmp_path)
    with open(p, "w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([["" if v is None else v for v in r] for r in rows])
    assert "农业".encode("gb18030") in p.read_bytes()  # really GB18030 on disk
    with pytest.raises(UnicodeDecodeError):
        p.read_bytes().decode("utf-8")
    t = lianpu.load(p)  # auto-detected through the registry, not only read_generic
    assert t.label("zh").tolist() == ["农业", "制造业"]
    assert t.primary_labels.loc["compensation", "name_zh"] == "劳动者报酬"
    np.testing.assert_allclose(lianpu.multipliers(t, "output").to_numpy(), MB_OUTPUT_MULTIPLIERS,
                               atol=5e-6)
