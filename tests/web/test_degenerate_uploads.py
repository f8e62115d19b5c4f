"""Degenerate uploads (issue 15, item 5): a table the readers accept but analyses cannot use —
every cell zero, no final demand — is refused with a 400 in the one error shape
(``{"ok": false, "error": …}``, which the page shows under the upload form) naming the file
and what was expected; a non-finite
output is refused too (by the reader, or by the check for a table built otherwise). Uploads
are posted as in tests/hostile/test_web_uploads.py."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.core.errors import TableError


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from lianpu.web import create_app
    app = create_app(data_dir=tmp_path_factory.mktemp("degenerate-cache"))
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def good_csv(tmp_path_factory):
    """Miller & Blair's two-sector table in lianpu's template CSV (lianpu's own export)."""
    from lianpu.export import export_table
    path = tmp_path_factory.mktemp("degenerate") / "good.csv"
    export_table(lianpu.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700],
                                            unit="万元"), path)
    return path


def _meta(good_csv) -> list[str]:
    return [ln for ln in good_csv.read_text(encoding="utf-8-sig").splitlines()
            if ln.startswith("META:")]


def zeros_csv(good_csv) -> bytes:
    from lianpu.export import export_table
    path = good_csv.with_name("zeros.csv")
    export_table(lianpu.IOTable.from_arrays([[0, 0], [0, 0]], [0, 0], unit="万元"), path)
    return path.read_bytes()


def no_final_demand_csv(good_csv) -> bytes:
    """Rows balance only through the statistical discrepancy (ERR): Y is all zero."""
    meta = [("META:discrepancy_column,ERR,,,,,," if ln.startswith("META:discrepancy_column")
             else ln) for ln in _meta(good_csv)]
    rows = ["code,name_zh,name_en,1,2,FD:FD1,FD:ERR,x", "1,,,150,500,0,350,1000",
            "2,,,200,100,0,1700,2000", "VA:VA,,,650,1400,,,", "FD:FD1,,,,,,,"] + meta
    return ("\n".join(rows) + "\n").encode()


def post(client, name, data, **kw):
    return client.post("/api/upload", files={"file": (name, data)}, **kw)


def test_good_table_is_accepted(client, good_csv):
    r = post(client, "good.csv", good_csv.read_bytes())
    assert r.status_code == 200, r.text
    assert r.json()["sectors"] == 2


@pytest.mark.parametrize("make, name, needle", [
    (zeros_csv, "全零表.csv", "全零表.csv: every cell of the table is zero (expected an "
                            "input-output table with non-zero flows"),
    (no_final_demand_csv, "nofd.csv", "nofd.csv: the table has no final demand: every "
                                      "final-demand column is zero"),
])
def test_degenerate_upload_refused(client, good_csv, make, name, needle):
    r = post(client, name, make(good_csv))
    assert r.status_code == 400, r.text
    body = r.json()
    assert set(body) == {"ok", "error"} and body["ok"] is False
    assert needle in body["error"], body["error"]
    assert "expected" in body["error"]
    assert client.get("/api/health").json()["ok"] is True  # the server carries on


def test_non_finite_output_refused(client, good_csv):
    text = good_csv.read_text(encoding="utf-8-sig").replace("1000.0\n", "inf\n", 1)
    r = post(client, "inf.csv", text.encode())
    assert r.status_code == 400, r.text
    assert "not a finite number" in r.json()["error"]


def _fake(x, Z, Y, V):
    return SimpleNamespace(x=pd.Series(x, dtype=float), Z=pd.DataFrame(Z, dtype=float),
                           Y=pd.DataFrame(Y, dtype=float), V=pd.DataFrame(V, dtype=float))


@pytest.mark.parametrize("tbl, needle", [
    (_fake([np.nan, 1], [[0, 0], [0, 0]], [[1], [1]], [[1, 1]]),
     "t.csv: gross output x has a missing or infinite value"),
    (_fake([0, 0], [[0, 0], [0, 0]], [[1], [-1]], [[0, 0]]),
     "t.csv: total gross output is zero or negative (found sum of x = 0"),
    (_fake([1, 1], [[0, 0], [0, 0]], np.zeros((2, 0)), [[1, 1]]),
     "t.csv: the table has no final demand"),
])
def test_check_usable_on_any_table(tbl, needle):
    """The check reads only public frames, so it serves any table (the branches a reader's
    own validation normally reaches first)."""
    from lianpu.web.usable import check_usable
    with pytest.raises(TableError) as e:
        check_usable(tbl, "t.csv")
    assert needle in str(e.value)


def test_shipped_tables_are_usable(shared_data, tmp_path):
    from lianpu.data.download import download
    from lianpu.web.usable import check_usable
    download(["cn-nbs-2020-42"], data_dir=tmp_path, from_dir=shared_data, progress=False)
    check_usable(lianpu.load("cn-nbs-2020-42", data_dir=tmp_path), "cn-nbs-2020-42")
