"""User tables that load (issue 15, item 1): frames laid out as ONS and Eurostat publish them
load through ``IOTable.from_frames`` with no role arguments and give the right multipliers.

Layouts (labels and codes exactly as the publications spell them; the numbers are small,
invented and balanced — the real tables have 105 and 59 products):

- ONS, *UK Input-Output Analytical Tables 2010* (product by product, domestic use): final-use
  columns "Final consumption expenditure by households", "… by non-profit organisations
  serving households (NPISH)", "… by government", "Gross fixed capital formation",
  "Valuables", "Changes in inventories", "Exports of goods to EU", "Exports of goods to rest of
  the world", "Exports of services"; rows "Imports of goods and services", "Taxes less
  subsidies on products", "Compensation of employees", "Gross operating surplus and mixed
  income", "Taxes less subsidies on production".
- Eurostat, ESA 95 symmetric input-output table, Germany 1995 (domestic output, ``naio_cp17``
  codes): columns P3_S14, P3_S15, P3_S13, P51, P52, P53, P6; rows P7, D21X31, D1, D29X39, K1,
  B2A3N.

Expected multipliers are computed here with numpy from the same numbers: output = 1'(I − A)⁻¹,
income = w (I − A)⁻¹ with w = compensation / x, Type II output from the closed matrix
[[A, hc], [hr, 0]] (Miller & Blair 2009, §2.5), hc = household consumption / total compensation.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.core.errors import TableError

SECTORS = ["A", "C", "G"]  # the ONS / CPA section letters: agriculture, manufacturing, trade
Z = np.array([[20.0, 60.0, 5.0], [30.0, 250.0, 40.0], [10.0, 80.0, 60.0]])

ONS_FD = ["Final consumption expenditure by households",
          "Final consumption expenditure by non-profit organisations serving households (NPISH)",
          "Final consumption expenditure by government", "Gross fixed capital formation",
          "Valuables", "Changes in inventories", "Exports of goods to EU",
          "Exports of goods to rest of the world", "Exports of services"]
ONS_FD_ROLES = ("household", "npish", "government", "investment", "inventory", "inventory",
                "export", "export", "export")
Y_ONS = np.array([[40.0, 1.0, 2.0, 3.0, 0.0, -4.0, 10.0, 5.0, 0.0],
                  [150.0, 3.0, 10.0, 120.0, 2.0, -6.0, 80.0, 60.0, 0.0],
                  [200.0, 5.0, 30.0, 20.0, 0.0, 1.0, 0.0, 0.0, 30.0]])
ONS_PRIMARY = ["Imports of goods and services", "Taxes less subsidies on products",
               "Compensation of employees", "Gross operating surplus and mixed income",
               "Taxes less subsidies on production"]
ONS_PRIMARY_ROLES = ("imports", "product_taxes", "compensation", "surplus", "production_taxes")

EU_FD = ["P3_S14", "P3_S15", "P3_S13", "P51", "P52", "P53", "P6"]
EU_FD_ROLES = ("household", "npish", "government", "investment", "inventory", "inventory",
               "export")
Y_EU = np.array([[40.0, 1.0, 2.0, 3.0, -4.0, 0.0, 15.0],
                 [150.0, 3.0, 10.0, 120.0, -6.0, 2.0, 140.0],
                 [200.0, 5.0, 30.0, 20.0, 1.0, 0.0, 30.0]])
EU_PRIMARY = ["P7", "D21X31", "D1", "D29X39", "K1", "B2A3N"]
EU_PRIMARY_ROLES = ("imports", "product_taxes", "compensation", "production_taxes",
                    "depreciation", "surplus")


def _frames(fd, Y, primary, shares):
    x = Z.sum(axis=1) + Y.sum(axis=1)
    va = x - Z.sum(axis=0)
    V = np.outer(shares, va)  # every column closes: 1'Z + 1'V = x
    V[-1] += va - V.sum(axis=0)
    Zf = pd.DataFrame(Z, index=SECTORS, columns=SECTORS)
    return (Zf, pd.DataFrame(Y, index=SECTORS, columns=fd),
            pd.DataFrame(V, index=primary, columns=SECTORS), x)


def _numpy_multipliers(Y, V, x, comp_row, hh_cols):
    A = Z / x
    L = np.linalg.inv(np.eye(3) - A)
    w = V[comp_row] / x
    hc = Y[:, hh_cols].sum(axis=1) / V[comp_row].sum()
    Abar = np.block([[A, hc[:, None]], [w[None, :], np.zeros((1, 1))]])
    Lbar = np.linalg.inv(np.eye(4) - Abar)
    return L.sum(axis=0), w @ L, Lbar[:3, :3].sum(axis=0)


@pytest.mark.parametrize("fd,Y,primary,fd_roles,pr_roles,shares", [
    (ONS_FD, Y_ONS, ONS_PRIMARY, ONS_FD_ROLES, ONS_PRIMARY_ROLES, [0.3, 0.05, 0.4, 0.2, 0.05]),
    (EU_FD, Y_EU, EU_PRIMARY, EU_FD_ROLES, EU_PRIMARY_ROLES, [0.3, 0.05, 0.35, 0.02, 0.1, 0.18]),
], ids=["ONS UK 2010", "Eurostat Germany 1995"])
def test_publication_layout_loads_without_role_arguments(fd, Y, primary, fd_roles, pr_roles,
                                                         shares):
    Zf, Yf, Vf, x = _frames(fd, Y, primary, shares)
    t = lianpu.IOTable.from_frames(Zf, Yf, Vf)  # no roles=, no compensation_row=
    assert t.fd_roles == fd_roles and t.primary_roles == pr_roles
    comp = pr_roles.index("compensation")
    assert t.compensation_row == primary[comp]
    out, inc, out2 = _numpy_multipliers(Y, Vf.to_numpy(), x, comp,
                                        [j for j, r in enumerate(fd_roles) if r in ("household", "npish")])
    kw = dict(basis="published")
    np.testing.assert_allclose(lianpu.multipliers(t, "output", **kw).to_numpy(), out, rtol=1e-12)
    np.testing.assert_allclose(lianpu.multipliers(t, "income", **kw).to_numpy(), inc, rtol=1e-12)
    np.testing.assert_allclose(lianpu.multipliers(t, "output", type="II", **kw).to_numpy(), out2,
                               rtol=1e-12)


def test_unknown_negative_column_error_names_roles():
    """A column whose name suggests a role that cannot be negative: the error says which
    argument declares its role."""
    Zf, Yf, Vf, _ = _frames(ONS_FD, Y_ONS, ONS_PRIMARY, [0.3, 0.05, 0.4, 0.2, 0.05])
    Yf = Yf.rename(columns={"Changes in inventories": "Households: net acquisitions"})
    with pytest.raises(TableError, match=r"column 'Households: net acquisitions'.*declare its "
                       r"role with roles=\{'Households: net acquisitions': 'inventory'\}"):
        lianpu.IOTable.from_frames(Zf, Yf, Vf)
    t = lianpu.IOTable.from_frames(Zf, Yf, Vf, roles={"Households: net acquisitions": "inventory"})
    assert t.fd_roles[5] == "inventory"


def test_negative_primary_row_error_names_roles():
    Zf, Yf, Vf, _ = _frames(EU_FD, Y_EU, EU_PRIMARY, [0.3, 0.05, 0.35, 0.02, 0.1, 0.18])
    Vf = Vf.rename(index={"K1": "Wages adjustment"})  # 'wages' → compensation
    Vf.loc["Wages adjustment", "A"] = -1.0
    Vf = _reclose(Zf, Yf, Vf)
    with pytest.raises(TableError, match=r"primary-input row 'Wages adjustment' has the role "
                       r"'compensation'.*roles=\{'Wages adjustment':"):
        lianpu.IOTable.from_frames(Zf, Yf, Vf)
    t = lianpu.IOTable.from_frames(Zf, Yf, Vf, roles={"Wages adjustment": "other"})
    assert t.compensation_row == "D1"  # the one row left with the role compensation


def _reclose(Zf, Yf, Vf):
    x = Zf.sum(axis=1) + Yf.sum(axis=1)
    Vf = Vf.copy()
    Vf.loc["B2A3N"] += (x - Zf.sum(axis=0) - Vf.sum(axis=0)).to_numpy()
    return Vf


def test_roles_argument_errors():
    Zf, Yf, Vf, _ = _frames(EU_FD, Y_EU, EU_PRIMARY, [0.3, 0.05, 0.35, 0.02, 0.1, 0.18])
    with pytest.raises(TableError, match=r"argument 'roles'.*neither a final-use column"):
        lianpu.IOTable.from_frames(Zf, Yf, Vf, roles={"P99": "export"})
    with pytest.raises(TableError, match=r"argument 'roles'.*unknown final-use role"):
        lianpu.IOTable.from_frames(Zf, Yf, Vf, roles={"P6": "exports"})


def test_two_compensation_rows_leave_compensation_row_unset():
    Zf, Yf, Vf, _ = _frames(EU_FD, Y_EU, EU_PRIMARY, [0.3, 0.05, 0.35, 0.02, 0.1, 0.18])
    t = lianpu.IOTable.from_frames(Zf, Yf, Vf, roles={"K1": "compensation"})
    assert t.compensation_row is None
    assert lianpu.IOTable.from_frames(Zf, Yf, Vf, compensation_row="K1").compensation_row == "K1"


def test_satellites_as_pymrio_F_frame():
    """pymrio's F: stressors × sectors, with a unit frame — one satellite per row (this read as
    one per column before: "satellite 0 has the wrong length")."""
    Zf, Yf, Vf, _ = _frames(EU_FD, Y_EU, EU_PRIMARY, [0.3, 0.05, 0.35, 0.02, 0.1, 0.18])
    idx = pd.MultiIndex.from_tuples([("CO2", "air"), ("N", "water")],
                                    names=["stressor", "compartment"])
    F = pd.DataFrame([[5.0, 9.0, 1.0], [0.5, 0.2, 0.0]], index=idx, columns=SECTORS)
    unit = pd.DataFrame({"unit": ["kt", "t"]}, index=idx)
    t = lianpu.IOTable.from_frames(Zf, Yf, Vf, satellites=F, satellite_units=unit)
    assert list(t.satellites) == ["CO2/air", "N/water"]
    assert t.satellites["CO2/air"].unit == "kt"
    np.testing.assert_array_equal(t.satellites["N/water"].values, [0.5, 0.2, 0.0])
    # a sectors × stressors frame (columns are the stressors) reads the same way
    u = lianpu.IOTable.from_frames(Zf, Yf, Vf, satellites=F.T, satellite_units={"CO2/air": "kt"})
    np.testing.assert_array_equal(u.satellites["CO2/air"].values, [5.0, 9.0, 1.0])
    # and the F frame lianpu writes (units in attrs) reads back as the same satellites
    w = lianpu.IOTable.from_frames(Zf, Yf, Vf, satellites=t.F)
    assert {k: s.unit for k, s in w.satellites.items()} == {"CO2/air": "kt", "N/water": "t"}


@pytest.mark.parametrize("code,label,role", [
    ("P3", "", "consumption"), ("P31", "", "consumption"), ("P32", "", "government"),
    ("P51G", "", "investment"), ("P5", "", "capital"), ("P52", "", "inventory"),
    ("P53", "", "inventory"), ("P6", "", "export"), ("P7", "", "import"),
    ("c", "Acquisitions less disposals of valuables", "inventory"),
    ("c", "Exports of services", "export"), ("c", "贵重物品获得减处置", "inventory"),
    ("c", "住户最终消费支出", "household"), ("c", "固定资本形成总额", "investment"),
])
def test_sna_esa_final_use_codes_and_labels(code, label, role):
    from lianpu.core import roles
    assert roles.infer_fd_role(code, label if not label.isascii() else "",
                               label if label.isascii() else "") == role


@pytest.mark.parametrize("code,label,role", [
    ("D1", "", "compensation"), ("D21X31", "", "product_taxes"),
    ("D29X39", "", "production_taxes"), ("B2A3N", "", "surplus"), ("K1", "", "depreciation"),
    ("P51C", "", "depreciation"), ("D21_M_D31", "", "product_taxes"), ("P7", "", "imports"),
    ("r", "Imports of goods and services", "imports"), ("r", "雇员报酬", "compensation"),
    ("r", "Other taxes less subsidies on production", "production_taxes"),
    ("r", "生产税净额", "production_taxes"), ("r", "营业盈余", "surplus"),
])
def test_sna_esa_primary_codes_and_labels(code, label, role):
    from lianpu.core import roles
    assert roles.infer_primary_role(code, label if not label.isascii() else "",
                                    label if label.isascii() else "") == role
