"""CEADs China MRIO reader on fixtures written here, cell by cell, in the layout specified in
docs/ceads_mrio.md (3 provinces × 4 sectors; we have no real CEADs file). Expected arrays
come from the frames-built table the fixture is written from; malformed variants pin the
file/row/column each error must name."""
import csv

import numpy as np
import openpyxl
import pandas as pd
import pytest

import lianpu
from lianpu.core.errors import FormatError, TableError
from lianpu.readers.base import detect
from lianpu.readers.ceads_mrio import col_letter, province_code, provinces, read_ceads_mrio
from lianpu.table import _label_frame

PROVS = [("四川", "SC"), ("重庆", "CQ"), ("陕西", "SN")]
SECS = [("01", "农林牧渔产品和服务"), ("02", "煤炭采选产品"), ("03", "建筑"), ("04", "批发和零售")]
FU = ["FU101", "FU102", "FU103", "FU201", "FU202"]
FU_ZH = ["农村居民消费", "城镇居民消费", "政府消费", "固定资本形成总额", "存货增加"]
N = len(PROVS) * len(SECS)


@pytest.fixture(scope="module")
def frames():
    """A balanced 12-sector table with integer cells (seeded): Z, Y (5 categories per
    province), exports, imports, ERR, 4 value-added rows summing to x − 1'Z."""
    rng = np.random.default_rng(20240601)
    idx = pd.MultiIndex.from_tuples([(c, s) for _, c in PROVS for s, _ in SECS],
                                    names=["region", "sector"])
    Z = rng.integers(0, 40, (N, N)).astype(float)
    Y = rng.integers(5, 60, (N, 5 * len(PROVS))).astype(float)
    Y[:, 4::5] -= 30                                # inventory change may be negative
    ex = rng.integers(0, 50, N).astype(float)
    im = rng.integers(0, 20, N).astype(float)
    err = rng.integers(-3, 4, N).astype(float)
    x = Z.sum(1) + Y.sum(1) + ex - im + err
    va = x - Z.sum(0)
    assert (va > 0).all()
    V = np.vstack([np.round(va * w) for w in (0.5, 0.1, 0.15)])
    V = np.vstack([V, va - V.sum(0)])
    fd = pd.MultiIndex.from_tuples([(c, k) for _, c in PROVS for k in FU] + [("ROW", "EX"), ("ROW", "IM")],
                                   names=["region", "category"])
    # built from labelled frames with the IOTable constructor: IOTable.from_frames turns
    # (region, category) column labels into strings, which multi-regional Y cannot use
    Zf, Yf = pd.DataFrame(Z, idx, idx), pd.DataFrame(np.column_stack([Y, ex, -im]), idx, fd)
    Vf = pd.DataFrame(V, ["VA001", "VA002", "VA003", "VA004"], idx)
    t = lianpu.IOTable(Zf.to_numpy(), Yf.to_numpy(), Vf.to_numpy(), x,
                       sectors=_label_frame(Zf.index), final_demand_labels=_label_frame(Yf.columns),
                       primary_labels=_label_frame(Vf.index, index_name="row"),
                       discrepancy_=err, name="frames")
    return t, dict(Z=Z, Y=Y, ex=ex, im=im, err=err, x=x, V=V)


