"""Peer check: lianpu against pymrio (an independent implementation that inverts I − A) on the
same real tables — output multipliers (column sums of L) and satellite multipliers M = S L."""
import numpy as np
import pandas as pd
import pytest

import lianpu

pymrio = pytest.importorskip("pymrio", reason="pymrio is in the test extras; install '.[test]'")


def _pymrio_system(t, F):
    idx = t.index if t.is_multiregional else pd.MultiIndex.from_product(
        [["CN"], list(t.index)], names=["region", "sector"])
    cols = t.final_demand_labels.index if t.is_multiregional else pd.MultiIndex.from_product(
        [["CN"], list(t.final_demand_labels.index)], names=["region", "category"])
    # pymrio computes x = Z·1 + Y·1; NBS's ERR column is part of f, so it goes into Y here
    Y = t.Y_ if t.discrepancy_ is None else np.column_stack([t.Y_, t.discrepancy_])
    if t.discrepancy_ is not None:
        cols = cols.append(pd.MultiIndex.from_tuples([(cols[0][0], "ERR")]))
    io = pymrio.IOSystem(Z=pd.DataFrame(t.Z_, index=idx, columns=idx),
                         Y=pd.DataFrame(Y, index=idx, columns=cols))
    io.sat = pymrio.Extension(name="sat", F=pd.DataFrame(F, index=["co2", "jobs"], columns=idx),
                              unit=pd.DataFrame({"unit": ["t", "p"]}, index=["co2", "jobs"]))
    io.calc_all()
    return io


@pytest.mark.parametrize("fname", ["cn_io_2020_153.csv", "cn_io_2012_139.csv"])
def test_multipliers_match_pymrio(nbs_dir, fname):
    t = lianpu.load(nbs_dir / fname)
    rng = np.random.default_rng(7)
    F = rng.uniform(0, 1, (2, t.n)) * t.x_
    t = t.with_satellite("co2", F[0], "t").with_satellite("jobs", F[1], "p")
    io = _pymrio_system(t, F)
    np.testing.assert_allclose(io.x.to_numpy().ravel(), t.x_, rtol=1e-9)
    np.testing.assert_allclose(lianpu.multipliers(t, "output", basis="published").to_numpy(),
                               io.L.to_numpy().sum(axis=0), rtol=1e-9)
    for i, name in enumerate(("co2", "jobs")):
        np.testing.assert_allclose(lianpu.multipliers(t, name, basis="published").to_numpy(),
                                   io.sat.M.to_numpy()[i], rtol=1e-9)
