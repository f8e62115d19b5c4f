"""The project impact report (``lianpu report SOURCE --project demand.csv``) and the shipped
satellites of ``lianpu multipliers --kind jobs|co2``: the numbers are lianpu.impact's on the
same basis, the leakage split of a provincial table adds up to the project's spending, the
folder is written atomically, and the HTML opens in a browser with no console error."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pytest

import lianpu
from lianpu.analysis.carbon.footprint import co2_satellite
from lianpu.cli import main
from lianpu.report.project import build_project_report, project_impact
from lianpu.satellites import employment_satellite

DEMAND = Path(__file__).resolve().parents[2] / "docs" / "examples" / "project_demand.csv"
NAT, PROV = "cn-nbs-2020-42", "cn-prov-2017-51"
SEED = (NAT, "cn-nbs-2020-153", PROV, "cn-employment", "ceads-china", "ceads-provinces-2017")
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def cache(tmp_path_factory, shared_data):
    from lianpu.data.download import download
    d = tmp_path_factory.mktemp("project-cache")
    download(list(SEED), data_dir=d, from_dir=shared_data, progress=False)
    return d


@pytest.fixture(scope="module")
def tables(cache):
    return {i: lianpu.load(i, data_dir=cache) for i in (NAT, PROV)}


@pytest.fixture(scope="module")
def built(tables, cache, tmp_path_factory):
    root = tmp_path_factory.mktemp("project-reports")
    return {i: build_project_report(t, DEMAND, root / i, data_dir=cache, draws=50)
            for i, t in tables.items()}


def _with_sats(t, d):
    if not t.province:
        t = employment_satellite(t, None, d)
    return co2_satellite(t, data_dir=d)


@pytest.mark.parametrize("tid", [NAT, PROV])
def test_numbers_equal_impact(tables, cache, tid):
    t = tables[tid]
    p = project_impact(t, DEMAND, data_dir=cache, draws=0)
    r2 = lianpu.impact(_with_sats(t, cache), DEMAND, "II", data_dir=cache)
    r1 = lianpu.impact(_with_sats(t, cache), DEMAND, "I", data_dir=cache)
    assert p.impact.basis == r2.basis and p.impact.basis["requested"] == "auto"
    assert p.impact.closure == r2.closure
    tot = p.totals()
    t2, t1 = r2.totals(), r1.totals()
    for ind in r2.indicators:
        row2, row1 = t2.loc[(ind, "demand")], t1.loc[(ind, "demand")]
        np.testing.assert_allclose(
            [tot.at[ind, e] for e in ("direct", "indirect", "induced", "type2")],
            [row2[e] for e in ("direct", "indirect", "induced", "total")], rtol=1e-10)
        np.testing.assert_allclose(tot.at[ind, "type1"], row1["total"], rtol=1e-10)
    assert set(tot.index) >= {"output", "value_added", "income", "production_taxes", "co2"}
    assert ("jobs" in tot.index) == (tid == NAT)
    # net taxes on production (VA002) are value added less the other components
    v = p.table
    roles = list(v.primary_roles)
    tax = v.V_[roles.index("production_taxes")] / v.x_
    np.testing.assert_allclose(tot.at["production_taxes", "type2"], tax @ r2.type2[:, 0])
    assert tot.at["output", "type1_per_unit"] == pytest.approx(t1.loc[("output", "demand"),
                                                                        "total"] / 1e6)


@pytest.mark.parametrize("tid", [NAT, PROV])
def test_workbook_numbers_are_impacts(built, tables, cache, tid):
    r = lianpu.impact(_with_sats(tables[tid], cache), DEMAND, "II", data_dir=cache).totals()
    wb = openpyxl.load_workbook(built[tid].parent / "lianpu-report.xlsx", read_only=True)
    rows = list(wb["效应合计"].values)
    head = rows[0]
    got = {row[0]: dict(zip(head, row)) for row in rows[1:]}
    # money in 亿元 (table in 万元), jobs in persons, CO2 in 万吨
    assert got["总产出"]["II型合计"] == pytest.approx(r.loc[("output", "demand"), "total"] * 1e-4)
    assert got["增加值"]["间接效应"] == pytest.approx(
        r.loc[("value_added", "demand"), "indirect"] * 1e-4)
    assert got["二氧化碳排放"]["II型合计"] == pytest.approx(r.loc[("co2", "demand"), "total"] * 100)
    if tid == NAT:
        assert got["就业"]["直接效应"] == pytest.approx(r.loc[("jobs", "demand"), "direct"] * 1e4)
    p5, p95 = got["总产出"]["蒙特卡洛 p5"], got["总产出"]["蒙特卡洛 p95"]
    assert p5 < got["总产出"]["II型合计"] < p95
    assert {"meta", "项目支出结构", "支出去向", "分部门效应"} <= set(wb.sheetnames)


def test_leakage_split_on_a_provincial_table(tables, cache):
    t = tables[PROV]
    p = project_impact(t, DEMAND, data_dir=cache, draws=0)
    v = p.table
    assert p.impact.basis["basis"] == "local" and v.Zr_ is not None
    lk = p.leakage()
    # every yuan ends up as local value added or leaks out (abroad / other provinces)
    assert lk.drop("imbalance").sum() == pytest.approx(p.spend, rel=1e-9)
    assert abs(lk["imbalance"]) < 1e-6 * p.spend
    assert p.spend == pytest.approx(1_000_000)  # 100 亿元 in 万元
    # first round: the part of the purchases not met locally, by kind
    gap = p.amount - p.local
    np.testing.assert_allclose(p.leak_first["abroad"] + p.leak_first["provinces"], gap)
    assert lk["abroad_first_round"] > 0 and lk["provinces_first_round"] > 0
    # supply chain: imported and inflowing inputs of the Type I output
    x1 = p.impact.type1[:, 0]
    assert lk["abroad_supply_chain"] == pytest.approx((v.Zm_ / v.x_).sum(axis=0) @ x1)
    assert lk["provinces_supply_chain"] == pytest.approx((v.Zr_ / v.x_).sum(axis=0) @ x1)
    # a national table has no other provinces
    n = project_impact(tables[NAT], DEMAND, data_dir=cache, draws=0).leakage()
    assert n["provinces_first_round"] == n["provinces_supply_chain"] == 0
    assert n.drop("imbalance").sum() == pytest.approx(1_000_000, rel=1e-9)
    # published basis (competitive provincial table, imports inside A): only first-round
    # leakage, all of it counted abroad, and still Σ = spending
    q = project_impact(t, DEMAND, data_dir=cache, draws=0, basis="published")
    lq = q.leakage()
    assert q.impact.basis["basis"] == "published"
    assert lq["abroad_first_round"] == pytest.approx((q.amount - q.local).sum())
    assert lq["abroad_supply_chain"] == lq["provinces_first_round"] == 0
    assert lq.drop("imbalance").sum() == pytest.approx(1_000_000, rel=1e-6)


def test_local_share_override(tables, cache):
    p = project_impact(tables[NAT], DEMAND, data_dir=cache, draws=0, local_share=0.5)
    np.testing.assert_allclose(p.local, 0.5 * p.amount)
    q = project_impact(tables[NAT], DEMAND, data_dir=cache, draws=0, local_share={"18": 1})
    i = list(map(str, tables[NAT].index)).index("18")
    assert q.local[i] == q.amount[i] and q.local.sum() < q.amount.sum()


def test_report_html_sections(built):
    html = built[PROV].read_text("utf-8")
    for s in ("项目影响报告", "直接效应", "诱发效应", "II型合计", "每亿元", "首轮漏出·境外进口",
              "产业链漏出·省外调入", "蒙特卡洛 50 次", "II型居民收口", "@media print", "本地视角"):
        assert s in html, s
    assert "就业：未计算" in html  # provincial: no provincial employment statistics shipped
    assert "<script src=" not in html  # self-contained
    nat = built[NAT].read_text("utf-8")
    assert "就业" in nat and "漏出·省外调入" not in nat and "本表不区分省外调入" in nat


def test_cli_report_project(tables, cache, tmp_path, capsys):
    out = tmp_path / "proj"
    args = ["report", NAT, "--project", str(DEMAND), "--out", str(out), "--data-dir",
            str(cache), "--draws", "20", "--lang", "en", "--json"]
    assert main(args) == 0
    got = json.loads(capsys.readouterr().out)
    assert Path(got["html"]).is_file() and Path(got["xlsx"]).is_file()
    html = Path(got["html"]).read_text("utf-8")
    assert "Project impact report" in html and "Monte Carlo with 20 draws" in html
    # rerun replaces the report; a foreign file in the folder is refused, never deleted
    assert main(args + ["--local-share", "0.5"]) == 0
    capsys.readouterr()
    (out / "mine.txt").write_text("keep")
    assert main(args) == 2
    assert "mine.txt" in capsys.readouterr().err and (out / "mine.txt").read_text() == "keep"


@pytest.mark.parametrize("args, needle", [
    (["--local-share", "1.5"], "--local-share: found 1.5"),
    (["--local-share", "18=x"], "--local-share: found '18=x'"),
    (["--tracks", "aerospace"], "--tracks: found together with --project"),
    (["--draws", "-1"], "--draws: found -1"),
    (["--basis", "bogus"], "--basis: found 'bogus'"),
])
def test_cli_report_project_errors(cache, tmp_path, capsys, args, needle):
    code = main(["report", NAT, "--project", str(DEMAND), "--out", str(tmp_path / "r"),
                 "--data-dir", str(cache)] + args)
    assert code == 2 and needle in capsys.readouterr().err


def test_cli_flags_need_project(cache, tmp_path, capsys):
    assert main(["report", NAT, "--out", str(tmp_path / "r"), "--pdf"]) == 2
    assert "--pdf: found without --project" in capsys.readouterr().err


def test_pdf_without_chromium(cache, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LIANPU_CHROMIUM", str(tmp_path / "no-such-browser"))
    code = main(["report", NAT, "--project", str(DEMAND), "--out", str(tmp_path / "r"),
                 "--data-dir", str(cache), "--pdf"])
    assert code == 2 and "no headless Chromium found" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_pdf_with_chromium(tables, cache, tmp_path):
    index = build_project_report(tables[NAT], DEMAND, tmp_path / "r", data_dir=cache, draws=0,
                                 pdf=True, lang="en")
    pdf = index.with_name("lianpu-report.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
    # the PDF is part of the report folder: a rerun replaces it
    build_project_report(tables[NAT], DEMAND, tmp_path / "r", data_dir=cache, draws=0)
    assert not pdf.exists()


# --------------------------------------------------------------------------- multipliers
@pytest.mark.parametrize("tid, kind, year, needle", [
    (NAT, "jobs", 2018, "2018 employment used"),
    (NAT, "co2", 2019, "CEADs national inventory 2019"),
    (PROV, "co2", 2017, "CEADs inventory of 四川 (Sichuan) 2017"),
])
def test_cli_multipliers_shipped_satellites(cache, capsys, tid, kind, year, needle):
    assert main(["multipliers", tid, "--kind", kind, "--top", "3", "--data-dir", str(cache),
                 "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["kind"] == kind and got["satellite"]["data_year"] == year
    assert needle in got["satellite"]["note"]
    assert len(got["multipliers"]) == 3 and got["multipliers"][0]["value"] > 0
    m = lianpu.multipliers(_with_sats(lianpu.load(tid, data_dir=cache), cache), kind)
    assert got["multipliers"][0]["value"] == pytest.approx(m.max())
    # the data line in the screen's language: the satellite note's Chinese twin under zh
    # (the default), its English under --lang en; the same note as the JSON's
    zh_name = {"jobs": "就业", "co2": "二氧化碳"}[kind]
    assert main(["multipliers", tid, "--kind", kind, "--top", "3", "--data-dir", str(cache)]) == 0
    text = capsys.readouterr().out
    assert f"数据：{year} — {zh_name}：" in text and "0.0000 " not in text
    assert needle not in text and got["satellite"]["note_zh"][:12] in text.replace("\n", "")
    assert main(["multipliers", tid, "--kind", kind, "--top", "3", "--lang", "en",
                 "--data-dir", str(cache)]) == 0
    text = capsys.readouterr().out
    assert f"data: {year} — {kind}:" in text and needle in text.replace("\n", "")


def test_cli_multipliers_jobs_refused_on_a_province(cache, capsys):
    assert main(["multipliers", PROV, "--kind", "jobs", "--data-dir", str(cache)]) == 2
    assert "national employment statistics only" in capsys.readouterr().err


def test_cli_value_added_on_published_basis_explained(cache, capsys):
    assert main(["multipliers", PROV, "--kind", "value_added", "--basis", "published",
                 "--data-dir", str(cache), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert all(abs(r["value"] - 1) < 1e-6 for r in got["multipliers"])
    assert "imports are not leakages" in got["why_all_one"]
    assert main(["multipliers", PROV, "--kind", "value_added", "--basis", "published",
                 "--data-dir", str(cache), "--lang", "en"]) == 0
    assert "run without --basis published" in capsys.readouterr().out
    assert main(["multipliers", PROV, "--kind", "value_added", "--data-dir", str(cache),
                 "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert "why_all_one" not in got and max(r["value"] for r in got["multipliers"]) < 0.99


# --------------------------------------------------------------------------- browser
@pytest.fixture(scope="module")
def page():
    if not CHROMIUM.exists():
        msg = f"!!! {CHROMIUM} NOT FOUND: the project report's browser check is SKIPPED !!!"
        warnings.warn(msg, stacklevel=2)
        pytest.skip(msg)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM),
                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        pg = b.new_page(viewport={"width": 1300, "height": 900}, locale="zh-CN")
        errors = []
        pg.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}")
              if m.type == "error" else None)
        pg.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        pg.errors = errors
        yield pg
        b.close()


def test_project_report_opens_in_a_browser(page, built):
    outside = []

    def route(r):
        if r.request.url.startswith(("file://", "data:")):
            return r.continue_()
        outside.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.goto(built[PROV].as_uri())
    n = page.locator("figure.chart").count()
    assert n == 3
    page.wait_for_function(f"document.querySelectorAll('figure.chart .main-svg').length >= {n}",
                           timeout=60_000)
    assert page.locator("h1").inner_text() == "项目影响报告"
    assert "本地留存与漏出" in page.locator("nav.toc").inner_text()
    assert page.locator("#sheet-project-totals tbody tr").count() == 5  # no jobs: a province
    page.emulate_media(media="print")
    assert page.locator("nav.toc").is_hidden()
    assert outside == [] and page.errors == []
