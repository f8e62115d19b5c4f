"""CBAM exposure (lianpu.analysis.valuechains.cbam). Expected numbers are recomputed here from the table
and the CEADs satellite (charge = t CO2 per 万元 × exports × price gap × rate), and two
structural facts: a zero price gap gives zero, and exports of sectors outside CBAM's product
groups (Regulation (EU) 2023/956, Annex I, as mapped in lianpu/data/cbam_sectors.csv) give
zero."""
import json

import numpy as np
import pytest

import lianpu
from lianpu.analysis.valuechains import cbam
from lianpu.analysis.valuechains.cbam import GROUPS
from lianpu.core.errors import ArgumentError


@pytest.fixture(scope="module")
def t42(shared_data):
    return lianpu.co2_satellite(lianpu.load("cn-nbs-2020-42", data_dir=shared_data),
                                data_dir=shared_data)


def test_mapping_file():
    m = cbam.mapping()
    assert set(m.classification) == {"nbs42", "nbs149", "nbs153"}
    assert not m.duplicated(["classification", "code"]).any()
    for gs in m.groups:
        assert set(gs.split(";")) <= set(GROUPS)
    for cid, g in m.groupby("classification"):
        assert set(";".join(g.groups).split(";")) == set(GROUPS), cid
    assert m.set_index(["classification", "code"]).loc[("nbs153", "054"), "indirect_emissions"]


def test_requires_price_gap(t42):
    with pytest.raises(ArgumentError, match="argument 'price_gap'"):
        cbam.exposure(t42)


def test_zero_gap_is_zero(t42):
    r = cbam.exposure(t42, price_gap=0.0, eur_cny=7.8)
    assert (r.by_sector.charge == 0).all() and r.total["charge"] == 0
    json.loads(r.to_json())


def test_direct_charge_recomputed(t42):
    r = cbam.exposure(t42, price_gap=50.0, eur_cny=8.0, emissions="direct")
    i = list(t42.index).index("14")
    ex = t42.Y_[:, t42.fd_positions("export")].sum(axis=1)[i]
    t_per_unit = t42.satellites["co2"].values[i] * 1e6 / t42.x_[i]
    assert r.by_sector.loc["14", "charge"] == pytest.approx(t_per_unit * ex * 50 * 8 / 1e4, rel=1e-12)
    assert set(r.by_sector.index) == {"12", "13", "14", "24"}
    # CBAM's indirect emissions (electricity) raise cement's intensity, not steel's
    c = cbam.exposure(t42, price_gap=50.0, eur_cny=8.0)
    assert c.by_sector.loc["13", "intensity_t_per_10k_yuan"] > r.by_sector.loc["13", "intensity_t_per_10k_yuan"]
    assert c.by_sector.loc["14", "charge"] == pytest.approx(r.by_sector.loc["14", "charge"])
    half = cbam.exposure(t42, price_gap=50.0, eur_cny=8.0, eu_share=0.5)
    assert half.total["charge"] == pytest.approx(c.total["charge"] / 2)


def test_non_cbam_exports_give_zero(t42):
    """Move the CBAM sectors' exports into consumption (rows still balance): the charge is 0
    although the other sectors still export."""
    Y = t42.Y_.copy()
    ex = t42.fd_positions("export")[0]
    tc = t42.fd_positions("consumption")[0]
    for c in ("12", "13", "14", "24"):
        i = list(t42.index).index(c)
        Y[i, tc] += Y[i, ex]
        Y[i, ex] = 0.0
    t = t42.evolve(Y_=Y)
    r = cbam.exposure(t, price_gap=80.0, eur_cny=7.8)
    assert r.total["charge"] == 0 and r.total["exports_all"] > 0


def test_sichuan(shared_data):
    t = lianpu.load("cn-prov-2017-51", data_dir=shared_data)
    r = cbam.exposure(t, price_gap=60.0, eur_cny=7.8, data_dir=shared_data)
    assert "Sichuan" in r.region and r.basis.name == "local"
    assert r.total["charge"] > 0
    assert "outflows" in r.assumptions["exports"]


def test_exposure_is_a_result(t42):
    """Issue 11: CBAMExposure is a Result; its JSON is strict and carries unit and basis."""
    from lianpu.analysis._result import Result
    r = cbam.exposure(t42, price_gap=80.0, eur_cny=7.8)
    assert isinstance(r, Result) and "to_json" not in type(r).__dict__
    d = json.loads(r.to_json(), parse_constant=lambda c: pytest.fail(f"bare {c}"))
    assert d["unit"] == t42.unit and d["basis"] == r.basis.to_dict()
