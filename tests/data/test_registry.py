"""The dataset registry and the cache folder."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import platformdirs
import pytest

import lianpu
from lianpu.core.errors import DatasetError
from lianpu.data import cache, registry
from lianpu.data.download import sources_for


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv("LIANPU_DATA", raising=False)
    monkeypatch.delenv("LIANPU_MIRROR", raising=False)


def test_ids_counts_and_uniqueness():
    ids = [d.id for d in registry.datasets()]
    assert len(ids) == len(set(ids)) == 12 + 24 + 17 + 2
    by_format = {f: sum(d.format == f for d in registry.datasets())
                 for f in ("nbs", "oecd", "wiod")}
    assert by_format == {"nbs": 12, "oecd": 24, "wiod": 19}
    assert "cn-nbs-2017-149" in ids and "cn-oecd-1995" in ids and "cn-oecd-2018" in ids
    assert "wiod2013-1995" in ids and "wiod2013-2011" in ids
    assert [i for i in ids if i.startswith("wiod2013-regions")] == ["wiod2013-regions-1995",
                                                                     "wiod2013-regions-2011"]


def test_dataset_fields_and_titles():
    d = registry.get("cn-nbs-2020-153")
    assert d.title_zh == "中国2020年投入产出表（153部门）"
    assert d.title_en == "China IO table 2020 (153 sectors)"
    assert (d.year, d.sectors, d.format, d.path, d.source) == (
        2020, 153, "nbs", "cn/nbs/cn_io_2020_153.csv", "ionet")
    assert d.unit == "10,000 CNY (万元)"
    assert "非竞争型" in registry.get("cn-nbs-2020-42").title_zh
    o = registry.get("cn-oecd-2007")
    assert (o.format, o.path, o.unit, o.sectors) == (
        "oecd", "cn/oecd-icio-2021/oecd2021_chn_2007.csv", "million USD", 45)
    w = registry.get("wiod2013-regions-2011")
    assert (w.format, w.path, w.source) == ("wiod", "wiod2013/raw/wiot_regional_2011.RData", "wiod")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.year = 2021  # type: ignore[misc]


def test_get_is_case_insensitive():
    assert registry.get(" CN-NBS-2020-42 ").id == "cn-nbs-2020-42"


def test_unknown_id_suggests_close_matches():
    with pytest.raises(DatasetError, match=r"^unknown dataset 'cn-nbs-2020-15' "
                                           r"\(did you mean 'cn-nbs-2020-153'"):
        registry.get("cn-nbs-2020-15")
    with pytest.raises(DatasetError, match=r"did you mean 'wiod2013-2011'\?\)$"):
        registry.get("wiod-2011")


def test_unknown_id_lists_expected():
    expected = (r"^unknown dataset 'nope' \(expected one of: cn-nbs-2002-122, .*"
                r"cn-oecd-1995 … cn-oecd-2018, wiod2013-1995 … wiod2013-2011, "
                r"wiod2013-regions-1995, wiod2013-regions-2011\)$")
    with pytest.raises(DatasetError, match=expected):
        registry.get("nope")


def test_data_dir_precedence(monkeypatch, tmp_path):
    assert cache.data_dir() == cache.data_dir(None) == Path(platformdirs.user_data_dir("lianpu"))
    monkeypatch.setenv("LIANPU_DATA", str(tmp_path / "env"))
    assert cache.data_dir() == tmp_path / "env"
    assert cache.data_dir(tmp_path / "flag") == tmp_path / "flag"
    assert registry.path_of("cn-nbs-2020-42") == tmp_path / "env" / "cn/nbs/cn_io_2020_42.csv"
    assert registry.path_of("cn-nbs-2020-42", tmp_path / "flag") == \
        tmp_path / "flag" / "cn/nbs/cn_io_2020_42.csv"


def test_not_cached_message_names_the_fix(tmp_path):
    assert not registry.is_cached("cn-nbs-2020-153", data_dir=tmp_path)
    expected = (f"dataset 'cn-nbs-2020-153' is not in the cache {tmp_path} "
                "(run `lianpu download cn-nbs-2020-153`, or `lianpu download --all --from DIR` "
                "with a local copy)")
    with pytest.raises(DatasetError, match="^" + re.escape(expected) + "$"):
        registry.load_dataset("cn-nbs-2020-153", data_dir=tmp_path)
    with pytest.raises(DatasetError, match="is not in the cache"):
        lianpu.load("cn-nbs-2020-153", data_dir=tmp_path)


def test_unknown_id_through_load(tmp_path):
    with pytest.raises(DatasetError, match="unknown dataset 'cn-nbs-2021-42'"):
        lianpu.load("cn-nbs-2021-42", data_dir=tmp_path)


def test_cache_layout_mirrors_shared_data(shared_data):
    missing = [d.path for d in registry.datasets() if not (shared_data / d.path).is_file()]
    assert missing == []
    assert all(registry.is_cached(d.id, data_dir=shared_data) for d in registry.datasets())


def test_load_from_cache_names_table_by_id(shared_data):
    t = registry.load_dataset("cn-nbs-2020-42", data_dir=shared_data)
    assert t.name == "cn-nbs-2020-42" and t.year == 2020 and t.Z_.shape == (42, 42)


def test_sources_pin_every_raw_file(shared_data):
    sums = {}
    for f in ("cn/raw/SHA256SUMS", "wiod2013/raw/SHA256SUMS"):
        for line in (shared_data / f).read_text().splitlines():
            digest, name = line.split()
            sums[name] = digest
    for d in registry.datasets():
        (raw,) = sources_for(d.id)
        assert raw.sha256 == sums[raw.name], d.id
        assert raw.url.endswith("/data/" + raw.name)
        assert ("51145dcab476e75783af41a688488db1a4abeb56" if d.source == "ionet"
                else "59a28ac22fbd7751ea84c0f33722b5246b0af46d") in raw.url
        assert (shared_data / raw.path).is_file()
    assert sources_for("cn-nbs-2020-42", "http://m/")[0].url == "http://m/cn/raw/china_2020_42.rda"
    assert sources_for("wiod2013-2011", "http://m")[0].url == \
        "http://m/wiod2013/raw/wiot_2011.RData"
    assert sources_for("cn-oecd-1999")[0].name == "OECD21ed_CHN_1995to2018.rda"
