"""The dashboard's scenario page in Chromium (issue 15, item 5): the form's local-purchase
share, unit of amounts, jobs and CO2, Chinese labels, no console error (the ``page`` fixture
fails on any) and no request outside the server; a degenerate upload's message shown under
the upload form. Saves ``dashboard_scenario.png`` (``LIANPU_SCREENSHOTS=docs/screenshots``).

The page's CSP forbids the string eval that ``wait_for_function`` polls with, so waits are
``locator.wait_for`` from Python.
"""
from __future__ import annotations

import lianpu

TID = "cn-nbs-2020-42"


def test_scenario_page_local_share_unit_jobs_co2(page, server, shots, web_cache):
    outside = []
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server.url)
               else (outside.append(r.request.url), r.abort()))
    page.goto(f"{server.url}/t/{TID}/scenario")
    page.locator("#scenario-form").wait_for()
    assert page.locator("h1").inner_text().startswith("情景测算")
    options = page.locator("p.options").inner_text()
    for label in ("金额单位", "本地采购比例", "显示就业", "显示二氧化碳排放"):
        assert label in options, options
    page.select_option("#unit-select", "亿元")
    assert page.locator("#amount-unit").inner_text() == "亿元"
    page.select_option("#demand-rows select", "18")
    page.fill("#demand-rows input[name=amount]", "10")
    page.fill("#local-share-all", "0.6")
    page.click("#add-row")
    page.locator("#demand-rows select").nth(1).select_option("27")
    page.locator("#demand-rows input[name=amount]").nth(1).fill("5")
    page.locator("#demand-rows input[name=row_share]").nth(1).fill("1")
    page.check("#show-jobs")
    page.check("#show-co2")
    page.click("#run-scenario")
    page.locator("#impact-summary").wait_for(timeout=60_000)
    page.locator("#scenario-body .plot .main-svg").first.wait_for(timeout=60_000)
    assert page.locator("#impact-summary h4").inner_text() == "结果摘要（亿元）"
    facts = page.locator("#summary-facts").inner_text()
    # 10 亿元 × 0.6 + 5 亿元 × 1 supplied locally, of 15 亿元 (by hand)
    assert "新增需求合计：15.00 亿元" in facts and "本地供给（直接效应）：11.00 亿元" in facts
    assert "模型：I型" in facts and "计算口径：非竞争型表" in facts
    names = page.locator("#summary-table tbody td:first-child").all_inner_texts()
    assert names[:3] == ["总产出", "增加值", "劳动者报酬"]
    assert "就业" in names and "二氧化碳排放" in names
    out = page.locator("#summary-table tr[data-indicator=output] td").all_inner_texts()
    assert out[1] == "亿元" and out[2] == "11.00"   # direct output = the local demand
    head = page.locator("#summary-table th").all_inner_texts()
    assert head == ["指标", "单位", "直接效应", "间接效应", "合计"]
    # the same total as lianpu.impact in Python (Type I, default basis)
    t = lianpu.load(TID, data_dir=web_cache)
    f = {"18": 10 * 1e4 * 0.6, "27": 5 * 1e4}
    import numpy as np
    v = np.zeros(t.n)
    for c, a in f.items():
        v[t.index.get_loc(c)] = a
    res = lianpu.impact(t, v, type="I")
    total = float(res.totals().loc[("output", res.scenarios[0])]["total"])
    from lianpu.core.units import fmt_num
    assert out[4] == fmt_num(total / 1e4, 2)
    assert page.locator("#satellite-jobs").inner_text().startswith("就业：已附加（2018年数据）")
    assert page.locator("#satellite-co2").inner_text().startswith("二氧化碳排放：已附加（2019年数据）")
    page.screenshot(path=str(shots / "dashboard_scenario.png"), full_page=True)
    assert outside == []


def test_degenerate_upload_message_in_page(page, server, tmp_path):
    from lianpu.export import export_table
    path = tmp_path / "全零表.csv"
    export_table(lianpu.IOTable.from_arrays([[0, 0], [0, 0]], [0, 0], unit="万元"), path)
    page.goto(server.url + "/")
    page.set_input_files("#upload-file", str(path))
    page.click("#upload-form button[type=submit]")
    page.locator("#upload-error:has-text('every cell of the table is zero')").wait_for()
    assert "全零表.csv" in page.locator("#upload-error").inner_text()
    expected = [e for e in page.errors if "status of 400" in e]  # the refused upload's 400
    assert len(expected) == 1
    page.errors.remove(expected[0])
