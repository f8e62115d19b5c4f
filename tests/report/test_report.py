"""The chain-diagnosis report: builds for every 42-sector NBS table, opens with no network
(no remote asset), its workbook's numbers equal the API's, writes atomically, and runs through
the CLI entry point."""
from __future__ import annotations

import json
from html.parser import HTMLParser

import numpy as np
import openpyxl
import pytest

import lianpu
from lianpu.report import ReportError, build_report
from lianpu.report.i18n import tr

from .conftest import NBS42

TRACK = "electronic_information"


class _Assets(HTMLParser):
    """Every src= / href= attribute, and whether scripts/styles are external."""

    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("src", "href") and v:
                self.refs.append((tag, k, v))


def remote_refs(html: str) -> list:
    p = _Assets()
    p.feed(html)
    return [r for r in p.refs if r[2].lower().startswith(("http://", "https://", "//"))]


def sheet_frame(wb, name):
    ws = wb[name]
    rows = list(ws.iter_rows(values_only=True))
    return rows[0], rows[1:]


def column(wb, sheet, header_start):
    head, rows = sheet_frame(wb, sheet)
    j = next(i for i, h in enumerate(head) if str(h).startswith(header_start))
    codes = [r[head.index(tr("code", "zh"))] for r in rows]
    return dict(zip(codes, [r[j] for r in rows]))


def sheet_named(wb, prefix):
    names = [n for n in wb.sheetnames if n.startswith(prefix)]
    assert names, f"no sheet starting with {prefix!r} in {wb.sheetnames}"
    return names[0]


@pytest.fixture(scope="module")
def built(report_cache, tmp_path_factory):
    """One zh report per 42-sector table, one small track (keeps the suite fast)."""
    out = {}
    root = tmp_path_factory.mktemp("reports")
    for i in NBS42:
        t = lianpu.load(i, data_dir=report_cache)
        out[i] = (t, build_report(t, tracks=[TRACK], out_dir=root / i, data_dir=report_cache))
    return out


