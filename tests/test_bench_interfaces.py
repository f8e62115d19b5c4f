"""bench/bench_interfaces.py (issue 17, item 4): its statistics and parsing, and one short run
of its dashboard part on the real 42-sector table. No time is asserted anywhere: these check
that the script measures what it says, not how fast anything is."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import bench_interfaces as B  # noqa: E402


def test_percentiles_are_nearest_rank():
    # 1, 2, …, 50 ms: by the nearest-rank rule the q-quantile is the ceil(q·n)-th smallest —
    # p50 the 25th (25 ms), p95 the ceil(47.5) = 48th (48 ms), max the 50th.
    times = [i / 1000 for i in range(50, 0, -1)]
    s = B.summary(times)
    assert s["n"] == 50
    assert s["p50_ms"] == pytest.approx(25.0)
    assert s["p95_ms"] == pytest.approx(48.0)
    assert s["max_ms"] == pytest.approx(50.0)
    assert s["mean_ms"] == pytest.approx(25.5)  # (1 + 50) / 2
    assert B.summary([0.007])["p95_ms"] == pytest.approx(7.0)  # one sample is every quantile


SAMPLE = """\
import time: self [us] | cumulative | imported package
import time:       300 |        300 |   _io
import time:      1000 |       1300 | io
import time:       200 |        200 |     numpy._core
import time:      5000 |       5200 |   numpy
import time:      4000 |       4000 |   lianpu.core.errors
import time:      2500 |      11700 | lianpu.cli
"""


def test_importtime_summary_of_a_known_listing():
    rows = [m.groups() for m in map(B._IMPORT_LINE.match, SAMPLE.splitlines()) if m]
    assert len(rows) == 6  # the header line is not a module
    parsed = []
    for self_us, cum_us, indent, name in rows:
        parsed.append({"module": name, "self_ms": int(self_us) / 1000,
                       "cumulative_ms": int(cum_us) / 1000, "depth": (len(indent) - 1) // 2})
    assert [r["depth"] for r in parsed] == [1, 0, 2, 1, 1, 0]
    s = B.import_summary(parsed, top=3)
    assert s["total_ms"] == pytest.approx(1.3 + 11.7)  # the two outermost imports
    assert s["modules"] == 6
    assert s["loaded"]["numpy"] and not s["loaded"]["pandas"]
    # packages by their own row: numpy 5.2 ms, io 1.3 ms (lianpu.cli is not a package row)
    assert [p["package"] for p in s["top_packages"]] == ["numpy", "io", "_io"]
    assert [m["module"] for m in s["top_self"]] == ["numpy", "lianpu.core.errors",
                                                    "lianpu.cli"]


def test_import_rows_of_a_real_interpreter():
    rows = B.import_rows(["-c", "import json"], B.child_env(None))
    by = {r["module"]: r for r in rows}
    assert by["json"]["depth"] == 0
    assert by["json.decoder"]["depth"] > 0  # imported by json
    assert by["json"]["cumulative_ms"] >= by["json.decoder"]["cumulative_ms"]


def test_dashboard_part_answers_every_route(tmp_path, shared_data):
    from lianpu.data.download import download
    download([B.NAT42], data_dir=tmp_path, from_dir=shared_data, progress=False)
    out = B.bench_web(tmp_path, requests=2, load=9, concurrency=3, parts=("web", "load"))
    names = [r[0] for r in B.routes()]
    for name in names:  # _send stops the script on any status but 200
        assert out[name]["n"] == 2 and out[name]["bytes"] > 0
        assert out[name]["p50_ms"] <= out[name]["p95_ms"] <= out[name]["max_ms"]
    ld = out["load"]
    assert ld["n"] == 9 and ld["concurrency"] == 3
    # round-robin over the six view routes (not impact_new): 9 requests → 2,2,2,1,1,1
    assert [v["n"] for v in ld["by_route"].values()] == [2, 2, 2, 1, 1, 1]
    assert "api impact_new" not in ld["by_route"]
