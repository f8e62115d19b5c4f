"""OECD reader on all 24 real tables in ../shared/data/cn/oecd-icio-2021, and malformed variants.

Expected labels and numbers are copied from the published files (OECD IOTs 2021 edition, as
CSV in ionet 0.2.2); identities are Miller & Blair (2009) eq. 2.10 (x = L f) and eq. 12.6
(x' = v' G). Residuals quoted below were measured on these files."""
import csv

import numpy as np
import pytest

import lianpu
from lianpu.core.errors import FormatError, TableError
from lianpu.core.leontief import left_solve
from lianpu.readers.oecd import read_oecd

YEARS = list(range(1995, 2019))
FD = ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "CONS_ABR", "CONS_NONRES", "EX", "IM"]


def _path(d, year):
    return d / f"oecd2021_chn_{year}.csv"


@pytest.fixture(scope="module", params=YEARS)
def table(request, oecd_dir):
    return request.param, lianpu.load(_path(oecd_dir, request.param))


def test_loads_with_labels(table):
    year, t = table
    assert (t.year, t.n, t.imports, t.unit) == (year, 45, "competitive", "million USD")
    # from the file's Description column and the shipped oecd45_labels.csv
    assert t.sectors.loc["01", "name_en"] == "Agriculture, hunting, forestry"
    assert t.sectors.loc["01", "name_zh"] == "农业、狩猎业和林业"
    assert t.sectors.loc["17", "name_en"] == "Computer, electronic and optical equipment"
    assert t.sectors.loc["17", "name_zh"] == "计算机、电子和光学设备制造业"
    assert (t.sectors["name_zh"].str.len() > 0).all()
    assert list(t.final_demand_labels.index) == FD
    assert t.final_demand_labels.loc["IM", "name_zh"] == "进口"
    assert (t.Y["IM"] <= 0).all() and (t.imports_total_ >= 0).all()
    assert list(t.primary_labels.index) == ["TXS_IMP_FNL", "TXS_INT_FNL", "VALU"]
    assert t.value_added_rows == ("VALU",) and t.compensation_row is None
    assert t.household_columns == ("HFCE",)
    assert "OECD" in t.source and "2021 edition" in t.source and str(year) in t.source
    # industry 45 (households as employers) is empty in every year of this edition
    assert t.x_[44] == 0 and not t.Z_[44].any() and not t.Z_[:, 44].any()


def test_balance_within_one_decimal_rounding(table):
    """Cells are published to 0.1 million USD; measured max residuals over 1995–2018: rows 0.7,
    columns 0.8 million USD, relative 2.0e-4 (smallest industry, 1995)."""
    _, t = table
    b = t.balance.to_dict()
    assert b["ok"]
    assert b["max_row_residual"] <= 1.0 and b["max_column_residual"] <= 1.0
    assert b["max_row_relative"] <= 2.5e-4 and b["max_column_relative"] <= 2.5e-4


def test_x_equals_L_f(table):
    """x = L f. f = Y·1 misses x by the row rounding residual r (≤ 0.8 million USD), and L r
    carries it on; measured max relative deviation 2.1e-4, so the table's rtol 1e-3 bounds it."""
    _, t = table
    x = t.factor.solve(t.final_demand_total_)
    np.testing.assert_allclose(x, t.x_, rtol=1e-3, atol=1e-9)


def test_ghosh_identity(table):
    """x' = v' G with v = both product-tax rows + VALU; same rounding argument (measured 1.5e-4)."""
    _, t = table
    np.testing.assert_allclose(left_solve(t.factor_ghosh, t.V_.sum(axis=0)), t.x_, rtol=1e-3,
                               atol=1e-9)


def test_values_read_unchanged_2018(oecd_dir):
    """Numbers straight from oecd2021_chn_2018.csv: OUTPUT of 25 (Construction) and the VALU row
    summed over the 45 industries equal the table's x and value added."""
    t = read_oecd(_path(oecd_dir, 2018))
    rows = {r[0]: r for r in _rows(oecd_dir)}
    j = rows["Code"].index("25")
    assert t.x.loc["25"] == pytest.approx(float(rows["OUTPUT"][j]), abs=1e-9)
    assert t.value_added_.sum() == pytest.approx(sum(float(v) for v in rows["VALU"][2:47]))
    assert t.V.loc["TXS_INT_FNL", "01"] == pytest.approx(float(rows["TXS_INT_FNL"][2]))


