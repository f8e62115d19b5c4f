"""Inoperability IO model: the static solution equals the normalised Leontief solution, the
dynamic path converges to it, and the resilience coefficient reproduces the recovery time."""
import json

import numpy as np
import pytest

import lianpu
from lianpu import shock


@pytest.fixture(scope="module")
def t2017(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2017_42.csv")


@pytest.fixture()
def mb():
    """Miller & Blair (2009) Table 2.3."""
    return lianpu.IOTable.from_arrays([[150.0, 500.0], [200.0, 100.0]], [350.0, 1700.0])


def test_static_equals_normalised_leontief(mb, t2017):
    """q = (I − A*)⁻¹ c* with A* = x̂⁻¹ A x̂ equals x̂⁻¹ L Δf (Santos & Haimes 2004); L by
    numpy.linalg.inv."""
    for t in (mb, t2017):
        rng = np.random.default_rng(2)
        df = rng.uniform(0, 0.05, t.n) * t.x_
        L = np.linalg.inv(np.eye(t.n) - t.A_)
        r = shock.inoperability(t, df)
        np.testing.assert_allclose(r.columns["inoperability"], (L @ df) / t.x_, rtol=1e-10)
        np.testing.assert_allclose(r.columns["economic_loss"], L @ df, rtol=1e-10)
        r2 = shock.inoperability(t, c_star=df / t.x_)
        np.testing.assert_allclose(r2.columns["inoperability"], r.columns["inoperability"])


def test_dynamic_path_converges_to_static(t2017):
    c = {"24": 0.10, "29": 0.05}
    static = shock.inoperability(t2017, c_star=c).columns["inoperability"]
    r = shock.recovery(t2017, c_star=c, days=400, recovery_days=20)
    np.testing.assert_allclose(r.path[-1], static, rtol=1e-6, atol=1e-12)
    assert (np.diff(r.path[:, 0]) >= -1e-15).all()           # rises monotonically from 0


def test_resilience_reproduces_recovery_time():
    """An isolated sector (a*₁₁ = 0.2, no other links) recovers as q(t) = q(0) e^{−k(1−a*₁₁)t}
    (Lian & Haimes 2006); with k from T = 30 days, q(30) = 1 % of q(0) in the continuous limit
    (100 steps a day)."""
    t = lianpu.IOTable.from_arrays([[20.0, 0.0], [0.0, 30.0]], [80.0, 70.0])
    k = shock.resilience(t, 30)
    assert k[0] == pytest.approx(np.log(100) / (30 * 0.8))
    r = shock.recovery(t, q0={"1": 0.5}, days=30, recovery_days=30, steps_per_day=100)
    assert r.path[30, 0] / r.path[0, 0] == pytest.approx(0.01, rel=0.01)
    assert (r.path[:, 1] == 0).all()


def test_shock_recovers_and_loss_is_daily_output_times_q(t2017):
    r = shock.recovery(t2017, q0={"24": 0.2}, days=60, recovery_days=30)
    i = list(t2017.index).index("24")
    assert r.path[0, i] == 0.2 and r.path[-1].max() < 0.2 * 0.05
    np.testing.assert_allclose(r.loss(), t2017.x_ / 365 * r.path[:-1].sum(axis=0))
    df = r.to_frame()
    assert df.loc["24", "peak_day"] == 0 and df.loc["02", "peak_day"] > 0   # coal hit later
    d = json.loads(r.to_json())
    assert d["days"] == 60 and d["total_loss"] == pytest.approx(r.loss().sum())


def test_errors(t2017):
    with pytest.raises(ValueError, match="overshoots"):
        shock.recovery(t2017, q0={"24": 0.2}, days=10, recovery_days=2)
    with pytest.raises(ValueError, match="exactly one of"):
        shock.inoperability(t2017)
    with pytest.raises(ValueError, match="0 ≤ q ≤ 1"):
        shock.recovery(t2017, q0={"24": 1.5})
