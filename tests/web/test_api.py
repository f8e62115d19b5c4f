"""The dashboard's JSON API over real HTTP: every endpoint's happy path, one error shape for
every error, uploads (good, oversized, malformed) and a bounded load test on loopback."""
from __future__ import annotations

import asyncio
import io

import httpx
import openpyxl
import pytest

import lianpu

TID = "cn-nbs-2020-42"


def get(server, path, **kw):
    return httpx.get(server.url + path, timeout=60, **kw)


def assert_error(r, status, needle):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["ok"] is False and set(body) == {"ok", "error"}
    assert needle in body["error"], body["error"]


def test_health_and_datasets(server):
    r = get(server, "/api/health")
    assert r.status_code == 200 and r.json()["ok"] is True
    rows = get(server, "/api/datasets?cached=true").json()["datasets"]
    assert {d["id"] for d in rows} == {"cn-nbs-2020-42", "cn-nbs-2020-153"}
    allr = get(server, "/api/datasets").json()["datasets"]
    assert len(allr) == len(lianpu.data.registry.datasets(provincial=True))  # provinces too
    assert not all(d["cached"] for d in allr) and any(d["id"] == "cn-prov-2017-51" for d in allr)


def test_table_sectors_tracks(server, web_cache):
    t = lianpu.load(TID, data_dir=web_cache)
    d = get(server, f"/api/tables/{TID}").json()
    assert d["ok"] and d["sectors"] == 42 and d["imports"] == "non-competitive"
    assert d["facts"]["gross_output"] == pytest.approx(float(t.x_.sum()), rel=1e-12)
    s = get(server, f"/api/tables/{TID}/sectors").json()["sectors"]
    assert s[0] == {"code": "01", "name_zh": "农林牧渔产品和服务",
                    "name_en": t.sectors.iloc[0]["name_en"]}
    tr = {x["id"]: x for x in get(server, f"/api/tables/{TID}/tracks").json()["tracks"]}
    assert tr["aerospace"]["ok"] and tr["aerospace"]["sectors"] == ["18"]
    assert tr["aerospace"]["color"].startswith("#")


def test_keysectors_equals_api(server, web_cache):
    t = lianpu.load(TID, data_dir=web_cache)
    sec = get(server, f"/api/tables/{TID}/keysectors").json()["section"]
    assert sec["figures"][0]["figure"]["data"]  # plotly JSON the page draws
    full = next(s for s in sec["sheets"] if s["key"] == "keysectors-all")
    pd_col = full["columns"].index("影响力系数")
    got = {r[0]: r[pd_col] for r in full["rows"]}
    ks = lianpu.keysectors(t)
    assert got == pytest.approx(ks["power_of_dispersion"].to_dict(), rel=1e-12)
    en = get(server, f"/api/tables/{TID}/keysectors?lang=en").json()["section"]
    assert en["title"].endswith("Key sectors")


def test_chain_weaklinks_multipliers_overview(server, web_cache):
    t = lianpu.load(TID, data_dir=web_cache)
    sec = get(server, f"/api/tables/{TID}/chain", params={"track": "aerospace"}).json()["section"]
    assert sec["title"] == "航空航天" and sec["color"].startswith("#")
    keys = [f["key"] for f in sec["figures"]]
    assert keys == ["aerospace-panorama"]
    custom = get(server, f"/api/tables/{TID}/chain", params={"sectors": "18,19"}).json()
    assert "18" in custom["section"]["title"] and "19" in custom["section"]["title"]
    wl = get(server, f"/api/tables/{TID}/weaklinks", params={"track": "aerospace"}).json()
    short = next(x for x in wl["lists"] if x["key"] == "weak-aerospace")
    want = lianpu.weaklinks(t, "aerospace", top=10).shortboard
    assert [r[1] for r in short["rows"]] == list(want.index)
    m = get(server, f"/api/tables/{TID}/multipliers").json()["section"]
    assert m["sheets"][0]["rows"]
    ov = get(server, f"/api/tables/{TID}/overview").json()["section"]
    assert ov["sheets"][0]["rows"][1][1] == "42"


