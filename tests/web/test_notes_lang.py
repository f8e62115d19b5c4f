"""Notes in the dashboard's language (issue 15), without a browser (Starlette's TestClient on
the app the server runs): a table's data notes (an uploaded OECD table's reader notes, on the
table page and in the overview API) and a result's notes (the CO2 satellite's data note in the
impact summary; the price model's notes under its household sheet) are Chinese under
``lang=zh`` and English under ``lang=en``.

Expected texts come from the objects the pages are built from: the table's notes and the
result's notes as the library returns them (each a :class:`lianpu.core.notes.Note`, English
the string itself, Chinese ``.zh``)."""
from __future__ import annotations

import warnings

import pytest
from markupsafe import escape

import lianpu
from lianpu.core.notes import zh

TID = "cn-nbs-2020-42"


@pytest.fixture(scope="module")
def client(web_cache):
    from lianpu.web import create_app
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette: "install httpx2" (a warning, not ours)
        from starlette.testclient import TestClient
    app = create_app(data_dir=web_cache)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


def flat(text) -> str:
    return "".join(str(text).split())


def test_uploaded_table_notes_follow_the_language(client, oecd_dir):
    path = oecd_dir / "oecd2021_chn_2018.csv"
    notes = lianpu.load(path).notes   # the OECD reader's notes (IMPO → IM, VALU)
    assert notes and all(zh(n) != str(n) for n in notes)
    with open(path, "rb") as fh:
        up = client.post("/api/upload", files={"file": (path.name, fh, "text/csv")}).json()
    assert up["ok"], up
    for lang, want, other in (("zh", zh, str), ("en", str, zh)):
        par = flat(" ".join(client.get(f"/api/tables/{up['id']}/overview",
                                       params={"lang": lang}).json()["section"]["paragraphs"]))
        page = client.get(f"/t/{up['id']}", params={"lang": lang})
        assert page.status_code == 200
        html = flat(page.text)
        for n in notes:
            assert flat(want(n)) in par and flat(other(n)) not in par, (lang, n)
            assert flat(escape(want(n))) in html and flat(escape(other(n))) not in html


def test_result_notes_follow_the_language(client, web_cache):
    from lianpu.analysis.valuechains.prices import cost_push
    from lianpu.report.valuechains import CARBON_PRICE
    from lianpu.satellites.attach import attach
    t = lianpu.load(TID, data_dir=web_cache)
    co2 = attach(t, "co2", data_dir=web_cache)   # the satellite's data note (CEADs 2019)
    assert co2.note.startswith("co2: CEADs national inventory 2019")
    prices = cost_push(t, carbon_price=CARBON_PRICE, data_dir=web_cache).notes
    assert prices and all(zh(n) != str(n) for n in prices)
    for lang in ("zh", "en"):
        body = client.post(f"/api/tables/{TID}/impact", json={
            "demand": {"18": 100000}, "show": ["co2"], "lang": lang}).json()
        sat = {s["kind"]: s for s in body["summary"]["satellites"]}["co2"]
        assert sat["ok"] and sat["note"] == (co2.note_zh if lang == "zh" else co2.note)
        sec = client.get(f"/api/tables/{TID}/valuechains", params={"lang": lang}).json()
        sheets = [s for s in sec["section"]["sheets"] if s["key"] == "prices-households"]
        assert sheets, [s["key"] for s in sec["section"]["sheets"]]
        note = flat(sheets[0]["note"])
        for n in prices:  # the notes of the same price model the section runs
            shown, hidden = (zh(n), str(n)) if lang == "zh" else (str(n), zh(n))
            assert flat(shown) in note and flat(hidden) not in note, (lang, n)
