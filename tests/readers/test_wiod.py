"""WIOD reader on all 19 real files in ../shared/data/wiod2013/raw (the 17 yearly tables
1995–2011 and the regional files of 1995 and 2011), and on small synthetic .RData files written
with rdata.

Expected labels come from the R lists themselves (countries, industries) and the shipped label
CSVs; identities are Miller & Blair (2009) eq. 2.10 (x = L f) and eq. 12.6 (x' = v' G).
Residuals quoted below were measured on these files."""
import numpy as np
import pytest
import rdata

import lianpu
from lianpu.core.errors import FormatError, TableError
from lianpu.core.leontief import left_solve
from lianpu.readers.wiod import REGIONAL_ORDER, read_wiod, region_labels

FILES = {f"wiot_{y}.RData": (y, 41) for y in range(1995, 2012)}
FILES.update({f"wiot_regional_{y}.RData": (y, 7) for y in (1995, 2011)})
CATS = ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"]


@pytest.fixture(scope="module", params=sorted(FILES))
def table(request, wiod_dir):
    return request.param, lianpu.load(wiod_dir / request.param)


def test_loads_with_labels(table):
    fname, t = table
    year, nreg = FILES[fname]
    assert (t.year, t.n, len(t.regions), t.unit) == (year, 35 * nreg, nreg, "million USD")
    assert t.is_multiregional and list(t.index.names) == ["region", "sector"]
    assert "CHN" in t.regions and "RoW" in t.regions
    if nreg == 7:
        assert t.regions == list(REGIONAL_ORDER)
    else:
        assert t.regions[:3] == ["AUS", "AUT", "BEL"] and t.regions[-2:] == ["USA", "RoW"]
    # industries: c1…c35 from the yearly files, mapped from names in the regional ones
    assert list(t.index.get_level_values("sector")[:35]) == [f"c{i}" for i in range(1, 36)]
    assert t.sectors.loc[("CHN", "c1"), "name_en"] == (
        "China: Agriculture, Hunting, Forestry and Fishing")
    assert t.sectors.loc[("CHN", "c1"), "name_zh"] == "中国·农林牧渔业"
    assert t.sectors.loc[("RoW", "c14"), "name_zh"] == "世界其他地区·电气和光学设备制造业"
    fd = t.final_demand_labels.index
    assert list(fd.names) == ["region", "category"] and len(fd) == 5 * nreg
    assert list(fd.get_level_values("category")[:5]) == CATS
    assert t.final_demand_labels.loc[("CHN", "CONS_h"), "name_zh"] == "中国·居民消费"
    assert t.household_columns == tuple((r, "CONS_h") for r in t.regions)
    assert list(t.primary_labels.index) == ["VA"] and t.value_added_rows == ("VA",)
    assert "Timmer" in t.source and "wiod 0.4.0" in t.source
    assert (t.Z_ >= 0).all()  # measured: inter has no negative entry in any file


def test_rounding_residual(table):
    """The row identity holds up to integer rounding (yearly files) kept in discrepancy_.
    Measured max |x − Z·1 − Y·1|: 113 million USD (2000) over the yearly files, 4.74 (regional
    2011), 1e-9 (regional 1995); the reader's hard bound is 0.5 per stored cell of the row."""
    fname, t = table
    d = np.abs(t.discrepancy_)
    assert d.max() <= 0.5 * (t.n + t.Y_.shape[1] + 1)
    assert d.max() <= (113 if FILES[fname][1] == 41 else 4.75)
    assert t.balance.ok


def test_x_equals_L_f(table):
    """x = L f with f = Y·1 + discrepancy. WIOD stores integers, and the integer-rounding residual
    is carried in discrepancy_, so the identity is exact up to floating point (measured 4e-15
    relative); value added is the balancing item, so column sums are exact as well."""
    _, t = table
    x = t.factor.solve(t.final_demand_total_)
    np.testing.assert_allclose(x, t.x_, rtol=1e-9, atol=1e-6 * t.x_.max())


