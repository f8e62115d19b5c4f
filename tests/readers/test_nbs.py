"""NBS reader on all 12 real tables in ../shared/data/cn/nbs, and malformed variants of them.

Expected labels are copied from the published files (ionet 0.2.2 CSVs); identities are
Miller & Blair (2009) eq. 2.10 (x = L f) and eq. 12.6 (x' = v' G)."""

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.core.errors import BalanceError, FormatError, ProductivityError, TableError
from lianpu.core.leontief import left_solve

FILES = {  # file: (year, sectors, imports)
    "cn_io_2002_122.csv": (2002, 122, "competitive"),
    "cn_io_2005_42.csv": (2005, 42, "competitive"),
    "cn_io_2007_135.csv": (2007, 135, "competitive"),
    "cn_io_2010_41.csv": (2010, 41, "competitive"),
    "cn_io_2012_139.csv": (2012, 139, "competitive"),
    "cn_io_2015_42.csv": (2015, 42, "competitive"),
    "cn_io_2017_149.csv": (2017, 149, "competitive"),
    "cn_io_2017_42.csv": (2017, 42, "non-competitive"),
    "cn_io_2018_153.csv": (2018, 153, "competitive"),
    "cn_io_2018_42.csv": (2018, 42, "non-competitive"),
    "cn_io_2020_153.csv": (2020, 153, "competitive"),
    "cn_io_2020_42.csv": (2020, 42, "non-competitive"),
}


@pytest.fixture(scope="module", params=sorted(FILES))
def table(request, nbs_dir):
    return request.param, lianpu.load(nbs_dir / request.param)


def test_loads_with_labels(table):
    fname, t = table
    year, n, imports = FILES[fname]
    assert (t.year, t.n, t.imports) == (year, n, imports)
    assert t.unit.startswith("10,000 CNY")
    assert t.sectors["name_zh"].str.len().min() > 0 and t.sectors["name_en"].str.len().min() > 0
    first = t.sectors.iloc[0]
    assert first["name_zh"].startswith("农") and "griculture" in first["name_en"]
    assert list(t.primary_labels.index) == ["VA001", "VA002", "VA003", "VA004"]
    assert t.primary_labels.loc["VA001", "name_zh"] == "劳动者报酬"
    if imports == "non-competitive":
        assert t.Zm is not None and t.Zm.shape == (n, n) and "IM" not in t.final_demand_labels.index
    else:
        assert "IM" in t.final_demand_labels.index and (t.Y["IM"] <= 0).all()


def test_x_equals_L_f(table):
    """x = L f (f includes the ERR discrepancy column) within published rounding."""
    _, t = table
    x = t.factor.solve(t.final_demand_total_)
    np.testing.assert_allclose(x, t.x_, rtol=1e-9, atol=1e-6 * t.x_.max())


def test_ghosh_identity(table):
    """x' = v' G, where v are all primary inputs (and imported inputs in non-competitive tables)."""
    _, t = table
    v = t.V_.sum(axis=0) + (t.Zm_.sum(axis=0) if t.Zm_ is not None else 0)
    np.testing.assert_allclose(left_solve(t.factor_ghosh, v), t.x_, rtol=1e-9,
                               atol=1e-6 * t.x_.max())


def test_domestic_view_balances(nbs_dir):
    t = lianpu.load(nbs_dir / "cn_io_2018_153.csv")
    d = t.domestic()
    assert d.imports == "non-competitive" and d.balance.ok
    np.testing.assert_allclose(d.imports_total_, t.imports_total_, rtol=1e-9)
    # domestic multipliers are smaller: imported inputs leak out of the domestic economy
    assert (lianpu.multipliers(d) <= lianpu.multipliers(t) + 1e-12).all()


