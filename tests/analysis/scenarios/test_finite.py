"""Non-finite results are errors (issue 14 item 4) for the shock models: Ghosh, mixed, import
and capacity cut, inoperability (static, compare_supply, recovery) and Monte Carlo.

The one rule is :func:`lianpu.analysis.scenarios.shockbase.check_finite`: a level (outputs,
losses, value added, final use, in the table unit) is never inf/NaN; a ratio (unit '%…' or
'share…') may be NaN only in a sector whose baseline output is 0; totals are finite. Each model
is forced to overflow by replacing the solve it calls (as
test_results.test_a_non_finite_effect_is_an_error_not_a_result does for impact), and run on
the real cn-nbs-2020-42 table, which must stay accepted. Tables: Miller & Blair (2009) Table
2.3 (``mb``) and the non-competitive toy of test_shock.py (``toy``)."""
from types import SimpleNamespace

import numpy as np
import pytest

import lianpu
from lianpu import shock
from lianpu.analysis.scenarios import montecarlo as mc
from lianpu.analysis.scenarios import disruption, inoperability, shockbase
from lianpu.analysis.scenarios import shock as shock_mod
from lianpu.analysis.scenarios.shockbase import check_finite
from lianpu.core import leontief as leo
from lianpu.core.errors import ArgumentError
from lianpu.table import IOTable

TAIL = r"is not a finite number \(found {} in {} of {} sectors, expected inputs small enough"


@pytest.fixture(scope="module")
def t20(shared_data):
    return lianpu.load("cn-nbs-2020-42", data_dir=shared_data)


class _Overflow:
    """A factorization whose every solve overflows."""

    def solve(self, b, *a, **kw):
        return np.full(np.shape(b), np.inf)


def _overflow_factor(*a, **kw):
    return _Overflow()


def _pattern(table, row, column, model, value="inf", bad=2, n=2):
    return (rf"^{table}: row '{row}', column '{column}': the {model} result "
            + TAIL.format(value, bad, n))


# ------------------------------------------------------------------------------------ the rule
def test_the_rule_levels_ratios_labels_totals():
    idx = ["a", "b", "c"]
    base = np.array([10.0, 0.0, 5.0])
    ok = {"output": (np.array([1.0, 0.0, 2.0]), "万元"),
          "output_pct": (np.array([1.0, np.nan, 2.0]), "% of gross output"),   # 0/0 at b
          "q": (np.array([0.1, np.nan, 0.0]), "share of output"),
          "binding": (np.array(["", "capacity", ""], dtype=object), "")}
    check_finite("m", "t", idx, ok, base=base, totals={"output": 3.0})      # accepted
    cases = [({"output": (np.array([1.0, np.nan, 2.0]), "万元")}, "b", "output", "nan", 1),
             ({"p": (np.array([np.nan, 0.0, 1.0]), "% of x")}, "a", "p", "nan", 1),
             ({"p": (np.array([0.0, np.inf, -np.inf]), "% of x")}, "b", "p", "inf", 2),
             ({"k": (np.array([[1.0, 2.0], [3.0, np.inf], [0.0, 0.0]]), "per day")}, "b", "k",
              "inf", 1)]
    for cols, row, col, value, bad in cases:
        with pytest.raises(ArgumentError, match=_pattern("t", row, col, "m", value, bad, 3)):
            check_finite("m", "t", idx, cols, base=base)
    with pytest.raises(ArgumentError, match=r"^t: row 'b', column 'p'"):   # no base: no NaN
        check_finite("m", "t", idx, {"p": (np.array([0.0, np.nan, 0.0]), "%")})
    with pytest.raises(ArgumentError, match=r"^t: column 'total output': the m result is not a "
                                            r"finite number \(found inf, expected"):
        check_finite("m", "t", idx, ok, base=base, totals={"output": float("inf")})


def test_inputs_that_are_not_finite_are_refused_by_argument(mb):
    with pytest.raises(ArgumentError, match=r"^mb23: row '1', argument 'supply_change': not a "
                                            r"finite number \(found inf, expected a finite"):
        shock.ghosh(mb, [np.inf, 0.0])
    with pytest.raises(ArgumentError, match=r"^mb23: row '2', argument 'q0': not a finite number"
                                            r" \(found nan"):
        shock.recovery(mb, q0={"2": float("nan")}, days=3)   # NaN passed the 0 ≤ q ≤ 1 test
    with pytest.raises(ArgumentError, match=r"^mb23: row '1', argument 'fixed': not a finite "
                                            r"number \(found inf, expected a finite gross"):
        shock.mixed(mb, {"1": float("inf")})


def test_finite_inputs_that_overflow_for_real(mb):
    """No monkeypatch: 1e308 of primary inputs in both sectors (the issue's 2 × 1e308 case).
    Each sector's Ghosh output change is finite, their sum is not; L Δf of 1.7e308 in both
    sectors overflows sector by sector."""
    with np.errstate(over="ignore"), pytest.raises(
            ArgumentError, match=r"^mb23: column 'total output_change': the ghosh result is not "
                                 r"a finite number"):
        shock.ghosh(mb, [1e308, 1e308])
    with np.errstate(over="ignore"), pytest.raises(
            ArgumentError, match=r"^mb23: row '1', column 'inoperability': the inoperability "
                                 r"result"):
        shock.inoperability(mb, [1.7e308, 1.7e308])


# ----------------------------------------------------------------- each model, overflow forced
def test_ghosh_overflow(mb, monkeypatch):
    monkeypatch.setattr(shock_mod, "leo", SimpleNamespace(
        ghosh_solve=lambda factor, dv: np.full(dv.shape, np.inf)))
    with pytest.raises(ArgumentError, match=_pattern("mb23", "1", "output_change", "ghosh")):
        shock.ghosh(mb, [10.0, 0.0])


