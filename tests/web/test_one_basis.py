"""The same question gives the same number in the Python API, the CLI, the report and the
dashboard (issue 10, item 2): the 100亿 project (60亿 in 083 其他交通运输设备, 40亿 in 094
电子元器件, Type II, cn-nbs-2020-153) and 计算机's (090) 影响力系数.

Before one basis rule existed, the CLI gave 4,813,256 万元 of total output (competitive table
as published) and the dashboard 3,451,511 (domestic view). The expected value is the Python
API's on the default basis; the published-basis figure is asserted to differ, so the test fails
if any interface falls back to another basis."""
from __future__ import annotations

import json

import httpx
import pandas as pd
import pytest

import lianpu
from lianpu.cli import main

TID = "cn-nbs-2020-153"
PROJECT = {"083": 600000.0, "094": 400000.0}  # 万元


def _api_total(t, basis="auto"):
    s = pd.Series(0.0, index=t.index)
    for c, a in PROJECT.items():
        s[c] = a
    r = lianpu.impact(t, s, type="II", basis=basis)
    tot = r.totals().loc[("output", r.scenarios[0])]
    return [float(tot[e]) for e in ("direct", "indirect", "induced", "total")]


def test_project_impact_is_one_number_everywhere(server, web_cache, tmp_path, capsys):
    t = lianpu.load(TID, data_dir=web_cache)
    want = _api_total(t)
    published = _api_total(t, "published")
    assert published[3] == pytest.approx(4813256, abs=1)  # the CLI's old answer
    assert want[3] == pytest.approx(3451511, abs=1)       # the domestic view
    # CLI
    f = tmp_path / "project.csv"
    f.write_text("sector,amount,unit\n083,600000,万元\n094,400000,万元\n", encoding="utf-8")
    code = main(["impact", TID, "--demand", str(f), "--type", "II", "--json",
                 "--data-dir", str(web_cache)])
    d = json.loads(capsys.readouterr().out)
    assert code in (0, None) and d["basis"]["basis"] == "domestic"
    row = next(r for r in d["totals"] if r["indicator"] == "output")
    assert [row[e] for e in ("direct", "indirect", "induced", "total")] == pytest.approx(want,
                                                                                         rel=1e-12)
    # report
    from lianpu.report.extras import impact_section
    sec = impact_section(t, "zh", PROJECT, type="II")
    out = next(r for r in sec.sheets[0].frame.itertuples(index=False) if r[0] == "总产出")
    assert list(out[2:]) == pytest.approx(want, rel=1e-12)
    assert any("计算口径" in p for p in sec.paragraphs)
    # dashboard
    r = httpx.post(f"{server.url}/api/tables/{TID}/impact", timeout=60,
                   json={"demand": PROJECT, "type": "II"})
    totals = next(s for s in r.json()["section"]["sheets"] if s["key"] == "impact-totals")
    dash = next(row for row in totals["rows"] if row[0] == "总产出")
    assert dash[2:] == pytest.approx(want, rel=1e-12)


def test_power_of_dispersion_is_one_number_everywhere(server, web_cache, capsys):
    t = lianpu.load(TID, data_dir=web_cache)
    want = float(lianpu.keysectors(t, extraction=False, inducement_items=False)
                 .loc["090", "power_of_dispersion"])
    pub = float(lianpu.keysectors(t, extraction=False, inducement_items=False, basis="published")
                .loc["090", "power_of_dispersion"])
    assert abs(want - pub) > 0.05  # the bases really differ for 计算机
    main(["keysectors", TID, "--json", "--data-dir", str(web_cache)])
    d = json.loads(capsys.readouterr().out)
    cli = next(s for s in d["sectors"] if s["sector"] == "090")["power_of_dispersion"]
    assert cli == pytest.approx(want, rel=1e-12) and d["basis"] == "domestic"
    from lianpu.report.economy import keysectors_section
    sec = keysectors_section(t, "zh")
    full = next(s for s in sec.sheets if s.key == "keysectors-all").frame
    rep = float(full.loc[full.iloc[:, 0] == "090", "影响力系数"].iloc[0])
    assert rep == pytest.approx(want, rel=1e-12)
    dash = httpx.get(f"{server.url}/api/tables/{TID}/keysectors", timeout=60).json()["section"]
    allk = next(s for s in dash["sheets"] if s["key"] == "keysectors-all")
    col = allk["columns"].index("影响力系数")
    got = next(r[col] for r in allk["rows"] if r[0] == "090")
    assert got == pytest.approx(want, rel=1e-12)
