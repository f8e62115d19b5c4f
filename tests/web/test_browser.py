"""The report and the dashboard in a real browser (Debian's headless Chromium via Playwright):
charts drawn, Chinese labels on the chain map and in the tables, a scenario run, downloads,
the language switch, uploads — with no console error, no page error and no network access
beyond the local server. Screenshots are saved for docs/screenshots (see ``make screenshots``).
"""
from __future__ import annotations

import io
import re

import openpyxl
import pytest

import lianpu

TID = "cn-nbs-2020-153"


@pytest.fixture(scope="module")
def report_index(web_cache, tmp_path_factory):
    from lianpu.report import build_report
    t = lianpu.load(TID, data_dir=web_cache)
    return build_report(t, out_dir=tmp_path_factory.mktemp("report") / "r", data_dir=web_cache)


def _no_network(page, allowed_prefix: str):
    """Record (and abort) every request outside ``allowed_prefix``."""
    outside = []

    def route(r):
        if r.request.url.startswith(allowed_prefix) or r.request.url.startswith("data:"):
            return r.continue_()
        outside.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    return outside


def _plots_drawn(page, selector=".js-plotly-plot", minimum=1):
    page.wait_for_function(f"document.querySelectorAll('{selector} .main-svg').length >= "
                           f"{minimum}", timeout=60_000)


def test_report_opens_offline_with_chinese_chain_map(page, report_index, shots):
    outside = _no_network(page, "file://")
    page.goto(report_index.as_uri())
    n_fig = page.locator("figure.chart").count()
    assert n_fig >= 12
    _plots_drawn(page, "figure.chart .js-plotly-plot", n_fig)
    assert outside == []
    assert page.locator("h1").inner_text() == "产业链诊断报告"
    toc = page.locator("nav.toc").inner_text()
    for name in ("电子信息", "航空航天", "新能源", "生物医药", "碳足迹", "情景示例"):
        assert name in toc
    pano = page.locator("figure[aria-label='产业链全景图']").first
    labels = pano.locator(".annotation-text").all_text_contents()
    assert "电子元器件" in labels and "计算机" in labels  # core sectors of 电子信息
    assert any(re.fullmatch(r"其他\d+个部门", s) for s in labels)  # small sectors merged
    ticks = " ".join(pano.locator(".xtick text").all_text_contents())
    assert "上游第1层" in ticks and "核心" in ticks and "下游" in ticks
    head = page.locator("#sheet-weak-electronic_information th").all_inner_texts()
    assert head[:3] == ["序号", "代码", "部门"] and "进口占比 [%]" in head
    assert page.locator("#sheet-weak-electronic_information tbody tr").count() >= 3
    page.screenshot(path=str(shots / "report-top.png"))
    page.locator("#fig-keysectors-quadrant, figure[aria-label*='关键部门象限图']").first \
        .screenshot(path=str(shots / "report-keysectors.png"))
    pano.screenshot(path=str(shots / "report-chain-map.png"))
    page.locator("#electronic_information-weak").screenshot(
        path=str(shots / "report-weak-links.png"))


