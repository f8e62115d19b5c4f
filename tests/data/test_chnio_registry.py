"""The CHNIO provincial tables in the registry: ids by GB/T 2260 code with pinyin and Chinese
aliases, their listing, pinned sources (checksums from shared/data/cn/chnio/SHA256SUMS) and
downloads — from a loopback mirror laid out like shared/data, and ``--from DIR``."""
from __future__ import annotations

import functools
import http.server
import json
import threading
import urllib.parse

import pytest

from lianpu.cli import main
from lianpu.core.errors import DatasetError, DownloadError
from lianpu.data import registry
from lianpu.data.download import download, sources_for

COMMIT = "2878da32500274f853c68d5b65dafc86d83b3c89"


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv("LIANPU_DATA", raising=False)
    monkeypatch.delenv("LIANPU_MIRROR", raising=False)


def _sums(shared):
    out = {}
    for line in (shared / "cn/chnio/SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(None, 1)
        out[name.strip().removeprefix("./")] = digest
    return out


def test_listing_one_entry_per_province_year():
    prov = [d for d in registry.datasets(provincial=True) if d.format == "chnio" and d.province]
    assert len(prov) == 29 + 30 + 30 + 31 + 31
    national = [d.id for d in registry.datasets(provincial=True) if d.format == "chnio"
                and not d.province]
    assert national == ["cn-nbs-1990-33", "cn-nbs-1992-33", "cn-nbs-1995-33", "cn-nbs-1997-40",
                        "cn-nbs-2000-17"]
    assert len({d.id for d in prov}) == len(prov)
    # the national/world list is unchanged; --all and `lianpu datasets` include the provinces
    assert not any(d.format == "chnio" for d in registry.datasets())
    assert set(prov) <= set(registry.datasets(auxiliary=True))
    d = registry.get("cn-prov-2017-51")
    assert (d.title_zh, d.title_en) == ("四川2017年投入产出表（42部门）",
                                        "Sichuan (四川) IO table 2017 (42 sectors)")
    assert (d.year, d.sectors, d.format, d.source, d.province) == (2017, 42, "chnio", "chnio", "51")
    assert d.path == ("cn/chnio/data-raw/中国31省区市42部门投入产出表1997-2017皮皮侠/"
                      "2017年各省份投入产出表/23-四川.xls")
    assert registry.get("cn-prov-1997-51").sectors == 38
    assert registry.is_table("cn-prov-2002-11")


@pytest.mark.parametrize("alias", ["cn-prov-2017-51", "cn-prov-2017-sichuan", "cn-prov-2017-四川",
                                   "CN-PROV-2017-Sichuan", "cn-prov-2017-四川省", "cn-prov-2017-sc"])
def test_aliases(alias):
    assert registry.get(alias).id == "cn-prov-2017-51"


def test_province_names():
    assert registry.province("陕西").pinyin == "shaanxi" and registry.province("shanxi").gb == "14"
    assert registry.province("新疆维吾尔自治区").gb == "65"
    assert registry.province("Tibet").gb == registry.province("xizang").gb == "54"


def test_unknown_province_and_year():
    with pytest.raises(DatasetError, match=r"^unknown dataset 'cn-prov-2017-99': unknown province "
                                           r"'99' \(expected a GB/T 2260 code, pinyin or Chinese "
                                           r"name: 11 北京 beijing, 12 天津 tianjin, .*"
                                           r"65 新疆 xinjiang\)$"):
        registry.get("cn-prov-2017-99")
    with pytest.raises(DatasetError, match=r"provincial tables exist for 1997, 2002, 2007, 2012, "
                                           r"2017"):
        registry.get("cn-prov-2015-51")
    with pytest.raises(DatasetError, match=r"no 1997 provincial table for 46 海南 \(the 1997 "
                                           r"tables cover 29 provinces, without 海南、西藏\)"):
        registry.get("cn-prov-1997-hainan")
    with pytest.raises(DatasetError, match=r"cn-prov-\{year\}-\{province\}"):
        registry.get("nope")


def test_sources_pinned_to_the_commit_and_checksums(shared_data):
    sums = _sums(shared_data)
    for d in registry.datasets(provincial=True):
        if d.format != "chnio":
            continue
        (raw,) = sources_for(d.id)
        rel = d.path.removeprefix("cn/chnio/")
        assert raw.name == rel and raw.sha256 == sums[rel], d.id
        assert raw.url == (f"https://github.com/common2016/CHNIO/raw/{COMMIT}/"
                           + urllib.parse.quote(rel, safe="/"))
        assert (shared_data / d.path).is_file()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    requested: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.requested.append(urllib.parse.unquote(self.path))
        super().do_GET()


@pytest.fixture
def mirror_url(shared_data):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(shared_data)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_download_from_mirror_verifies_and_loads(shared_data, mirror_url, tmp_path):
    import lianpu
    _Quiet.requested.clear()
    (p,) = download(["cn-prov-2017-sichuan"], data_dir=tmp_path, base_url=mirror_url,
                    progress=False)
    ds = registry.get("cn-prov-2017-51")
    assert p == tmp_path / ds.path and p.read_bytes() == (shared_data / ds.path).read_bytes()
    assert _Quiet.requested == ["/" + ds.path]
    t = lianpu.load("cn-prov-2017-四川", data_dir=tmp_path)
    assert t.name == "cn-prov-2017-51" and t.n == 42


def test_download_refuses_a_wrong_checksum(shared_data, tmp_path):
    ds = registry.get("cn-prov-2012-11")
    fake = tmp_path / "mirror" / ds.path
    fake.parent.mkdir(parents=True)
    data = bytearray((shared_data / ds.path).read_bytes())
    data[len(data) // 2] ^= 0xFF
    fake.write_bytes(bytes(data))
    with pytest.raises(DownloadError, match="checksum mismatch"):
        download([ds.id], data_dir=tmp_path / "cache", from_dir=tmp_path / "mirror",
                 progress=False)
    assert not (tmp_path / "cache" / ds.path).exists()


def test_cli_download_from_and_listing(shared_data, tmp_path, capsys):
    assert main(["download", "cn-prov-2017-51", "cn-prov-2007-chongqing", "--from",
                 str(shared_data), "--data-dir", str(tmp_path), "--json"]) in (0, None)
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["datasets"] == ["cn-prov-2017-51", "cn-prov-2007-chongqing"]
    assert main(["datasets", "--json", "--data-dir", str(tmp_path)]) in (0, None)
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["cn-prov-2017-51"]["cached"] and rows["cn-prov-2007-50"]["cached"]
    assert not rows["cn-prov-2012-51"]["cached"]
    assert rows["cn-prov-2017-51"]["title_en"] == "Sichuan (四川) IO table 2017 (42 sectors)"
