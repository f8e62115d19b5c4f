"""Every registry dataset (12 NBS, 24 OECD, 17 WIOD yearly + 2 regional) through the public
path a user takes: seed the cache from ../shared/data, ``lianpu.load(id)``, then
x = L f (Miller & Blair 2009, eq. 2.10), the Ghosh identity x' = v' G (eq. 12.6) and a
lossless native save/load round trip (every array bit-identical, labels and metadata equal)."""
import numpy as np
import pytest

import lianpu
from lianpu.core.leontief import left_solve
from lianpu.data import registry
from lianpu.data.download import download

IDS = [d.id for d in registry.datasets()]


@pytest.fixture(scope="module")
def cache(tmp_path_factory, shared_data):
    d = tmp_path_factory.mktemp("cache")
    download(IDS, data_dir=d, from_dir=shared_data, progress=False)
    return d


def test_registry_covers_all_shared_files(shared_data):
    assert len(IDS) == 12 + 24 + 17 + 2
    for d in registry.datasets():
        assert (shared_data / d.path).exists(), d.path


@pytest.mark.parametrize("ds_id", IDS)
def test_dataset(ds_id, cache, tmp_path):
    ds = registry.get(ds_id)
    t = lianpu.load(ds_id, data_dir=cache)
    assert t.name == ds_id and t.year == ds.year and t.unit
    assert t.n == ds.sectors * (len(t.regions) if t.is_multiregional else 1)
    assert t.sectors["name_zh"].str.len().min() > 0 and t.sectors["name_en"].str.len().min() > 0
    # x = L f. OECD cells are published to 0.1 million USD, hence its looser tolerance
    # (measured max 2.1e-4 relative in the smallest industry, 1995).
    rtol = 1e-3 if ds.format == "oecd" else 1e-9
    np.testing.assert_allclose(t.factor.solve(t.final_demand_total_), t.x_, rtol=rtol,
                               atol=1e-6 * t.x_.max())
    # Ghosh: primary inputs (+ imported inputs in non-competitive tables) and, for sectors
    # whose rounded output is 0 but which still sell (WIOD 1999 LUX c8), those sales.
    v = t.V_.sum(axis=0) + (t.Zm_.sum(axis=0) if t.Zm_ is not None else 0)
    v = v + np.where(t.x_ == 0, t.Z_.sum(axis=1), 0)
    np.testing.assert_allclose(left_solve(t.factor_ghosh, v), t.x_, rtol=rtol,
                               atol=1e-6 * t.x_.max())
    p = tmp_path / "t.parquet"
    t.save(p)
    u = lianpu.load(p)
    for a in ("Z_", "Y_", "V_", "x_", "Zm_", "Ym_", "discrepancy_"):
        x, y = getattr(t, a), getattr(u, a)
        assert (x is None and y is None) or np.array_equal(x, y), a
    for a in ("sectors", "final_demand_labels", "primary_labels"):
        assert getattr(t, a).equals(getattr(u, a)), a
    for a in ("value_added_rows", "compensation_row", "household_columns", "unit", "year",
              "source", "name", "imports", "notes"):
        assert getattr(t, a) == getattr(u, a), a
