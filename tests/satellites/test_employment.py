"""Employment satellite: the shipped concordance covers every leaf row of the employment file
and only real sectors; allocation weights sum to 1; jobs reproduce the file's numbers."""
import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.core.errors import TableError
from lianpu.satellites.employment import (CLASSIFICATIONS, allocation, concordance,
                                          detect_classification, employment_satellite,
                                          read_employment)

TABLES = {"nbs42": "cn_io_2020_42.csv", "nbs42_2012": "cn_io_2015_42.csv",
          "nbs149": "cn_io_2017_149.csv", "nbs153": "cn_io_2018_153.csv"}


@pytest.fixture(scope="module")
def emp_path(shared_data):
    return shared_data / "cn/cn_employment_1990_2018.csv"


@pytest.fixture(scope="module")
def emp(emp_path):
    return read_employment(emp_path)


@pytest.fixture(scope="module")
def tables(nbs_dir):
    return {cl: lianpu.load(nbs_dir / f) for cl, f in TABLES.items()}


def _leaves(emp):
    """Divisions (3 characters) and the sections with no division (K, P, T)."""
    codes = [c for c in emp.index if c != "TOT"]
    return [c for c in codes if len(c) == 3 or not any(d.startswith(c) and len(d) == 3 for d in codes)]


def test_every_source_row_mapped_and_targets_exist(emp, tables):
    conc = concordance()
    assert not conc.duplicated(["classification", "source", "target"]).any()
    leaves = _leaves(emp)
    assert len(leaves) == 97 and {"K", "P", "T"} <= set(leaves)
    for cl in CLASSIFICATIONS:
        c = concordance(cl)
        assert set(c.source) == set(leaves), cl                   # every leaf row mapped
        t = tables[cl]
        names = t.sectors["name_zh"]
        assert set(c.target) == set(t.index), cl                  # every sector reached, no other
        for tgt, zh in zip(c.target, c.target_zh):
            assert names[tgt] == zh                               # the names in the table itself
        assert detect_classification(t) == cl


def test_weights_sum_to_one_and_follow_compensation(tables):
    for t in tables.values():
        W = allocation(t)
        np.testing.assert_allclose(W.sum(axis=1), 1.0, rtol=1e-12)
        assert (W.to_numpy() >= 0).all()
    t = tables["nbs149"]                     # C24 汽车 → 077 整车 + 078 零部件, by VA001
    comp = t.V.loc["VA001", ["077", "078"]]
    W = allocation(t)
    np.testing.assert_allclose(W.loc["C24", ["077", "078"]], comp / comp.sum(), rtol=1e-12)


def test_jobs_reproduce_the_file(emp, emp_path, tables, nbs_dir):
    t17 = lianpu.load(nbs_dir / "cn_io_2017_42.csv")
    j = employment_satellite(t17, emp_path).satellites["jobs"]
    assert j.unit == "10,000 persons (万人)" and j.name_zh == "就业"
    codes = list(t17.index)
    leaves = _leaves(emp)
    # 1:1 at 42 sectors: 20 通信设备 = C27 (2017: 1782 万人); 06 食品和烟草 = C01 + … + C04
    assert j.values[codes.index("20")] == emp.loc["C27", 2017] == 1782
    assert j.values[codes.index("06")] == emp.loc[["C01", "C02", "C03", "C04"], 2017].sum()
    assert j.values.sum() == pytest.approx(emp.loc[leaves, 2017].sum(), rel=1e-12)
    assert j.values.sum() == pytest.approx(emp.loc["TOT", 2017], rel=1e-4)   # rounding ±1/row
    t149 = employment_satellite(tables["nbs149"], emp_path).satellites["jobs"].values
    c149 = list(tables["nbs149"].index)
    assert t149[c149.index("077")] + t149[c149.index("078")] == pytest.approx(emp.loc["C24", 2017])


def test_2020_uses_2018_and_says_so(emp, emp_path, tables):
    t = employment_satellite(tables["nbs42"], emp_path)
    assert any("2018 employment used" in n for n in t.notes)
    assert t.satellites["jobs"].values.sum() == pytest.approx(emp.loc[_leaves(emp), 2018].sum())
    frame = pd.read_csv(emp_path, dtype={"Code": str})
    assert employment_satellite(tables["nbs42"], data=read_employment(emp_path)).satellites[
        "jobs"].values.sum() == pytest.approx(frame.set_index("Code").loc[_leaves(emp), "2018"].sum())


def test_errors(emp_path, tables):
    plain = lianpu.IOTable.from_arrays([[1.0, 2.0], [3.0, 4.0]], [10.0, 10.0], year=2017)
    with pytest.raises(TableError, match="matches no employment concordance"):
        employment_satellite(plain, emp_path)
    with pytest.raises(TableError, match="no employment data for this year.*found 1985"):
        employment_satellite(tables["nbs42"], emp_path, year=1985)
    with pytest.raises(ValueError, match="argument 'classification'"):
        concordance("nbs99")
