"""The dashboard under attack (issue 14, items 1–3), over real HTTP on loopback.

Attacks stood for, one per test (or group):
* memory amplification — a small Parquet file declaring 6,000 dense sectors, an .xlsx zip bomb,
  a sheet or CSV declaring millions of cells: refused from their declarations, before parsing;
* many uploads kept at once — uploads are held under a memory budget, least recently used out;
* oversized JSON bodies on routes other than /api/upload — one body limit for every route;
* a client that leaves during a slow parse, a parse that never ends, a server asked to stop
  (SIGTERM) while parsing, a killed server's temporary folders;
* DNS rebinding (a foreign ``Host``), cross-site form posts (CSRF), framing/sniffing (headers);
* error messages that show server paths, a connection left broken after a 500;
* formula injection through the dashboard's CSV/Excel downloads.
"""
from __future__ import annotations

import io
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import httpx
import openpyxl
import pytest

import lianpu
from lianpu.readers.safety import Limits

from .conftest import Server

TID = "cn-nbs-2020-42"


def assert_error(r, status, needle):
    assert r.status_code == status, r.text
    body = r.json()
    assert body["ok"] is False and needle in body["error"], body["error"]


@pytest.fixture(scope="module")
def small(web_cache):
    """A server with small budgets: 60 sectors, 100,000 cells, 2 MB unpacked, 64 KB bodies,
    uploads in memory about two 42-sector tables."""
    from lianpu.web import create_app
    from lianpu.web.store import table_nbytes
    size = table_nbytes(lianpu.load(TID, data_dir=web_cache))
    app = create_app(data_dir=web_cache, max_upload=2 * 1024 * 1024, max_body=64 * 1024,
                     limits=Limits(max_sectors=60, max_dense_mb=64, max_cells=100_000,
                                   max_unpacked_mb=2),
                     max_upload_mb=2.5 * size / 2**20, parse_timeout=60)
    with Server(app) as s:
        s.table_size = size
        yield s


def post_file(server, name, content, **kw):
    return httpx.post(server.url + "/api/upload", files={"file": (name, content)}, timeout=120,
                      **kw)


def csv_of(web_cache, tid="cn-nbs-2020-153", tmp=None) -> bytes:
    from lianpu.export import export_table
    p = Path(tmp or tempfile.mkdtemp()) / "t.csv"
    export_table(lianpu.load(tid, data_dir=web_cache), p)
    return p.read_bytes()


def parquet_declaring(web_cache, n: int) -> bytes:
    """A valid lianpu Parquet file (the 42-sector table's data) whose metadata declares ``n``
    sectors: the red team's 17.8 MB file that took the server to 2.6 GB."""
    import pyarrow.parquet as pq

    from lianpu.readers.native import save
    d = Path(tempfile.mkdtemp())
    save(lianpu.load(TID, data_dir=web_cache), d / "t.parquet")
    tbl = pq.read_table(d / "t.parquet")
    meta = json.loads(tbl.schema.metadata[b"lianpu"])
    for k, shape in meta["shapes"].items():
        meta["shapes"][k] = [n if s == 42 else s for s in shape]
    tbl = tbl.replace_schema_metadata({b"lianpu": json.dumps(meta).encode()})
    pq.write_table(tbl, d / "big.parquet")
    return (d / "big.parquet").read_bytes()


