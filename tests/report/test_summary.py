"""The report's executive summary and its number presentation: every figure of the summary is
a number the body shows (found in the table or section it points to) and equals the API's
result; one column, one number of decimals; the workbook stores numbers with number formats;
the position chart's legend matches its lines."""
from __future__ import annotations

import re

import numpy as np
import openpyxl
import pytest

import lianpu
from lianpu.core.units import Unit, fmt_num
from lianpu.report import build_report
from lianpu.report.render import cell_text, column_decimals, numeric_columns

TAG = re.compile(r"<[^>]+>")
CJK = re.compile(r"[\u4e00-\u9fff]")


def text(html: str) -> str:
    return TAG.sub("", html).strip()


def summary_html(html: str) -> str:
    i = html.index('<section class="sec" id="summary">')
    return html[i:html.index("</section>", i)]


def figures(summary: str) -> list[tuple[str, str]]:
    """(data-src, text) of every marked figure."""
    return re.findall(r'<b class="fig" data-src="([^"]+)">(.*?)</b>', summary)


def sheet_cells(html: str, key: str) -> list[list[str]]:
    """The body's table ``sheet-KEY`` as shown: rows of cell texts."""
    i = html.index(f'id="{key}"')
    table = html[i:html.index("</table>", i)]
    body = table[table.index("<tbody>"):]
    return [[text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def section_lead(html: str, anchor: str) -> str:
    i = html.index(f'id="{anchor}"')
    m = re.search(r'<p class="lead">(.*?)</p>', html[i:], re.S)
    return text(m.group(1))


@pytest.fixture(scope="module")
def zh153(report_cache, tmp_path_factory):
    t = lianpu.load("cn-nbs-2020-153", data_dir=report_cache)
    index = build_report(t, out_dir=tmp_path_factory.mktemp("sum") / "r", data_dir=report_cache)
    return t, index, index.read_text("utf-8")


def test_every_summary_figure_is_shown_in_the_body(zh153):
    _, _, html = zh153
    s = summary_html(html)
    sentences = re.findall(r"<li>(.*?)</li>", s, re.S)
    assert 5 <= len(sentences) <= 8, len(sentences)
    assert all(text(x).endswith("。") for x in sentences)
    figs = figures(s)
    assert len(figs) >= 15
    srcs = {src for src, _ in figs}
    # the parts the brief asks for: multipliers, weak links, CO2, the example project
    for need in ("sheet-multipliers", "sheet-weak-electronic_information", "sheet-carbon-totals",
                 "sheet-scenario-totals"):
        assert need in srcs, need
    for src, value in figs:
        if src.startswith("sheet-"):
            cells = {c for row in sheet_cells(html, src) for c in row}
            assert value in cells, (src, value)
        else:  # a share stated in a section's lead (the weak-link list's)
            assert value in section_lead(html, src), (src, value)
    # the key-figure strip shows the same numbers as the sentences
    cards = re.findall(r'<span class="kf-value num">(.*?)</span>', s)
    assert len(cards) == 6
    assert set(cards) <= {v for _, v in figs}


def test_summary_figures_equal_the_api(zh153, report_cache):
    """Independent route: the API's numbers, formatted with the decimals their column shows."""
    from lianpu.analysis.carbon.footprint import co2_satellite
    t, _, html = zh153
    figs = dict((v, src) for src, v in figures(summary_html(html)))
    # largest Type I output multiplier (domestic view of this competitive table): 3 decimals
    m = lianpu.multipliers(t.domestic(), "output")
    assert fmt_num(m.max(), 3) in figs and figs[fmt_num(m.max(), 3)] == "sheet-multipliers"
    # production-based CO2, Mt: no decimals (thousands of Mt)
    fp = lianpu.footprint(co2_satellite(t, data_dir=report_cache))
    assert fmt_num(fp.totals["production_based"], 0) in figs
    # example project: 100,000 万元 for 094, Type II total output effect (万元, no decimals)
    import pandas as pd
    f = pd.Series(0.0, index=t.index)
    f["094"] = 100_000.0
    res = lianpu.impact(t.domestic(), f, type="II")
    want = res.totals().loc[("output", res.scenarios[0])]
    assert fmt_num(want["total"], 0) in figs and fmt_num(100_000.0, 0) in figs
    # gross output in 亿元 (万元 / 10,000) with one decimal, as the overview shows it
    k, _ = Unit.parse(t.unit).display("zh")
    assert fmt_num(float(t.x.sum()) * k, 1) in figs


def test_english_summary_has_no_chinese(report_cache, tmp_path):
    t = lianpu.load("cn-nbs-2020-42", data_dir=report_cache)
    index = build_report(t, tracks=["aerospace"], lang="en", out_dir=tmp_path / "r",
                         data_dir=report_cache)
    s = summary_html(index.read_text("utf-8"))
    assert "Executive summary" in s
    assert not CJK.search(text(s)), CJK.findall(text(s))[:5]
    sentences = re.findall(r"<li>(.*?)</li>", s, re.S)
    assert 5 <= len(sentences) <= 8


def test_one_number_of_decimals_per_column(zh153):
    _, _, html = zh153
    checked = 0
    for tb in re.findall(r'<table class="data">(.*?)</table>', html, re.S):
        classes = re.findall(r'<th class="([^"]*)">', tb)
        body = tb[tb.index("<tbody>"):]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            cells = re.findall(r'<td class="([^"]*)">(.*?)</td>', row, re.S)
            for (cls, raw), head in zip(cells, classes):
                assert cls.startswith(head)  # + the row's decimals in a table of mixed units
                d = re.search(r"\bd(\d)\b", cls)
                v = text(raw)
                if d is None or v == "—":
                    continue
                assert "r" in cls.split()  # numbers right-aligned
                decimals = len(v.split(".")[1]) if "." in v else 0
                assert decimals == int(d.group(1)), (cls, v)
                checked += 1
    assert checked > 1500, checked  # 1,879 cells on this report


@pytest.mark.parametrize("values, percent, want", [
    ([448.0, 90.239, 1700.0], False, 0),  # the ragged column: 448 / 90 / 1,700
    ([3.261, 1.02, 2.5], False, 3),       # multipliers: about four significant digits
    ([0.5, 0.0213], False, 4),
    ([250.0, 12.5], False, 1),
    ([0.0004, 0.0001], False, 6),         # at most six
    ([57.68, 3.1], True, 1),              # percentages from 10 %: one decimal
    ([7.57, 0.3], True, 2),
    ([0.0, float("nan")], False, 0),
])
def test_column_decimals(values, percent, want):
    assert column_decimals(values, percent) == want


def test_cells_use_the_column_decimals():
    import pandas as pd
    f = pd.DataFrame({"a [万元]": [1700.0, 448.0, 90.239], "b [%]": [57.68, 3.1, np.nan],
                      "n": [1, 2, 3], "name": ["x", "y", "z"]})
    cls = numeric_columns(f)
    assert cls == ["r d0", "r p d1", "r d0", ""]
    assert [cell_text(v, cls[0]) for v in f["a [万元]"]] == ["1,700", "448", "90"]
    assert [cell_text(v, cls[1]) for v in f["b [%]"]] == ["57.7", "3.1", "—"]


def test_workbook_stores_numbers_with_formats(zh153):
    t, index, html = zh153
    wb = openpyxl.load_workbook(index.parent / "lianpu-report.xlsx")
    ws = wb["经济概览"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    k, dunit = Unit.parse(t.unit).display("zh")
    out = rows[f"总产出 [{dunit}]"]
    assert out[1].data_type == "n" and out[1].number_format == "#,##0.0"
    assert out[1].value == pytest.approx(float(t.x.sum()) * k, rel=1e-12)
    assert out[2].data_type == "n" and out[2].value == pytest.approx(float(t.x.sum()), rel=1e-12)
    rate = rows["增加值率"]
    assert rate[1].data_type == "n" and rate[1].number_format == "0.0%"
    assert rate[1].value == pytest.approx(float(t.value_added_.sum() / t.x.sum()), rel=1e-12)
    n = rows["部门数"][1]
    assert n.data_type == "n" and n.value == t.n
    meta = {r[0].value: r[1] for r in wb["meta"].iter_rows(min_row=2)}
    assert meta["sectors"].data_type == "n" and meta["sectors"].value == t.n
    assert meta["year"].value == t.year and meta["table"].value == t.name
    # a body table: the format carries the decimals the HTML column shows
    name = next(s for s in wb.sheetnames if s.startswith("产出乘数最高的部门"))
    ws = wb[name]
    head = [c.value for c in ws[1]]
    j = next(i for i, h in enumerate(head) if str(h).startswith("产出乘数（I型）"))
    col = [r[j] for r in ws.iter_rows(min_row=2)]
    assert all(c.data_type == "n" and c.number_format == "#,##0.000" for c in col)
    shares = next(s for s in wb.sheetnames if s.startswith("短板清单"))
    head = [c.value for c in wb[shares][1]]
    j = next(i for i, h in enumerate(head) if str(h).startswith("进口占比"))
    col = [r[j] for r in wb[shares].iter_rows(min_row=2)]
    assert all(c.data_type == "n" and c.number_format == "#,##0.0" for c in col)


def test_position_chart_legend_matches_lines():
    """Each sector's two lines (upstreamness, import content) share one colour and one legend
    entry; different sectors get different colours."""
    import pandas as pd

    from lianpu.report.position_figure import position_figure

    class PS:  # the attributes position_figure reads from a PositionSeries
        upstreamness = pd.DataFrame({"A": [1.5, 1.6], "B": [2.0, 2.1], "C": [1.1, 1.2]},
                                    index=[2017, 2018])
        import_content = pd.DataFrame({"A": [0.1, 0.2], "B": [0.3, 0.2], "C": [0.05, 0.06]},
                                      index=[2017, 2018])
        sectors = pd.DataFrame({"name_zh": ["甲", "乙", "丙"], "name_en": ["a", "b", "c"]},
                               index=["A", "B", "C"])
        summary = pd.DataFrame({"import_content_exports": [0.2, 0.21],
                                "import_content_final_use": [0.1, 0.11]}, index=[2017, 2018])

    fig = position_figure(PS(), "en", top=2)
    by = {}
    for tr in fig.data[:6]:
        by.setdefault(tr.legendgroup, []).append(tr)
    assert sorted(by) == ["A", "B", "C"]
    colours = set()
    for code, pair in by.items():
        assert len(pair) == 2 and pair[0].line.color == pair[1].line.color
        assert [p.showlegend for p in pair] == [True, False]
        colours.add(pair[0].line.color)
    assert len(colours) == 3
    assert [tr.name for tr in fig.data[6:]] == ["Import content of exports",
                                                 "Import content of all final demand"]


def test_summary_and_tables_in_chromium(zh153, tmp_path):
    """In Chromium: no console error, the six cards link to sections that exist, every table
    sits in a horizontal-scroll box, and the 分部门效应 table (8 columns) fits its box at a
    1400-pixel window without scrolling (headers wrap). Set LIANPU_SCREENSHOTS=DIR to keep the
    summary's screenshot (docs/screenshots/report_summary.png)."""
    import os
    from pathlib import Path
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip(f"{chromium} not found (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright
    _, index, _ = zh153
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium),
                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(index.as_uri())
        hrefs = page.locator("#summary a.keyfig").evaluate_all("els => els.map(e => e.hash)")
        assert len(hrefs) == 6
        for h in hrefs:
            assert page.locator(h).count() == 1, h
        boxes = page.evaluate("""() => [...document.querySelectorAll('table.data')].map(t =>
            getComputedStyle(t.parentElement).overflowX)""")
        assert boxes and set(boxes) == {"auto"}
        fit = page.evaluate("""() => { const w = document.querySelector(
            '#sheet-scenario-sectors .table-wrap'); return [w.scrollWidth, w.clientWidth]; }""")
        assert fit[0] <= fit[1] + 1, fit
        shots = os.environ.get("LIANPU_SCREENSHOTS")
        page.locator("#summary").screenshot(
            path=str(Path(shots) / "report_summary.png") if shots else str(tmp_path / "s.png"))
        b.close()
    assert errors == []


def test_rows_in_different_units_get_decimals_row_by_row(tmp_path):
    """效应合计 holds 亿元, persons and 万吨 in one column: one number of decimals per row
    (from the row's largest value, the column rule), in HTML and as Excel formats."""
    import pandas as pd

    from lianpu.report.model import Sheet
    from lianpu.report.render import decimals_by_row, env, row_class, write_workbook
    f = decimals_by_row(pd.DataFrame({"indicator": ["增加值", "就业"], "unit": ["亿元", "人"],
                                      "direct": [35.2, 12345.0], "total": [48.61, 20001.0]}))
    cls = numeric_columns(f)
    assert cls == ["", "", "r m", "r m"]
    assert [row_class(f, cls[3], i) for i in (0, 1)] == ["r m d2", "r m d0"]
    assert [cell_text(f.iloc[i, 3], row_class(f, cls[3], i)) for i in (0, 1)] == \
        ["48.61", "20,001"]
    sh = Sheet("t", "t", f)
    html = env().get_template("_macros.html.j2").module.sheet_table(
        sh, None, cls, [list(r) for r in f.itertuples(index=False)], len(f))
    assert '<td class="r m d2"><span class="num">35.20</span>' in str(html)
    assert '<td class="r m d0"><span class="num">12,345</span>' in str(html)
    sh.sheet_name = "t"
    write_workbook([sh], tmp_path / "t.xlsx", {})
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["t"]
    assert [ws.cell(row=r, column=3).number_format for r in (2, 3)] == ["#,##0.00", "#,##0"]


def test_summary_leaves_out_what_the_report_lacks(shared_data, tmp_path):
    """An OECD table: no CEADs concordance (no carbon figures) and no compensation row for
    Type II (the project sentence says no induced effect was computed); no '—' in the text."""
    from lianpu.data.download import download
    download(["cn-oecd-2018"], data_dir=tmp_path / "c", from_dir=shared_data, progress=False)
    t = lianpu.load("cn-oecd-2018", data_dir=tmp_path / "c")
    index = build_report(t, tracks=["aerospace"], out_dir=tmp_path / "r",
                         data_dir=tmp_path / "c")
    html = index.read_text("utf-8")
    s = summary_html(html)
    sentences = [text(x) for x in re.findall(r"<li>(.*?)</li>", s, re.S)]
    assert 5 <= len(sentences) <= 8
    assert not re.search("(?<!—)—(?!—)", " ".join(sentences))  # no missing-value dash
    assert any("未计算诱发效应" in x for x in sentences)
    labels = re.findall(r'<span class="kf-label">(.*?)</span>', s)
    assert "生产侧排放" not in labels and "示例项目总产出效应" in labels
    for src, value in figures(s):
        if src.startswith("sheet-"):
            assert value in {c for row in sheet_cells(html, src) for c in row}, (src, value)