def test_mixed_overflow(mb, monkeypatch):
    monkeypatch.setattr(shockbase, "leo", SimpleNamespace(leontief_factor=_overflow_factor))
    # sector 1 fixed at 1000: only the free sector 2 is solved, so only it overflows
    with pytest.raises(ArgumentError, match=_pattern("mb23", "2", "output", "mixed", bad=1)):
        shock.mixed(mb, {"1": 1000.0})


def test_inoperability_and_compare_supply_overflow(mb, toy, monkeypatch):
    monkeypatch.setattr(IOTable, "factor_ghosh", property(lambda self: _Overflow()))
    with pytest.raises(ArgumentError, match=_pattern("mb23", "1", "inoperability",
                                                     "inoperability")):
        shock.inoperability(mb, [10.0, 0.0])
    with pytest.raises(ArgumentError, match=_pattern("toy", "1", "demand_inoperability",
                                                     "inoperability_compare")):
        shock.compare_supply(toy, {"2": 0.2})


def test_import_and_capacity_cut_overflow(toy, monkeypatch):
    real = disruption.linprog

    def overflowing(*a, **kw):
        res = real(*a, **kw)
        res.x = np.where(res.x > 0, np.inf, 0.0)
        return res
    monkeypatch.setattr(disruption, "linprog", overflowing)
    # the by-hand outputs are [50, 112.5] (test_shock): both positive, both overflow
    with pytest.raises(ArgumentError, match=_pattern("toy", "1", "output", "import_cut")):
        shock.import_cut(toy, {"1": 0.5})
    with pytest.raises(ArgumentError, match=_pattern("toy", "1", "output", "capacity_cut")):
        shock.capacity_cut(toy, {"2": 0.2})


def test_recovery_overflow(mb, monkeypatch):
    """No solve in the recursion: the normalisation x̂⁻¹ is made to overflow, so A* q = 0 · inf
    is NaN from the first day."""
    monkeypatch.setattr(inoperability, "coef", SimpleNamespace(
        safe_reciprocal=lambda x: np.full(np.shape(x), np.inf)))
    with np.errstate(invalid="ignore"), pytest.raises(
            ArgumentError, match=_pattern("mb23", "1", "inoperability", "dynamic_inoperability",
                                          value="nan")):
        shock.recovery(mb, c_star={"1": 0.1}, days=5)


def test_recovery_overflow_to_inf_is_an_error_not_clipped(mb, monkeypatch):
    """A* q overflowing to +inf (x̂⁻¹ made 1e308) used to be clipped to q = 1 with a note."""
    monkeypatch.setattr(inoperability, "coef", SimpleNamespace(
        safe_reciprocal=lambda x: np.full(np.shape(x), 1e308)))
    with np.errstate(over="ignore", invalid="ignore"), pytest.raises(
            ArgumentError, match=r"^mb23: row '\d', column 'inoperability': the "
                                 r"dynamic_inoperability result is not a finite number"):
        shock.recovery(mb, c_star={"1": 0.1}, days=5)


def test_montecarlo_overflow(mb, monkeypatch):
    """The draws' factorizations overflow; the point estimate (impact's own solve) does not."""
    monkeypatch.setattr(mc, "leo", SimpleNamespace(leontief_factor=_overflow_factor,
                                                   close_households=leo.close_households))
    with pytest.raises(ArgumentError, match=_pattern("mb23", "1", "output indirect",
                                                     "montecarlo")):
        lianpu.montecarlo(mb, [600, 1500], draws=4, scheduler="serial")


# --------------------------------------------------------------- real cases that stay accepted
def _all_finite(r):
    for k, v in r.columns.items():
        if np.asarray(v).dtype.kind == "f":
            assert np.isfinite(v).all(), k
    assert all(np.isfinite(float(v)) for v in r.totals.values())


def test_real_table_results_stay_accepted(t20):
    x = t20.x_
    L = np.linalg.inv(np.eye(t20.n) - t20.A_)          # an independent route: a dense inverse
    dv = np.zeros(t20.n)
    dv[t20.index.get_loc("06")] = 100.0
    g = shock.ghosh(t20, {"06": 100.0})
    _all_finite(g)
    # Δx' = Δv' G, G = x̂⁻¹ L x̂ (Miller & Blair 2009, eq. 12.7 with B = x̂⁻¹ A x̂)
    np.testing.assert_allclose(g.columns["output_change"], (dv / x) @ L * x, rtol=1e-9)
    q = shock.inoperability(t20, {"06": 1000.0})
    _all_finite(q)
    f = np.zeros(t20.n)
    f[t20.index.get_loc("06")] = 1000.0
    np.testing.assert_allclose(q.columns["economic_loss"], L @ f, rtol=1e-9)   # x q = L Δf
    for r in (shock.mixed(t20, {"06": 0.9 * x[t20.index.get_loc("06")]}),
              shock.import_cut(t20, {"06": 0.3}, critical=0.01),
              shock.capacity_cut(t20, {"06": 0.2}),
              shock.compare_supply(t20, {"06": 0.2})):
        _all_finite(r)
    rec = shock.recovery(t20, q0={"06": 0.2}, days=30)
    assert np.isfinite(rec.path).all() and np.isfinite(rec.loss()).all()
    m = lianpu.montecarlo(t20, {"06": 100.0}, draws=8, scheduler="serial")
    assert np.isfinite(m.bands).all() and np.isfinite(m.totals_draws).all()
