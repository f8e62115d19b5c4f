"""Provincial profiles: the four Western provinces of the brief, 2017.

Expected totals are the sheets' own total rows (Sichuan2017 etc., 'Scope 1 Total'); the
national comparison uses the national inventory of the same year.
"""
from __future__ import annotations

import numpy as np
import pytest

from lianpu.analysis.carbon.provinces import nearest_table, provincial_profile

SHEET_TOTALS_2017 = {"四川": 318.84077146425136, "重庆": 160.5497658546952,
                     "甘肃": 151.95866860430047, "陕西": 274.0296391854783}


@pytest.mark.parametrize("prov", list(SHEET_TOTALS_2017))
def test_western_provinces_2017(shared_data, prov):
    r = provincial_profile(prov, 2017, data_dir=shared_data)
    assert r.province_zh == prov and r.table == "cn-nbs-2017-42"
    assert r.totals["province_total"] == pytest.approx(SHEET_TOTALS_2017[prov], rel=1e-12)
    s = r.sectors
    assert s["province"].sum() == pytest.approx(r.totals["province_production"], rel=1e-12)
    assert s["province_share"].sum() == pytest.approx(1.0)
    assert s["national"].sum() == pytest.approx(r.totals["national_production"], rel=1e-12)
    ok = s["national_share"] > 0
    np.testing.assert_allclose(s.loc[ok, "share_ratio"],
                               s.loc[ok, "province_share"] / s.loc[ok, "national_share"])
    # tracks: shares of the province's production emissions, within [0, 1]
    assert len(r.tracks) >= 3
    assert ((r.tracks["province_share"] >= 0) & (r.tracks["province_share"] <= 1 + 1e-12)).all()
    assert any("no provincial IO table" in n for n in r.notes)


def test_sichuan_track_share_is_sum_of_its_sectors(shared_data):
    r = provincial_profile("Sichuan", 2017, data_dir=shared_data)
    for _, t in r.tracks.iterrows():
        codes = t["sectors"].split("/")
        assert t["province_share"] == pytest.approx(r.sectors.loc[codes, "province_share"].sum())


def test_nearest_table():
    assert nearest_table(2017) == "cn-nbs-2017-42"
    assert nearest_table(2019) == "cn-nbs-2018-42"   # tie 2018/2020 → the earlier
    assert nearest_table(1997) == "cn-nbs-2002-122"
    assert nearest_table(2011) == "cn-nbs-2010-41"


def test_profile_from_data_read_elsewhere_and_strict_json(shared_data):
    """The analysis takes what satellites.co2.satellite.profile_inputs read (no loading of
    its own) and gives the same numbers; share_ratio is NaN where the nation emits nothing,
    and the JSON is strict (NaN → null) with unit and basis."""
    import json
    from lianpu.analysis._result import Result
    from lianpu.analysis.carbon.provinces import profile
    from lianpu.satellites.co2.satellite import profile_inputs
    en, table, prov, nat = profile_inputs("四川", 2017, data_dir=shared_data)
    r = profile(en, 2017, table, prov, nat)
    assert isinstance(r, Result)
    assert r.totals["province_total"] == pytest.approx(SHEET_TOTALS_2017["四川"], rel=1e-12)
    assert r.totals == provincial_profile("四川", 2017, data_dir=shared_data).totals
    d = json.loads(r.to_json(), parse_constant=lambda c: pytest.fail(f"bare {c}"))
    assert d["unit"] == "Mt CO2" and d["basis"] == r.basis
    if r.sectors["share_ratio"].isna().any():
        assert any(s["share_ratio"] is None for s in d["sectors"])
