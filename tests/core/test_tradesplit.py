"""The proportional split of imports and inflows (core.tradesplit): a hand-computed example,
the transit case, the error, and the identities on random tables (Hypothesis)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lianpu import IOTable
from lianpu.core.tradesplit import proportional_trade_split

# columns: household, export, outflow, import (−), inflow (−)
HH, EX, OF, IM, IF = range(5)


def _split(Z, Y, **kw):
    return proportional_trade_split(Z, Y, import_cols=[IM], inflow_cols=[IF],
                                    outflow_cols=[EX, OF], **kw)


def test_hand_example():
    # product 1: local use u = 10 + 20 + 30 = 60, imports 6, inflows 12 → μm = 0.1, μr = 0.2
    Z = np.array([[10.0, 20.0], [5.0, 5.0]])
    Y = np.array([[30.0, 7.0, 9.0, -6.0, -12.0],
                  [10.0, 0.0, 0.0, 0.0, -4.0]])
    s = _split(Z, Y)
    np.testing.assert_allclose(s.mu_m, [0.1, 0.0])
    np.testing.assert_allclose(s.mu_r, [0.2, 0.2])  # product 2: 4 / (5 + 5 + 10)
    np.testing.assert_allclose(s.Z, [[7.0, 14.0], [4.0, 4.0]])
    np.testing.assert_allclose(s.Zm, [[1.0, 2.0], [0.0, 0.0]])
    np.testing.assert_allclose(s.Zr, [[2.0, 4.0], [1.0, 1.0]])
    assert s.keep == (HH, EX, OF)
    np.testing.assert_allclose(s.Y, [[21.0, 7.0, 9.0], [8.0, 0.0, 0.0]])  # exports stay local
    np.testing.assert_allclose(s.Ym[:, 0], [3.0, 0.0])
    np.testing.assert_allclose(s.Yr[:, 0], [6.0, 2.0])
    assert not s.transit.any()


def test_transit_spreads_over_exports_and_outflows():
    # supply from outside 100 > local use 20: shares of all uses (20 + 90 = 110)
    Z = np.array([[10.0]])
    Y = np.array([[10.0, 40.0, 50.0, -30.0, -70.0]])
    s = _split(Z, Y)
    assert s.transit.all()
    np.testing.assert_allclose(s.mu_m + s.mu_r, [100 / 110])
    x = Z.sum(1) + Y.sum(1)  # = 10
    np.testing.assert_allclose(s.Z.sum(1) + s.Y.sum(1), x)


def test_supply_beyond_all_uses_is_an_error():
    with pytest.raises(ValueError, match="product at position 0: supply from outside"):
        _split(np.array([[1.0]]), np.array([[1.0, 0.0, 0.0, -5.0, 0.0]]))


def test_table_local_on_a_small_table():
    t = IOTable.from_arrays([[10.0, 20.0], [5.0, 5.0]],
                            [[30.0, 7.0, 9.0, -6.0, -12.0], [10.0, 0.0, 0.0, 0.0, -4.0]],
                            final_demand=["HH", "EX", "OF", "IM", "IF"])
    assert t.fd_roles == ("household", "export", "outflow", "import", "inflow")
    L = t.local()
    assert L is t.local() and L.imports == "non-competitive"
    assert list(L.Zr.columns) == list(t.index) and list(L.Yr.columns) == ["HH", "EX", "OF"]
    np.testing.assert_allclose(L.factor.solve(L.final_demand_total_), t.x_)
    assert L.balance.ok


@settings(max_examples=60, deadline=None)
@given(Z=arrays(float, (4, 4), elements=st.floats(0, 100)),
       F=arrays(float, (4, 3), elements=st.floats(0, 100)),
       share=arrays(float, (4, 2), elements=st.floats(0, 0.45)))
def test_identities_hold(Z, F, share):
    """Row identity Z_l·1 + Y_l·1 = Z·1 + Y·1 and row scaling Z_l + Zm + Zr = Z, whatever the
    trade shares (transit included: supply up to 0.9 of all uses)."""
    total = Z.sum(1) + F.sum(1)
    Y = np.column_stack([F, -share[:, 0] * total, -share[:, 1] * total])
    s = _split(Z, Y)
    np.testing.assert_allclose(s.Z + s.Zm + s.Zr, Z, atol=1e-9)
    np.testing.assert_allclose(s.Y + s.Ym + s.Yr, Y[:, list(s.keep)], atol=1e-9)
    np.testing.assert_allclose(s.Z.sum(1) + s.Y.sum(1), Z.sum(1) + Y.sum(1), atol=1e-8)
    assert (s.Z >= 0).all() and (s.mu_m >= 0).all() and (s.mu_m + s.mu_r <= 1 + 1e-12).all()
