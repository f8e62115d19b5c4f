"""Provincial IO tables (CHNIO): every province-year loads through the registry, balances, has
its roles, and the workbook and the R list give the same table; the local view 本地视角
reproduces gross output. Data: ../shared/data/cn/chnio (seeded by the ``chnio_cache``
fixture, see tests/conftest.py)."""
from __future__ import annotations

import time

import numpy as np
import pytest

import lianpu
from lianpu.core.errors import DatasetError, TableError
from lianpu.data import registry
from lianpu.readers import chnio
from lianpu.readers.base import get_reader

pytestmark = pytest.mark.data

PROV = [d for d in registry.datasets(provincial=True) if d.format == "chnio" and d.province]
NATIONAL = [d for d in registry.datasets(provincial=True) if d.format == "chnio" and not d.province]
BY_YEAR = {y: [d for d in PROV if d.year == y] for y in registry.CHNIO_YEARS}


@pytest.fixture(scope="module")
def tables(chnio_cache):
    t0 = time.perf_counter()
    out = {d.id: lianpu.load(d.id, data_dir=chnio_cache) for d in PROV}
    out["_seconds"] = time.perf_counter() - t0
    return out


def test_counts_by_year():
    # the README of shared/data: 30 provinces in 2002/2007 (no 西藏), 31 in 2012/2017;
    # 1997: the 29 one-province workbooks (no 海南, 西藏)
    assert {y: len(v) for y, v in BY_YEAR.items()} == {1997: 29, 2002: 30, 2007: 30,
                                                       2012: 31, 2017: 31}


def test_every_table_loads_fast_and_balances(tables):
    assert tables["_seconds"] < 60, tables["_seconds"]  # brief: all tables in < 60 s here
    for d in PROV:
        t = tables[d.id]
        assert t.n == d.sectors and t.year == d.year and t.unit == "10,000 CNY (万元)"
        assert t.sectors["name_zh"].str.len().min() > 0 and t.sectors["name_en"].str.len().min() > 0
        b = t.balance.to_dict()
        assert b["ok"], d.id
        # published rounding: the CHNIO README measured |GO − TI| / GO ≤ 4e-11; tables whose
        # published totals disagree with their detail say so in a note and widen rtol
        # (measured here: ≤ 2.3e-7 of the largest output, 1997; ≤ 8e-8 for 2002–2017)
        if not any("disagree with their detail" in n for n in t.notes):
            worst = max(b["max_row_residual"], b["max_column_residual"]) / t.x_.max()
            assert worst < 3e-7, (d.id, worst)


def test_roles_and_signs_by_year(tables):
    t = tables["cn-prov-2017-51"]
    assert dict(zip(t.final_demand_labels.index, t.fd_roles)) == {
        "FU101": "household", "FU102": "household", "FU103": "government",
        "FU201": "investment", "FU202": "inventory", "EX": "export", "OF": "outflow",
        "IM": "import", "IF": "inflow"}
    assert t.household_columns == ("FU101", "FU102") and t.compensation_row == "VA001"
    assert t.discrepancy_ is not None
    # imports and inflows negative-signed, so that x = Z·1 + Y·1 + ERR
    assert (t.Y["IM"] <= 0).all() and (t.Y["IF"] <= 0).all() and t.Y["IF"].sum() < 0
    np.testing.assert_allclose(t.Z_.sum(1) + t.Y_.sum(1) + t.discrepancy_, t.x_, rtol=1e-12)
    assert tables["cn-prov-2007-51"].fd_roles[-2:] == ("trade_out", "trade_in")
    assert tables["cn-prov-2002-51"].fd_roles[-1] == "net_outflow"
    assert tables["cn-prov-2002-51"].discrepancy_ is None
    assert tables["cn-prov-1997-51"].fd_roles == ("household", "government", "investment",
                                                  "inventory", "trade_out", "trade_in")


def test_sector_names_from_workbook_and_nbs(tables):
    t = tables["cn-prov-2017-51"]
    # code 35 is 研究和试验发展 in 2017 (secnames.rda wrongly says 旅游业)
    assert t.sectors.loc["35", "name_zh"] == "研究和试验发展"
    assert t.sectors.loc["35", "name_en"] == "Research and experimental development"
    assert tables["cn-prov-2002-51"].sectors.loc["35", "name_zh"] == "旅游业"


@pytest.mark.parametrize("prov, published", [("四川", 37066), ("重庆", 19425), ("甘肃", 7334),
                                             ("陕西", 21510)])
