"""The dashboard's scenario form (issue 15, item 5) through the FastAPI TestClient: the
local-purchase share, the unit of amounts, jobs and CO2.

Where the expected numbers come from:
- the same demand given to ``lianpu.impact`` in Python as a plain array with ``local_share=``
  (the independent route: no form parser, no dashboard) gives the same totals;
- Miller & Blair's local-purchase coefficient enters as f_local = share × f, so the direct
  effect (and, the model being linear, the Type I total) of share 0.6 is 0.6 × that of share 1;
- the unit conversion is the definition 1 亿元 = 10,000 万元;
- jobs and CO2 are ``lianpu.impact`` on the table with ``lianpu.satellites.attach``'s
  satellites, attached here independently of the dashboard.
"""
from __future__ import annotations

import io

import numpy as np
import pytest

import lianpu

TID = "cn-nbs-2020-42"


@pytest.fixture(scope="module")
def client(web_cache):
    from fastapi.testclient import TestClient

    from lianpu.web import create_app
    with TestClient(create_app(data_dir=web_cache), base_url="http://127.0.0.1",
                    raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def table(web_cache):
    return lianpu.load(TID, data_dir=web_cache)


def run(client, **payload):
    r = client.post(f"/api/tables/{TID}/impact", json={"type": "I", **payload})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True
    return body


def row(summary, indicator):
    return next(r for r in summary["rows"] if r["indicator"] == indicator)


def totals_sheet(body):
    return next(s for s in body["section"]["sheets"] if s["key"] == "impact-totals")


def test_form_equals_python_impact(client, table):
    """亿元 as the form's unit, a row in 万元 of its own, one share for all and one per row."""
    body = run(client, unit="亿元", local_share=0.8,
               demand=[{"sector": "18", "amount": "10"},            # 10 亿元, share 0.8
                       {"sector": "27", "amount": 50000, "unit": "万元", "local_share": 1}])
    f = np.zeros(table.n)
    share = np.ones(table.n)
    i18, i27 = table.index.get_loc("18"), table.index.get_loc("27")
    f[i18], f[i27] = 10 * 1e4, 50000.0                                 # in 万元, by hand
    share[i18] = 0.8
    res = lianpu.impact(table, f, type="I", local_share=share)
    want = res.totals()
    sm = body["summary"]
    assert sm["unit"] == "亿元" and sm["type"] == "I"
    assert sm["demand"] == pytest.approx(15.0, rel=1e-14)             # 10 亿元 + 5 亿元
    assert sm["local"] == pytest.approx(0.8 * 10 + 5, rel=1e-14)
    assert sm["basis"]                                               # the basis is stated
    for ind in ("output", "value_added", "income"):
        got = row(sm, ind)
        assert got["unit"] == "亿元"
        w = want.loc[(ind, res.scenarios[0])]
        for e in ("direct", "indirect", "total"):
            assert got[e] * 1e4 == pytest.approx(w[e], rel=1e-12), (ind, e)
    # the report section beside it is in the table's unit, the same numbers
    out = next(r for r in totals_sheet(body)["rows"] if r[0] == "总产出")
    assert out[1] == "万元"
    assert out[2:] == pytest.approx([want.loc[("output", res.scenarios[0])][e]
                                     for e in ("direct", "indirect", "total")], rel=1e-12)


def test_local_share_is_linear(client):
    one = run(client, demand=[{"sector": "18", "amount": 100000}])["summary"]
    part = run(client, demand=[{"sector": "18", "amount": 100000}], local_share=0.6)["summary"]
    per_row = run(client, demand=[{"sector": "18", "amount": 100000, "local_share": "0.6"}])
    out1, out6 = row(one, "output"), row(part, "output")
    assert out1["direct"] == pytest.approx(100000.0, rel=1e-15)        # share 1: f itself
    assert out6["direct"] == pytest.approx(0.6 * out1["direct"], rel=1e-14)
    assert out6["total"] == pytest.approx(0.6 * out1["total"], rel=1e-12)  # L (0.6 f)
    assert row(per_row["summary"], "output")["total"] == pytest.approx(out6["total"], rel=1e-14)
    assert part["demand"] == one["demand"] == pytest.approx(100000.0)  # gross spending kept


def test_download_links_keep_share_and_unit(client):
    body = run(client, unit="亿元", local_share=0.6, demand=[{"sector": "18", "amount": 3}])
    csv = client.get(body["downloads"]["csv"])
    assert csv.status_code == 200, csv.text
    lines = csv.content.decode("utf-8-sig").splitlines()
    direct = float(lines[1].split(",")[2])
    assert lines[1].startswith("总产出,万元,")
    assert direct == pytest.approx(0.6 * 3 * 1e4, rel=1e-14)         # 1.8 亿元 in 万元
    x = client.get(body["downloads"]["xlsx"])
    assert x.status_code == 200
    import openpyxl
    assert "效应合计" in openpyxl.load_workbook(io.BytesIO(x.content), read_only=True).sheetnames


def test_jobs_and_co2_when_attached(client, table, web_cache):
    from lianpu.satellites.attach import attach
    body = run(client, demand=[{"sector": "18", "amount": 100000}], show=["jobs", "co2"])
    sm = body["summary"]
    st = {s["kind"]: s for s in sm["satellites"]}
    assert st["jobs"]["ok"] and st["jobs"]["year"] == 2018   # employment data end in 2018
    assert st["co2"]["ok"] and st["co2"]["year"] == 2019     # CEADs' last inventory year
    assert st["jobs"]["name"] == "就业" and "2018" in st["jobs"]["note"]
    t = attach(attach(table, "jobs", data_dir=web_cache).table, "co2", data_dir=web_cache).table
    f = np.zeros(table.n)
    f[table.index.get_loc("18")] = 100000.0
    res = lianpu.impact(t, f, type="I")
    want = res.totals()
    for ind in ("jobs", "co2"):
        assert row(sm, ind)["total"] == pytest.approx(
            want.loc[(ind, res.scenarios[0])]["total"], rel=1e-12)
    names = [r[0] for r in totals_sheet(body)["rows"]]
    assert "就业" in names and "二氧化碳排放" in names
    plain = run(client, demand=[{"sector": "18", "amount": 100000}])["summary"]
    assert {r["indicator"] for r in plain["rows"]} == {"output", "value_added", "income"}
    # satellites add rows, never change the money effects; Type II (households split from
    # the cache's detailed table) works on the table with satellites as on the table itself
    ii = [run(client, demand=[{"sector": "18", "amount": 100000}], type="II", **kw)["summary"]
          for kw in ({}, {"show": ["jobs", "co2"]})]
    assert ii[0]["type"] == ii[1]["type"] == "II"
    assert row(ii[1], "output")["induced"] > 0
    for ind in ("output", "value_added", "income"):
        assert row(ii[1], ind)["total"] == pytest.approx(row(ii[0], ind)["total"], rel=1e-12)


def test_satellites_missing_said_plainly(client, tmp_path):
    """An uploaded table of unknown classification has neither: the scenario still runs and
    each satellite says why it is not shown."""
    from lianpu.export import export_table
    path = tmp_path / "two.csv"
    export_table(lianpu.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700],
                                            unit="万元"), path)
    up = client.post("/api/upload", files={"file": (path.name, path.read_bytes())})
    assert up.status_code == 200, up.text
    uid = up.json()["id"]
    r = client.post(f"/api/tables/{uid}/impact",
                    json={"demand": [{"sector": "1", "amount": 600}], "show": ["jobs", "co2"],
                          "type": "I", "lang": "en"})
    assert r.status_code == 200, r.text
    sm = r.json()["summary"]
    assert [s["ok"] for s in sm["satellites"]] == [False, False]
    assert all(s["note"] for s in sm["satellites"])
    assert sm["labels"]["satellite_missing"] == "not available for this table, not shown"
    assert {x["indicator"] for x in sm["rows"]} <= {"output", "value_added", "income"}
    # Miller & Blair (2009) Table 2.3: f = (600, 0) → x = L f, L from Z, x = (1000, 2000)
    A = np.array([[150 / 1000, 500 / 2000], [200 / 1000, 100 / 2000]])
    x = np.linalg.solve(np.eye(2) - A, [600.0, 0.0])
    assert row(sm, "output")["total"] == pytest.approx(x.sum(), rel=1e-12)


@pytest.mark.parametrize("payload, needle", [
    ({"local_share": 1.5}, "argument 'local_share': out of range"),
    ({"unit": "美元"}, "argument 'unit'"),
    ({"demand": [{"sector": "18", "amount": 1, "local_share": "x"}]}, "row 1"),
    ({"demand": [{"sector": "18", "amount": 1, "local_share": 2}]}, "local share outside [0, 1]"),
    ({"show": ["water"]}, "argument 'show'"),
])
def test_form_errors_are_400(client, payload, needle):
    body = {"demand": [{"sector": "18", "amount": 1}], "type": "I", **payload}
    r = client.post(f"/api/tables/{TID}/impact", json=body)
    assert r.status_code == 400, r.text
    assert r.json()["ok"] is False and needle in r.json()["error"], r.json()


def test_scenario_page_has_the_options_in_chinese(client):
    html = client.get(f"/t/{TID}/scenario").text
    for text in ("本地采购比例", "金额单位", "显示就业", "显示二氧化碳排放", ">亿元<", ">元<"):
        assert text in html, text
    en = client.get(f"/t/{TID}/scenario?lang=en").text
    assert "Local purchase share" in en and ">100 million CNY<" in en
