"""Tables shared by the analysis tests."""
from __future__ import annotations

import numpy as np
import pytest

import lianpu


@pytest.fixture()
def mb():
    """Miller & Blair (2009) Table 2.3 (Z, x), value added split 60/40 into labour income and
    other, final demand split into households and other."""
    Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    x = np.array([1000.0, 2000.0])
    va = x - Z.sum(axis=0)
    Y = np.array([[100.0, 250.0], [300.0, 1400.0]])
    return lianpu.IOTable.from_arrays(Z, Y, np.vstack([0.6 * va, 0.4 * va]), x,
                                      primary=["COMP", "OTHER"], final_demand=["HH", "OTHER"],
                                      compensation_row="COMP", household_columns=("HH",),
                                      name="mb23", unit="万元")