def test_2020_42_import_rows_match_153_imports(nbs_dir):
    """Published cross-check: total imports are the same in the 42- and 153-sector 2020 tables."""
    t42 = lianpu.load(nbs_dir / "cn_io_2020_42.csv")
    t153 = lianpu.load(nbs_dir / "cn_io_2020_153.csv")
    np.testing.assert_allclose(t42.imports_total_.sum(), t153.imports_total_.sum(), rtol=1e-6)
    np.testing.assert_allclose(t42.x_.sum(), t153.x_.sum(), rtol=1e-9)


# --------------------------------------------------------------------- malformed variants
BASE = "cn_io_2015_42.csv"  # competitive, with ERR, THC, TC, GCF and TFU columns


def _frame(nbs_dir, name=BASE):
    return pd.read_csv(nbs_dir / name, dtype=str, keep_default_na=False)


def _recompute(df):
    """Recompute every published total after an edit, so only the intended fault remains."""
    cols = list(df.columns)
    sec = cols[3:cols.index("TIU")]
    num = df.copy()
    rows = num["Code"].isin(sec)
    f = lambda c: pd.to_numeric(num.loc[rows, c])  # noqa: E731
    num.loc[rows, "TIU"] = num.loc[rows, sec].apply(pd.to_numeric).sum(axis=1).astype(str)
    num.loc[rows, "THC"] = (f("FU101") + f("FU102")).astype(str)
    num.loc[rows, "TC"] = (f("FU101") + f("FU102") + f("FU103")).astype(str)
    num.loc[rows, "GCF"] = (f("FU201") + f("FU202")).astype(str)
    num.loc[rows, "TFU"] = (pd.to_numeric(num.loc[rows, "TC"]) + pd.to_numeric(num.loc[rows, "GCF"])
                            + f("EX")).astype(str)
    num.loc[rows, "GO"] = (pd.to_numeric(num.loc[rows, "TIU"]) + pd.to_numeric(num.loc[rows, "TFU"])
                           - f("IM") + f("ERR")).astype(str)
    block = num.loc[rows, sec].apply(pd.to_numeric)
    va = num[num["Code"].isin(["VA001", "VA002", "VA003", "VA004"])][sec].apply(pd.to_numeric)
    num.loc[num["Code"] == "TII", sec] = block.sum(axis=0).astype(str).to_numpy()
    num.loc[num["Code"] == "TVA", sec] = va.sum(axis=0).astype(str).to_numpy()
    num.loc[num["Code"] == "TI", sec] = (block.sum(axis=0) + va.sum(axis=0)).astype(str).to_numpy()
    return num


def _write(tmp_path, df, name="bad.csv"):
    p = tmp_path / name
    df.to_csv(p, index=False)
    return p


def _cell(df, code, col):
    return df.index[df["Code"] == code][0], col


def test_recomputed_base_still_loads(nbs_dir, tmp_path):
    """Guard for the variants below: recomputing totals alone breaks nothing."""
    t = lianpu.load(_write(tmp_path, _recompute(_frame(nbs_dir))))
    assert t.n == 42


def test_missing_row(nbs_dir, tmp_path):
    df = _frame(nbs_dir)
    df = df[df["Code"] != "07"]
    with pytest.raises(FormatError, match=r"bad.csv: row '07': sector row missing \(found 41"):
        lianpu.load(_write(tmp_path, df))


def test_shifted_header(nbs_dir, tmp_path):
    text = (nbs_dir / BASE).read_text(encoding="utf-8")
    p = tmp_path / "bad.csv"
    p.write_text(",,,\n" + text, encoding="utf-8")  # a title line pushed the header down
    with pytest.raises(FormatError, match="unknown table format"):
        lianpu.load(p)
    with pytest.raises(FormatError, match="header does not start with the NBS lead columns"):
        lianpu.load(p, format="nbs")


def test_text_in_number_cell(nbs_dir, tmp_path):
    df = _frame(nbs_dir)
    df.loc[df["Code"] == "12", "05"] = "12,3O4"
    with pytest.raises(FormatError, match=r"row '12', column '05': cell is not a number "
                                          r"\(found '12,3O4', expected a number\)"):
        lianpu.load(_write(tmp_path, df))


