"""pymrio interchange (issue 15, item 1): ``IOTable.from_pymrio`` / ``to_pymrio`` round trip on
pymrio's own test system (``pymrio.load_test()``: 6 regions × 8 sectors, 7 final-use categories,
extensions factor_inputs and emissions), and multipliers equal pymrio's own (L = (I − A)⁻¹
column sums; M = S L), pymrio being an independent implementation."""
import numpy as np
import pandas as pd
import pytest

import lianpu

pymrio = pytest.importorskip("pymrio", reason="pymrio is in the test extras; install '.[test]'")


@pytest.fixture(scope="module")
def io():
    io = pymrio.load_test()
    io.calc_all()
    return io


@pytest.fixture(scope="module")
def table(io):
    return lianpu.IOTable.from_pymrio(pymrio.load_test())


def test_from_pymrio_roles_units_satellites(table):
    assert table.n == 48 and table.regions == [f"reg{i}" for i in range(1, 7)]
    # the category names as pymrio's test system spells them → roles
    assert table.fd_roles[:7] == ("household", "npish", "government", "investment", "inventory",
                                  "inventory", "export")
    assert table.unit == "Mill USD"
    assert set(table.satellites) == {"factor_inputs/Value Added", "emissions/emission_type1/air",
                                     "emissions/emission_type2/water"}
    assert table.satellites["emissions/emission_type1/air"].unit == "kg"
    assert table.satellites["emissions/emission_type1/air"].final_demand.shape == (42,)
    # the test system's value added does not close the columns: V balances, a note says so
    assert list(table.primary_labels.index) == ["VA"]
    assert any("do not close the columns" in n for n in table.notes)


def test_round_trip_pymrio_lianpu_pymrio(io, table):
    back = table.to_pymrio()
    back.calc_all()
    for a in ("Z", "Y", "x", "unit"):
        pd.testing.assert_frame_equal(getattr(back, a), getattr(io, a), check_dtype=False)
    for ext in ("emissions", "factor_inputs"):
        for a in ("F", "unit"):
            pd.testing.assert_frame_equal(getattr(getattr(back, ext), a),
                                          getattr(getattr(io, ext), a), check_dtype=False)
    pd.testing.assert_frame_equal(back.emissions.F_Y, io.emissions.F_Y, check_dtype=False)


def test_multipliers_equal_pymrios(io, table):
    np.testing.assert_allclose(lianpu.multipliers(table, "output", basis="published").to_numpy(),
                               io.L.to_numpy().sum(axis=0), rtol=1e-9)
    for i, key in enumerate(("emissions/emission_type1/air", "emissions/emission_type2/water")):
        np.testing.assert_allclose(lianpu.multipliers(table, key, basis="published").to_numpy(),
                                   io.emissions.M.to_numpy()[i], rtol=1e-9)


def _small():
    Z = np.array([[10.0, 20.0, 5.0], [15.0, 5.0, 10.0], [5.0, 10.0, 20.0]])
    Y = np.array([[50.0, 10.0, -2.0], [40.0, 20.0, 1.0], [30.0, 25.0, 0.0]])
    x = Z.sum(1) + Y.sum(1)
    comp = 0.6 * (x - Z.sum(0))
    V = np.vstack([comp, x - Z.sum(0) - comp])
    t = lianpu.IOTable.from_arrays(Z, Y, V, x, sectors=["A", "B", "C"],
                                   final_demand=["P3_S14", "P51G", "P52"], primary=["D1", "B2A3N"],
                                   compensation_row="D1", unit="EUR m", name="small")
    return t.with_satellite("co2", [1.0, 2.0, 3.0], "kt")


def test_round_trip_lianpu_pymrio_lianpu():
    t = _small()
    io = t.to_pymrio(region="DE")
    assert list(io.factor_inputs.F.index) == ["D1", "B2A3N"]
    back = lianpu.IOTable.from_pymrio(io)
    for a in ("Z_", "Y_", "V_", "x_"):
        np.testing.assert_array_equal(getattr(back, a), getattr(t, a))
    assert back.fd_roles == t.fd_roles and back.primary_roles == t.primary_roles
    assert back.unit == "EUR m"
    np.testing.assert_array_equal(back.satellites["co2"].values, [1.0, 2.0, 3.0])
    assert back.satellites["co2"].unit == "kt"


def test_from_pymrio_without_z_is_refused():
    io = pymrio.load_test()
    io.Z = None
    with pytest.raises(lianpu.core.errors.TableError, match="has no Z or no Y"):
        lianpu.IOTable.from_pymrio(io)
