"""CEADs inventory readers on the real workbooks, and on small mock copies of their layout.

Expected numbers come from the workbooks themselves: each sheet's own total row
('Total Consumption' / 'TotalEmissions' / 'Total Emissions'), read back here, and the
'Sum-Sec-Scope 1' summary sheet of the national file for the national totals.
"""
from __future__ import annotations

import numpy as np
import openpyxl
import pytest

from lianpu.satellites.co2 import inventory as inv
from lianpu.core.errors import DatasetError, FormatError
from lianpu.data import registry

# one file of each layout variant: 1997 (other file-name capitalization), 2017 (a sheet whose
# total row reads 'Total Emissions'), 2018 and 2019 (underscored, unspaced headers)
LAYOUT_YEARS = (1997, 2017, 2018, 2019)


@pytest.mark.parametrize("year", LAYOUT_YEARS)
def test_province_totals_equal_sheet_total_row(shared_data, year):
    got = inv.read_provinces(year, data_dir=shared_data)
    assert len(got.totals) == 30 and got.unit == "Mt CO2"
    sums = got.emissions.groupby(level=["region", "year"]).sum()
    np.testing.assert_allclose(sums.to_numpy(), got.totals.loc[sums.index].to_numpy(),
                               rtol=1e-12, atol=1e-9)


def test_total_row_read_independently(shared_data):
    """The reader's totals are the sheet's own total row, cell for cell (read with openpyxl)."""
    year = 2017
    got = inv.read_provinces(year, data_dir=shared_data)
    path = registry.path_of(f"ceads-provinces-{year}", shared_data)
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for prov in inv.PROVINCES:
        rows = list(wb[f"{prov}{year}"].iter_rows(max_row=6, values_only=True))
        total = next(r for r in rows if str(r[0]).replace(" ", "").lower()
                     in ("totalconsumption", "totalemissions"))
        np.testing.assert_array_equal(got.totals.loc[(prov, year)].to_numpy(),
                                      np.array(total[1:23], float), err_msg=prov)
        assert got.sector_totals(prov, year).sum() == pytest.approx(total[22], rel=1e-12)
    wb.close()


def test_pinned_western_provinces_2017(shared_data):
    got = inv.read_provinces(2017, ["四川", "Chongqing", "甘肃省", "shaanxi"], data_dir=shared_data)
    # 'Scope 1 Total' of each sheet's total row (cell W4 of Sichuan2017 etc.)
    want = {"Sichuan": 318.84077146425136, "Chongqing": 160.5497658546952,
            "Gansu": 151.95866860430047, "Shaanxi": 274.0296391854783}
    for prov, v in want.items():
        assert got.sector_totals(prov, 2017).sum() == pytest.approx(v, rel=1e-12)
    assert sorted({r for r, _, _ in got.emissions.index}) == ["Chongqing", "Gansu", "Shaanxi",
                                                              "Sichuan"]


def test_national_all_years_against_summary_sheet(shared_data):
    nat = inv.read_national(data_dir=shared_data)
    assert sorted({y for _, y in nat.totals.index}) == list(range(1997, 2020))
    wb = openpyxl.load_workbook(registry.path_of("ceads-china", shared_data), read_only=True,
                                data_only=True)
    rows = list(wb["Sum-Sec-Scope 1"].iter_rows(values_only=True))
    wb.close()
    years, total = rows[0][1:24], next(r for r in rows if r[0] == "Total Consumption")
    for y, v in zip(years, total[1:24]):
        assert nat.sector_totals("China", y).sum() == pytest.approx(v, rel=1e-12)
    # fuel detail kept: 17 fuels + process add up to the scope-1 total, row by row
    e = nat.emissions
    np.testing.assert_allclose(e[list(inv.FUELS)].sum(axis=1) + e["Process"],
                               e["Scope 1 Total"], atol=1e-9)


def test_cities(shared_data):
    c = inv.read_cities(data_dir=shared_data)
    assert c["city_zh"].nunique() == 290 and (c["province_zh"] != "").all()
    assert c.attrs["unit"] == "Mt CO2"
    # the 'emission matrix' sheet holds the same numbers, city × year: cross-check
    wb = openpyxl.load_workbook(registry.path_of("ceads-cities", shared_data), read_only=True,
                                data_only=True)
    rows = list(wb["emission matrix"].iter_rows(values_only=True))
    wb.close()
    head = [str(v) for v in rows[0]]
    chengdu = next(r for r in rows if r[0] == "四川成都")
    got = c[c["city_zh"] == "四川成都"].set_index("year")["co2"]
    for y in (2000, 2017, 2019):
        assert got[y] == chengdu[head.index(str(y))]
    assert c.loc[c["city_zh"] == "重庆", "province_zh"].iloc[0] == "重庆"