def test_chain_page_shows_the_mapping_note_in_the_page_language(server):
    track = lianpu.tracks()["electronic_information"]
    zh, en = track.note("nbs42", "zh"), track.note("nbs42", "en")
    page = get(server, f"/t/{TID}/chain", params={"track": "electronic_information"}).text
    assert f"产业链与投入产出部门的对应：{zh}" in page and en not in page
    page = get(server, f"/t/{TID}/chain",
               params={"track": "electronic_information", "lang": "en"}).text
    assert f"Mapping to IO sectors: {en}" in page and zh not in page


def test_impact_equals_api_and_downloads(server, web_cache):
    t = lianpu.load(TID, data_dir=web_cache)
    r = httpx.post(f"{server.url}/api/tables/{TID}/impact", timeout=60,
                   json={"demand": {"18": 100000, "20": 50000}, "type": "II"})
    d = r.json()
    assert d["ok"], d
    totals = next(s for s in d["section"]["sheets"] if s["key"] == "impact-totals")
    out = next(row for row in totals["rows"] if row[0] == "总产出")
    import pandas as pd
    f = pd.Series(0.0, index=t.index)
    f["18"], f["20"] = 100000.0, 50000.0
    res = lianpu.impact(t, f, type="II", data_dir=web_cache)  # households split (default)
    want = res.totals().loc[("output", res.scenarios[0])]
    assert out[2:] == pytest.approx([want[e] for e in ("direct", "indirect", "induced", "total")],
                                    rel=1e-12)
    csv = get(server, d["downloads"]["csv"])
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"]
    assert csv.content.decode("utf-8-sig").splitlines()[0].startswith("指标,单位,直接效应")
    x = get(server, d["downloads"]["xlsx"])
    wb = openpyxl.load_workbook(io.BytesIO(x.content), read_only=True)
    assert "效应合计" in wb.sheetnames
    rows = list(wb["效应合计"].iter_rows(values_only=True))
    assert rows[1][2:] == pytest.approx(out[2:], rel=1e-12)


def test_section_downloads(server):
    r = get(server, f"/api/tables/{TID}/download/chain.xlsx", params={"track": "biomedicine"})
    wb = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
    assert any(n.startswith("短板清单") for n in wb.sheetnames)
    r = get(server, f"/api/tables/{TID}/download/keysectors.csv",
            params={"sheet": "keysectors-all"})
    assert len(r.content.decode("utf-8-sig").strip().splitlines()) == 43


@pytest.mark.parametrize("method, path, kw, status, needle", [
    ("get", "/api/tables/cn-nbs-1999-42", {}, 404, "unknown dataset"),
    ("get", "/api/tables/up-0123456789abcdef", {}, 404, "unknown upload"),
    ("get", "/api/no/such/endpoint", {}, 404, "no API endpoint /api/no/such/endpoint"),
    ("get", f"/api/tables/{TID}/chain", {}, 400, "give exactly one of them"),
    ("get", f"/api/tables/{TID}/chain?track=nope", {}, 400, "unknown track 'nope'"),
    ("get", f"/api/tables/{TID}/chain?sectors=99", {}, 400, "'99' is not a sector"),
    ("get", f"/api/tables/{TID}/keysectors?lang=fr", {}, 400, "expected 'zh' or 'en'"),
    ("get", "/api/datasets?cached=maybe", {}, 422, "query parameter 'cached'"),
    ("get", f"/api/tables/{TID}/download/secret.txt", {}, 400, "expected one of overview.csv"),
    ("post", f"/api/tables/{TID}/impact", {"json": {"demand": {"99": 1}}}, 400,
     "unknown sector code '99'"),
    ("post", f"/api/tables/{TID}/impact", {"json": {"demand": {"18": "x"}}}, 400,
     "not a number"),
    ("post", f"/api/tables/{TID}/impact", {"json": {"demand": {}}}, 400, "at least one sector"),
    ("post", f"/api/tables/{TID}/impact", {"json": {"demand": {"18": 1}, "type": "III"}}, 400,
     "expected 'I' or 'II'"),
    ("post", f"/api/tables/{TID}/impact", {"content": b"{not json",
                                           "headers": {"content-type": "application/json"}},
     422, "not valid JSON"),
    ("delete", "/api/health", {}, 405, "not allowed"),
])
def test_every_error_has_one_shape(server, method, path, kw, status, needle):
    r = httpx.request(method.upper(), server.url + path, timeout=60, **kw)
    assert_error(r, status, needle)


