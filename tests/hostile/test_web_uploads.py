"""The corpus through the dashboard: every hostile table uploaded gives a 4xx JSON error
naming the problem — never a 500 — and the server keeps serving."""
from __future__ import annotations

import pytest

from . import make_corpus as M

UPLOADS = ["nbs-semicolon", "nbs-title-row", "nbs-column-after-go", "nbs-nul-name",
           "nbs-huge-name", "nbs-long-id", "native-huge-shape", "native-bad-position",
           "xlsx-broken-number-xml", "generic-negative-flow"]
#: where the dashboard's own upload limits (readers/safety.py) answer first
WEB_FRAGMENT = {"native-huge-shape": "the sector limit of this server"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from starlette.testclient import TestClient

    from lianpu.web import create_app
    app = create_app(data_dir=tmp_path_factory.mktemp("webcache"), max_upload=4 * 1024 * 1024)
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def ctx(shared_data, tmp_path_factory):
    return M.Ctx(shared_data, tmp_path_factory.mktemp("hostile_web"))


@pytest.mark.parametrize("name", UPLOADS)
def test_hostile_upload_is_a_client_error(client, ctx, name):
    case = next(c for c in M.cases() if c.name == name)
    path = case.make(ctx)
    r = client.post("/api/upload", files={"file": (path.name, path.read_bytes())})
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    body = r.json()
    assert body["ok"] is False
    text = " ".join(str(body).split())
    want = WEB_FRAGMENT.get(name, case.fragment.split("(")[0].strip())
    assert want in text, text[:400]
    assert client.get("/api/health").json()["ok"] is True
