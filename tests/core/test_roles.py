"""Final-use and primary-input roles are data on the table's labels (issue 10, item 2).

Expected roles come from each source's own documentation: NBS (shared/data/README.md: FU101
rural households … EX exports, IM imports), OECD IOTs (HFCE … CONS_NONRES direct purchases by
non-residents, EXPO, IMPO), WIOD (CONS_h/CONS_np/CONS_g/GFCF/INVEN) and SNA 2008 codes (P3_S14,
P51G, P52, P6, P7; D1 compensation of employees).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.analysis.chains.finaldemand import final_demand_items
from lianpu.core import roles
from lianpu.core.errors import TableError


@pytest.mark.parametrize("code,en,role", [
    ("FU101", "", "household"), ("TC", "", "consumption"), ("FU202", "", "inventory"),
    ("P52", "", "inventory"), ("P3_S14", "", "household"), ("P51G", "", "investment"),
    ("P6", "", "export"), ("P7", "", "import"), ("CONS_NONRES", "", "nonresident"),
    ("INVEN", "", "inventory"), ("OF", "", "outflow"), ("IF", "", "inflow"),
    ("col7", "Changes in inventories", "inventory"),
    ("c3", "Exports of goods and services", "export"),
    ("c1", "Final consumption expenditure by households", "household"),
    ("c2", "Final consumption expenditure by non-profit organisations serving households", "npish"),
    ("c9", "Gross fixed capital formation", "investment"),
    ("xx", "", "other"),
])
def test_infer_fd_role(code, en, role):
    assert roles.infer_fd_role(code, "", en) == role


def test_infer_fd_role_chinese_and_multiregional():
    assert roles.infer_fd_role("c", "存货增加", "") == "inventory"
    assert roles.infer_fd_role("c", "国内省外流入", "") == "inflow"
    assert roles.infer_fd_role(("CHN", "CONS_h")) == "household"


@pytest.mark.parametrize("code,en,role", [
    ("VA001", "", "compensation"), ("D1", "", "compensation"),
    ("r1", "Compensation of employees", "compensation"),
    ("r2", "Taxes less subsidies on products", "product_taxes"),
    ("r3", "Other net taxes on production", "production_taxes"),
    ("VALU", "", "value_added"), ("r4", "Gross operating surplus and mixed income", "surplus"),
])
def test_infer_primary_role(code, en, role):
    assert roles.infer_primary_role(code, "", en) == role


def test_user_table_with_signed_inventory_column_is_accepted():
    """ONS/Eurostat-style columns: a negative inventory change (P52) is legitimate by role."""
    Z = pd.DataFrame([[10.0, 5.0], [4.0, 8.0]], index=["a", "b"], columns=["a", "b"])
    Y = pd.DataFrame({"P3_S14": [30.0, 20.0], "P52": [-2.0, 1.0], "P6": [12.0, 7.0]},
                     index=["a", "b"])
    t = lianpu.IOTable.from_frames(Z, Y)
    assert t.fd_roles == ("household", "inventory", "export")
    assert final_demand_items(t)["unmatched"] == []


def test_explicit_roles_override_inference_and_bad_role_is_named():
    Z, Y = [[10.0, 5.0], [4.0, 8.0]], [[30.0, 12.0], [20.0, 7.0]]
    t = lianpu.IOTable.from_arrays(Z, Y, final_demand=["A", "B"], fd_roles=["household", "export"])
    assert t.fd_roles == ("household", "export")
    t2 = lianpu.IOTable.from_arrays(Z, Y, final_demand=["A", "B"], fd_roles={"B": "export"})
    assert t2.fd_roles == ("other", "export")
    with pytest.raises(TableError, match="row 'B', column 'role': unknown final-use role "
                                         r"\(found 'exprots'"):
        lianpu.IOTable.from_arrays(Z, Y, final_demand=["A", "B"], fd_roles=["household", "exprots"])


def test_roles_set_by_every_reader_agree(nbs_dir, oecd_dir, wiod_dir, tmp_path):
    """The same kinds of column get the same roles whichever reader read them."""
    nbs = lianpu.load(nbs_dir / "cn_io_2020_153.csv")
    assert dict(zip(nbs.final_demand_labels.index, nbs.fd_roles)) == {
        "FU101": "household", "FU102": "household", "FU103": "government",
        "FU201": "investment", "FU202": "inventory", "EX": "export", "IM": "import"}
    nc = lianpu.load(nbs_dir / "cn_io_2020_42.csv")
    assert nc.fd_roles == ("consumption", "investment", "inventory", "export")
    oecd = lianpu.load(oecd_dir / "oecd2021_chn_2018.csv")
    r = dict(zip(oecd.final_demand_labels.index, oecd.fd_roles))
    assert r["HFCE"] == "household" and r["INVNT"] == "inventory" and r["EX"] == "export"
    assert r["CONS_NONRES"] == "nonresident" and r["IM"] == "import"
    assert r["CONS_ABR"] == "consumption_abroad" and r["GFCF"] == "investment"
    w = lianpu.load(wiod_dir / "wiot_2011.RData")
    wr = dict(zip(w.final_demand_labels.index, w.fd_roles))
    assert wr[("CHN", "CONS_h")] == "household" and wr[("CHN", "INVEN")] == "inventory"
    assert nbs.primary_roles == ("compensation", "production_taxes", "depreciation", "surplus")
    # the native format keeps roles; the generic template reads them back the same way
    nbs.save(tmp_path / "t.parquet")
    assert lianpu.load(tmp_path / "t.parquet").fd_roles == nbs.fd_roles


def test_oecd_nonresident_purchases_are_exports_everywhere(oecd_dir):
    """CONS_NONRES is sold to non-residents: the domestic view gives it no import share (as
    exports), and the final-demand items count it as exports, not consumption."""
    t = lianpu.load(oecd_dir / "oecd2021_chn_2018.csv")
    d = t.domestic()
    j = list(d.final_demand_labels.index).index("CONS_NONRES")
    reexport = np.array(["re-exports" in n for n in d.notes]).any()
    if not reexport:
        assert np.all(d.Ym_[:, j] == 0)
    it = final_demand_items(t)
    k = list(t.final_demand_labels.index).index("CONS_NONRES")
    ex = list(t.final_demand_labels.index).index("EX")
    assert it["total"]["exports"] == pytest.approx(
        float(t.Y_[:, [k, ex]].sum()), rel=1e-9)