def test_value_added_2017(tables, chnio_cache, prov, published):
    """Total value added = the TVA row of the workbook = the province's published 2017 GDP in
    亿元 (figures from the shared/data README, rounded to 1 亿元 = 10^4 万元)."""
    ds = registry.get(f"cn-prov-2017-{prov}")
    t = tables[ds.id]
    frame, _ = chnio._frame_from_workbook(chnio_cache / ds.path)
    tva = frame.loc["TVA", [f"{i:02d}" for i in range(1, 43)]].astype(float).sum()
    np.testing.assert_allclose(t.value_added_.sum(), tva, rtol=1e-12)
    assert abs(t.value_added_.sum() / 1e4 - published) < 0.5


@pytest.mark.parametrize("year", [2002, 2007, 2012, 2017])
def test_workbook_and_rda_give_the_same_table(tables, shared_data, year):
    rda = shared_data / "cn" / "chnio" / "data" / f"io{year}.rda"
    for d in BY_YEAR[year]:
        a = tables[d.id]
        b = lianpu.load(rda, format="chnio", province=d.province, name=d.id)
        for arr in ("Z_", "Y_", "V_", "x_", "discrepancy_"):
            if getattr(a, arr) is None:
                assert getattr(b, arr) is None
                continue
            # bit-identical except one 2007 cell that differs by 2e-16 relative (float text)
            np.testing.assert_allclose(getattr(b, arr), getattr(a, arr), rtol=1e-15, atol=0,
                                       err_msg=f"{d.id} {arr}")
        assert a.sectors.equals(b.sectors) and a.final_demand_labels.equals(b.final_demand_labels)
        assert a.primary_labels.equals(b.primary_labels)


def test_rda_needs_a_province(shared_data):
    with pytest.raises(lianpu.FormatError, match=r"io2017.rda: argument 'province': an .rda "
                                                 r"list holds every province: name one"):
        get_reader("chnio").open(shared_data / "cn/chnio/data/io2017.rda")


@pytest.mark.parametrize("year", [1997, 2007, 2012, 2017])
def test_local_view_reproduces_output(tables, year):
    """x = (I − A_local)⁻¹ (local final use + exports + outflows + ERR), A_local = Z_local x̂⁻¹
    (the identity of the proportional split; Miller & Blair 2009 eq. 2.10 on the local table).
    The residual is the published tables' own rounding (their row residual): measured
    1.5e-7 of x_max (1997, Shaanxi), 4.8e-10 (2007), 6.8e-8 (2012, Qinghai), 4.0e-9 (2017)."""
    worst = 0.0
    for d in BY_YEAR[year]:
        t = tables[d.id]
        if not t.fd_positions("trade_in") and not t.fd_positions("inflow"):
            continue  # 1997 workbooks with net outflow only
        L = t.local()
        assert L is t.local()  # cached on the immutable table
        assert L.balance.ok and L.Zr_ is not None and L.Zm_ is not None
        assert not set(L.fd_roles) & {"import", "inflow", "trade_in"}
        res = np.abs(L.factor.solve(L.final_demand_total_) - t.x_).max() / t.x_.max()
        worst = max(worst, res)
        # column balance with the two leakages kept apart
        np.testing.assert_allclose(L.Z_.sum(0) + L.Zm_.sum(0) + L.Zr_.sum(0) + L.V_.sum(0),
                                   t.Z_.sum(0) + t.V_.sum(0), rtol=1e-12)
        if year >= 2012:  # imports and inflows kept separate, as published (to 1e-4: shares
            # of products whose supply exceeds all uses by rounding, ≤ 1e-4, are scaled to 1)
            np.testing.assert_allclose(L.Zm_.sum(1) + L.Ym_.sum(1), -t.Y["IM"].to_numpy(),
                                       rtol=1e-4, atol=1e-6)
            np.testing.assert_allclose(L.Zr_.sum(1) + L.Yr_.sum(1), -t.Y["IF"].to_numpy(),
                                       rtol=1e-4, atol=1e-6)
    assert worst < 2e-7, worst


def test_chongqing_2017_transit_noted(tables):
    t = tables["cn-prov-2017-50"]
    note = next(n for n in t.notes if "exceeds gross output" in n)
    # the shared/data README: inflow 79,221 and outflow 77,283 亿元 against gross output 55,915
    assert "79,221 亿元" in note and "77,283 亿元" in note and "55,915 亿元" in note
    L = t.local()
    assert any("re-exports / transit" in n for n in L.notes)
    np.testing.assert_allclose(L.factor.solve(L.final_demand_total_), t.x_, rtol=1e-9)


def test_va004_zero_noted(tables):
    assert any("VA004 = 0 in 01" in n for n in tables["cn-prov-2017-51"].notes)


