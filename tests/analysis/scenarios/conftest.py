"""Small tables shared by the scenario tests (Miller & Blair's Table 2.3 and the
non-competitive toy of test_shock.py)."""
from __future__ import annotations

import numpy as np
import pytest

import lianpu


@pytest.fixture()
def mb():
    """Miller & Blair (2009) Table 2.3 with a labour-income row and a household column."""
    Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    x = np.array([1000.0, 2000.0])
    va = x - Z.sum(axis=0)
    Y = np.array([[100.0, 250.0], [300.0, 1400.0]])
    return lianpu.IOTable.from_arrays(Z, Y, np.vstack([0.6 * va, 0.4 * va]), x,
                                      primary=["COMP", "OTHER"], final_demand=["HH", "OTHER"],
                                      compensation_row="COMP", household_columns=("HH",),
                                      name="mb23", unit="万元")


@pytest.fixture()
def toy():
    """The non-competitive toy of test_shock.py (x = [100, 200], sector 1 imports 30)."""
    Z = np.array([[10.0, 80.0], [20.0, 10.0]])
    Zm = np.array([[30.0, 0.0], [0.0, 0.0]])
    x = np.array([100.0, 200.0])
    V = (x - Z.sum(axis=0) - Zm.sum(axis=0))[None, :]
    return lianpu.IOTable.from_arrays(Z, [[10.0], [170.0]], V, x, Zm_=Zm, Ym_=np.zeros((2, 1)),
                                      name="toy", unit="万元")
