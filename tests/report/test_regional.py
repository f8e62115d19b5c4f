"""The report section 区域联动 (lianpu report cn-mrio-2017 --region 四川) and its dashboard
page/API, browser-free. Expected numbers come from the analyses themselves
(lianpu.analysis.regions.mrio.questions; Sichuan's production-based CO2 = its CEADs 2017 inventory,
318.8 Mt; 重庆→四川 value added 722 亿元 as in docs/china_mrio.md)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def cn_cache(tmp_path_factory, shared_data):
    from lianpu.data.download import download
    from lianpu.data.registry import provinces
    d = tmp_path_factory.mktemp("regional-cache")
    ids = [f"cn-prov-2017-{p.gb}" for p in provinces()] + ["ceads-provinces-2017"]
    download(ids, data_dir=d, from_dir=shared_data, progress=False)
    return d


@pytest.fixture(scope="module")
def mrio(cn_cache):
    import lianpu
    return lianpu.load("cn-mrio-2017", data_dir=cn_cache)


def test_regional_section_content(mrio, cn_cache):
    from lianpu.report.regional import regional_section
    sec = regional_section(mrio, "四川", "zh", data_dir=cn_cache)
    keys = [s.key for s in sec.sheets]
    assert keys == ["regional-inflows", "regional-twin", "regional-complement",
                    "regional-co2-groups", "regional-co2"]
    assert [f.key for f in sec.figures] == ["regional-inflows", "regional-co2"]
    text = " ".join(sec.paragraphs)
    assert "318.8 Mt" in text and "722 亿元" in text and "西部为东部最终需求排放" in text
    inflows = sec.sheets[0].frame
    assert inflows.iloc[:, 3].sum() == pytest.approx(100, abs=0.05)
    en = regional_section(mrio, "SC", "en", data_dir=cn_cache)
    assert en.title.startswith("7.") and "Twin cores" in " ".join(en.paragraphs)


def test_report_with_region_html_offline(mrio, cn_cache, tmp_path):
    from lianpu.report import build_report
    from .test_report import remote_refs
    index = build_report(mrio, tracks=["electronic_information"], lang="zh",
                         out_dir=tmp_path / "rep", data_dir=cn_cache, region="四川")
    html = index.read_text("utf-8")
    assert "七、区域联动（多区域表）" in html and "双核联动 四川⇄重庆" in html
    assert "互补共振：甘肃→成渝" in html and "四川最终需求在其他省份引起的CO2排放" in html
    assert remote_refs(html) == [] and "<script src" not in html
    # the report states the supply view (the builder's note, regions/mrio/common.py
    # supply_view: how many sectors, their sales moved) in its language
    import html as markup
    from lianpu.core.notes import zh
    view = next(n for n in mrio.notes if n.startswith("supply view:"))
    text = markup.unescape(html)
    assert zh(view).startswith("供给侧视角：") and zh(view) in text
    assert "supply view:" not in text
    from lianpu.report.overview import overview   # the section that states it, in English
    assert str(view) in " ".join(overview(mrio, "en").paragraphs)
    # the track's chain is traced in the --region province, not the MRIO's first region
    from lianpu.report.tracks import chain_result
    cm = chain_result(mrio, "electronic_information", "四川")
    assert [c[0] for c in cm.track_sectors] == ["SC"]
    import openpyxl
    wb = openpyxl.load_workbook(index.with_name("lianpu-report.xlsx"), read_only=True)
    assert any(n.startswith("省外调入依赖") for n in wb.sheetnames)
    # the summary's figures are the body's, the chain's import share the one its --region
    # weak-link lead states (not the MRIO's first region)
    from .test_summary import figures, section_lead, sheet_cells, summary_html
    figs = figures(summary_html(html))
    assert any(src == "electronic_information-weak" for src, _ in figs)
    for src, value in figs:
        if src.startswith("sheet-"):
            assert value in {c for row in sheet_cells(html, src) for c in row}, (src, value)
        else:
            assert value in section_lead(html, src), (src, value)


def test_cli_report_region_errors(tmp_path, capsys, shared_data):
    from lianpu.cli import main
    from lianpu.data.download import download
    d = tmp_path / "c"
    download(["cn-nbs-2017-42"], data_dir=d, from_dir=shared_data, progress=False)
    assert main(["report", "cn-nbs-2017-42", "--out", str(tmp_path / "r"), "--region", "四川",
                 "--data-dir", str(d)]) == 2
    assert "--region" in capsys.readouterr().err


def test_dashboard_regional_page_and_api(mrio, cn_cache):
    from fastapi.testclient import TestClient
    from lianpu.report.sections import build
    from lianpu.web import create_app
    want = build(mrio, "regional", "zh", region="SC", data_dir=cn_cache)
    with TestClient(create_app(data_dir=cn_cache), base_url="http://127.0.0.1") as c:
        r = c.get("/api/tables/cn-mrio-2017/regional/SC")
        assert r.status_code == 200, r.text
        sec = r.json()["section"]
        assert sec["title"] == want.title
        got = {s["key"]: s["rows"] for s in sec["sheets"]}
        for sh in want.sheets:
            assert len(got[sh.key]) == len(sh.frame)
        assert {f["key"] for f in sec["figures"]} == {"regional-inflows", "regional-co2"}
        page = c.get("/t/cn-mrio-2017/regional/SC")
        assert page.status_code == 200 and "区域联动" in page.text
        assert "/api/tables/cn-mrio-2017/regional/SC?lang=" in page.text


def test_dashboard_chain_in_a_province_of_the_mrio(mrio, cn_cache):
    """The dashboard's chain view takes ?region= on a multi-regional table (the same chain the
    report traces with --region)."""
    from fastapi.testclient import TestClient

    from lianpu.report.tracks import chain_result
    from lianpu.web import create_app
    with TestClient(create_app(data_dir=cn_cache), base_url="http://127.0.0.1") as c:
        r = c.get("/api/tables/cn-mrio-2017/chain?track=electronic_information&region=四川")
        assert r.status_code == 200, r.text
        sec = r.json()["section"]
        want = chain_result(mrio, "electronic_information", "四川")
        tiers = next(s for s in sec["sheets"] if s["key"].startswith("tiers-"))
        assert len(tiers["rows"]) > 0 and [c[0] for c in want.track_sectors] == ["SC"]
        page = c.get("/t/cn-mrio-2017/chain?track=electronic_information&region=SC")
        assert page.status_code == 200 and "region=SC" in page.text
