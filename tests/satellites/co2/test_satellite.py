"""The CO2 satellite built in the satellites layer (satellites/co2/satellite.py, issue 11).

Expected numbers: the CEADs workbooks' own total rows (the 2017 national sheet's total and
Sichuan2017's 318.84077146425136 Mt, the figure tests/analysis/carbon/test_provinces.py pins),
read back through the inventory reader; the satellite must carry all of it (sectors +
households).
"""
from __future__ import annotations

import numpy as np
import pytest

import lianpu
from lianpu.satellites.co2 import inventory as inv
from lianpu.satellites.co2 import satellite as sat


def test_public_name_is_the_satellites_function():
    """lianpu.co2_satellite (lazy, via analysis.carbon.footprint) is this module's function."""
    from lianpu.analysis.carbon import footprint
    assert lianpu.co2_satellite is sat.co2_satellite is footprint.co2_satellite
    assert footprint.match_year is sat.match_year


def test_match_year():
    assert sat.match_year(2017) == (2017, "")
    use, why = sat.match_year(2020)
    assert use == 2019 and "2020" in why and "nearest" in why
    assert sat.match_year(1990)[0] == 1997


def test_national_satellite_carries_the_inventory(shared_data):
    t = lianpu.load("cn-nbs-2017-42", data_dir=shared_data)
    total = float(inv.read_national(2017, data_dir=shared_data).sector_totals("China", 2017).sum())
    s = sat.co2_satellite(t, data_dir=shared_data).satellites["co2"]
    assert s.unit == "Mt CO2"
    assert s.values.sum() + s.final_demand.sum() == pytest.approx(total, rel=1e-12)
    assert "co2" not in t.satellites          # a new table; the input is unchanged


def test_inventory_passed_in_is_not_read_again(shared_data, tmp_path):
    """``inventory=`` replaces the read: with it, an empty data_dir is never touched."""
    t = lianpu.load("cn-nbs-2017-42", data_dir=shared_data)
    invent = inv.read_national(2017, data_dir=shared_data)
    a = sat.co2_satellite(t, data_dir=tmp_path, inventory=invent).satellites["co2"]
    b = sat.co2_satellite(t, data_dir=shared_data).satellites["co2"]
    np.testing.assert_array_equal(a.values, b.values)


def test_profile_inputs(shared_data):
    en, table, prov, nat = sat.profile_inputs("四川", 2017, data_dir=shared_data)
    assert en == "Sichuan" and table.year == 2017 and table.n == 42
    assert float(prov.sum()) == pytest.approx(318.84077146425136, rel=1e-12)
    assert len(prov) == len(nat) == 47


def test_nearest_table():
    assert sat.nearest_table(2019) == "cn-nbs-2018-42"   # tie 2018/2020 → the earlier