def test_upload_good_table_then_use_it(server, web_cache, tmp_path):
    t = lianpu.load("cn-nbs-2020-153", data_dir=web_cache)  # the CSV template is competitive
    path = tmp_path / "我的表.csv"
    from lianpu.export import export_table
    export_table(t, path)
    with open(path, "rb") as fh:
        r = httpx.post(server.url + "/api/upload", files={"file": (path.name, fh, "text/csv")},
                       timeout=60)
    d = r.json()
    assert r.status_code == 200 and d["ok"] and d["sectors"] == 153 and d["id"].startswith("up-")
    ks = get(server, f"/api/tables/{d['id']}/keysectors").json()
    assert ks["ok"]


@pytest.mark.parametrize("name, content, status, needle", [
    ("big.csv", b"x" * (2 * 1024 * 1024 + 100_000), 413, "upload too large: more than 2 MB"),
    ("table.csv", "a,b\n1,2\n乱码,".encode(), 400, "unknown table format"),
    ("table.pkl", b"\x80\x04K\x01.", 400, "unsupported file type '.pkl'"),
    ("table.csv", b"", 400, "the uploaded file is empty"),
])
def test_bad_uploads_are_refused_and_the_server_keeps_serving(server, name, content, status,
                                                              needle):
    r = httpx.post(server.url + "/api/upload", files={"file": (name, content)}, timeout=60)
    assert_error(r, status, needle)
    assert get(server, "/api/health").json()["ok"] is True


def test_upload_without_file_field(server):
    r = httpx.post(server.url + "/api/upload", data={"x": "1"}, timeout=60)
    assert_error(r, 422, "request body field 'file'")


def test_200_concurrent_requests_without_error(server):
    get(server, f"/api/tables/{TID}/keysectors")  # warm the cache, as a user's first visit does
    paths = [f"/api/tables/{TID}/keysectors", f"/api/tables/{TID}/tracks", "/api/health",
             f"/api/tables/{TID}", f"/api/tables/{TID}/chain?track=aerospace"]

    async def run():
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=server.url, timeout=120, limits=limits) as c:
            return await asyncio.gather(*(c.get(paths[i % len(paths)]) for i in range(200)),
                                        return_exceptions=True)

    res = asyncio.run(run())
    bad = [r for r in res if isinstance(r, Exception) or r.status_code != 200
           or not r.json()["ok"]]
    assert bad == [], bad[:3]


def test_token_required_when_configured(web_cache):
    from lianpu.web import create_app

    from .conftest import Server
    with Server(create_app(data_dir=web_cache, token="s3cret-token")) as s, \
            httpx.Client(base_url=s.url, timeout=60) as c:
        _token_checks(c)


def _token_checks(c):
    assert_error(c.get("/api/datasets"), 401, "missing or wrong token")
    assert_error(c.get("/api/datasets", headers={"Authorization": "Bearer wrong"}), 401, "token")
    assert c.get("/api/datasets", headers={"Authorization": "Bearer s3cret-token"}).json()["ok"]
    assert c.get("/api/datasets?token=s3cret-token").json()["ok"]
    assert c.get("/api/health").json()["ok"]  # health stays open for monitors
    page = c.get("/?token=s3cret-token")
    assert page.status_code == 200 and "lianpu_token" in page.headers["set-cookie"]
    assert c.get("/").status_code == 200  # the cookie carries the token for the pages