def test_province_names():
    assert inv.province("四川") == inv.province("四川省") == inv.province("Sichuan") == "Sichuan"
    assert inv.province("Inner Mongolia") == inv.province("内蒙古自治区") == "InnerMongolia"
    assert inv.province("广西壮族自治区") == "Guangxi"
    with pytest.raises(DatasetError, match="no inventory for Tibet"):
        inv.province("西藏")
    with pytest.raises(DatasetError, match=r"unknown province 'Atlantis' \(expected one of: "
                                           r"北京/Beijing"):
        inv.province("Atlantis")


def test_missing_year_and_cache(tmp_path, shared_data):
    with pytest.raises(DatasetError, match=r"no CEADs provincial inventory for 2020 "
                                           r"\(published for 1997–2019\)"):
        inv.read_provinces(2020, data_dir=shared_data)
    with pytest.raises(DatasetError, match=r"no sheet for year\(s\) 2020"):
        inv.read_national([2019, 2020], data_dir=shared_data)
    with pytest.raises(DatasetError, match="'ceads-china' is not in the cache.*lianpu download"):
        inv.read_national(2017, data_dir=tmp_path)


# ------------------------------------------------------------------ malformed mock workbooks
@pytest.fixture(scope="module")
def sichuan(shared_data):
    """Sichuan 2017 as parsed from the real file: (total row, sector block)."""
    path = registry.path_of("ceads-provinces-2017", shared_data)
    return inv._parse_sheet(path, "Sichuan2017")


def _mock(path, total, block, *, edit=None, header=inv.COLUMNS, labels=None):
    """A one-province workbook in the CEADs layout (header, unit row, blank, total, sectors)."""
    wb = openpyxl.Workbook()
    wb.active.title = "NOTE"
    ws = wb.create_sheet("Sichuan2017")
    ws.append([None, *header])
    ws.append([None, *["Mt CO2"] * len(header)])
    ws.append([None])
    ws.append(["Total Consumption", *map(float, total)])
    for lab, row in zip(labels or inv._labels(), block):
        ws.append([lab + "   ", *map(float, row)])  # the real sheets pad labels with blanks
    if edit:
        edit(ws)
    wb.save(path)
    return path


def test_mock_reads_like_the_real_sheet(sichuan, tmp_path):
    p = _mock(tmp_path / "m.xlsx", *sichuan)
    got = inv.read_provinces(2017, "Sichuan", path=p)
    # openpyxl writes doubles with 16 significant digits: equal to the last bit or so
    np.testing.assert_allclose(got.emissions.to_numpy(), sichuan[1], rtol=1e-14)


@pytest.mark.parametrize("edit, expected", [
    (lambda ws: ws.cell(row=12, column=6, value="n/a"),
     r"m\.xlsx: sheet 'Sichuan2017': row 12, column 'F \(Coke\)': cell is not a number "
     r"\(found 'n/a', expected a number in Mt CO2\)"),
    (lambda ws: ws.cell(row=12, column=1, value="Food Making"),
     r"sheet 'Sichuan2017': row 12, column 'A': unexpected sector label \(found 'Food Making', "
     r"expected 'Logging and Transport of Wood and Bamboo'\)"),
    (lambda ws: ws.cell(row=1, column=3, value="Clean Coal"),
     r"row 1, column 3: unexpected column header \(found 'Clean Coal', expected 'Cleaned Coal'\)"),
    (lambda ws: ws.cell(row=10, column=23, value=99.0),
     r"row 10, column 'Scope 1 Total': scope-1 total is not the sum of the fuels and process"),
    (lambda ws: (ws.cell(row=4, column=2, value=ws.cell(row=4, column=2).value + 1),
                 ws.cell(row=4, column=23, value=ws.cell(row=4, column=23).value + 1)),
     r"row 4, column 'Raw Coal': total row is not the sum of the sectors \(found 55\.1261, "
     r"expected 54\.1261\)"),
    (lambda ws: ws.cell(row=4, column=1, value="Sum"),
     r"column 'A': no total row"),
])
def test_malformed_cells_name_file_sheet_row_column(sichuan, tmp_path, edit, expected):
    p = _mock(tmp_path / "m.xlsx", *sichuan, edit=edit)
    with pytest.raises(FormatError, match=expected):
        inv.read_provinces(2017, "Sichuan", path=p)


def test_missing_sheet_and_not_a_workbook(sichuan, tmp_path):
    p = _mock(tmp_path / "m.xlsx", *sichuan)
    with pytest.raises(FormatError, match=r"m\.xlsx: no sheet 'Gansu2017'"):
        inv.read_provinces(2017, "Gansu", path=p)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a zip")
    with pytest.raises(FormatError, match=r"bad\.xlsx: not a readable Excel workbook"):
        inv.read_national(path=bad)


def test_a_zip_that_is_not_a_workbook_is_a_format_error(tmp_path):
    """A valid zip without the workbook's parts (openpyxl: KeyError / InvalidFileException)
    is reported as not a readable workbook; the catch names those exceptions only."""
    import zipfile
    p = tmp_path / "empty.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    with pytest.raises(FormatError, match=r"empty\.xlsx: not a readable Excel workbook"):
        inv.read_national(path=p)
