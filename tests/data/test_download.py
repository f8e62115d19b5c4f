"""Downloading, verifying and converting datasets, against a loopback HTTP mirror."""
from __future__ import annotations

import functools
import hashlib
import http.server
import os
import shutil
import socket
import threading
from pathlib import Path

import numpy as np
import pytest

import lianpu
from lianpu.core.errors import DatasetError, DownloadError
from lianpu.data.download import download, sources_for
from lianpu.data.registry import get


class _Quiet(http.server.SimpleHTTPRequestHandler):
    requested: list = []

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        self.requested.append(self.path)
        super().do_GET()


class _Truncating(http.server.BaseHTTPRequestHandler):
    """Announces 100,000 bytes, sends 1,000, then closes the connection."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"x" * 1000)
        self.wfile.flush()
        self.close_connection = True


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv("LIANPU_DATA", raising=False)
    monkeypatch.delenv("LIANPU_MIRROR", raising=False)


def _serve(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def serve():
    """``serve(directory)`` -> base URL of a loopback mirror of that folder."""
    servers = []

    def start(directory=None, handler=None):
        handler = handler or functools.partial(_Quiet, directory=str(directory))
        server, url = _serve(handler)
        servers.append(server)
        return url

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


@pytest.fixture
def mirror(shared_data, tmp_path):
    """A writable mirror holding links to a few of the shared raw files."""
    root = tmp_path / "mirror"
    for rel in ("cn/raw/china_2020_42.rda", "wiod2013/raw/wiot_1995.RData"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(shared_data / rel, root / rel)
    return root


def _corrupt(path: Path):
    data = bytearray(path.read_bytes())
    path.unlink()
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and not p.name.endswith(".stamp"))  # cache stamps aside


def test_web_download_converts_byte_identical(shared_data, serve, tmp_path):
    url = serve(shared_data)
    _Quiet.requested.clear()
    ids = ["cn-nbs-2020-153", "cn-nbs-2020-42", "cn-oecd-2010", "cn-oecd-2018"]
    paths = download(ids, data_dir=tmp_path, base_url=url, progress=False)
    assert paths == [tmp_path / get(i).path for i in ids]
    for p, i in zip(paths, ids):
        assert p.read_bytes() == (shared_data / get(i).path).read_bytes(), i
    # the raw files are kept, and the OECD series is fetched once for all its years
    assert sorted(_Quiet.requested) == ["/cn/raw/OECD21ed_CHN_1995to2018.rda",
                                        "/cn/raw/china_2020_153.rda", "/cn/raw/china_2020_42.rda"]
    assert (tmp_path / "cn/raw/china_2020_42.rda").read_bytes() == \
        (shared_data / "cn/raw/china_2020_42.rda").read_bytes()
    for i in ("cn-nbs-2020-153", "cn-nbs-2020-42"):
        got, ref = lianpu.load(i, data_dir=tmp_path), lianpu.load(i, data_dir=shared_data)
        for a in ("Z_", "Y_", "V_", "x_", "Zm_", "Ym_"):
            if getattr(ref, a) is None:
                assert getattr(got, a) is None
            else:
                np.testing.assert_array_equal(getattr(got, a), getattr(ref, a))
    # cached now: a second call fetches nothing
    _Quiet.requested.clear()
    assert download(ids, data_dir=tmp_path, base_url=url, progress=False) == paths
    assert _Quiet.requested == []


def test_web_download_wiod_as_published(shared_data, serve, tmp_path, monkeypatch):
    monkeypatch.setenv("LIANPU_MIRROR", serve(shared_data))  # the mirror from the environment
    (p,) = download("wiod2013-2011", data_dir=tmp_path, progress=True)
    assert p == tmp_path / "wiod2013/raw/wiot_2011.RData"
    assert p.read_bytes() == (shared_data / "wiod2013/raw/wiot_2011.RData").read_bytes()
    assert _files(tmp_path) == ["wiod2013/raw/wiot_2011.RData"]


def test_http_404(mirror, serve, tmp_path):
    url = serve(mirror)
    cache = tmp_path / "cache"
    expected = (r"^http://127\.0\.0\.1:\d+/cn/raw/china_2020_153\.rda: "
                r"download failed with HTTP status 404 .*nothing was written")
    with pytest.raises(DownloadError, match=expected):
        download("cn-nbs-2020-153", data_dir=cache, base_url=url, progress=False)
    assert not cache.exists() or _files(cache) == []


def test_cannot_connect(tmp_path):
    with socket.socket() as sock:  # a free port, closed again: nothing listens there
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with pytest.raises(DownloadError, match=r"cannot connect .*--from DIR"):
        download("cn-nbs-2020-42", data_dir=tmp_path, base_url=url, progress=False)


def test_checksum_mismatch_writes_nothing(mirror, serve, tmp_path):
    _corrupt(mirror / "cn/raw/china_2020_42.rda")
    _corrupt(mirror / "wiod2013/raw/wiot_1995.RData")
    url = serve(mirror)
    cache = tmp_path / "cache"
    expected = (r"china_2020_42\.rda: checksum mismatch, the file was not saved "
                r"\(found sha256 [0-9a-f]{64}, expected sha256 8a8c8ae91bf7d2b4965ba9cb3237")
    with pytest.raises(DownloadError, match=expected):
        download("cn-nbs-2020-42", data_dir=cache, base_url=url, progress=False)
    with pytest.raises(DownloadError, match="wiot_1995.RData: checksum mismatch"):
        download(["wiod2013-1995"], data_dir=cache, base_url=url, progress=True)
    assert not cache.exists() or _files(cache) == []  # no final file, no .part file


def test_interrupted_transfer_writes_nothing(serve, tmp_path):
    url = serve(handler=_Truncating)
    with pytest.raises(DownloadError, match=r"china_2020_42\.rda: transfer interrupted after 1000 "
                                            r"of 100000 bytes .*nothing was written"):
        download("cn-nbs-2020-42", data_dir=tmp_path, base_url=url, progress=False)
    with pytest.raises(DownloadError, match="wiot_2011.RData: transfer interrupted"):
        download("wiod2013-2011", data_dir=tmp_path, base_url=url, progress=True)
    assert _files(tmp_path) == []


def test_failed_forced_download_keeps_good_cache(shared_data, mirror, serve, tmp_path):
    cache = tmp_path / "cache"
    ids = ["cn-nbs-2020-42", "wiod2013-1995"]
    download(ids, data_dir=cache, from_dir=shared_data, progress=False)
    (cache / "cn/raw").mkdir()
    shutil.copy(shared_data / "cn/raw/china_2020_42.rda", cache / "cn/raw/china_2020_42.rda")
    before = {f: (cache / f).read_bytes() for f in _files(cache)}
    _corrupt(mirror / "cn/raw/china_2020_42.rda")
    _corrupt(mirror / "wiod2013/raw/wiot_1995.RData")
    url = serve(mirror)
    for i in ids:
        with pytest.raises(DownloadError, match="checksum mismatch"):
            download(i, data_dir=cache, base_url=url, progress=False, force=True)
    assert {f: (cache / f).read_bytes() for f in _files(cache)} == before
    assert lianpu.load("cn-nbs-2020-42", data_dir=cache).n == 42


def test_seed_from_local_copy(shared_data, tmp_path):
    paths = download(["cn-nbs-2020-42", "cn-oecd-2018", "wiod2013-regions-1995"],
                     data_dir=tmp_path, from_dir=shared_data, progress=False)
    assert _files(tmp_path) == ["cn/nbs/cn_io_2020_42.csv",
                                "cn/oecd-icio-2021/oecd2021_chn_2018.csv",
                                "wiod2013/raw/wiot_regional_1995.RData"]
    for p in paths:
        assert p.read_bytes() == (shared_data / p.relative_to(tmp_path)).read_bytes()
    t = lianpu.load("cn-nbs-2020-42", data_dir=tmp_path)
    assert t.name == "cn-nbs-2020-42" and t.Zm_.shape == (42, 42)


def test_seed_from_raw_only_copy_converts(mirror, shared_data, tmp_path):
    (p,) = download("cn-nbs-2020-42", data_dir=tmp_path / "c", from_dir=mirror, progress=False)
    assert p.read_bytes() == (shared_data / "cn/nbs/cn_io_2020_42.csv").read_bytes()


def test_seed_verifies_raw_files(mirror, tmp_path):
    _corrupt(mirror / "wiod2013/raw/wiot_1995.RData")
    _corrupt(mirror / "cn/raw/china_2020_42.rda")
    for i, name in (("wiod2013-1995", "wiot_1995.RData"), ("cn-nbs-2020-42", "china_2020_42.rda")):
        with pytest.raises(DownloadError, match=rf"{name}: checksum mismatch, the file was not "
                                                r"copied \(found sha256"):
            download(i, data_dir=tmp_path / "c", from_dir=mirror, progress=False)
    expected = (r"no local copy of dataset 'cn-nbs-2018-42' "
                r"\(looked for cn/nbs/cn_io_2018_42.csv or cn/raw/china_2018_42")
    with pytest.raises(DownloadError, match=expected):
        download("cn-nbs-2018-42", data_dir=tmp_path / "c", from_dir=mirror, progress=False)
    assert not (tmp_path / "c").exists() or _files(tmp_path / "c") == []


def test_unknown_id_fails_before_any_work(shared_data, tmp_path):
    with pytest.raises(DatasetError, match="unknown dataset 'cn-nbs-2020-4'"):
        download(["cn-nbs-2020-42", "cn-nbs-2020-4"], data_dir=tmp_path, from_dir=shared_data)
    assert not tmp_path.joinpath("cn").exists()


def test_sources_for_digest_matches_file(shared_data):
    (raw,) = sources_for("wiod2013-regions-2011")
    assert hashlib.sha256((shared_data / raw.path).read_bytes()).hexdigest() == raw.sha256
