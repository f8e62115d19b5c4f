"""What a warm dashboard request would derive again from a cached section — the formatted rows
of its sheets, its JSON, the table's track list, the impact summary — is made once and kept
beside the section in the store's bounded memo (``TableStore.derived``): the second request
calls no formatter and sends the identical body; the memo stays within its bound and goes with
a dropped upload.

Counts come from monkeypatched wrappers around the functions the routes would call; the
expected bodies come from an independent route: FastAPI's own encoding of the dict the routes
returned before the cache (``jsonable_encoder`` + ``JSONResponse``), and the report's
``sheet_table`` macro rendered inline for a page.
"""
from __future__ import annotations

import warnings

import pytest

TID = "cn-nbs-2020-42"
DEMAND = {"demand": {"18": 100000, "20": 50000}}


@pytest.fixture()
def client(web_cache):
    from lianpu.web import create_app
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette: "install httpx2" (a warning, not ours)
        from starlette.testclient import TestClient
    app = create_app(data_dir=web_cache)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        c.store = app.state.store
        yield c


def count(monkeypatch, owner, name):
    """Replace ``owner.name`` by a plain function (a method stays a method) that counts its
    calls in ``.calls`` and keeps the original as ``.fn``."""
    fn = getattr(owner, name)
    if isinstance(owner, type):
        fn = owner.__dict__[name]

    def counted(*a, **k):
        counted.calls += 1
        return fn(*a, **k)
    counted.calls, counted.fn = 0, fn
    monkeypatch.setattr(owner, name, counted)
    return counted


def test_table_page_formats_once(client, monkeypatch):
    import lianpu.report
    from lianpu.report import render
    from lianpu.web import pages
    rows = count(monkeypatch, pages, "frame_rows")
    cols = count(monkeypatch, pages, "numeric_columns")
    tracks = count(monkeypatch, lianpu.report, "available_tracks")
    cell = count(monkeypatch, render, "cell_text")  # every number cell is formatted by it
    first = client.get(f"/t/{TID}")
    assert first.status_code == 200
    made = (rows.calls, cols.calls, tracks.calls, cell.calls)
    assert made[0] == 2 and made[1] == 2 and made[2] == 1 and made[3] > 100  # 2 sheets shown
    second = client.get(f"/t/{TID}")
    assert (rows.calls, cols.calls, tracks.calls, cell.calls) == made  # nothing formatted again
    assert second.content == first.content
    # the cached HTML is the report macro's rendering of the section's first sheet
    ov = client.store.section(next(k for k in client.store._sections
                                   if k[:3] == (TID, "overview", "zh")), None)
    sh = ov.sheets[0]
    inline = pages.env().from_string(
        '{% from "_macros.html.j2" import sheet_table %}'
        "{{ sheet_table(sh, T, numeric, rows, total) }}").render(
        sh=sh, T=pages.Text("zh"), numeric=cols.fn(sh.frame),
        rows=rows.fn(sh.frame, sh.show), total=len(sh.frame))
    assert inline.strip() and inline in first.text
    # another language is another rendering (its own entry), formatted once too
    en = client.get(f"/t/{TID}?lang=en")
    assert en.status_code == 200 and en.content != first.content
    assert rows.calls == made[0] + 2 and tracks.calls == 2


def test_chain_page_formats_once(client, monkeypatch):
    from lianpu.web import pages
    rows = count(monkeypatch, pages, "frame_rows")
    url = f"/t/{TID}/chain?track=electronic_information"
    first = client.get(url)
    assert first.status_code == 200 and rows.calls > 0
    n = rows.calls
    second = client.get(url)
    assert rows.calls == n and second.content == first.content


def test_section_api_encodes_once_and_as_fastapi_did(client, monkeypatch):
    from fastapi.encoders import jsonable_encoder
    from fastapi.responses import JSONResponse

    from lianpu.web import views
    sj = count(monkeypatch, views, "section_json")
    url = f"/api/tables/{TID}/keysectors"
    first = client.get(url)
    n = sj.calls  # the section and each child section (section_json recurses)
    assert first.status_code == 200 and n >= 1
    second = client.get(url)
    assert sj.calls == n and second.content == first.content
    assert first.headers["content-type"] == "application/json"
    sec = client.store.section((TID, "keysectors", "zh", ("show",)), None)
    before = JSONResponse(jsonable_encoder({"ok": True, "section": sj.fn(sec)})).body
    assert first.content == before
    assert first.json()["section"]["figures"]  # plotly figures included