def test_local_view_refused_for_net_outflow_and_combined_for_2007(tables):
    with pytest.raises(TableError, match=r"cn-prov-2002-51: cannot build the local view.*"
                                         r"net outflow only"):
        tables["cn-prov-2002-51"].local()
    L = tables["cn-prov-2007-51"].local()
    assert any("abroad and other provinces" in n for n in L.notes)
    assert not L.Zm_.any() and L.Zr_.sum() > 0


def test_local_view_native_round_trip(tables, tmp_path):
    L = tables["cn-prov-2017-50"].local()
    p = tmp_path / "cq.parquet"
    L.save(p)
    u = lianpu.load(p)
    for a in ("Z_", "Y_", "V_", "x_", "Zm_", "Ym_", "Zr_", "Yr_", "discrepancy_"):
        assert np.array_equal(getattr(u, a), getattr(L, a)), a
    assert u.notes == L.notes and u.Zr.shape == (42, 42) and list(u.Yr.columns) == list(L.Y.columns)


def test_aliases_are_the_same_table(tables, chnio_cache):
    assert registry.get("cn-prov-2017-sichuan").id == registry.get("cn-prov-2017-四川").id \
        == "cn-prov-2017-51"
    t = lianpu.load("cn-prov-2017-四川", data_dir=chnio_cache)
    assert t.name == "cn-prov-2017-51" and np.array_equal(t.Z_, tables["cn-prov-2017-51"].Z_)


def test_unknown_province_one_line_lists_valid():
    with pytest.raises(DatasetError) as e:
        registry.get("cn-prov-2017-atlantis")
    text = str(e.value)
    assert "\n" not in text and text.startswith("unknown dataset 'cn-prov-2017-atlantis': "
                                                "unknown province 'atlantis'")
    assert "51 四川 sichuan" in text and "65 新疆 xinjiang" in text
    with pytest.raises(DatasetError, match=r"no 2002 provincial table for 54 西藏 .*without 西藏"):
        registry.get("cn-prov-2002-xizang")


@pytest.mark.parametrize("ds", NATIONAL, ids=lambda d: d.id)
def test_national_tables_1990_2000(chnio_cache, ds):
    """The national workbooks 全国/{year}.xls (flows sheet): 33/33/33/40/17 sectors; rows and
    columns balance (measured ≤ 1.2e-7 of the largest output, 1990), x = L f."""
    t = lianpu.load(ds.id, data_dir=chnio_cache)
    assert t.n == ds.sectors == {1990: 33, 1992: 33, 1995: 33, 1997: 40, 2000: 17}[ds.year]
    assert t.sectors["name_en"].str.len().min() > 0 and t.sectors["name_zh"].str.len().min() > 0
    b = t.balance.to_dict()
    assert b["ok"] and max(b["max_row_residual"], b["max_column_residual"]) / t.x_.max() < 2e-7
    np.testing.assert_allclose(t.factor.solve(t.final_demand_total_), t.x_, rtol=1e-6,
                               atol=2e-7 * t.x_.max())
    roles = set(t.fd_roles)
    assert ("net_outflow" in roles) == (ds.year <= 1995)  # 净出口 only before 1997
    assert ("import" in roles) == (ds.year >= 1997)
    if ds.year >= 1997:
        assert (t.Y["IM"] <= 0).all()  # published negative, kept so
        assert t.domestic().Zm_.sum() > 0
    if ds.year == 1990:
        assert t.primary_labels.loc["VAP", "role"] == "other"


def test_malformed_inputs_name_the_file(tmp_path, chnio_cache):
    bad = tmp_path / "01-北京.xls"
    bad.write_bytes(b"not an excel file")
    with pytest.raises(lianpu.FormatError, match=r"01-北京\.xls: cannot be read as an Excel "
                                                 r"97–2003 workbook"):
        get_reader("chnio").open(bad)
    assert not get_reader("chnio").guess_can_open(tmp_path / "x.csv")
    with pytest.raises(lianpu.FormatError, match=r"x\.csv: not a CHNIO file"):
        (tmp_path / "x.csv").write_text("a,b\n")
        get_reader("chnio").open(tmp_path / "x.csv")
    wb = chnio_cache / registry.get("cn-prov-2017-51").path
    with pytest.raises(lianpu.FormatError, match=r"argument 'province': the workbook is of "
                                                 r"another province"):
        get_reader("chnio").open(wb, province="重庆")
    with pytest.raises(lianpu.DatasetError, match=r"unknown province 'nowhere'"):
        get_reader("chnio").open(wb, province="nowhere")
