"""Auxiliary (non-IO) datasets: employment series and CEADs CO2 inventories.

Expected digests come from the shared data's own SHA256SUMS files; expected bytes from the
shared copies (the employment CSV there was converted from the same ionet .rda by the data
curator, so a byte-identical conversion here is the check that ours is faithful).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tomllib
from importlib import resources

import pytest

import lianpu
from lianpu.core.errors import DatasetError, DownloadError
from lianpu.data import registry
from lianpu.data.download import download, sources_for

from .test_download import _Quiet, _corrupt, _files, serve  # noqa: F401  (fixture)

CEADS_IDS = (["ceads-china", "ceads-cities"]
             + [f"ceads-provinces-{y}" for y in range(1997, 2020)])


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv("LIANPU_DATA", raising=False)
    monkeypatch.delenv("LIANPU_MIRROR", raising=False)


def _sums(shared, rel):
    out = {}
    for line in (shared / rel).read_text().splitlines():
        digest, name = line.split(None, 1)
        out[name.strip().removeprefix("./")] = digest
    return out


def test_registry_lists_aux_only_on_request():
    io_ids = {d.id for d in registry.datasets()}
    # provincial=False: the CHNIO tables (listed too by auxiliary=True) are tested in
    # test_chnio_registry.py
    all_ids = [d.id for d in registry.datasets(auxiliary=True, provincial=False)]
    aux = [i for i in all_ids if i not in io_ids]
    assert aux == ["cn-employment", "ceads-china"] + [f"ceads-provinces-{y}"
                                                      for y in range(1997, 2020)] + ["ceads-cities"]
    assert len(all_ids) == len(set(all_ids)) == 55 + 26
    for i in aux:
        d = registry.get(i)
        assert d.sectors is None and d.format in ("employment", "ceads")
        assert not registry.is_table(i)
    assert registry.get("ceads-provinces-1997").path == (
        "ceads/CEADS_china_provinces/Emission_inventories_for_30_provinces_1997.xlsx")
    assert registry.get("ceads-provinces-2017").path == (
        "ceads/CEADS_china_provinces/Emission_Inventories_for_30_Provinces_2017.xlsx")
    assert registry.get("cn-employment").path == "cn/cn_employment_1990_2018.csv"
    assert registry.get("ceads-china").unit == "Mt CO2"


def test_path_of_and_cache_layout_match_shared(shared_data):
    for d in registry.datasets(auxiliary=True):
        assert registry.is_cached(d.id, shared_data), d.id
    assert registry.path_of("cn-employment", shared_data) == \
        shared_data / "cn/cn_employment_1990_2018.csv"


def test_sources_pin_ceads_digests(shared_data):
    sums = _sums(shared_data, "ceads/SHA256SUMS")
    assert len(sums) == 25
    for i in CEADS_IDS:
        (raw,) = sources_for(i)
        rel = raw.path.removeprefix("ceads/")
        assert raw.sha256 == sums[rel], i
        assert raw.path == registry.get(i).path
        assert hashlib.sha256((shared_data / raw.path).read_bytes()).hexdigest() == raw.sha256
        assert raw.url.startswith("https://raw.githubusercontent.com/Open-Earth-Foundation/"
                                  "OpenClimate/822037b737999c397f58b442a5a31e4098dd42e1/"
                                  "harmonize/data/raw/CEADS_china")
    (emp,) = sources_for("cn-employment")
    assert emp.name == "china_employment.rda"
    assert emp.sha256 == _sums(shared_data, "cn/raw/SHA256SUMS")["china_employment.rda"]
    # parentheses in the national file name are percent-encoded in the URL
    assert sources_for("ceads-china", "http://m")[0].url == (
        "http://m/ceads/CEADS_china/China_CO2_Inventory_1997-2019_%28IPCC_Sectoral_Emissions"
        "%29.xlsx")
    toml = tomllib.loads(resources.files("lianpu.data").joinpath("sources.toml").read_text())
    assert set(toml["ceads"]["sha256"]) == set(sums)


def test_load_refuses_non_io_datasets(shared_data):
    with pytest.raises(DatasetError, match=r"^dataset 'ceads-china' is not an IO table "
                                           r"\(format 'ceads': .*lianpu\.satellites\.co2\.inventory"):
        lianpu.load("ceads-china", data_dir=shared_data)
    with pytest.raises(DatasetError, match=r"'cn-employment' is not an IO table.*path_of"):
        registry.load_dataset("cn-employment", data_dir=shared_data)


def test_web_download_employment_and_ceads(shared_data, serve, tmp_path):  # noqa: F811
    url = serve(shared_data)
    _Quiet.requested.clear()
    ids = ["cn-employment", "ceads-china", "ceads-provinces-1997", "ceads-provinces-2017"]
    paths = download(ids, data_dir=tmp_path, base_url=url, progress=False)
    for p, i in zip(paths, ids):
        assert p == tmp_path / registry.get(i).path
        assert p.read_bytes() == (shared_data / registry.get(i).path).read_bytes(), i
    assert sorted(_Quiet.requested) == sorted([
        "/cn/raw/china_employment.rda",
        "/ceads/CEADS_china/China_CO2_Inventory_1997-2019_%28IPCC_Sectoral_Emissions%29.xlsx",
        "/ceads/CEADS_china_provinces/Emission_inventories_for_30_provinces_1997.xlsx",
        "/ceads/CEADS_china_provinces/Emission_Inventories_for_30_Provinces_2017.xlsx"])


def test_web_download_refuses_corrupt_ceads(shared_data, serve, tmp_path):  # noqa: F811
    rel = "ceads/CEADS_china_cities/" \
          "The_Emission_Inventories_for_290_Chinese_Cities_from_1997_to_2019.xlsx"
    mirror = tmp_path / "mirror"
    (mirror / rel).parent.mkdir(parents=True)
    shutil.copy(shared_data / rel, mirror / rel)
    _corrupt(mirror / rel)
    url = serve(mirror)
    with pytest.raises(DownloadError, match=r"checksum mismatch, the file was not saved "
                                            r"\(found sha256 [0-9a-f]{64}, expected sha256 "
                                            r"5794f4b3e7f4"):
        download("ceads-cities", data_dir=tmp_path / "c", base_url=url, progress=False)
    assert not (tmp_path / "c").exists() or _files(tmp_path / "c") == []


def test_seed_copies_and_verifies(shared_data, tmp_path):
    (p,) = download("ceads-provinces-2019", data_dir=tmp_path / "c", from_dir=shared_data,
                    progress=False)
    assert p.read_bytes() == (shared_data / registry.get("ceads-provinces-2019").path).read_bytes()
    # a corrupted local copy is refused, nothing is written
    rel = registry.get("ceads-provinces-2018").path
    bad = tmp_path / "bad"
    (bad / rel).parent.mkdir(parents=True)
    shutil.copy(shared_data / rel, bad / rel)
    _corrupt(bad / rel)
    with pytest.raises(DownloadError, match=r"Provinces_2018\.xlsx: checksum mismatch, the file "
                                            r"was not copied"):
        download("ceads-provinces-2018", data_dir=tmp_path / "d", from_dir=bad, progress=False)
    assert not (tmp_path / "d").exists() or _files(tmp_path / "d") == []
    # employment: from the raw .rda only, converted byte-identically
    raw = tmp_path / "raw"
    (raw / "cn/raw").mkdir(parents=True)
    os.symlink(shared_data / "cn/raw/china_employment.rda", raw / "cn/raw/china_employment.rda")
    (q,) = download("cn-employment", data_dir=tmp_path / "e", from_dir=raw, progress=False)
    assert q.read_bytes() == (shared_data / "cn/cn_employment_1990_2018.csv").read_bytes()


def test_download_all_covers_aux(shared_data, tmp_path):
    """``download(None)`` (``--all``) fetches the auxiliary datasets too.

    The IO tables are put in the cache beforehand (links), so only the auxiliary ones are
    copied: the test shows exactly which files ``--all`` adds.
    """
    cache = tmp_path / "c"
    for d in registry.datasets(provincial=True):
        (cache / d.path).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(shared_data / d.path, cache / d.path)
    before = set(_files(cache))
    download(None, data_dir=cache, from_dir=shared_data, progress=False)
    added = set(_files(cache)) - before
    assert added == {d.path for d in registry.datasets(auxiliary=True)
                     if not registry.is_table(d.id)}
