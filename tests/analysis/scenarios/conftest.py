"""The non-competitive toy of test_shock.py, shared by the scenario tests (Miller & Blair's
Table 2.3 is tests/analysis/conftest.py's ``mb``)."""
from __future__ import annotations

import numpy as np
import pytest

import lianpu


@pytest.fixture()
def toy():
    """The non-competitive toy of test_shock.py (x = [100, 200], sector 1 imports 30)."""
    Z = np.array([[10.0, 80.0], [20.0, 10.0]])
    Zm = np.array([[30.0, 0.0], [0.0, 0.0]])
    x = np.array([100.0, 200.0])
    V = (x - Z.sum(axis=0) - Zm.sum(axis=0))[None, :]
    return lianpu.IOTable.from_arrays(Z, [[10.0], [170.0]], V, x, Zm_=Zm, Ym_=np.zeros((2, 1)),
                                      name="toy", unit="万元")
