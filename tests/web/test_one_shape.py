"""Issue 11 for the dashboard: bounded caches off the table, one error boundary (LianpuError →
400, anything else → 500 with a logged reference), a demand parsed once, and only the report
package's public entry points used by web/."""
from __future__ import annotations

import ast
import itertools
import logging
import re
from pathlib import Path

import pytest

TID = "cn-nbs-2020-42"
WEB = Path(__file__).parents[2] / "src" / "lianpu" / "web"


@pytest.fixture()
def client(web_cache):
    from fastapi.testclient import TestClient

    from lianpu.web import create_app
    app = create_app(data_dir=web_cache)
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as c:
        yield app, c


def _table_memo(table) -> set:
    return set(table.__dict__.get("_lianpu_cache", {}))


def test_sixty_selections_leave_the_table_memo_and_stay_bounded(web_cache):
    """60 different sector selections (the numbers of the issue: they left 66 entries on the
    table for the server's lifetime): the table's memo keeps what the first chain derived
    (derived numerics), the store's section cache and result memo stay within their bounds."""
    from fastapi.testclient import TestClient

    from lianpu.web import create_app
    app = create_app(data_dir=web_cache)
    store = app.state.store
    store._max_sections = 8
    store.results.max_entries = 16
    with TestClient(app, base_url="http://127.0.0.1") as c:
        t = store.get(TID)
        fd = t.Y.sum(axis=1)
        codes = [str(s) for s in t.index if fd[s] > 0]  # chains with final demand to trace
        for warm in (codes[0], f"{codes[0]},{codes[1]}"):  # derived numerics: made once
            assert c.get(f"/api/tables/{TID}/chain?sectors={warm}").status_code == 200
        before = _table_memo(t)
        pairs = list(itertools.combinations(codes[2:], 2))[:60]   # 60 new selections
        assert len(pairs) == 60
        for a, b in pairs:
            r = c.get(f"/api/tables/{TID}/weaklinks?sectors={a},{b}")
            assert r.status_code == 200, r.text
            assert len(store._sections) <= 8
            assert len(store.results) <= 16
            assert len(store._locks) <= 2   # the table's load lock (+ one build in progress)
        assert _table_memo(t) == before
        assert not [k for k in before if isinstance(k, tuple) and k and k[0] == "report"]


def test_a_dropped_upload_leaves_no_results(web_cache):
    """An upload pushed out of the memory budget takes its memoised results with it."""
    from lianpu.web.store import ResultMemo
    m = ResultMemo(3)
    a, b = object(), object()
    for i in range(5):
        m[("k", i)] = (a if i % 2 else b, i)
    assert len(m) == 3 and m.get(("k", 0)) is None and m.get(("k", 4)) == (b, 4)
    m.drop_table(b)
    assert len(m) == 1 and m.get(("k", 3)) == (a, 3)


def test_user_error_is_400_and_a_bug_is_500_with_a_logged_reference(client, caplog):
    app, c = client

    def plain_value_error():
        raise ValueError("a bug in an analysis, not the user's mistake")

    def user_error():
        from lianpu.core.errors import ArgumentError
        raise ArgumentError("argument 'kind': not an accepted value (found 'x')")

    app.add_api_route("/api/bug", plain_value_error)
    app.add_api_route("/api/user", user_error)
    r = c.get("/api/user")
    assert r.status_code == 400 and r.json() == {
        "ok": False, "error": "argument 'kind': not an accepted value (found 'x')"}
    with caplog.at_level(logging.ERROR, logger="lianpu.web"):
        r = c.get("/api/bug")
    assert r.status_code == 500 and r.json()["ok"] is False
    ref = re.search(r"internal error \(ValueError, reference ([0-9a-f]{8})", r.json()["error"])
    assert ref and "a bug in an analysis" not in r.json()["error"]
    assert any(ref.group(1) in rec.getMessage() for rec in caplog.records)


def test_a_dashboard_demand_is_parsed_once(client, monkeypatch):
    """POST /impact: SectorLookup.demand runs once and lianpu.impact gets its Demand (no
    second parse of a dict or Series on the way)."""
    from lianpu.analysis.scenarios import demand as D
    from lianpu.analysis.scenarios import impact as I
    app, c = client
    calls, seen = [], []
    real_demand, real_impact = D.SectorLookup.demand, I.impact

    def counting(self, *a, **k):
        calls.append(a)
        return real_demand(self, *a, **k)

    def spy(table, demand, *a, **k):
        seen.append(type(demand).__name__)
        return real_impact(table, demand, *a, **k)

    monkeypatch.setattr(D.SectorLookup, "demand", counting)
    monkeypatch.setattr(I, "impact", spy)
    r = c.post(f"/api/tables/{TID}/impact", json={"demand": {"18": "1,000", "20": 500},
                                                   "type": "II"})
    assert r.status_code == 200, r.text
    assert len(calls) == 1 and seen and set(seen) == {"Demand"}
    # the download links carry the parsed amounts (1,000 → 1000)
    assert "demand=18%3A1000%2C20%3A500" in r.json()["downloads"]["csv"]


def test_demand_errors_name_the_problem(web_cache):
    """Errors of the one parser (the texts the hostile corpus checks too)."""
    from lianpu.core.errors import ArgumentError, TableError
    from lianpu.data import registry
    from lianpu.web.views import parse_demand
    t = registry.load_dataset(TID, data_dir=web_cache)
    d = parse_demand(t, "18:1000,20:2.5e3")   # the query text of the download links
    assert d.amount.sum() == 3500.0
    with pytest.raises(ArgumentError, match="negative demand"):
        parse_demand(t, {"18": -1})
    with pytest.raises(ArgumentError, match="not a 'code:amount' pair"):
        parse_demand(t, "18")
    with pytest.raises((ArgumentError, TableError), match="unknown sector code '99'"):
        parse_demand(t, {"99": 1})
    two = parse_demand(t, "18:5,18:7")
    assert two.amount.sum() == 12.0   # a code given twice adds up


def test_web_uses_only_the_report_packages_public_names():
    """web/ imports `lianpu.report` itself, never one of its modules."""
    import lianpu.report as R
    bad, used = [], set()
    for p in sorted(WEB.glob("*.py")):
        for node in ast.walk(ast.parse(p.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and "report" in node.module:
                if node.level == 2 and node.module == "report":
                    used.update(a.name for a in node.names)
                else:
                    bad.append(f"{p.name}: from {'.' * node.level}{node.module}")
    assert bad == []
    assert used and used <= set(R.__all__)
