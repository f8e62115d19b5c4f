"""Downloads against hostile or broken servers, and cache files damaged after download
(issue 14, item 5), on a loopback HTTP server.

Attacks stood for:
* a server that trickles one byte at a time (the per-read timeout never fires): an overall
  deadline stops it;
* a server that sends without end, or announces more than a file may have: a size cap;
* a full disk: a DownloadError, not a traceback;
* a cache file truncated or altered after it was downloaded: reported as corrupt (cheaply, from
  the stamp's size and mtime; by digest with ``lianpu download --verify``) and fetched again by
  ``lianpu download ID``.
"""
from __future__ import annotations

import hashlib
import http.server
import json
import os
import resource
import signal
import time

import pytest

import lianpu
from lianpu.core.errors import DatasetError, DownloadError
from lianpu.data.download import download, fetch, stamp_path, verify
from lianpu.data.registry import get

from .test_download import _serve


class _Trickle(http.server.BaseHTTPRequestHandler):
    """Announces 10,000 bytes, sends one every 20 ms."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "10000")
        self.end_headers()
        try:
            for _ in range(10000):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.02)
        except OSError:
            pass


class _Endless(http.server.BaseHTTPRequestHandler):
    """No Content-Length; 64 KB chunks until the client goes."""

    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        try:
            while True:
                self.wfile.write(b"x" * 65536)
        except OSError:
            pass


class _Huge(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(50 << 30))
        self.end_headers()


class _Fixed(http.server.BaseHTTPRequestHandler):
    body = b"y" * 300_000

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)


@pytest.fixture
def start():
    servers = []

    def run(handler):
        server, url = _serve(handler)
        servers.append(server)
        return url + "/f.bin"

    yield run
    for s in servers:
        s.shutdown()
        s.server_close()


def _left(d):
    return sorted(p.name for p in d.iterdir())


def test_trickling_server_stopped_by_the_deadline(start, tmp_path):
    url = start(_Trickle)
    t0 = time.monotonic()
    with pytest.raises(DownloadError, match=r"took more than 1 s, the download deadline\); "
                                            r"nothing was written"):
        fetch(url, tmp_path / "f.bin", "0" * 64, progress=False, deadline=1)
    assert time.monotonic() - t0 < 5
    assert _left(tmp_path) == []  # no .part file left


def test_endless_server_stopped_by_the_size_cap(start, tmp_path):
    url = start(_Endless)
    with pytest.raises(DownloadError, match=r"more than 1,048,576 bytes sent, the size cap"):
        fetch(url, tmp_path / "f.bin", "0" * 64, progress=False, max_bytes=1 << 20)
    assert _left(tmp_path) == []


def test_announced_size_over_the_cap_refused_before_reading(start, tmp_path):
    url = start(_Huge)
    with pytest.raises(DownloadError, match=r"announces 53,687,091,200 bytes, more than the "
                                            r"1,073,741,824 bytes this file may have"):
        fetch(url, tmp_path / "f.bin", "0" * 64, progress=False)


def test_full_disk_is_a_download_error(start, tmp_path):
    url = start(_Fixed)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail: EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, hard))
    try:
        with pytest.raises(DownloadError, match=r"cannot write the download \(File too large\); "
                                                r"nothing was kept"):
            fetch(url, tmp_path / "f.bin", hashlib.sha256(_Fixed.body).hexdigest(),
                  progress=False)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old)
    assert _left(tmp_path) == []
    fetch(url, tmp_path / "f.bin", hashlib.sha256(_Fixed.body).hexdigest(), progress=False)
    assert (tmp_path / "f.bin").read_bytes() == _Fixed.body


def test_truncated_cache_file_reported_and_fetched_again(shared_data, tmp_path):
    tid = "cn-nbs-2020-42"
    (p,) = download(tid, data_dir=tmp_path, from_dir=shared_data, progress=False)
    rec = json.loads(stamp_path(p).read_text())
    assert rec["size"] == p.stat().st_size and len(rec["sha256"]) == 64
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    msg = (rf"cache file .*{p.name} is corrupt: expected {len(data):,} bytes, found "
           rf"{len(data) // 2:,}; run `lianpu download {tid}`")
    with pytest.raises(DatasetError, match=msg):
        lianpu.load(tid, data_dir=tmp_path)
    download(tid, data_dir=tmp_path, from_dir=shared_data, progress=False)  # fetched again
    assert p.read_bytes() == data
    assert lianpu.load(tid, data_dir=tmp_path).n == 42


def test_verify_finds_a_same_size_change(shared_data, tmp_path, capsys):
    from lianpu.cli import main
    tid = "wiod2013-1995"
    (p,) = download(tid, data_dir=tmp_path, from_dir=shared_data, progress=False)
    assert verify([tid], data_dir=tmp_path) == []
    assert main(["download", tid, "--verify", "--data-dir", str(tmp_path)]) == 0
    st = p.stat()
    data = bytearray(p.read_bytes())
    data[100] ^= 0xFF
    p.write_bytes(bytes(data))
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime: only a digest sees it
    (problem,) = verify([tid], data_dir=tmp_path)
    assert f"{p.name} is corrupt: expected sha256 " in problem
    assert problem.endswith(f"run `lianpu download {tid} --force`")
    assert main(["download", tid, "--verify", "--data-dir", str(tmp_path)]) == 2
    assert "corrupt" in capsys.readouterr().err


def test_unstamped_cache_still_loads(shared_data):
    """A folder laid out like shared/data, used as the cache as it is: no stamps, no checks."""
    assert lianpu.load("cn-nbs-2020-42", data_dir=shared_data).n == 42
    assert not stamp_path(shared_data / get("cn-nbs-2020-42").path).exists()