def test_weaklinks_api_cached(client, monkeypatch):
    from lianpu.web import views
    sheets = count(monkeypatch, views, "all_sheets")
    url = f"/api/tables/{TID}/weaklinks?track=electronic_information"
    first = client.get(url)
    assert first.status_code == 200 and sheets.calls == 1
    assert client.get(url).content == first.content and sheets.calls == 1
    assert first.json()["ok"] and first.json()["lists"]


def test_impact_api_cached(client, monkeypatch):
    from fastapi.encoders import jsonable_encoder
    from fastapi.responses import JSONResponse

    from lianpu.analysis.scenarios.impact import ImpactResult
    from lianpu.web import views
    sj = count(monkeypatch, views, "section_json")
    td = count(monkeypatch, ImpactResult, "to_dict")
    url = f"/api/tables/{TID}/impact"
    first = client.post(url, json=DEMAND)
    assert first.status_code == 200 and sj.calls >= 1 and td.calls >= 1
    n, m = td.calls, sj.calls
    second = client.post(url, json=DEMAND)
    assert second.content == first.content
    assert sj.calls == m and td.calls == n  # neither the section's JSON nor the summary again
    # the body is what FastAPI made of the route's dict before the cache
    body = first.json()
    sec = next(v for k, v in client.store._sections.items() if k[1] == "impact")
    before = JSONResponse(jsonable_encoder({"ok": True, "section": sj.fn(sec),
                                            "summary": body["summary"],
                                            "downloads": body["downloads"]})).body
    assert first.content == before
    # another demand is a new scenario: a new section, encoded once
    other = client.post(url, json={"demand": {"18": 200000}})
    assert other.status_code == 200 and sj.calls > m


def test_renders_bounded(client):
    from lianpu.web.store import ResultMemo
    client.store.renders = ResultMemo(3)
    for code in ("01", "04", "05", "06", "18", "20"):  # six selections, six chain sections
        r = client.get(f"/t/{TID}/chain?sectors={code}")
        assert r.status_code == 200
        assert len(client.store.renders) <= 3
    assert len(client.store.renders) == 3


def test_derived_follows_its_section():
    """An entry is used only with the section it was made from: a rebuilt section (dropped
    from the section cache and built again) is rendered again."""
    from lianpu.web.store import TableStore
    store = TableStore(max_renders=2)
    try:
        a, b, made = object(), object(), []

        def build(tag):
            made.append(tag)
            return tag
        assert store.derived(("t", "s", "zh", "json"), a, lambda: build("a")) == "a"
        assert store.derived(("t", "s", "zh", "json"), a, lambda: build("again")) == "a"
        assert store.derived(("t", "s", "zh", "json"), b, lambda: build("b")) == "b"
        assert made == ["a", "b"]
        for i in range(5):
            store.derived(("t", i), a, lambda: i)
        assert len(store.renders) == 2
    finally:
        store.close()


def test_renders_dropped_with_upload(web_cache):
    from lianpu.data import registry
    from lianpu.web.store import TableStore, table_nbytes
    t = registry.load_dataset(TID, data_dir=web_cache)
    store = TableStore(data_dir=web_cache, max_upload_mb=1.5 * table_nbytes(t) / 2**20)
    try:
        uid, _ = store.keep_upload(t)
        store.derived((uid, "overview", "zh", "json"), t, lambda: b"{}")
        store.derived((TID, "overview", "zh", "json"), t, lambda: b"{}")
        assert len(store.renders) == 2
        store.keep_upload(t)
        assert uid not in store._tables  # the budget holds one upload: the first is dropped
        assert [k[0] for k in store.renders._d] == [TID]
    finally:
        store.close()
