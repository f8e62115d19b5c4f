"""Monte Carlo and batch: reproducible per-draw seeds, identical results serial / local Dask /
dask.distributed LocalCluster, σ = 0 collapses the bands onto the point estimate."""
import json

import numpy as np
import pytest

import lianpu
from lianpu.analysis.scenarios.montecarlo import DrawSpec, batch, draw


@pytest.fixture(scope="module")
def t2020(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2020_42.csv").with_satellite(
        "jobs", np.linspace(1, 2, 42) * 1e2, "10,000 persons", name_zh="就业")


@pytest.fixture(scope="module")
def demand(t2020):
    d = np.zeros(t2020.n)
    d[[15, 17, 18, 26]] = [5e4, 5.5e5, 1.5e5, 1.5e5]
    return d


@pytest.fixture(scope="module")
def serial(t2020, demand):
    return lianpu.montecarlo(t2020, demand, draws=24, type="II", households=("TC",), seed=7,
                             scheduler="serial")


def test_local_dask_and_chunking_equal_serial(t2020, demand, serial):
    for kw in ({"scheduler": None, "chunks": 5}, {"scheduler": "synchronous", "chunks": 24}):
        r = lianpu.montecarlo(t2020, demand, draws=24, type="II", households=("TC",), seed=7, **kw)
        np.testing.assert_allclose(r.bands, serial.bands, rtol=1e-12)
        np.testing.assert_allclose(r.totals_draws, serial.totals_draws, rtol=1e-12)


def test_distributed_localcluster_equals_serial(t2020, demand, serial):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        r = lianpu.montecarlo(t2020, demand, draws=24, type="II", households=("TC",), seed=7,
                              scheduler=cluster.scheduler_address, chunks=6, progress=True)
        with distributed.Client(cluster) as client:  # a Client object works too
            r2 = lianpu.montecarlo(t2020, demand, draws=24, type="II", households=("TC",),
                                   seed=7, scheduler=client, chunks=3)
    np.testing.assert_allclose(r.bands, serial.bands, rtol=1e-12)
    np.testing.assert_allclose(r2.totals_draws, serial.totals_draws, rtol=1e-12)


def test_draw_uses_spawned_child_seed(t2020, demand):
    """Draw 5 by hand: the 6th child of SeedSequence(7).spawn, A × exp(σε − σ²/2) on the
    non-zeros in row-major order, then the satellite row; solved with numpy.linalg.solve."""
    A = np.asarray(t2020.A_)
    sat = (t2020.satellites["jobs"].values / t2020.x_)[None, :]
    spec = DrawSpec(A, demand[:, None], sat, 0.1, 0.2, 7)
    x1, x2, s = draw(spec, 5)
    rng = np.random.default_rng(np.random.SeedSequence(7).spawn(6)[5])
    r, c = np.nonzero(A)
    Ad = A.copy()
    Ad[r, c] *= np.exp(0.1 * rng.standard_normal(r.size) - 0.005)
    sd = sat * np.exp(0.2 * rng.standard_normal(sat.shape) - 0.02)
    np.testing.assert_allclose(x1[:, 0], np.linalg.solve(np.eye(t2020.n) - Ad, demand), rtol=1e-10)
    np.testing.assert_allclose(s, sd, rtol=1e-14)
    assert x2 is None


def test_seed_reproducible_and_sigma_zero(t2020, demand, serial):
    again = lianpu.montecarlo(t2020, demand, draws=24, type="II", households=("TC",), seed=7,
                              scheduler="serial")
    assert np.array_equal(again.bands, serial.bands)
    other = lianpu.montecarlo(t2020, demand, draws=24, type="II", households=("TC",), seed=8,
                              scheduler="serial")
    assert not np.allclose(other.bands, serial.bands)
    zero = lianpu.montecarlo(t2020, demand, draws=3, sigma=0, sigma_satellites=0, type="I",
                             scheduler="serial")
    df = zero.to_frame()
    for p in ("p5", "p50", "p95"):
        np.testing.assert_allclose(df[p], df["value"], rtol=1e-12, atol=1e-9)


def test_bands_ordered_and_output_of_satellite_only_noise(t2020, demand, serial):
    tot = serial.totals()
    assert (tot["p5"] <= tot["p50"]).all() and (tot["p50"] <= tot["p95"]).all()
    assert (tot.xs("indirect", level="effect")["p95"] > tot.xs("indirect", level="effect")["p5"]).all()
    # σ_A = 0, σ_sat > 0: output bands collapse, jobs bands do not
    r = lianpu.montecarlo(t2020, demand, draws=12, sigma=0, sigma_satellites=0.2,
                          scheduler="serial").totals()
    out, jobs = r.loc[("output", "total", "demand")], r.loc[("jobs", "total", "demand")]
    assert out["p95"] == pytest.approx(out["p5"], rel=1e-12) and jobs["p95"] > jobs["p5"]
    d = json.loads(serial.to_json())
    assert d["draws"] == 24 and {"p5", "p50", "p95"} <= set(d["totals"][0])


def test_batch_mapping_equals_separate_impacts(t2020, demand):
    r = batch(t2020, {"a": demand, "b": 2 * demand})
    assert r.scenarios == ("a", "b")
    np.testing.assert_allclose(r.output("total")[:, 1],
                               lianpu.impact(t2020, 2 * demand, type="I").output("total")[:, 0],
                               rtol=1e-12)


def test_argument_errors(t2020, demand):
    with pytest.raises(ValueError, match="argument 'scheduler'"):
        lianpu.montecarlo(t2020, demand, draws=2, scheduler="gpu")
    with pytest.raises(ValueError, match="argument 'draws'"):
        lianpu.montecarlo(t2020, demand, draws=0)
