"""Registry and download entries of the big MRIOs (OECD ICIO, EXIOBASE 3): listed only on
request, never in --all, verified by size (no published sha256), loadable from the cache."""
from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from lianpu.core.errors import DownloadError
from lianpu.data import download as dl
from lianpu.data import registry

sys.path.insert(0, str(Path(__file__).parents[1] / "readers"))
import big_mrio_fixtures as fx  # noqa: E402


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv("LIANPU_DATA", raising=False)
    monkeypatch.delenv("LIANPU_MIRROR", raising=False)


def test_big_entries_are_listed_only_on_request():
    plain = {d.id for d in registry.datasets(auxiliary=True)}
    assert not any(i.startswith(("exiobase3-", "oecd-icio-")) for i in plain)
    big = {d.id for d in registry.datasets(big=True)}
    assert {"exiobase3-2022-ixi", "exiobase3-1995-pxp", "oecd-icio-2023-2020"} <= big
    assert registry.get("exiobase3-2022-pxp").format == "exiobase"
    assert registry.get("oecd-icio-2023-1995").format == "icio"
    assert registry.is_table("exiobase3-2022-ixi")


def test_sources_have_no_sha256_but_size_where_known():
    (raw,) = dl.sources_for("exiobase3-1995-ixi")
    assert raw.sha256 is None and raw.size == 462292568
    assert raw.url.startswith("https://zenodo.org/") and raw.max_bytes >= 10**9
    (raw,) = dl.sources_for("exiobase3-2022-ixi")
    assert raw.sha256 is None and raw.size is None


def test_icio_has_no_direct_download():
    with pytest.raises(DownloadError, match="no direct download; get it from https://www.oecd"):
        dl.sources_for("oecd-icio-2023-2020")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def _serve(directory):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def test_download_by_size_then_load_from_cache(tmp_path):
    mirror = tmp_path / "mirror" / "exiobase3"
    mirror.mkdir(parents=True)
    z = fx.write_exiobase(mirror, year=2022)
    server, url = _serve(tmp_path / "mirror")
    try:
        (path,) = dl.download("exiobase3-2022-ixi", data_dir=tmp_path / "cache", base_url=url,
                              progress=False)
        assert path.read_bytes() == z.read_bytes()
        with pytest.raises(DownloadError, match="size mismatch"):
            dl.fetch(f"{url}/exiobase3/{z.name}", tmp_path / "x.zip", None, progress=False,
                     size=z.stat().st_size + 1)
        assert not (tmp_path / "x.zip").exists()
    finally:
        server.shutdown()
        server.server_close()
    t = registry.load_dataset("exiobase3-2022-ixi", data_dir=tmp_path / "cache")
    assert t.name == "exiobase3-2022-ixi" and t.n == 12
    assert "CO2 - combustion - air" in t.satellites
    assert list((tmp_path / "cache" / "parsed" / "exiobase").glob("*.parquet"))
    again = registry.load_dataset("exiobase3-2022-ixi", data_dir=tmp_path / "cache")
    np.testing.assert_array_equal(again.Z_, t.Z_)