def test_empty_cell(nbs_dir, tmp_path):
    df = _frame(nbs_dir)
    df.loc[df["Code"] == "03", "EX"] = ""
    with pytest.raises(FormatError, match=r"row '03', column 'EX': cell is empty"):
        lianpu.load(_write(tmp_path, df))


def test_duplicated_code(nbs_dir, tmp_path):
    df = _frame(nbs_dir)
    df.loc[df["Code"] == "09", "Code"] = "08"
    with pytest.raises(FormatError, match=r"row '08': duplicated sector row"):
        lianpu.load(_write(tmp_path, df))


def test_duplicated_code_in_header(nbs_dir, tmp_path):
    df = _frame(nbs_dir)
    df = df.rename(columns={"09": "08"})
    p = _write(tmp_path, df)
    with pytest.raises(FormatError, match=r"column '08(\.1)?': duplicated sector code in header|"
                                          r"sector row with a code not in the header"):
        lianpu.load(p)


def test_unbalanced_totals(nbs_dir, tmp_path):
    df = _recompute(_frame(nbs_dir))
    i = df.index[df["Code"] == "26"][0]
    df.loc[i, "GO"] = str(float(df.loc[i, "GO"]) * 1.05)  # output 5 % above its uses
    df.loc[df["Code"] == "TI", "26"] = df.loc[i, "GO"]
    df.loc[df["Code"] == "VA004", "26"] = str(float(df.loc[df["Code"] == "VA004", "26"].iloc[0])
                                              + float(df.loc[i, "GO"]) / 1.05 * 0.05)
    df.loc[df["Code"] == "TVA", "26"] = str(
        sum(float(df.loc[df["Code"] == r, "26"].iloc[0]) for r in ("VA001", "VA002", "VA003", "VA004")))
    with pytest.raises(BalanceError, match=r"row '26' is unbalanced: Z·1 \+ Y·1 \(\+ ERR\) does not "
                                           r"equal gross output x \(1 row\(s\) beyond tolerance\)"):
        lianpu.load(_write(tmp_path, df))


def test_published_total_mismatch(nbs_dir, tmp_path):
    df = _frame(nbs_dir)
    i = df.index[df["Code"] == "15"][0]
    df.loc[i, "FU101"] = str(float(df.loc[i, "FU101"]) + 1e6)  # TFU no longer adds up
    with pytest.raises(TableError, match=r"row '15', column 'TFU': sum of final-use columns does "
                                         r"not match the published total"):
        lianpu.load(_write(tmp_path, df))


def test_negative_flow(nbs_dir, tmp_path):
    df = _recompute(_frame(nbs_dir))
    # a 2×2 cycle keeps every row and column sum: only the sign fault remains
    z = lambda r, c: float(df.loc[df["Code"] == r, c].iloc[0])  # noqa: E731
    d = z("01", "02") + 1000.0
    for r, c, s in (("01", "02", -1), ("01", "06", 1), ("06", "02", 1), ("06", "06", -1)):
        df.loc[df["Code"] == r, c] = str(z(r, c) + s * d)
    with pytest.raises(TableError, match=r"row '01', column '02': negative entry in Z "
                                         r"\(intermediate flows\)"):
        lianpu.load(_write(tmp_path, _recompute(df)))


