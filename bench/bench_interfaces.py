"""Interface speed (issue 17, item 4): CLI start-up and dashboard latency, measured.

Run on demand (not part of the tests; nothing here asserts a time)::

    python bench/bench_interfaces.py [--data-dir DIR] [--seed-from ../shared/data]
        [--repeats 7] [--requests 50] [--load 200] [--concurrency 10]
        [--parts cli,importtime,web,load] [--src CHECKOUT/src --label NAME ...] [--json OUT]

What it measures:

* **cli** — ``lianpu --help``, ``lianpu multipliers cn-nbs-2020-153 --top 5`` and
  ``lianpu keysectors cn-nbs-2020-42`` run as subprocesses ``--repeats`` times each (the
  console script of this interpreter's environment, output to a pipe), wall time by
  ``time.perf_counter`` around ``subprocess.run``; min/median/max. ``python -c pass`` is
  timed the same way as the interpreter's own floor. ``--src DIR`` (repeatable) imports
  lianpu from another checkout's ``src`` (first on ``PYTHONPATH`` of the subprocesses; the
  first one also on ``sys.path`` here, for the dashboard; same virtualenv): several trees are
  timed in the same rounds, to compare with earlier commits (``git worktree add``).
* **importtime** — ``python -X importtime -c "import lianpu.cli"`` and each analysis command
  under ``-X importtime``: the import total, the packages by the cumulative time of their
  first import, the modules by self time, and whether numpy/pandas/scipy/plotly were loaded.
* **web** — the FastAPI app of ``lianpu.web.create_app`` served by uvicorn in this process
  (a background thread on a free loopback port, as ``tests/web/conftest.py`` does; no token,
  so the loopback ``Host`` rule applies and httpx's ``Host: 127.0.0.1:PORT`` passes). For
  each route the first request (which builds the section) is timed alone as ``first``; two
  more warm it; then ``--requests`` sequential requests over one keep-alive connection give
  p50/p95/max. ``impact_new`` sends a different demand each time (a new scenario, never a
  cached section); ``impact`` repeats one.
* **load** — ``--load`` requests at ``--concurrency`` in flight (threads sharing one httpx
  client) round-robin over the view routes, after warm-up: p50/p95/max and requests/s.

The client runs in the same process as the server, so its own time (and the GIL it shares
with the server) is inside every figure: they are upper bounds of what a browser would see.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAT42, NAT153 = "cn-nbs-2020-42", "cn-nbs-2020-153"
TRACK = "electronic_information"
PARTS = ("cli", "importtime", "web", "load")


# ---------------------------------------------------------------- command line start-up

def console_script() -> str:
    """The ``lianpu`` console script next to this interpreter (the one a user types)."""
    p = Path(sys.executable).with_name("lianpu")
    if not p.exists():
        raise SystemExit(f"{p}: no lianpu console script next to {sys.executable} "
                         "(pip install -e . in this environment)")
    return str(p)


def child_env(src: str | None) -> dict:
    env = dict(os.environ)
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    if src:
        env["PYTHONPATH"] = os.pathsep.join(
            [str(Path(src).resolve())] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep)
                                          if p])
    return env


def cli_cases(data_dir: str | None) -> list[tuple[str, list[str]]]:
    lp = console_script()
    dd = ["--data-dir", data_dir] if data_dir else []
    return [("python -c pass", [sys.executable, "-c", "pass"]),
            ("lianpu --help", [lp, "--help"]),
            (f"lianpu multipliers {NAT153} --top 5", [lp, "multipliers", NAT153, "--top", "5",
                                                      *dd]),
            (f"lianpu keysectors {NAT42}", [lp, "keysectors", NAT42, *dd])]


def time_command(argv: list[str], env: dict, repeats: int) -> dict:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        r = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           cwd=ROOT)
        times.append(time.perf_counter() - t0)
        if r.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} exited {r.returncode}:\n"
                             f"{r.stderr.decode(errors='replace')[-2000:]}")
    return {"runs": times, "min_s": min(times), "median_s": statistics.median(times),
            "max_s": max(times)}


def bench_cli(data_dir, repeats, trees: dict) -> dict:
    """``trees``: label → src folder (None: this environment's lianpu). Every command of every
    tree runs once per round, ``repeats`` rounds, so a burst of load from another process
    hits every command and tree alike."""
    cases = cli_cases(data_dir)
    envs = {label: child_env(src) for label, src in trees.items()}
    for env in envs.values():  # one untimed run each: the OS file cache, .pyc files
        for _, argv in cases:
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           cwd=ROOT)
    res = {label: {name: [] for name, _ in cases} for label in trees}
    for _ in range(repeats):
        for name, argv in cases:
            for label, env in envs.items():
                res[label][name].extend(time_command(argv, env, 1)["runs"])
    return {label: {name: {"argv": [Path(x).name if i == 0 else x for i, x in enumerate(argv)],
                           "runs": res[label][name], "min_s": min(res[label][name]),
                           "median_s": statistics.median(res[label][name]),
                           "max_s": max(res[label][name])}
                    for name, argv in cases} for label in trees}


_IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$")


def import_rows(args: list[str], env: dict) -> list[dict]:
    """``python -X importtime ARGS``: one row per module (self, cumulative, nesting depth)."""
    r = subprocess.run([sys.executable, "-X", "importtime", *args], env=env, cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise SystemExit(f"python -X importtime {' '.join(args)} exited {r.returncode}:\n"
                         f"{r.stderr.decode(errors='replace')[-2000:]}")
    rows = []
    for line in r.stderr.decode(errors="replace").splitlines():
        m = _IMPORT_LINE.match(line)
        if m:
            self_us, cum_us, indent, name = m.groups()
            rows.append({"module": name, "self_ms": int(self_us) / 1000,
                         "cumulative_ms": int(cum_us) / 1000, "depth": (len(indent) - 1) // 2})
    return rows


def import_summary(rows: list[dict], top: int) -> dict:
    """Total (sum over the outermost imports), the packages by the cumulative time of their
    first import (a package imported inside another counts in both), modules by self time."""
    total = sum(r["cumulative_ms"] for r in rows if r["depth"] == 0)
    first: dict = {}
    for r in rows:  # importtime prints a module after its children: keep the outermost row
        root = r["module"].split(".")[0]
        if r["module"] == root and (root not in first or r["depth"] < first[root]["depth"]):
            first[root] = r
    names = {r["module"] for r in rows}
    return {"total_ms": total, "modules": len(rows),
            "loaded": {p: p in names for p in ("numpy", "pandas", "scipy", "plotly", "rich",
                                               "typer", "fastapi", "openpyxl")},
            "top_packages": [{"package": k, "cumulative_ms": v["cumulative_ms"]} for k, v in
                             sorted(first.items(), key=lambda kv: -kv[1]["cumulative_ms"])
                             ][:top],
            "top_self": sorted(rows, key=lambda r: -r["self_ms"])[:top]}


def bench_importtime(data_dir, src, top: int = 10) -> dict:
    """``import lianpu.cli``, then each analysis command run under -X importtime (how much
    of its wall time is imports)."""
    env = child_env(src)
    subprocess.run([sys.executable, "-c", "import lianpu.cli"], env=env, cwd=ROOT, check=True)
    out = {"import lianpu.cli": import_summary(import_rows(["-c", "import lianpu.cli"], env),
                                               top)}
    for name, argv in cli_cases(data_dir)[2:]:
        out[name] = import_summary(import_rows(argv, env), top)
    return out


# ---------------------------------------------------------------- dashboard

def Server(app):
    from lianpu.web.background import BackgroundServer
    return BackgroundServer(app)


def routes(tid: str = NAT42) -> list[tuple[str, str, str, object]]:
    """(name, method, path, json body or a function of the request number)."""
    return [
        ("home", "GET", "/", None),
        ("table page", "GET", f"/t/{tid}", None),
        ("chain page", "GET", f"/t/{tid}/chain?track={TRACK}", None),
        ("api keysectors", "GET", f"/api/tables/{tid}/keysectors", None),
        ("api weaklinks", "GET", f"/api/tables/{tid}/weaklinks?track={TRACK}", None),
        ("api impact", "POST", f"/api/tables/{tid}/impact",
         {"demand": {"18": 100000, "20": 50000}, "type": "I"}),
        ("api impact_new", "POST", f"/api/tables/{tid}/impact",
         lambda i: {"demand": {"18": 200000 + i, "20": 50000}, "type": "I"}),
    ]


def _send(client, method, path, body, i):
    payload = body(i) if callable(body) else body
    t0 = time.perf_counter()
    r = client.request(method, path, json=payload) if payload is not None else \
        client.request(method, path)
    dt = time.perf_counter() - t0
    if r.status_code != 200:
        raise SystemExit(f"{method} {path}: HTTP {r.status_code}: {r.text[:500]}")
    return dt, len(r.content)


def _pct(times: list[float], q: float) -> float:
    """The q-quantile by the nearest-rank rule (p95 of 50 = the 48th smallest)."""
    s = sorted(times)
    return s[max(0, min(len(s) - 1, int(-(-q * len(s) // 1)) - 1))]


def summary(times: list[float]) -> dict:
    return {"n": len(times), "p50_ms": 1000 * _pct(times, 0.50),
            "p95_ms": 1000 * _pct(times, 0.95), "max_ms": 1000 * max(times),
            "mean_ms": 1000 * statistics.fmean(times)}


def bench_web(data_dir, requests: int, load: int, concurrency: int, parts) -> dict:
    import httpx

    from lianpu.web import create_app
    out: dict = {}
    t0 = time.perf_counter()
    app = create_app(data_dir=data_dir)
    out["create_app_s"] = time.perf_counter() - t0
    with Server(app) as srv, httpx.Client(base_url=srv.url, timeout=120) as c:
        rs = routes()
        if "web" in parts:
            for name, method, path, body in rs:
                first, size = _send(c, method, path, body, 0)
                for i in (1, 2):
                    _send(c, method, path, body, i)
                times = [_send(c, method, path, body, 3 + i)[0] for i in range(requests)]
                out[name] = {"method": method, "path": path, "bytes": size,
                             "first_ms": 1000 * first, **summary(times)}
                print(f"  {name:<16} first {1000 * first:7.0f} ms   p50 "
                      f"{out[name]['p50_ms']:6.1f}  p95 {out[name]['p95_ms']:6.1f}  max "
                      f"{out[name]['max_ms']:6.1f} ms  ({size:,} bytes)", flush=True)
        if "load" in parts:
            views = [r for r in rs if r[0] != "api impact_new"]
            for name, method, path, body in views:  # warm (no-op after the web part)
                _send(c, method, path, body, 0)
            jobs = [views[i % len(views)] + (i,) for i in range(load)]
            t0 = time.perf_counter()
            with ThreadPoolExecutor(concurrency) as ex:
                lat = list(ex.map(lambda j: _send(c, j[1], j[2], j[3], j[4])[0], jobs))
            wall = time.perf_counter() - t0
            by = {}
            for j, dt in zip(jobs, lat):
                by.setdefault(j[0], []).append(dt)
            out["load"] = {"requests": load, "concurrency": concurrency, "wall_s": wall,
                           "requests_per_s": load / wall, **summary(lat),
                           "by_route": {k: summary(v) for k, v in by.items()}}
    return out


# ---------------------------------------------------------------- main

def ensure_data(data_dir, seed_from) -> None:
    from lianpu.data.registry import is_cached
    missing = [d for d in (NAT42, NAT153) if not is_cached(d, data_dir=data_dir)]
    if not missing:
        return
    if not seed_from:
        raise SystemExit(f"--data-dir {data_dir}: {', '.join(missing)} not cached; pass "
                         "--seed-from ../shared/data (or run lianpu download ID --from …)")
    from lianpu.data.download import download
    download(missing, data_dir=data_dir, from_dir=seed_from, progress=False)


def machine() -> dict:
    info = {"python": sys.version.split()[0], "cpus": os.cpu_count(),
            "load_average": os.getloadavg()}
    try:
        txt = subprocess.run(["lscpu"], stdout=subprocess.PIPE, text=True, check=True).stdout
        info["lscpu"] = txt.splitlines()[:10]
    except (OSError, subprocess.CalledProcessError):
        info["lscpu"] = None
    try:
        info["commit"] = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                        stdout=subprocess.PIPE, text=True,
                                        check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        info["commit"] = None
    return info


def print_cli(res: dict) -> None:
    labels = list(res)
    first = next(iter(res[labels[0]].values()))
    print(f"\nCLI start-up, wall seconds over {len(first['runs'])} interleaved runs "
          "(min / median / max):")
    print(f"  {'command':<44}" + "".join(f"{lb:>22}" for lb in labels))
    for name in res[labels[0]]:
        print(f"  {name:<44}" + "".join(
            f"{res[lb][name]['min_s']:8.2f}{res[lb][name]['median_s']:7.2f}"
            f"{res[lb][name]['max_s']:7.2f}" for lb in labels))


def print_importtime(res: dict) -> None:
    for what, r in res.items():
        loaded = ", ".join(k for k, v in r["loaded"].items() if v) or "none of them"
        print(f"\n-X importtime {what}: imports {r['total_ms']:.0f} ms in {r['modules']} "
              f"modules (loaded: {loaded})")
        print("  packages by cumulative time of their first import: " + ", ".join(
            f"{p['package']} {p['cumulative_ms']:.0f}" for p in r["top_packages"]) + " ms")
        print("  modules by self time: " + ", ".join(
            f"{m['module']} {m['self_ms']:.1f}" for m in r["top_self"]) + " ms")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", help="dataset cache (default: $LIANPU_DATA or the user one)")
    p.add_argument("--seed-from", help="seed missing datasets from this folder "
                   "(laid out like ../shared/data)")
    p.add_argument("--repeats", type=int, default=7, help="runs of each CLI command")
    p.add_argument("--requests", type=int, default=50, help="timed requests per route")
    p.add_argument("--load", type=int, default=200, help="requests of the concurrent load")
    p.add_argument("--concurrency", type=int, default=10, help="requests in flight (load)")
    p.add_argument("--parts", default=",".join(PARTS), help="any of " + ",".join(PARTS))
    p.add_argument("--src", action="append", default=[], metavar="DIR",
                   help="import lianpu from a checkout's src/ (PYTHONPATH of the subprocesses; "
                   "the first one also on sys.path of the dashboard); repeat to compare trees "
                   "(the CLI runs interleaved)")
    p.add_argument("--label", action="append", default=[], help="name of each --src in the "
                   "output, in order (default: the folder)")
    p.add_argument("--json", help="write every figure to this JSON file")
    a = p.parse_args(argv)
    parts = [x.strip() for x in a.parts.split(",") if x.strip()]
    bad = [x for x in parts if x not in PARTS]
    if bad:
        p.error(f"--parts: found {bad}, expected some of {', '.join(PARTS)}")
    for flag, v in (("--repeats", a.repeats), ("--requests", a.requests), ("--load", a.load),
                    ("--concurrency", a.concurrency)):
        if v < 1:
            p.error(f"{flag}: found {v}, expected at least 1")
    for src in a.src:
        if not (Path(src) / "lianpu" / "__init__.py").exists():
            p.error(f"--src: {src} has no lianpu/__init__.py (expected a checkout's src folder)")
    if len(a.label) > max(len(a.src), 1):
        p.error(f"--label: found {len(a.label)} labels for {len(a.src)} --src folders")
    srcs = a.src or [None]
    labels = a.label + [s or "this environment" for s in srcs[len(a.label):]]
    if len(set(labels)) < len(labels):
        p.error(f"--label: found {labels}, expected a different name for each tree")
    trees = dict(zip(labels, srcs))
    if srcs[0]:  # the dashboard parts import lianpu in this process
        sys.path.insert(0, str(Path(srcs[0]).resolve()))
    ensure_data(a.data_dir, a.seed_from)
    info = machine()
    info["lianpu_from"] = {lb: subprocess.run(
        [sys.executable, "-c", "import lianpu; print(lianpu.__file__)"], env=child_env(src),
        cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True).stdout.strip()
        for lb, src in trees.items()}
    result = {"trees": trees, "machine": info, "data_dir": a.data_dir}
    print(f"{info['cpus']} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in info['load_average'])}; checkout {info['commit']}")
    for lb, where in info["lianpu_from"].items():
        print(f"  {lb}: lianpu from {where}", flush=True)
    if "cli" in parts:
        result["cli"] = bench_cli(a.data_dir, a.repeats, trees)
        print_cli(result["cli"])
    if "importtime" in parts:
        result["importtime"] = {}
        for lb, src in trees.items():
            print(f"\n[{lb}]", end="")
            result["importtime"][lb] = bench_importtime(a.data_dir, src)
            print_importtime(result["importtime"][lb])
    if "web" in parts or "load" in parts:
        print(f"\nDashboard ({NAT42}; {labels[0]}), {a.requests} sequential requests per route "
              "after warm-up:", flush=True)
        result["web"] = bench_web(a.data_dir, a.requests, a.load, a.concurrency, parts)
        if "load" in result["web"]:
            ld = result["web"]["load"]
            print(f"\nLoad: {ld['requests']} requests, {ld['concurrency']} in flight: "
                  f"{ld['wall_s']:.2f} s ({ld['requests_per_s']:.0f}/s); p50 "
                  f"{ld['p50_ms']:.1f} ms, p95 {ld['p95_ms']:.1f} ms, max {ld['max_ms']:.1f} ms")
            for k, v in ld["by_route"].items():
                print(f"  {k:<16} p50 {v['p50_ms']:6.1f}  p95 {v['p95_ms']:6.1f}  max "
                      f"{v['max_ms']:6.1f} ms")
    result["machine"]["load_average_end"] = os.getloadavg()
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(result, indent=1, ensure_ascii=False))
        print(f"\nwrote {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
