"""The dashboard's value-chain / price view and its JSON (issue 16): the same numbers as the
report section built by the library."""
from __future__ import annotations

import httpx

import lianpu

TID = "cn-nbs-2020-42"


def test_valuechains_api_and_page(server, web_cache):
    r = httpx.get(f"{server.url}/api/tables/{TID}/valuechains", timeout=120)
    assert r.status_code == 200, r.text
    sec = r.json()["section"]
    from lianpu.report.valuechains import valuechains_section
    want = valuechains_section(lianpu.load(TID, data_dir=web_cache), "zh", data_dir=web_cache)
    assert sec["title"] == want.title
    got = {s["key"]: s["rows"] for s in sec["sheets"]}
    for sh in want.sheets:
        assert len(got[sh.key]) == len(sh.frame)
    page = httpx.get(f"{server.url}/t/{TID}/valuechains", timeout=120)
    assert page.status_code == 200 and want.title in page.text
