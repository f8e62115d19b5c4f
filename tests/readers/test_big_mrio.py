"""OECD ICIO and EXIOBASE 3 readers on generated files in the published layouts
(tests/readers/big_mrio_fixtures.py), and their Parquet cache."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import big_mrio_fixtures as fx  # noqa: E402

import lianpu  # noqa: E402
from lianpu.core.errors import FormatError, TableError  # noqa: E402
from lianpu.readers import bigcache, exiobase, icio  # noqa: E402
from lianpu.readers.base import detect  # noqa: E402


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LIANPU_DATA", str(tmp_path / "data"))


def _one_line(exc) -> str:
    text = str(exc.value)
    assert "\n" not in text
    return text


# ---------------------------------------------------------------------------- ICIO
def test_icio_reads_balanced_table_with_roles(tmp_path):
    f = tmp_path / "ICIO2023_2020.csv"
    arr = fx.write_icio(f)
    t = lianpu.load(f)
    assert detect(f).name == "icio"
    assert t.n == 12 and t.regions == ["AUS", "CHN", "ROW"] and t.year == 2020
    assert t.unit == "million USD"
    np.testing.assert_allclose(t.Z_, arr["Z"])
    np.testing.assert_allclose(t.x_, arr["x"])
    np.testing.assert_allclose(t.Z_.sum(1) + t.Y_.sum(1), t.x_)
    np.testing.assert_allclose(t.Z_.sum(0) + t.V_.sum(0), t.x_)
    assert t.balance.ok if hasattr(t.balance, "ok") else True
    roles = dict(zip(t.final_demand_labels.index, t.fd_roles))
    assert roles[("AUS", "HFCE")] == "household" and roles[("CHN", "NPISH")] == "npish"
    assert roles[("ROW", "GGFC")] == "government" and roles[("AUS", "GFCF")] == "investment"
    assert roles[("CHN", "INVNT")] == "inventory"
    assert roles[("ROW", "DPABR")] == "consumption_abroad"
    assert list(t.primary_labels["role"]) == ["product_taxes", "value_added"]
    assert t.value_added_rows == ("VA",)
    np.testing.assert_allclose(t.value_added_, arr["va"])
    assert t.index[0] == ("AUS", "A01_02")


def test_icio_cn1_cn2_merged_by_default_and_kept_on_request(tmp_path):
    f = tmp_path / "ICIO2023_2019.csv"
    arr = fx.write_icio(f, extended=True)
    merged = icio.read_icio(f)
    assert merged.regions == ["AUS", "CHN", "ROW"] and merged.n == 12
    n = 4
    Z = arr["Z"]
    # CHN block = CN1+CN2 rows and columns
    cn = slice(n, 3 * n)
    want = Z[cn, cn].reshape(2, n, 2, n).sum(axis=(0, 2))
    np.testing.assert_allclose(merged.Z_[n:2 * n, n:2 * n], want)
    np.testing.assert_allclose(merged.x_[n:2 * n], arr["x"][cn].reshape(2, n).sum(0))
    np.testing.assert_allclose(merged.Z_.sum(1) + merged.Y_.sum(1), merged.x_)
    assert any("merged" in s for s in merged.notes)
    kept = icio.read_icio(f, split="keep")
    assert kept.regions == ["AUS", "CN1", "CN2", "ROW"] and kept.n == 16
    assert {r for r, _ in kept.final_demand_labels.index} == {"AUS", "CHN", "ROW"}
    np.testing.assert_allclose(kept.x_.sum(), merged.x_.sum())


def test_icio_final_demand_split_is_merged_too(tmp_path):
    f = tmp_path / "ICIO2023_2019.csv"
    arr = fx.write_icio(f, extended=True, fd_split=True)
    t = icio.read_icio(f)
    assert {r for r, _ in t.final_demand_labels.index} == {"AUS", "CHN", "ROW"}
    assert len(t.final_demand_labels) == 18
    np.testing.assert_allclose(t.Y_.sum(), arr["Y"].sum())
    np.testing.assert_allclose(t.Z_.sum(1) + t.Y_.sum(1), t.x_)


def test_icio_older_row_names(tmp_path):
    f = tmp_path / "ICIO2018_2015.csv"

    def older(lines):
        lines[-3] = lines[-3].replace('"TLS"', '"TAXSUB"', 1)
        lines[-2] = lines[-2].replace('"VA"', '"VALU"', 1)
        lines[-1] = lines[-1].replace('"OUT"', '"OUTPUT"', 1)
        lines[0] = lines[0][: lines[0].rindex('"OUT"')] + '"TOTAL"'
        return lines

    fx.write_icio(f, mutate=older)
    t = icio.read_icio(f)
    assert t.year == 2015 and list(t.primary_labels.index) == ["TLS", "VA"]


def test_icio_unexpected_row_below_industries(tmp_path):
    f = tmp_path / "ICIO2023_2020.csv"
    fx.write_icio(f, mutate=lambda L: L + ['"DISC",' + ",".join(["0"] * (L[0].count(",")))])
    with pytest.raises(FormatError, match="unexpected row below the industry rows") as exc:
        icio.read_icio(f)
    _one_line(exc)


def test_icio_refuses_chn_and_cn1_together(tmp_path):
    f = tmp_path / "ICIO2023_2018.csv"
    fx.write_icio(f, regions=("AUS", "CHN", "CN1"))
    with pytest.raises(FormatError, match="both a region and its split parts"):
        icio.read_icio(f)


@pytest.mark.parametrize("mutate,match", [
    (lambda L: [L[0].replace('"OUT"', '"GO"')] + L[1:], "last column is not the output"),
    (lambda L: L[:-3] + L[-2:], "row 'TLS' is missing"),
    (lambda L: L[:1] + [L[1].replace(",", ",abc,", 1).rsplit(",", 1)[0]] + L[2:],
     "not a number"),
    (lambda L: L[:1] + [L[1].rsplit(",", 2)[0] + ",,1"] + L[2:], "empty or non-numeric"),
    (lambda L: [L[0].replace('"AUS_HFCE"', '"AUSHFCE"')] + L[1:], r"not \{region\}_\{code\}"),
    (lambda L: L[:-1] + [L[-1].replace(",", ",9", 2)], "output column and output row differ"),
    (lambda L: L[:1] + L[2:3] + L[1:2] + L[3:], "industry rows differ"),
])
def test_icio_malformed_variants_give_one_line_errors(tmp_path, mutate, match):
    f = tmp_path / "ICIO2023_2020.csv"
    fx.write_icio(f, mutate=mutate)
    with pytest.raises((FormatError, TableError), match=match) as exc:
        icio.read_icio(f, cache=False)
    assert "ICIO2023_2020.csv" in _one_line(exc)


def test_icio_empty_file(tmp_path):
    f = tmp_path / "ICIO2023_2020.csv"
    f.write_text("")
    with pytest.raises(FormatError, match="ICIO2023_2020.csv: .*header row is missing") as exc:
        icio.read_icio(f)
    _one_line(exc)


# ---------------------------------------------------------------------------- cache
def test_cache_is_used_on_second_load_and_invalidated_on_change(tmp_path, monkeypatch):
    f = tmp_path / "ICIO2023_2020.csv"
    fx.write_icio(f)
    first = icio.read_icio(f)
    cached = list((tmp_path / "data" / "parsed" / "icio").glob("*.parquet"))
    assert len(cached) == 1

    def boom(*a, **k):
        raise AssertionError("parsed again although cached")

    monkeypatch.setattr(icio, "_parse", boom)
    second = icio.read_icio(f)
    np.testing.assert_array_equal(second.Z_, first.Z_)
    assert list(second.fd_roles) == list(first.fd_roles)
    assert second.notes == first.notes and second.year == 2020
    # the source changes (new content, new mtime): the cache must not serve the old table
    monkeypatch.undo()
    monkeypatch.setenv("LIANPU_DATA", str(tmp_path / "data"))
    fx.write_icio(f, seed=5)
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    third = icio.read_icio(f)
    assert not np.allclose(third.Z_, first.Z_)
    assert len(list(cached[0].parent.glob("*.parquet"))) == 1  # the stale one was removed
    # options are part of the key
    assert bigcache.cache_path("icio", f, {"split": "keep"}, 1) != \
        bigcache.cache_path("icio", f, {"split": "merge"}, 1)


def test_unreadable_cache_file_is_parsed_again(tmp_path):
    f = tmp_path / "ICIO2023_2020.csv"
    fx.write_icio(f)
    first = icio.read_icio(f)
    (cached,) = (tmp_path / "data" / "parsed" / "icio").glob("*.parquet")
    cached.write_bytes(b"not parquet")
    again = icio.read_icio(f)
    np.testing.assert_array_equal(again.Z_, first.Z_)
    assert cached.read_bytes()[:4] == b"PAR1"


def test_cache_can_be_switched_off(tmp_path):
    f = tmp_path / "ICIO2023_2020.csv"
    fx.write_icio(f)
    icio.read_icio(f, cache=False)
    assert not (tmp_path / "data" / "parsed").exists()


# ---------------------------------------------------------------------------- EXIOBASE
def test_exiobase_zip_reads_table_roles_and_satellites(tmp_path):
    z = fx.write_exiobase(tmp_path)
    arrays = fx.exiobase_files()["_arrays"]
    t = lianpu.load(z)
    assert detect(z).name == "exiobase"
    assert t.n == 12 and t.regions == list(fx.EXIO_REGIONS) and t.year == 2022
    assert t.unit == "M.EUR"
    np.testing.assert_allclose(t.Z_, arrays["Z"])
    np.testing.assert_allclose(t.Z_.sum(1) + t.Y_.sum(1), t.x_)
    np.testing.assert_allclose(t.Z_.sum(0) + t.V_.sum(0), t.x_)
    roles = dict(zip(t.final_demand_labels.index, t.fd_roles))
    want = ["household", "npish", "government", "investment", "inventory", "inventory", "export"]
    assert [roles[("CN", c)] for c in fx.EXIO_FD] == want
    assert t.household_columns == tuple((r, fx.EXIO_FD[0]) for r in fx.EXIO_REGIONS)
    # satellites with units, both folders, final-demand rows kept
    assert len(t.satellites) == len(fx.SATELLITE) + len(fx.IMPACTS)
    co2 = t.satellites["CO2 - combustion - air"]
    assert co2.unit == "kg" and co2.values.shape == (12,) and co2.final_demand.shape == (21,)
    assert t.satellites["Employment: Low-skilled male"].unit == "1000 p"
    assert t.F.attrs["units"]["Value Added"] == "M.EUR"
    assert t.satellites[fx.IMPACTS[0][0]].unit == "kg CO2 eq."


def test_exiobase_chunked_read_matches(tmp_path, monkeypatch):
    monkeypatch.setattr(exiobase, "CHUNK_ROWS", 5)  # 12 rows: three chunks
    z = fx.write_exiobase(tmp_path)
    t = exiobase.read_exiobase(z, cache=False)
    np.testing.assert_allclose(t.Z_, fx.exiobase_files()["_arrays"]["Z"])
    assert t.index[-1] == ("WM", "Retail trade")


def _drop_last_row(rel):
    def f(files):
        files = dict(files)
        files[rel] = files[rel].rstrip("\n").rsplit("\n", 1)[0] + "\n"
        return files
    return f


def test_exiobase_z_with_a_row_missing(tmp_path):
    z = fx.write_exiobase(tmp_path, edit=_drop_last_row("Z.txt"))
    with pytest.raises(FormatError, match=r"Z\.txt: fewer rows than sectors in x\.txt "
                                          r"\(found 11, expected 12\)") as exc:
        exiobase.read_exiobase(z, cache=False)
    _one_line(exc)


def test_exiobase_folder_without_z_uses_a_times_x(tmp_path):
    d = fx.write_exiobase(tmp_path, folder=True, with_z=False, kind="pxp")
    arrays = fx.exiobase_files()["_arrays"]
    t = exiobase.read_exiobase(d, extensions=["satellite"])
    assert detect(d).name == "exiobase"
    np.testing.assert_allclose(t.Z_, arrays["Z"], rtol=1e-12)
    assert len(t.satellites) == len(fx.SATELLITE)
    assert "pxp" in t.source


def test_exiobase_older_f_hh_and_39_folders(tmp_path):
    def older(files):
        out = {}
        for k, v in files.items():
            k = k.replace("satellite/F_Y.txt", "satellite/F_hh.txt")
            k = k.replace("impacts/", "air_emissions/")  # 3.9: folders by topic, no impacts
            out[k] = v
        return out

    z = fx.write_exiobase(tmp_path, edit=older)
    t = exiobase.read_exiobase(z, cache=False)
    assert t.satellites["CO2 - combustion - air"].final_demand is not None
    assert t.satellites["Value Added"].unit == "M.EUR"
    assert "air_emissions" in t.notes[-1]


def test_exiobase_cache_second_load(tmp_path, monkeypatch):
    z = fx.write_exiobase(tmp_path)
    first = exiobase.read_exiobase(z)
    monkeypatch.setattr(exiobase, "_parse", lambda *a, **k: pytest.fail("parsed again"))
    second = exiobase.read_exiobase(z)
    assert set(second.satellites) == set(first.satellites)
    assert second.satellites["CO2 - combustion - air"].unit == "kg"
    np.testing.assert_array_equal(second.satellites["CO2 - combustion - air"].final_demand,
                                  first.satellites["CO2 - combustion - air"].final_demand)


def _drop(rel):
    return lambda files: {k: v for k, v in files.items() if k != rel}


def _edit(rel, old, new):
    def f(files):
        files = dict(files)
        files[rel] = files[rel].replace(old, new, 1)
        return files
    return f


@pytest.mark.parametrize("edit,match", [
    (_drop("x.txt"), r"files missing.*x\.txt"),
    (_edit("Z.txt", "region", "regio"), r"Z\.txt: header row 1 does not start with 'region'"),
    (_edit("Y.txt", "Changes in valuables", "Changes in jewels"),
     "unknown final-demand category"),
    (_edit("Z.txt", "\t1", "\tx1"), r"Z\.txt: .*not a number"),
    (_edit("x.txt", "AT\tRetail trade", "AT\tRetail"), r"x\.txt|rows differ"),
    (_drop("satellite/unit.txt"), r"satellite/unit\.txt: .*file missing"),
    (_edit("impacts/unit.txt", "Value Added\tM.EUR\n", ""), "no unit for a stressor"),
    (_edit("unit.txt", "M.EUR\n", "M.USD\n"), "more than one unit"),
])
def test_exiobase_malformed_variants_give_one_line_errors(tmp_path, edit, match):
    z = fx.write_exiobase(tmp_path, edit=edit)
    with pytest.raises(FormatError, match=match) as exc:
        exiobase.read_exiobase(z, cache=False)
    assert "IOT_2022_ixi.zip" in _one_line(exc)


def test_exiobase_negative_flows_refused_unless_allowed(tmp_path):
    z = fx.write_exiobase(tmp_path, negative=True)
    with pytest.raises(TableError, match="negative") as exc:
        exiobase.read_exiobase(z, cache=False)
    _one_line(exc)
    t = exiobase.read_exiobase(z, cache=False, allow_negative_flows=True)
    assert t.Z_[0, 1] < 0


def test_exiobase_not_a_zip(tmp_path):
    z = tmp_path / "IOT_2022_ixi.zip"
    z.write_text("not a zip")
    with pytest.raises(FormatError, match="cannot be opened as a zip") as exc:
        exiobase.read_exiobase(z)
    _one_line(exc)


def test_unknown_extension_folder_is_named(tmp_path):
    z = fx.write_exiobase(tmp_path)
    with pytest.raises(FormatError, match="extension folder not in the file"):
        exiobase.read_exiobase(z, extensions=["water"], cache=False)


@pytest.mark.parametrize("cache", [True, False])
def test_big_mrio_storage_sparse_on_first_and_second_load(tmp_path, monkeypatch, cache):
    """storage='sparse' holds Z as CSR whether parsed or read from the Parquet cache; the
    multipliers equal the dense table's (the dense path is checked against the fixture's
    arrays above)."""
    z = fx.write_exiobase(tmp_path)
    dense = exiobase.read_exiobase(z, cache=False)
    first = exiobase.read_exiobase(z, cache=cache, storage="sparse")
    second = exiobase.read_exiobase(z, cache=cache, storage="sparse")
    for t in (first, second):
        assert t.storage == "sparse"
        np.testing.assert_array_equal(t.Z_.toarray(), dense.Z_)
        np.testing.assert_allclose(lianpu.multipliers(t).to_numpy(),
                                   lianpu.multipliers(dense).to_numpy(), rtol=1e-12)
    # "auto" keeps a 12-sector table dense (sparse storage pays from 2000 sectors)
    assert exiobase.read_exiobase(z, cache=cache, storage="auto").storage == "dense"
    f = tmp_path / "icio.csv"
    fx.write_icio(f)
    assert icio.read_icio(f, cache=cache, storage="sparse").storage == "sparse"
    assert icio.read_icio(f, cache=cache, storage="sparse").storage == "sparse"
