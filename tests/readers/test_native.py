"""Native Parquet format: lossless round trip, atomic save, clear errors on foreign files."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lianpu
from lianpu import FormatError, IOTable
from lianpu.readers import native

ARRAYS = ("Z_", "Y_", "V_", "x_", "Zm_", "Ym_", "discrepancy_")


def assert_tables_equal(a: IOTable, b: IOTable) -> None:
    for attr in ARRAYS:
        u, v = getattr(a, attr), getattr(b, attr)
        assert (u is None) == (v is None), attr
        if u is not None:
            assert u.dtype == v.dtype and np.array_equal(u, v), attr
            assert np.array_equal(np.signbit(u), np.signbit(v)), f"{attr}: sign of zero"
    for fr in ("sectors", "final_demand_labels", "primary_labels"):
        pd.testing.assert_frame_equal(getattr(a, fr), getattr(b, fr))
    for attr in ("value_added_rows", "compensation_row", "household_columns", "unit", "year",
                 "source", "name", "imports", "rtol", "allow_negative_flows", "notes"):
        assert getattr(a, attr) == getattr(b, attr), attr
    assert list(a.satellites) == list(b.satellites)
    for k, s in a.satellites.items():
        t = b.satellites[k]
        assert (s.name, s.unit, s.name_zh, s.name_en) == (t.name, t.unit, t.name_zh, t.name_en)
        assert np.array_equal(s.values, t.values)
        assert (s.final_demand is None) == (t.final_demand is None)
        if s.final_demand is not None:
            assert np.array_equal(s.final_demand, t.final_demand)


def roundtrip(t: IOTable, path: Path) -> IOTable:
    t.save(path)
    return lianpu.load(path)


# ---------------------------------------------------------------------------- property test
@st.composite
def tables(draw):
    n = draw(st.integers(1, 5))
    fd = ["HH", "GFCF", "FU202", "EX"][:draw(st.integers(1, 4))]
    k = len(fd)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    frac = rng.random  # values from numpy (fast); structure from hypothesis (shrinks well)
    sparse = lambda a: a * (frac(a.shape) > 0.3)  # noqa: E731 (plenty of exact zeros)
    competitive = draw(st.booleans())
    A = sparse(frac((n, n))) * (0.9 / n)
    Am = np.zeros((n, n)) if competitive else sparse(frac((n, n))) * (0.05 / n)
    Y = sparse(frac((n, k))) * draw(st.sampled_from([1.0, 1e3, 1e9]))
    Y[:, 0] += 1.0  # every sector has some final demand, so x > 0
    if "FU202" in fd:  # inventory change may be negative
        Y[:, fd.index("FU202")] = -0.5 * frac(n) * Y[:, 0]
    x = np.linalg.solve(np.eye(n) - A, Y.sum(axis=1))
    Z, Zm = A * x, Am * x
    x = Z.sum(axis=1) + Y.sum(axis=1)
    va = x - Z.sum(axis=0) - Zm.sum(axis=0)
    share = frac((n,))
    signed_zero = draw(st.booleans())
    share[0] = 0.0 if signed_zero else share[0]
    V = np.vstack([va * share, va - va * share])
    if signed_zero:
        V[0, 0] = -0.0  # a signed zero must survive too
    regions = [f"R{i % 2}" for i in range(n)] if draw(st.booleans()) else None
    sats = {}
    if draw(st.booleans()):
        sats["CO2"] = lianpu.Satellite("CO2", sparse(frac((n,))) * 1e4, "t", "二氧化碳", "CO2",
                                       frac((k,)) if draw(st.booleans()) else None)
        sats["jobs"] = lianpu.Satellite("jobs", np.zeros(n), "persons")  # all-zero block
    return IOTable.from_arrays(
        Z, Y, V, x, sectors=[f"s{i}" for i in range(n)], regions=regions,
        names_zh=[f"部门{i}" for i in range(n)], names_en=[f"sector {i}" for i in range(n)],
        final_demand=fd, primary=["compensation", "VA004"], compensation_row="compensation",
        household_columns=("HH",), Zm_=None if competitive else Zm,
        Ym_=None if competitive else np.zeros((n, k)),
        discrepancy_=np.zeros(n) if draw(st.booleans()) else None,
        satellites=sats, unit=draw(st.sampled_from(["", "万元", "USD mn"])),
        year=draw(st.none() | st.integers(1950, 2100)), source="hypothesis", name="h",
        rtol=draw(st.sampled_from([1e-4, 1e-6])), notes=("a", "注"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_roundtrip_property(t):
    with tempfile.TemporaryDirectory() as d:
        assert_tables_equal(t, roundtrip(t, Path(d) / "t.parquet"))


# ---------------------------------------------------------------------------- real tables
@pytest.mark.parametrize("fname", ["cn_io_2020_42.csv", "cn_io_2018_153.csv"])
def test_roundtrip_nbs(nbs_dir, tmp_path, fname):
    t = lianpu.load(nbs_dir / fname)
    u = roundtrip(t, tmp_path / "t.parquet")
    assert_tables_equal(t, u)
    assert u.imports == ("non-competitive" if "42" in fname else "competitive")


def test_roundtrip_multiregional_with_everything(tmp_path):
    Z = np.array([[10.0, 2, 1], [3, 20, 0], [0, 5, 30]])
    Y = np.array([[50.0, -2], [40, 1], [60, 0]])
    t = IOTable.from_arrays(Z, Y, sectors=["a", "b", "a"], regions=["CN", "CN", "US"],
                            final_demand=["HH", "FU202"], household_columns=("HH",))
    t = t.with_satellite("CO2", [1.0, 0.0, 3.0], "t", name_zh="碳", final_demand=[5.0, 0.0])
    u = roundtrip(t, tmp_path / "mr.parquet")
    assert_tables_equal(t, u)
    assert u.is_multiregional and u.index.names == ["region", "sector"]


def test_all_zero_block_and_name_override(tmp_path):
    t = IOTable.from_arrays(np.zeros((2, 2)), np.array([[1.0], [2.0]]),
                            Zm_=np.zeros((2, 2)), discrepancy_=np.zeros(2))
    t.save(tmp_path / "z.parquet")
    u = native.load(tmp_path / "z.parquet", name="renamed")
    assert u.Zm_.shape == (2, 2) and not u.Zm_.any() and u.Ym_.shape == (2, 1)
    assert u.name == "renamed"
    assert_tables_equal(t.evolve(name="renamed"), u)


def test_layout_is_sparse_long_table(tmp_path):
    t = IOTable.from_arrays([[0.0, 1.0], [0.0, 0.0]], [[1.0], [3.0]])
    t.save(tmp_path / "t.parquet")
    tbl = pq.read_table(tmp_path / "t.parquet")
    assert tbl.column_names == ["block", "row", "col", "value"]
    assert pa.types.is_dictionary(tbl.schema.field("block").type)
    assert tbl.schema.field("row").type == pa.int32() and tbl.schema.field("value").type == pa.float64()
    z = [(r, c, v) for b, r, c, v in zip(*(tbl.column(k).to_pylist() for k in tbl.column_names))
         if b == "Z"]
    assert z == [(0, 1, 1.0)]
    meta = json.loads(tbl.schema.metadata[b"lianpu"])
    assert meta["version"] == 1 and meta["shapes"]["Z"] == [2, 2]


def test_detect_and_save_via_table(tmp_path):
    t = IOTable.from_arrays([[1.0]], [[2.0]])
    t.save(tmp_path / "t.parquet")
    assert native.READER.guess_can_open(tmp_path / "t.parquet")
    assert lianpu.load(tmp_path / "t.parquet").x_.tolist() == [3.0]


# ---------------------------------------------------------------------------- atomicity
def test_failed_save_keeps_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "t.parquet"
    old = IOTable.from_arrays([[1.0]], [[2.0]], name="old")
    old.save(target)
    before = target.read_bytes()

    def boom(table, where, **kw):
        Path(where).write_bytes(b"PAR1 half-written")
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", boom)
    with pytest.raises(OSError, match="disk full"):
        IOTable.from_arrays([[5.0]], [[7.0]], name="new").save(target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]
    assert_tables_equal(old, native.load(target))


# ---------------------------------------------------------------------------- errors
def test_plain_parquet_is_not_a_lianpu_table(tmp_path):
    p = tmp_path / "other.parquet"
    pq.write_table(pa.table({"a": [1, 2]}), p)
    assert not native.READER.guess_can_open(p)
    with pytest.raises(FormatError, match=r"other\.parquet: not a lianpu table"):
        native.load(p)


def test_newer_format_version_is_refused(tmp_path):
    p = tmp_path / "t.parquet"
    IOTable.from_arrays([[1.0]], [[2.0]]).save(p)
    tbl = pq.read_table(p)
    meta = json.loads(tbl.schema.metadata[b"lianpu"])
    meta["version"] = 2
    pq.write_table(tbl.replace_schema_metadata({b"lianpu": json.dumps(meta)}), p)
    with pytest.raises(FormatError, match=r"newer lianpu format \(version 2\).*upgrade lianpu"):
        lianpu.load(p)


def test_not_parquet_at_all(tmp_path):
    p = tmp_path / "junk.parquet"
    p.write_bytes(b"not parquet")
    assert not native.READER.guess_can_open(p)
    with pytest.raises(FormatError, match=r"junk\.parquet: cannot read the file as Parquet"):
        native.load(p)


def test_label_dtypes_survive(tmp_path):
    t = IOTable.from_arrays([[1.0, 0.0], [0.0, 1.0]], [[2.0], [3.0]])
    obj = t.sectors.copy()
    obj.index = obj.index.astype(object)
    obj["name_en"] = obj["name_en"].astype(object)
    t = t.evolve(sectors=obj)
    assert_tables_equal(t, roundtrip(t, tmp_path / "t.parquet"))