def test_ghosh_identity(table):
    """x' = (v + s)' G. B = x̂⁻¹Z drops the sales of industries whose output was rounded to 0
    (s = their row of Z; in 1999 LUX c8 has x = 0 but sells 1 million USD), so they are added
    to v; everywhere else s = 0 and this is plain x' = v' G."""
    _, t = table
    s = t.Z_[t.x_ == 0].sum(axis=0)
    v = t.V_.sum(axis=0) + s
    np.testing.assert_allclose(left_solve(t.factor_ghosh, v), t.x_, rtol=1e-9,
                               atol=1e-6 * t.x_.max())


@pytest.mark.parametrize("year", [1995, 2011])
def test_regions_are_sums_of_their_members(wiod_dir, year):
    """The regional files do not name their regions; the shipped order and memberships are
    confirmed here: each region's output by industry equals the sum over its members in the
    country table of the same year, within that table's rounding (0.5 per member; measured
    max 3.2 million USD)."""
    reg = read_wiod(wiod_dir / f"wiot_regional_{year}.RData")
    cty = read_wiod(wiod_dir / f"wiot_{year}.RData")
    labels = region_labels()
    for r in REGIONAL_ORDER:
        members = labels.loc[r, "members"].split() or [r]
        summed = sum(cty.x.loc[m].to_numpy() for m in members)
        np.testing.assert_allclose(reg.x.loc[r].to_numpy(), summed, rtol=0,
                                   atol=0.5 * len(members))


def test_detected_by_name(wiod_dir):
    assert lianpu.readers.get_reader("wiod").guess_can_open(wiod_dir / "wiot_2011.RData")
    assert not lianpu.readers.get_reader("wiod").guess_can_open(wiod_dir / "WIOD_Corr.rda")


# ---------------------------------------------------------------- synthetic files
def _mock(**drop_or_replace):
    """A balanced 2-country × 2-industry table in the R list layout of the wiod package."""
    rng = np.random.default_rng(0)
    inter = rng.integers(0, 10, (4, 4)).astype(float)
    final = rng.integers(1, 10, (4, 10)).astype(float)
    obj = {"year": np.array([2011]), "countries": np.array(["CHN", "RoW"]),
           "industries": np.array(["c1", "c2"]), "inter": inter, "final": final,
           "output": inter.sum(1) + final.sum(1) + inter.sum(0).max()}
    obj["final"][:, 0] += obj["output"] - inter.sum(1) - final.sum(1)  # exact row balance
    for k, v in drop_or_replace.items():
        if v is None:
            del obj[k]
        else:
            obj[k] = v
    return obj


def _write(tmp_path, obj, name="wiot_2011.RData"):
    p = tmp_path / name
    rdata.write_rda(p, {"wiot_2011": obj})
    return p


def test_synthetic_file_reads(tmp_path):
    t = read_wiod(_write(tmp_path, _mock()))
    assert t.n == 4 and t.regions == ["CHN", "RoW"] and t.balance.ok
    assert np.abs(t.discrepancy_).max() < 1e-12
    np.testing.assert_allclose(t.V_[0], t.x_ - t.Z_.sum(axis=0))


def test_missing_inter(tmp_path):
    p = _write(tmp_path, _mock(inter=None))
    with pytest.raises(FormatError, match=r"wiot_2011.RData: the R list has no 'inter' element "
                                          r"\(found elements \['year', 'countries', "):
        read_wiod(p)


def test_final_wrong_shape(tmp_path):
    p = _write(tmp_path, _mock(final=np.ones((4, 9))))
    with pytest.raises(FormatError, match=r"element 'final' has the wrong shape "
                                          r"\(found 4×9, expected 4×10\)"):
        read_wiod(p)


def test_row_beyond_rounding(tmp_path):
    obj = _mock()
    obj["output"] = obj["output"].copy()
    obj["output"][3] += 50  # bound for this 4×4 table: 0.5 × (4 + 10 + 1) = 7.5
    with pytest.raises(TableError, match=r"row 'RoW/c2', column 'output': row does not balance "
                                         r"beyond the rounding of its cells"):
        read_wiod(_write(tmp_path, obj))


def test_not_r_data(tmp_path):
    p = tmp_path / "wiot_2011.RData"
    p.write_text("Code,Description\n")
    with pytest.raises(FormatError, match=r"wiot_2011.RData: cannot be read as R data"):
        read_wiod(p)
