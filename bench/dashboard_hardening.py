"""Dashboard memory under the 6,000-sector amplification upload, and loopback latency.

Run on demand (not part of the tests)::

    python bench/dashboard_hardening.py [--old SRC_DIR] [--data-dir DIR]

Starts ``lianpu serve`` on a free loopback port (from ``--old SRC_DIR``, e.g. an exported
earlier ``src/``, when given), uploads a valid native Parquet table with 6,000 sectors
(sparse, ~1.4 million entries, ~17 MB on disk) and samples the resident memory of the server
and its children every 20 ms; then runs 200 requests, 10 at a time, over a few endpoints and
prints p50/p95 latency.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np

N = 6000
TID = "cn-nbs-2020-42"


def attack_file(path: Path) -> Path:
    import pandas as pd

    from lianpu.readers.native import save
    from lianpu.table import IOTable
    rng = np.random.default_rng(14)
    Z = np.zeros((N, N))
    k = int(0.04 * N * N)
    Z[rng.integers(0, N, k), rng.integers(0, N, k)] = rng.random(k) * 100
    x = 2 * np.maximum(Z.sum(1), Z.sum(0)) + 1
    Y = (x - Z.sum(1))[:, None]
    V = (x - Z.sum(0))[None, :]
    codes = [f"S{i:04d}" for i in range(N)]
    sec = pd.DataFrame({"name_zh": [f"部门{i}" for i in range(N)],
                        "name_en": [f"sector {i}" for i in range(N)]}, index=pd.Index(codes))
    t = IOTable(Z_=Z, Y_=Y, V_=V, x_=x, sectors=sec,
                final_demand_labels=pd.DataFrame({"name_zh": ["最终使用"], "name_en": ["final"]},
                                                 index=pd.Index(["FD"])),
                primary_labels=pd.DataFrame({"name_zh": ["增加值"], "name_en": ["VA"]},
                                            index=pd.Index(["VA"])),
                value_added_rows=("VA",), name="amplification", unit="万元")
    save(t, path)
    return path


def tree_rss_mb(pid: int) -> float:
    total = 0
    pids = [pid]
    try:
        kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
        pids += [int(p) for p in kids.split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def server_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start(old: str | None, data_dir: str):
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    if old:
        env["PYTHONPATH"] = old
    proc = subprocess.Popen([sys.executable, "-m", "lianpu", "serve", "--port", "0",
                             "--data-dir", data_dir], stdout=subprocess.PIPE, text=True, env=env)
    url = re.search(r"http://[\d.]+:\d+", proc.stdout.readline()).group()
    for _ in range(300):
        try:
            httpx.get(url + "/api/health", timeout=2)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    return proc, url


def amplification(url, pid, path):
    httpx.get(f"{url}/api/tables/{TID}/keysectors", timeout=120)  # a user's first visit
    before_srv, before_tree = server_rss_mb(pid), tree_rss_mb(pid)
    peak = [before_tree]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss_mb(pid))
            time.sleep(0.02)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    t0 = time.monotonic()
    with open(path, "rb") as fh:
        r = httpx.post(url + "/api/upload", files={"file": (path.name, fh)}, timeout=900)
    took = time.monotonic() - t0
    time.sleep(0.5)
    stop.set()
    th.join()
    return {"status": r.status_code, "answer": r.text[:160], "seconds": round(took, 2),
            "server_rss_before_mb": round(before_srv), "server_rss_after_mb":
            round(server_rss_mb(pid)), "tree_rss_peak_mb": round(peak[0]),
            "tree_rss_before_mb": round(before_tree)}


def load(url, n=200, conc=10):
    paths = [("GET", "/api/health", None), ("GET", f"/api/tables/{TID}", None),
             ("GET", f"/api/tables/{TID}/keysectors", None),
             ("GET", f"/api/tables/{TID}/multipliers", None),
             ("GET", f"/api/tables/{TID}/chain?track=aerospace", None),
             ("POST", f"/api/tables/{TID}/impact", {"demand": {"18": 100000}, "type": "I"})]
    for m, p, j in paths:  # warm the caches
        httpx.request(m, url + p, json=j, timeout=300)

    async def run():
        sem = asyncio.Semaphore(conc)
        lat, bad = [], 0
        async with httpx.AsyncClient(base_url=url, timeout=300) as c:
            async def one(i):
                nonlocal bad
                m, p, j = paths[i % len(paths)]
                async with sem:
                    t0 = time.perf_counter()
                    r = await c.request(m, p, json=j)
                    lat.append(time.perf_counter() - t0)
                    bad += r.status_code != 200
            await asyncio.gather(*(one(i) for i in range(n)))
        return lat, bad

    lat, bad = asyncio.run(run())
    q = statistics.quantiles(lat, n=100)
    return {"requests": n, "concurrency": conc, "errors": bad,
            "p50_ms": round(1000 * statistics.median(lat), 1), "p95_ms": round(1000 * q[94], 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", help="src/ folder of an earlier lianpu to compare")
    ap.add_argument("--data-dir", default=str(Path(__file__).resolve().parents[2] / "shared"
                                              / "data"))
    a = ap.parse_args()
    path = attack_file(Path(tempfile.mkdtemp()) / "amplification.parquet")
    print(f"attack file: {path.stat().st_size / 2**20:.1f} MB, {N} sectors")
    proc, url = start(a.old, a.data_dir)
    try:
        print("amplification:", amplification(url, proc.pid, path))
        print("load:", load(url))
    finally:
        proc.terminate()
        proc.wait(30)


if __name__ == "__main__":
    main()