@pytest.mark.parametrize("dataset", NBS42)
def test_report_builds_offline_for_every_nbs42_table(built, dataset, report_cache, tmp_path):
    t, index = built[dataset]
    html = index.read_text("utf-8")
    assert index.name == "index.html" and (index.parent / "lianpu-report.xlsx").is_file()
    assert remote_refs(html) == []
    assert "<script src" not in html and 'rel="stylesheet"' not in html  # all inline
    assert "Plotly.newPlot" in html and "plotly.js v" in html  # plotly.js itself is inline
    for key in ("keysectors", "panorama", "tier_table", "weak_list", "risk_list",
                "attract_list", "strengths", "track_multipliers", "inducement"):
        assert tr(key, "zh") in html, key
    assert "电子信息" in html and str(t.year) in html
    track = lianpu.tracks()[TRACK]  # the mapping note in Chinese, not in English
    assert "产业链与投入产出部门的对应：" in html and track.note("nbs42", "zh") in html
    assert track.note("nbs42", "en") not in html
    if dataset == "cn-nbs-2005-42":  # imports exceed domestic use of one product: said so
        # (the domestic view's note, IOTable.domestic in table_views.py: sector 20 of the 2005
        # table), in the report's language — Chinese here, English in an English report
        assert "转口：20的进口超过国内使用，其进口占比也分摊到出口" in html
        assert "re-exports: imports exceed domestic use" not in html
        en = build_report(t, tracks=[TRACK], lang="en", out_dir=tmp_path / "en",
                          data_dir=report_cache).read_text("utf-8")
        assert ("re-exports: imports exceed domestic use for 20; their import share is spread "
                "over exports too") in en and "转口：" not in en
    leftovers = [p.name for p in index.parent.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


@pytest.mark.parametrize("dataset", NBS42)
def test_workbook_numbers_equal_the_api(built, dataset):
    t, index = built[dataset]
    wb = openpyxl.load_workbook(index.parent / "lianpu-report.xlsx", read_only=True)
    # key sectors: 影响力系数 / 感应度系数 of every sector
    ks = lianpu.keysectors(t)
    sheet = sheet_named(wb, "关键部门（全部部门）")
    pd_ = column(wb, sheet, "影响力系数")
    sd = column(wb, sheet, "感应度系数")
    assert len(pd_) == t.n
    for c in t.index:
        assert pd_[c] == pytest.approx(ks.loc[c, "power_of_dispersion"], rel=1e-12)
        assert sd[c] == pytest.approx(ks.loc[c, "sensitivity"], rel=1e-12)
    # multipliers: domestic view of a competitive table, the table itself otherwise
    dom = t if t.imports == "non-competitive" else t.domestic()
    m = lianpu.multipliers(dom, "output")
    got = column(wb, sheet_named(wb, "产出乘数最高的部门"), "产出乘数（I型）")
    assert {c: got[c] for c in t.index} == pytest.approx(m.to_dict(), rel=1e-12)
    # weak links of the track: import shares in % (短板清单) and imported volumes (招商清单)
    wl = lianpu.weaklinks(t, TRACK, top=10)
    short = column(wb, sheet_named(wb, "短板清单"), "进口占比")
    assert list(short) == list(wl.shortboard.index)
    for c, v in short.items():
        assert v == pytest.approx(100 * wl.shortboard.loc[c, "import_share"], rel=1e-12)
    attract = column(wb, sheet_named(wb, "招商清单"), "全链进口投入")
    assert attract == pytest.approx(wl.attraction["chain_imported"].to_dict(), rel=1e-12)
    # tier table: the chain's total requirement of its own sectors
    cm = lianpu.chain(t, TRACK)
    tiers = column(wb, sheet_named(wb, "产业链环节表"), "间接需要")
    for c in cm.track_sectors:
        assert tiers[c] == pytest.approx(cm.upstream.loc[c, "total"], rel=1e-12)
    # headers carry units
    head, _ = sheet_frame(wb, sheet_named(wb, "招商清单"))
    assert any("[万元]" in str(h) for h in head) and any("[%]" in str(h) for h in head)


def test_cli_report_english_json(report_cache, tmp_path, capsys):
    import lianpu.commands.report  # noqa: F401  (registers `report` until cli.py imports it)
    from lianpu.cli import main
    out = tmp_path / "rep"
    code = main(["report", "cn-nbs-2020-42", "--tracks", "aerospace,生物医药", "--lang", "en",
                 "--out", str(out), "--data-dir", str(report_cache), "--json"])
    cap = capsys.readouterr()
    assert code == 0, cap.err
    d = json.loads(cap.out)
    assert d["ok"] and d["html"].endswith("index.html")
    html = (out / "index.html").read_text("utf-8")
    assert '<html lang="en">' in html
    for s in ("Key sectors", "Chain panorama map", "Weak-link list", "Aerospace", "Biomedicine",
              "Investment-attraction list"):
        assert s in html, s
    wb = openpyxl.load_workbook(out / "lianpu-report.xlsx", read_only=True)
    meta = dict(wb["meta"].iter_rows(min_row=2, values_only=True))
    assert meta["tracks"] == "aerospace,biomedicine" and meta["language"] == "en"


@pytest.mark.parametrize("args, needle", [
    (["--lang", "fr"], "--lang: found 'fr'"),
    (["--tracks", "no_such_track"], "unknown track 'no_such_track'"),
    (["--tracks", ","], "--tracks: found an empty list"),
])
def test_cli_report_errors(report_cache, tmp_path, capsys, args, needle):
    import lianpu.commands.report  # noqa: F401
    from lianpu.cli import main
    code = main(["report", "cn-nbs-2020-42", "--out", str(tmp_path / "r"), "--data-dir",
                 str(report_cache)] + args)
    cap = capsys.readouterr()
    assert code == 2 and needle in cap.err
    assert not (tmp_path / "r").exists()


def test_failed_build_leaves_earlier_report_intact(report_cache, tmp_path, monkeypatch):
    t = lianpu.load("cn-nbs-2020-42", data_dir=report_cache)
    out = tmp_path / "report"
    build_report(t, tracks=["aerospace"], out_dir=out, data_dir=report_cache)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*a, **k):
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr("lianpu.report.build.write_workbook", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        build_report(t, tracks=["biomedicine"], out_dir=out, data_dir=report_cache)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # no temp folder left


def test_refuses_to_replace_a_folder_that_is_not_a_report(report_cache, tmp_path):
    t = lianpu.load("cn-nbs-2020-42", data_dir=report_cache)
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(ReportError, match="not empty and holds no earlier lianpu report"):
        build_report(t, tracks=["aerospace"], out_dir=tmp_path)
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_default_report_on_153_sectors_has_carbon_and_scenario(report_cache, tmp_path):
    """The `make demo` report: default chains, carbon footprint and the example project, with
    numbers equal to lianpu.footprint and lianpu.impact."""
    from lianpu.analysis.carbon.footprint import co2_satellite
    t = lianpu.load("cn-nbs-2020-153", data_dir=report_cache)
    index = build_report(t, out_dir=tmp_path / "r", data_dir=report_cache)
    html = index.read_text("utf-8")
    for name in ("电子信息", "航空航天", "新能源", "生物医药", "碳足迹", "情景示例"):
        assert name in html, name
    wb = openpyxl.load_workbook(index.parent / "lianpu-report.xlsx", read_only=True)
    fp = lianpu.footprint(co2_satellite(t, data_dir=report_cache))
    head, rows = sheet_frame(wb, "碳排放总量")
    got = {r[0]: r[1] for r in rows}
    from lianpu.analysis.carbon.footprint import TOTAL_NAMES
    assert got[TOTAL_NAMES["production_based"][0]] == pytest.approx(
        fp.totals["production_based"], rel=1e-12)
    assert got[TOTAL_NAMES["footprint_dta"][0]] == pytest.approx(
        fp.totals["footprint_dta"], rel=1e-12)
    # example project: 10 亿元 (100,000 万元) for the largest electronics sector (094)
    import pandas as pd
    f = pd.Series(0.0, index=t.index)
    f["094"] = 100_000.0
    res = lianpu.impact(t.domestic(), f, type="II")
    head, rows = sheet_frame(wb, "效应合计")
    out_row = next(r for r in rows if r[0] == "总产出")
    want = res.totals().loc[("output", res.scenarios[0])]
    assert out_row[2:] == pytest.approx([want[e] for e in ("direct", "indirect", "induced",
                                                           "total")], rel=1e-12)
    assert np.isclose(out_row[2], 100_000.0)