def test_singular_I_minus_A(nbs_dir, tmp_path):
    """Sector 30 only sells to itself and buys only from itself: a_30,30 = 1, I − A singular."""
    df = _frame(nbs_dir)
    sec = list(df.columns[3:list(df.columns).index("TIU")])
    num = lambda r, c: float(df.loc[df["Code"] == r, c].iloc[0])  # noqa: E731
    k = "30"
    go = num(k, "GO")
    for j in sec:  # its sales to others become other sectors' operating surplus
        if j != k:
            v = num(k, j)
            df.loc[df["Code"] == k, j] = "0"
            df.loc[df["Code"] == "VA004", j] = str(num("VA004", j) + v)
    for i in sec:  # its purchases from others become those sectors' fixed investment sales
        if i != k:
            v = num(i, k)
            df.loc[df["Code"] == i, k] = "0"
            df.loc[df["Code"] == i, "FU201"] = str(num(i, "FU201") + v)
    for c in ("FU101", "FU102", "FU103", "FU201", "FU202", "EX", "IM", "ERR"):
        df.loc[df["Code"] == k, c] = "0"
    for r in ("VA001", "VA002", "VA003", "VA004"):
        df.loc[df["Code"] == r, k] = "0"
    df.loc[df["Code"] == k, k] = str(go)
    with pytest.raises(ProductivityError, match=r"bad.csv: I − A is singular"):
        lianpu.load(_write(tmp_path, _recompute(df)))


def test_not_productive(nbs_dir, tmp_path):
    """Sector 30 uses 1.1× its own output of itself (the extra supplied by imports, paid for by a
    loss in operating surplus): the table balances, but a_30,30 > 1, so (I − A) z = 1 has a
    negative solution (Hawkins–Simon condition violated)."""
    df = _frame(nbs_dir)
    num = lambda r, c: float(df.loc[df["Code"] == r, c].iloc[0])  # noqa: E731
    k = "30"
    extra = 1.1 * num(k, "GO") - num(k, k)
    df.loc[df["Code"] == k, k] = str(num(k, k) + extra)
    df.loc[df["Code"] == k, "IM"] = str(num(k, "IM") + extra)
    df.loc[df["Code"] == "VA004", k] = str(num("VA004", k) - extra)
    with pytest.raises(ProductivityError, match=r"bad.csv: sector '.*': A is not productive"):
        lianpu.load(_write(tmp_path, _recompute(df)))


def test_unknown_final_use_column(nbs_dir, tmp_path):
    df = _frame(nbs_dir).rename(columns={"EX": "EXPORTS"})
    with pytest.raises(FormatError, match=r"row 'header', column 'EXPORTS': unknown final-use column"):
        lianpu.load(_write(tmp_path, df))


def test_missing_value_added_row(nbs_dir, tmp_path):
    df = _frame(nbs_dir)
    df = df[df["Code"] != "VA002"]
    with pytest.raises(FormatError, match=r"row 'VA002': primary-input row missing"):
        lianpu.load(_write(tmp_path, df))


def test_rows_out_of_order(nbs_dir, tmp_path):
    df = _frame(nbs_dir)
    idx = list(df.index)
    idx[3], idx[4] = idx[4], idx[3]
    with pytest.raises(FormatError, match="sector rows are not in the header's order"):
        lianpu.load(_write(tmp_path, df.loc[idx]))


def test_noncompetitive_missing_import_row(nbs_dir, tmp_path):
    df = _frame(nbs_dir, "cn_io_2020_42.csv")
    df = df[~((df["Code"] == "17") & (df["Origin"] == "Imports"))]
    with pytest.raises(FormatError, match=r"row '17': import row missing"):
        lianpu.load(_write(tmp_path, df))


def test_xlsx_same_as_csv(nbs_dir, tmp_path):
    src = pd.read_csv(nbs_dir / "cn_io_2020_42.csv", dtype={"Code": str})
    p = tmp_path / "cn_io_2020_42.xlsx"
    src.to_excel(p, index=False)
    a, b = lianpu.load(p), lianpu.load(nbs_dir / "cn_io_2020_42.csv")
    np.testing.assert_allclose(a.Z_, b.Z_, rtol=1e-15)
    assert list(a.sectors.index) == list(b.sectors.index)


def test_unknown_format_lists_known(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("hello")
    with pytest.raises(FormatError, match=r"unknown table format \(known formats: .*nbs \(NBS"):
        lianpu.load(p)
    with pytest.raises(FormatError, match="argument 'format': unknown format 'xyz'"):
        lianpu.load(p, format="xyz")