def test_dashboard_track_scenario_downloads(page, server, shots, tmp_path):
    outside = _no_network(page, server.url)
    page.goto(server.url + "/")
    page.screenshot(path=str(shots / "dashboard-home.png"))
    page.click(f"a[data-dataset='{TID}']")
    page.wait_for_selector("body[data-ready='1']")
    _plots_drawn(page, "#keysectors .plot")
    assert "中国2020年投入产出表（153部门）" in page.locator("h1").inner_text()
    legend = page.locator("#keysectors .legendtext").all_text_contents()
    assert legend == ["关键部门", "前向关联型", "弱关联型", "后向关联型"]
    page.screenshot(path=str(shots / "dashboard-table.png"), full_page=True)
    # pick a chain
    page.select_option("#track-select", "electronic_information")
    page.click("#track-go")
    page.wait_for_selector("body[data-ready='1']")
    _plots_drawn(page, ".plot", 2)
    assert page.locator("h1").inner_text().startswith("产业链 电子信息")
    labels = page.locator("#plot-electronic_information-panorama .annotation-text") \
        .all_text_contents()
    assert "电子元器件" in labels
    for title in ("短板清单", "风险清单", "招商清单", "优势环节"):
        assert page.locator("h2", has_text=title).count() == 1
    page.screenshot(path=str(shots / "dashboard-chain.png"))
    with page.expect_download() as dl:
        page.click("#download-chain-xlsx")
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    assert any(n.startswith("招商清单") for n in wb.sheetnames)
    # run a scenario
    page.click("text=情景测算")
    page.wait_for_selector("#scenario-form")
    page.select_option("#demand-rows select", "094")
    page.fill("#demand-rows input[name=amount]", "200000")
    page.click("#add-row")
    page.locator("#demand-rows select").nth(1).select_option("090")
    page.locator("#demand-rows input[name=amount]").nth(1).fill("100000")
    page.check("input[name=type][value=II]")
    page.click("#run-scenario")
    page.wait_for_selector("#scenario-result:not([hidden]) .main-svg", timeout=60_000)
    assert "电子元器件（094）200,000 万元" in page.locator("#scenario-lead").inner_text()
    first = page.locator("#scenario-body table").first.locator("tbody tr").first
    assert first.locator("td").first.inner_text() == "总产出"
    page.screenshot(path=str(shots / "dashboard-scenario.png"), full_page=True)
    with page.expect_download() as dl:
        page.click("#download-impact-csv")
    text = dl.value.path().read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "指标,单位,直接效应,间接效应,诱发效应,合计"
    assert text.splitlines()[1].startswith("总产出,万元,300000.0,")
    # English
    page.click("#lang-switch")
    page.wait_for_selector("text=Impact scenario")
    assert page.locator("html").get_attribute("lang") == "en"
    assert outside == []


def test_dashboard_upload_and_english_pages(page, server, web_cache, tmp_path, shots):
    from lianpu.export import export_table
    path = tmp_path / "成都示例表.csv"
    export_table(lianpu.load(TID, data_dir=web_cache), path)
    page.goto(server.url + "/?lang=en")
    assert page.locator("h2").first.inner_text() == "Choose a dataset"
    page.set_input_files("#upload-file", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/t/up-[0-9a-f]{16}$"))
    page.wait_for_selector("body[data-ready='1']")
    _plots_drawn(page, "#keysectors .plot")
    assert "upload: 成都示例表" in page.locator("h1").inner_text()
    assert page.locator("#keysectors h2").inner_text() == "Key sectors"
    page.screenshot(path=str(shots / "dashboard-upload-en.png"))
    # a chain of the planner's own choice of core sectors
    page.select_option("#sectors-select", ["090", "094"])
    page.click("#sectors-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/chain\?sectors=090%2C094.*"))
    page.wait_for_selector("body[data-ready='1']")
    _plots_drawn(page, ".plot", 2)
    assert "selected sectors: 090, 094" in page.locator("h1").inner_text()
    assert page.locator("h2", has_text="Weak-link list").count() == 1


def test_dashboard_shows_upload_errors(page, server, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("not,an\nio,table\n", encoding="utf-8")
    page.goto(server.url + "/")
    page.set_input_files("#upload-file", str(bad))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#upload-error:has-text('unknown table format')")
    # the one expected browser message: the refused upload's HTTP 400
    expected = [e for e in page.errors if "status of 400" in e]
    assert len(expected) == 1
    page.errors.remove(expected[0])


def test_report_and_dashboard_download_match(server, report_index):
    """The report's workbook and the dashboard's Excel download hold the same key-sector
    numbers (both come from the same analysis)."""
    import httpx
    r = httpx.get(f"{server.url}/api/tables/{TID}/download/keysectors.xlsx", timeout=60)
    a = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
    b = openpyxl.load_workbook(report_index.parent / "lianpu-report.xlsx", read_only=True)
    name = "关键部门（全部部门）"
    assert list(a[name].iter_rows(values_only=True)) == list(b[name].iter_rows(values_only=True))


def test_dashboard_value_chains_page(page, server, shots):
    """The value-chain / price view (issue 16): reached from the table page, its charts drawn
    from the JSON API, Chinese labels, no console error (the page fixture fails on any)."""
    outside = _no_network(page, server.url)
    page.goto(server.url + f"/t/{TID}")
    page.wait_for_selector("body[data-ready='1']")
    page.click("#valuechains-link")
    page.wait_for_selector("body[data-ready='1']")
    assert "价格" in page.locator("h1").inner_text()
    # poll from Python (the page's CSP forbids the string eval wait_for_function polls with)
    page.locator(".plot .main-svg").first.wait_for(timeout=60_000)
    assert page.locator("table").count() >= 1
    page.screenshot(path=str(shots / "dashboard-valuechains.png"), full_page=True)
    assert not outside