def layout(parts, *, prov=lambda zh, code: zh):
    """The rows of the CEADs layout (lists of cells; None = empty)."""
    p = parts
    ncol = N + 5 * len(PROVS) + 4
    rows = [["2017年中国区域间投入产出表（单位：万元）"] + [None] * (2 + ncol)]
    rows.append(["地区 Region", "部门 Sector", "代码 Code"]
                + [prov(zh, c) for zh, c in PROVS for _ in SECS]
                + [prov(zh, c) for zh, c in PROVS for _ in FU] + ["国外", "国外", "其他", "合计"])
    rows.append([None, None, None] + [nm for _ in PROVS for _, nm in SECS]
                + FU_ZH * len(PROVS) + ["出口", "进口", "其他", "总产出"])
    rows.append([None, None, None] + [s for _ in PROVS for s, _ in SECS] + FU * len(PROVS)
                + ["EX", "IM", "ERR", "GO"])
    for i, ((zh, c), (s, nm)) in enumerate([(pv, sc) for pv in PROVS for sc in SECS]):
        rows.append([prov(zh, c), nm, s] + list(p["Z"][i]) + list(p["Y"][i])
                    + [p["ex"][i], p["im"][i], p["err"][i], p["x"][i]])
    blank = [None] * (5 * len(PROVS) + 4)
    for k, (code, nm) in enumerate([("VA001", "劳动者报酬"), ("VA002", "生产税净额"),
                                    ("VA003", "固定资产折旧"), ("VA004", "营业盈余")]):
        rows.append([None, nm, code] + list(p["V"][k]) + blank)
    rows.append([None, "增加值合计", "TVA"] + list(p["V"].sum(0)) + blank)
    rows.append([None, "总投入", "TI"] + list(p["x"]) + blank)
    return rows


def write(rows, path):
    if path.suffix == ".xlsx":
        wb = openpyxl.Workbook()
        for r in rows:
            wb.active.append(r)
        wb.save(path)
    else:
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            csv.writer(fh).writerows([["" if c is None else
                                       (f"{c:g}" if isinstance(c, float) else c) for c in r]
                                      for r in rows])
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_equals_frames_table(frames, tmp_path, suffix):
    t0, parts = frames
    path = write(layout(parts), tmp_path / f"ceads_mrio_2017{suffix}")
    assert detect(path).name == "ceads_mrio"
    t = lianpu.load(path)
    for a in ("Z_", "Y_", "V_", "x_", "discrepancy_"):
        np.testing.assert_array_equal(getattr(t, a), getattr(t0, a), err_msg=a)
    assert list(t.index) == list(t0.index) and t.regions == ["SC", "CQ", "SN"]
    assert list(t.final_demand_labels.index) == list(t0.final_demand_labels.index)
    assert list(t.primary_labels.index) == ["VA001", "VA002", "VA003", "VA004"]
    assert (t.year, t.unit, t.compensation_row) == (2017, "10,000 CNY (万元)", "VA001")
    assert t.sectors.loc[("CQ", "03"), "name_zh"] == "重庆·建筑"
    assert t.final_demand_labels.loc[("SN", "FU201"), "name_en"] == (
        "Shaanxi: Gross fixed capital formation")
    assert t.household_columns[:2] == (("SC", "FU101"), ("SC", "FU102"))
    np.testing.assert_allclose(lianpu.multipliers(t), lianpu.multipliers(t0), rtol=1e-12)


def test_province_names_in_any_form(frames, tmp_path):
    """Codes, English names, full Chinese names and merged (empty) header cells all read."""
    _, parts = frames
    forms = {"SC": "Sichuan", "CQ": "重庆市", "SN": "SN"}
    rows = layout(parts, prov=lambda zh, c: forms[c])
    for j in range(4, len(rows[1])):          # merged province cells: only the first filled
        if rows[1][j] == rows[1][j - 1] and rows[3][j] not in ("EX", "IM", "ERR", "GO"):
            rows[1][j] = None
    t = read_ceads_mrio(write(rows, tmp_path / "forms.xlsx"))
    assert t.regions == ["SC", "CQ", "SN"]
    assert [province_code(s) for s in ("内蒙古自治区", "广西壮族自治区", "Xizang", "Inner Mongolia",
                                       "新疆维吾尔自治区", "北京 Beijing", "Atlantis")] == \
        ["NM", "GX", "XZ", "NM", "XJ", "BJ", None]
    assert len(provinces()) == 31 and provinces().loc["SC", "name_en"] == "Sichuan"


def mutate(parts, fn):
    rows = layout(parts)
    fn(rows)
    return rows