def zip_bomb(unpacked_mb: int = 40) -> bytes:
    """An .xlsx-shaped archive whose one sheet inflates ~1000×."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        row = "<row>" + "<c><v>0</v></c>" * 1000 + "</row>"
        zf.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>"
                    + row * (unpacked_mb * 1024 * 1024 // len(row)) + "</sheetData></worksheet>")
    return buf.getvalue()


def xlsx_declaring(ref: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", f'<worksheet><dimension ref="{ref}"/>'
                    "<sheetData/></worksheet>")
    return buf.getvalue()


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---------------------------------------------------------------------------- budgets
def test_parquet_declaring_6000_sectors_refused_before_allocation(small, web_cache):
    body = parquet_declaring(web_cache, 6000)
    before = rss_mb()
    r = post_file(small, "big.parquet", body)
    assert_error(r, 413, "declares 6,000 sectors, more than 60 (the sector limit of this server)")
    assert rss_mb() - before < 100  # the server never held the declared 2.6 GB


def test_default_limits_refuse_6000_sectors(server, web_cache):
    r = post_file(server, "big.parquet", parquet_declaring(web_cache, 6000))
    assert_error(r, 413, "6,000 sectors, more than 2,500")


def test_xlsx_zip_bomb_refused_quickly(small):
    t0 = time.monotonic()
    r = post_file(small, "bomb.xlsx", zip_bomb())
    assert_error(r, 413, "MB (the unpacked size limit of this server)")
    assert time.monotonic() - t0 < 20


def test_xlsx_ratio_and_declared_cells(small):
    from lianpu.readers.safety import TooBig, check_xlsx
    d = Path(tempfile.mkdtemp())
    (d / "b.xlsx").write_bytes(zip_bomb(8))
    with pytest.raises(TooBig, match="a zip bomb, refused"):
        check_xlsx(d / "b.xlsx", Limits(max_unpacked_mb=100))
    r = post_file(small, "wide.xlsx", xlsx_declaring("A1:ZZ9999"))
    assert_error(r, 413, "sheet 'xl/worksheets/sheet1.xml' declares 7,019,298 cells, more than "
                         "100,000 (the cell limit of this server)")


def test_csv_cells_and_sectors(small, web_cache):
    r = post_file(small, "t.csv", csv_of(web_cache))  # 153 sectors: 160 × 170 cells
    assert r.status_code == 413, r.text
    assert "the cell limit of this server" in r.json()["error"] or \
        "the sector limit" in r.json()["error"]


def test_uploads_kept_under_a_memory_budget(small, web_cache, tmp_path):
    """Three 42-sector uploads in a budget of 2.5: the least recently used one goes."""
    from lianpu.export import export_table
    p = tmp_path / "t.parquet"
    export_table(lianpu.load(TID, data_dir=web_cache), p)
    ids = []
    for i in range(3):
        r = post_file(small, f"t{i}.parquet", p.read_bytes())
        assert r.status_code == 200, r.text
        ids.append(r.json()["id"])
        if i == 1:  # use the first again: the second becomes the least recently used
            assert httpx.get(f"{small.url}/api/tables/{ids[0]}", timeout=60).status_code == 200
    h = httpx.get(small.url + "/api/health", timeout=60).json()
    assert h["uploads_mb"] * 2**20 <= 2.5 * small.table_size + 2**20 / 10
    codes = [httpx.get(f"{small.url}/api/tables/{u}", timeout=60).status_code for u in ids]
    assert codes == [200, 404, 200]
    assert_error(httpx.get(f"{small.url}/api/tables/{ids[1]}", timeout=60), 404,
                 "least recently used dropped")


def test_every_route_has_a_body_limit(small):
    big = {"demand": {"18": 1}, "pad": "x" * 200_000}
    r = httpx.post(f"{small.url}/api/tables/{TID}/impact", json=big, timeout=60)
    assert_error(r, 413, "request body too large: more than 64 KB")

    def chunked():  # no Content-Length: counted as it arrives
        yield b'{"demand": {"18": 1}, "pad": "'
        for _ in range(100):
            yield b"x" * 4096
        yield b'"}'

    r = httpx.post(f"{small.url}/api/tables/{TID}/impact", content=chunked(), timeout=60,
                   headers={"content-type": "application/json"})
    assert_error(r, 413, "request body too large")
    assert httpx.get(small.url + "/api/health", timeout=60).json()["ok"]


# ---------------------------------------------------------------------------- parse worker
def _children():
    return [p for p in multiprocessing.active_children() if p.name == "lianpu-upload-parse"]


def test_parse_stopped_when_the_client_leaves(server, web_cache):
    body = csv_of(web_cache)
    with pytest.raises(httpx.TimeoutException):  # the client gives up while the child parses
        httpx.post(server.url + "/api/upload", files={"file": ("t.csv", body)},
                   timeout=httpx.Timeout(60, read=0.3))
    tmp = server.app.state.store._tmp
    deadline = time.monotonic() + 10
    while (_children() or any(tmp.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _children() == []
    assert [p.name for p in tmp.iterdir()] == []  # no upload left


def test_parse_deadline(web_cache):
    from lianpu.web import create_app
    with Server(create_app(data_dir=web_cache, parse_timeout=0.2)) as s:
        r = post_file(s, "t.csv", csv_of(web_cache))
        assert_error(r, 400, "took more than 0.2 s (the parse time limit of this server)")
        assert _children() == [] and list(s.app.state.store._tmp.iterdir()) == []


def test_stale_upload_folders_removed_at_start(web_cache):
    from lianpu.web.store import TableStore
    dead = Path(tempfile.gettempdir()) / "lianpu-uploads-999999999-stale"
    (dead / "f-x").mkdir(parents=True, exist_ok=True)
    (dead / "f-x" / "t.csv").write_text("x")
    st = TableStore(web_cache)
    try:
        assert not dead.exists()
        assert st._tmp.name.startswith(f"lianpu-uploads-{os.getpid()}-")
    finally:
        st.close()
    assert not st._tmp.exists()


def test_serve_stops_on_the_first_sigterm_during_a_parse(web_cache, tmp_path):
    """`lianpu serve` with an upload being parsed: one SIGTERM stops it within seconds, the
    parse child dies with it and the temporary folder is gone."""
    proc = subprocess.Popen([sys.executable, "-m", "lianpu", "serve", "--port", "0",
                             "--data-dir", str(web_cache)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://[\d.]+:\d+", line).group()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/api/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        body = csv_of(web_cache, tmp=tmp_path)
        threading.Thread(target=lambda: _quiet(post_file, url, body), daemon=True).start()
        tmp_dirs = []
        deadline = time.monotonic() + 10
        while not tmp_dirs and time.monotonic() < deadline:
            tmp_dirs = [p for p in Path(tempfile.gettempdir()).glob(
                f"lianpu-uploads-{proc.pid}-*") if any(p.iterdir())]
            time.sleep(0.02)
        assert tmp_dirs, "the upload never reached the server"
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)
        assert time.monotonic() - t0 < 10
        assert not any(p.exists() for p in tmp_dirs)
        out = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True)
        assert out.stdout.strip() == ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


def _quiet(post, url, body):
    class S:  # post_file wants a server with .url
        pass
    s = S()
    s.url = url
    try:
        post(s, "t.csv", body)
    except httpx.HTTPError:
        pass


# ---------------------------------------------------------------------------- browser-facing
def test_foreign_host_refused_on_loopback(server):
    r = httpx.get(server.url + "/api/datasets", headers={"Host": "evil.example"}, timeout=30)
    assert_error(r, 403, "does not name this server")
    r = httpx.get(server.url + "/", headers={"Host": f"evil.example:{server.port}"}, timeout=30)
    assert r.status_code == 403
    for host in (f"localhost:{server.port}", f"127.0.0.1:{server.port}", "localhost"):
        assert httpx.get(server.url + "/api/health", headers={"Host": host},
                         timeout=30).status_code == 200


def test_with_a_token_any_host(web_cache):
    from lianpu.web import create_app
    with Server(create_app(data_dir=web_cache, token="s3cret-token")) as s:
        r = httpx.get(s.url + "/api/datasets", timeout=30,
                      headers={"Host": "dashboard.example", "Authorization": "Bearer s3cret-token"})
        assert r.status_code == 200


@pytest.mark.parametrize("headers", [{"Origin": "http://evil.example"},
                                     {"Origin": "null"},
                                     {"Referer": "http://evil.example/page.html"},
                                     {"Origin": "http://127.0.0.1:1"}])
def test_cross_site_posts_refused(server, web_cache, headers):
    r = post_file(server, "t.csv", b"a,b\n", headers=headers)
    assert_error(r, 403, "cross-site request refused")
    r = httpx.post(f"{server.url}/api/tables/{TID}/impact", json={"demand": {"18": 1}},
                   headers=headers, timeout=60)
    assert r.status_code == 403


def test_same_origin_and_scripts_pass(server):
    for headers in ({"Origin": server.url}, {"Referer": server.url + "/t/x"}, {}):
        r = httpx.post(f"{server.url}/api/tables/{TID}/impact", json={"demand": {"18": 1}},
                       headers=headers, timeout=60)
        assert r.status_code == 200, (headers, r.text)


@pytest.mark.parametrize("path", ["/", f"/t/{TID}", "/api/health", "/static/app.js",
                                  "/api/no/such"])
def test_security_headers(server, path):
    r = httpx.get(server.url + path, timeout=60)
    h = r.headers
    assert "frame-ancestors 'none'" in h["content-security-policy"]
    assert "script-src 'self'" in h["content-security-policy"]
    assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "same-origin"


def test_errors_do_not_show_server_paths(server, web_cache):
    store = server.app.state.store
    r = post_file(server, "bad.csv", b"not,an\nio,table\n")
    assert r.status_code == 400
    msg = r.json()["error"]
    assert "bad.csv" in msg
    for root in (str(store._tmp), tempfile.gettempdir() + "/", str(web_cache)):
        assert root not in msg, msg


def test_a_500_hides_details_and_the_connection_recovers(web_cache):
    from lianpu.web import create_app
    app = create_app(data_dir=web_cache)

    def boom():
        raise RuntimeError(f"failed reading {web_cache}/secret/file.csv")

    app.add_api_route("/api/boom", boom)
    with Server(app) as s, httpx.Client(base_url=s.url, timeout=30) as c:
        for _ in range(3):
            r = c.get("/api/boom")
            assert r.status_code == 500
            err = r.json()["error"]
            assert "secret" not in err and str(web_cache) not in err
            assert re.search(r"internal error \(RuntimeError, reference [0-9a-f]{8}", err)
            assert r.headers["x-frame-options"] == "DENY"
            assert c.get("/api/health").json()["ok"]  # the same client goes on working


# ---------------------------------------------------------------------------- downloads
FORMULAS = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "-2+3"]


def test_downloads_write_hostile_names_as_text(server, web_cache, tmp_path):
    import csv
    import dataclasses

    from lianpu.export import export_table
    t = lianpu.load("cn-nbs-2020-153", data_dir=web_cache)
    sec = t.sectors.copy()
    for i, n in enumerate(FORMULAS):
        sec.iloc[i, sec.columns.get_loc("name_zh")] = n
    p = tmp_path / "evil.csv"
    export_table(dataclasses.replace(t, sectors=sec), p)
    uid = post_file(server, p.name, p.read_bytes()).json()["id"]
    n_text = 0
    for what in ("keysectors", "multipliers", "overview"):
        r = httpx.get(f"{server.url}/api/tables/{uid}/download/{what}.xlsx", timeout=120)
        wb = openpyxl.load_workbook(io.BytesIO(r.content))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (what, ws.title, c.coordinate, c.value)
                    if c.value in FORMULAS:
                        assert c.data_type == "s"
                        n_text += 1
        r = httpx.get(f"{server.url}/api/tables/{uid}/download/{what}.csv", timeout=120)
        cells = [c for row in csv.reader(io.StringIO(r.content.decode("utf-8-sig")))
                 for c in row]
        assert [c for c in cells if c.startswith(("=", "+", "@"))] == []
    assert n_text >= 3


def test_rda_gzip_bomb_refused(small):
    """An R data file is a compressed stream: inflated and counted (not kept) before parsing."""
    import gzip
    body = gzip.compress(b"RDX3\n" + b"\0" * (8 * 1024 * 1024), 9)  # 8 KB → 8 MB
    r = post_file(small, "bomb.rda", body)
    assert_error(r, 413, "inflates to more than 2 MB (the unpacked size limit of this server)")


def test_csv_declared_cells_unit():
    from lianpu.readers.safety import TooBig, check_csv
    d = Path(tempfile.mkdtemp())
    (d / "w.csv").write_text(",".join(["0"] * 2000) + "\n" + ("0\n" * 100))
    with pytest.raises(TooBig, match=r"the CSV has 2,000 columns × 101 lines = 202,000 cells, "
                                     r"more than 100,000 \(the cell limit of this server\)"):
        check_csv(d / "w.csv", Limits(max_cells=100_000))


def test_parquet_declaring_huge_side_blocks_refused(web_cache):
    """Few sectors, but a final-demand block declared with ten million columns."""
    import pyarrow.parquet as pq

    from lianpu.readers.safety import TooBig, check_parquet
    d = Path(tempfile.mkdtemp())
    (d / "p.parquet").write_bytes(parquet_declaring(web_cache, 42))
    tbl = pq.read_table(d / "p.parquet")
    meta = json.loads(tbl.schema.metadata[b"lianpu"])
    meta["shapes"]["Y"] = [42, 10_000_000]
    pq.write_table(tbl.replace_schema_metadata({b"lianpu": json.dumps(meta).encode()}),
                   d / "p.parquet")
    with pytest.raises(TooBig, match=r"blocks declare 3,204 MB of numbers, more than 64 MB"):
        check_parquet(d / "p.parquet", Limits(max_dense_mb=64))
