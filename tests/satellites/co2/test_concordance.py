"""The shipped concordances: CEADs → NBS 42, and every NBS table → NBS 42 (2017) / common 39.

Expected numbers: the published 42-sector tables of 2017, 2018 and 2020 (their gross output
is what the 149/153-sector tables of the same year must aggregate to), the CEADs sheets'
own row labels, and the inventories' own totals (100 % of emissions must be mapped).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.satellites.co2 import concordance as cc
from lianpu.satellites.co2 import inventory as inv
from lianpu.core.errors import TableError

NBS_IDS = ["cn-nbs-2002-122", "cn-nbs-2005-42", "cn-nbs-2007-135", "cn-nbs-2010-41",
           "cn-nbs-2012-139", "cn-nbs-2015-42", "cn-nbs-2017-149", "cn-nbs-2017-42",
           "cn-nbs-2018-153", "cn-nbs-2018-42", "cn-nbs-2020-153", "cn-nbs-2020-42"]


@pytest.fixture(scope="module")
def tables(shared_data):
    return {i: lianpu.load(i, data_dir=shared_data) for i in NBS_IDS}


def test_ceads_rows_are_the_sheet_rows_all_mapped(shared_data):
    c = cc.ceads_concordance()
    codes = list(dict.fromkeys(c["ceads_code"]))
    assert codes == [f"{i:02d}" for i in range(1, 48)]
    # the labels are those of the real sheets (rows 5–51 of Sichuan2017, blanks stripped)
    import openpyxl
    from lianpu.data import registry
    wb = openpyxl.load_workbook(registry.path_of("ceads-provinces-2017", shared_data),
                                read_only=True, data_only=True)
    rows = list(wb["Sichuan2017"].iter_rows(min_row=5, max_row=51, values_only=True))
    wb.close()
    assert [r[0].strip() for r in rows] == list(inv.sectors()["name_en"])
    # weights per source row sum to 1; rules are the documented ones
    sums = c.groupby("ceads_code")["weight"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0, atol=2e-6)  # weights are printed to 1e-6
    assert set(c["rule"]) == {"one", "fossil_fuel_inputs", "final_demand"}
    assert (c.loc[c["rule"] == "one", "weight"] == 1).all()
    assert set(c.loc[c["rule"] == "final_demand", "ceads_code"]) == {"46", "47"}


def test_every_target_code_exists(tables):
    c = cc.ceads_concordance()
    nbs42 = set(map(str, tables["cn-nbs-2017-42"].index))
    targets = set(c["nbs42"])
    assert targets - nbs42 == {"FD:urban", "FD:rural"}
    names = dict(zip(tables["cn-nbs-2017-42"].index, tables["cn-nbs-2017-42"].sectors["name_zh"]))
    for _, r in c[c["rule"] != "final_demand"].iterrows():
        assert r["nbs42_name_zh"] == names[r["nbs42"]]
    n = cc.nbs_concordance()
    for code in n["nbs42"]:
        assert set(code.split("|")) <= nbs42
    assert n["common"].nunique() == 39 and (n["weight"] == 1).all()


def test_nbs_concordance_covers_every_sector_once(tables):
    n = cc.nbs_concordance()
    assert list(dict.fromkeys(n["table"])) == NBS_IDS
    for i, t in tables.items():
        rows = n[n["table"] == i]
        assert list(rows["source_code"]) == list(map(str, t.index)), i
        assert list(rows["source_name_zh"]) == list(t.sectors["name_zh"]), i
        assert cc.table_key(t) == i


@pytest.mark.parametrize("big, small", [("cn-nbs-2017-149", "cn-nbs-2017-42"),
                                        ("cn-nbs-2018-153", "cn-nbs-2018-42"),
                                        ("cn-nbs-2020-153", "cn-nbs-2020-42")])
def test_detailed_tables_aggregate_to_published_42(tables, big, small):
    """The mapping of 149/153 products to 42 reproduces the published 42-sector output."""
    n = cc.nbs_concordance()
    m = n[n["table"] == big].set_index("source_code")["nbs42"]
    t, s = tables[big], tables[small]
    agg = pd.Series(t.x_, index=list(map(str, t.index))).groupby(m).sum()
    np.testing.assert_allclose(agg.reindex(list(map(str, s.index))).to_numpy(), s.x_,
                               rtol=1e-12)


def test_weights_and_full_mapping_on_every_table(shared_data, tables):
    nat = inv.read_national(data_dir=shared_data)
    for i, t in tables.items():
        W = cc.ceads_weights(t)
        assert W.shape == (45, t.n) and (W.to_numpy() >= 0).all()
        np.testing.assert_allclose(W.sum(axis=1), 1.0, rtol=1e-12, err_msg=i)
        year = min(t.year, 2019)
        by = nat.sector_totals("China", year)
        values, hh = cc.to_table(t, by)
        # 100 % of the inventory's own total is on the table (sectors + household columns)
        total = nat.totals.loc[("China", year), "Scope 1 Total"]
        assert values.sum() + hh.sum() == pytest.approx(total, rel=1e-12), i
        assert hh.sum() == pytest.approx(by[["46", "47"]].sum(), rel=1e-12)


def test_reference_weights_are_those_of_2017_42(tables):
    c = cc.ceads_concordance()
    W = cc.ceads_weights(tables["cn-nbs-2017-42"])
    split = c[c["rule"] == "fossil_fuel_inputs"]
    got = [W.loc[r.ceads_code, r.nbs42] for r in split.itertuples()]
    np.testing.assert_allclose(got, split["weight"].to_numpy(), atol=5e-7)


def test_household_columns_by_table(tables):
    assert cc.household_columns(tables["cn-nbs-2012-139"]) == {"46": "FU102", "47": "FU101"}
    assert cc.household_columns(tables["cn-nbs-2020-42"]) == {"46": "TC", "47": "TC"}


def test_unknown_table_is_refused(tables):
    t = tables["cn-nbs-2017-42"]
    with pytest.raises(TableError, match=r"no sector concordance for this table \(found year "
                                         r"2016, 42 sectors"):
        cc.table_key(t.evolve(year=2016))


def test_common_groups_and_classification(tables):
    g, labels = cc.common_groups(tables["cn-nbs-2005-42"])
    assert len(labels) == 39 and g.max() == 38 and len(g) == 42
    # 2005's "general and special machinery" lands in the merged machinery group
    assert labels.index[g[15]] == "16" and labels.loc["16", "name_zh"] == "通用、专用设备和修理服务"
    assert cc.same_classification(tables["cn-nbs-2017-42"], tables["cn-nbs-2020-42"])
    assert not cc.same_classification(tables["cn-nbs-2015-42"], tables["cn-nbs-2017-42"])