# column letters of the fixture: A–C labels, D… intermediate (12), then 15 final use, 4 trailing
D = 3
CASES = {
    "missing_row": (lambda r: r.pop(5), FormatError,
                    r"bad\.csv: row 6, column 'C': sector code does not match the header .*"
                    r"found '03', expected '02'"),
    "shifted_header": (lambda r: r.insert(0, [None] * len(r[0])), FormatError,
                       r"bad\.csv: row 1, column 'A': row 1 must hold only the title"),
    "text_in_number": (lambda r: r[6].__setitem__(D + 5, "12,3O4"), FormatError,
                       rf"bad\.csv: row 7, column '{col_letter(D + 5)}': cell is not a number "
                       r"\(found '12,3O4', expected a number\)"),
    "empty_number": (lambda r: r[8].__setitem__(D, None), FormatError,
                     r"bad\.csv: row 9, column 'D': cell is empty"),
    "unknown_province_header": (lambda r: r[1].__setitem__(D + 4, "台北"), FormatError,
                                rf"bad\.csv: row 2, column '{col_letter(D + 4)}': unknown province "
                                r"in the intermediate header \(found '台北'"),
    "unknown_province_row": (lambda r: r[4 + 4].__setitem__(0, "Atlantis"), FormatError,
                             r"bad\.csv: row 9, column 'A': unknown province \(found 'Atlantis'"),
    "code_mismatch_between_blocks": (lambda r: r[3].__setitem__(D + 5, "09"), FormatError,
                                     rf"bad\.csv: row 4, column '{col_letter(D + 5)}': sector code "
                                     r"does not match the first province's block \(found '09', "
                                     r"expected '02'\)"),
    "final_use_mismatch": (lambda r: r[3].__setitem__(D + N + 6, "FU103"), FormatError,
                           rf"row 4, column '{col_letter(D + N + 6)}': final-use code does not "
                           r"match the first province's block \(found 'FU103', expected 'FU102'\)"),
    "unknown_final_use": (lambda r: r[3].__setitem__(D + N, "HH"), FormatError,
                          rf"row 4, column '{col_letter(D + N)}': unknown final-use code"),
    "no_go_column": (lambda r: [row.pop() for row in r], FormatError,
                     r"the last column must be total output GO"),
    "va_rows_missing": (lambda r: [r.pop(4 + N) for _ in range(4)], FormatError,
                        r"value-added rows VA001… missing"),
    "unexpected_row": (lambda r: r.insert(4 + N, [None, "x", "XYZ"] + [0] * (len(r[0]) - 3)),
                       FormatError, rf"row {5 + N}, column 'C': unexpected row after the data rows"),
    "ti_mismatch": (lambda r: r[-1].__setitem__(D + 2, r[-1][D + 2] + 50), TableError,
                    rf"bad\.csv: row {4 + N + 6}, column 'F': total input TI does not equal "
                    r"total output GO"),
}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_variants_name_file_row_column(frames, tmp_path, case, suffix):
    fn, exc, pattern = CASES[case]
    pattern = pattern.replace(r"bad\.csv", rf"bad\{suffix}")
    path = write(mutate(frames[1], fn), tmp_path / f"bad{suffix}")
    with pytest.raises(exc, match=pattern):
        read_ceads_mrio(path)


def test_unbalanced_row_is_reported_by_the_table(frames, tmp_path):
    """GO that is not Z·1 + Y·1 + EX − IM + ERR: the table's balance check names the row."""
    def fn(r):
        r[4 + 2][-1] += 100     # GO of (SC, 03)
        r[-1][D + 2] += 100     # keep TI consistent so the published-total check passes
        r[-3][D + 2] += 100     # and VA004 / TVA so the column balances
        r[-2][D + 2] += 100
    with pytest.raises(TableError, match=r"row 'SC/03' is unbalanced"):
        read_ceads_mrio(write(mutate(frames[1], fn), tmp_path / "bad.csv"))


def test_not_guessed_for_other_layouts(nbs_dir):
    assert detect(nbs_dir / "cn_io_2020_42.csv").name == "nbs"