def test_default_rtol_needed(oecd_dir):
    """With rtol=1e-4 the 1995 file fails: industry 33's published TTL_INT_FNL is 2468.4 but its
    one-decimal cells sum to 2468.9 (2.0e-4). This is why the reader's default rtol is 1e-3."""
    with pytest.raises(TableError, match=r"oecd2021_chn_1995.csv: row 'TTL_INT_FNL', column "
                                         r"'33': .* \(found 2468.9, expected 2468.4 ± 0.0001\)"):
        read_oecd(_path(oecd_dir, 1995), rtol=1e-4)


def test_detected_by_header(oecd_dir):
    assert lianpu.readers.get_reader("oecd").guess_can_open(_path(oecd_dir, 2010))
    assert lianpu.load(_path(oecd_dir, 2010)).year == 2010


# ---------------------------------------------------------------- malformed variants
def _rows(oecd_dir):
    with open(_path(oecd_dir, 2018), encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _write(tmp_path, rows, name="oecd2021_chn_2018.csv"):
    p = tmp_path / name
    with open(p, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return p


def test_dropped_final_demand_column(oecd_dir, tmp_path):
    rows = _rows(oecd_dir)
    j = rows[0].index("GGFC")
    p = _write(tmp_path, [r[:j] + r[j + 1:] for r in rows])
    with pytest.raises(FormatError, match=r"row 'header': header has no 'GGFC' column"):
        read_oecd(p)


def test_dropped_industry_column(oecd_dir, tmp_path):
    rows = _rows(oecd_dir)
    j = rows[0].index("17")
    p = _write(tmp_path, [r[:j] + r[j + 1:] for r in rows])
    with pytest.raises(FormatError, match=r"row '17': industry rows do not match the header"):
        read_oecd(p)


def test_text_cell(oecd_dir, tmp_path):
    rows = _rows(oecd_dir)
    rows[17][rows[0].index("05")] = "abc"  # row 17 of the file is industry '17'
    p = _write(tmp_path, rows)
    with pytest.raises(FormatError, match=r"row '17', column '05': cell is not a number "
                                          r"\(found 'abc', expected a number\)"):
        read_oecd(p)


def test_empty_cell(oecd_dir, tmp_path):
    rows = _rows(oecd_dir)
    rows[3][rows[0].index("HFCE")] = ""
    with pytest.raises(FormatError, match=r"row '03', column 'HFCE': cell is empty"):
        read_oecd(_write(tmp_path, rows))


def test_missing_value_added_row(oecd_dir, tmp_path):
    rows = [r for r in _rows(oecd_dir) if r[0] != "VALU"]
    with pytest.raises(FormatError, match=r"row 'VALU': row missing"):
        read_oecd(_write(tmp_path, rows))


def test_positive_imports(oecd_dir, tmp_path):
    rows = _rows(oecd_dir)
    j = rows[0].index("IMPO")
    rows[1][j] = rows[1][j].lstrip("-")
    with pytest.raises(FormatError, match=r"row '01', column 'IMPO': imports must be stored "
                                          r"negative-signed"):
        read_oecd(_write(tmp_path, rows))


def test_total_row_mismatch(oecd_dir, tmp_path):
    rows = _rows(oecd_dir)
    ttl = next(r for r in rows if r[0] == "TTL_INT_FNL")
    j = rows[0].index("25")
    ttl[j] = str(float(ttl[j]) * 1.01)
    with pytest.raises(TableError, match=r"row 'TTL_INT_FNL', column '25': column sum of "
                                         r"intermediate inputs and product taxes does not match"):
        read_oecd(_write(tmp_path, rows))


def test_not_oecd_header(oecd_dir, tmp_path):
    rows = _rows(oecd_dir)
    rows[0][1] = "Name"
    p = _write(tmp_path, rows)
    assert not lianpu.readers.get_reader("oecd").guess_can_open(p)
    with pytest.raises(FormatError, match=r"header does not start with the OECD lead columns"):
        read_oecd(p)
