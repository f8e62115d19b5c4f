"""One language and one unit on screen (issue 15, item 3), through the real entry point.

- ``--lang zh``: every column header of a command's tables is Chinese — no ASCII letter in it
  but the whitelisted unit words :data:`HEADER_WHITELIST` ('CO2', 'Mt'); region names are the
  Chinese names of the shipped label data (``data/wiod_regions.csv``: RoW → 世界其他地区).
  ``--lang en``: no Chinese character in a header.
- Long names are never cut: in a narrow table a sector name folds onto the next lines, and the
  pieces of the name column joined again give the whole name as the library has it.
- Money totals on screen are in the display unit: the caption says 亿元 (十亿美元 for a
  million-USD table) and the number equals the JSON's value in the table's own unit
  (万元, million USD) × 1e-4 (× 1e-3) — the independent route is the definition 1 亿 = 10⁴ 万,
  1 billion = 10³ million, applied to the JSON, which keeps the table's unit under "unit".
- Every caveat in the JSON (track mapping note, impact notes) is printed on screen too.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

import lianpu
from lianpu.cli import main
from lianpu.commands import _shared

EXAMPLE = Path(__file__).resolve().parents[1] / "docs/examples/project_demand.csv"
HEADER_WHITELIST = {"CO2", "Mt"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def f42(nbs_dir):
    return nbs_dir / "cn_io_2020_42.csv"


@pytest.fixture(scope="module")
def regional(wiod_dir):
    return wiod_dir / "wiot_regional_2011.RData"


@pytest.fixture
def tables(monkeypatch):
    """The rich Tables the commands print (recorded, then printed as usual)."""
    seen = []
    real = _shared.out.print

    def record(*objs, **kw):
        seen.extend(o for o in objs if hasattr(o, "columns") and hasattr(o, "add_row"))
        return real(*objs, **kw)

    monkeypatch.setattr(_shared.out, "print", record)
    return seen


def run(capsys, *args):
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def headers(tabs):
    """Column headers; for a table without a header row (info, the chain's summary) the row
    labels of its first column, which play that part."""
    heads = [str(c.header) for t in tabs if t.show_header for c in t.columns if str(c.header)]
    return heads + [str(x) for t in tabs if not t.show_header for x in t.columns[0].cells if str(x)]


def ascii_words(text):
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text) if w not in HEADER_WHITELIST]


def flat(text):
    return "".join(text.split())


COMMANDS_ZH = {
    "keysectors": lambda f, r: ["keysectors", f, "--top", "6"],
    "multipliers": lambda f, r: ["multipliers", f, "--top", "5"],
    "chain": lambda f, r: ["chain", f, "--track", "电子信息", "--rows", "4", "--top", "3"],
    "weaklinks": lambda f, r: ["weaklinks", f, "--track", "电子信息", "--top", "3"],
    "impact": lambda f, r: ["impact", f, "--demand", EXAMPLE, "--type", "I", "--top", "4"],
    "spillover": lambda f, r: ["spillover", r],
    "twin": lambda f, r: ["twin", r, "CHN", "NAFTA", "--top", "2"],
    "footprint": lambda f, r: ["footprint", f, "--by", "sector", "--top", "4"],
    "shock": lambda f, r: ["shock", f, "--cut", "20=30", "--critical", "0.01", "--top", "3"],
    "inoperability": lambda f, r: ["inoperability", f, "--shock", "20=10", "--top", "3"],
    "montecarlo": lambda f, r: ["montecarlo", f, "--demand", EXAMPLE, "--draws", "8",
                                "--no-progress"],
    "info": lambda f, r: ["info", r],
    "prices": lambda f, r: ["prices", f, "--wage-rise", "10", "--top", "3"],
    "gvc": lambda f, r: ["gvc", r, "--method", "wwz", "--top", "3"],
}
#: gvc's term names (DVA_FIN, RDV, FVA …) are the literature's codes, kept in both languages
CODE_HEADERS = {"gvc"}


@pytest.mark.parametrize("cmd", list(COMMANDS_ZH))
def test_zh_headers_have_no_english(capsys, tables, f42, regional, cmd):
    code, out, err = run(capsys, *COMMANDS_ZH[cmd](f42, regional))
    assert code == 0, err
    heads = headers(tables)
    assert tables and heads, f"{cmd} printed no table"
    if cmd in CODE_HEADERS:
        heads = [h for h in heads if not re.fullmatch(r"[A-Za-z_ ]+", h)]
    bad = {h: ascii_words(h) for h in heads if ascii_words(h)}
    assert not bad, f"{cmd}: English in Chinese headers: {bad}"


@pytest.mark.parametrize("cmd", ["keysectors", "chain", "weaklinks", "impact", "spillover"])
def test_en_headers_have_no_chinese(capsys, tables, f42, regional, cmd):
    code, out, err = run(capsys, *COMMANDS_ZH[cmd](f42, regional), "--lang", "en")
    assert code == 0, err
    bad = [h for h in headers(tables) if CJK.search(h)]
    assert not bad, f"{cmd}: Chinese in English headers: {bad}"


@pytest.fixture(scope="module")
def mrio_cache(tmp_path_factory, shared_data):
    """The 2017 provincial tables and CEADs provinces, seeded as users with a copy do."""
    from lianpu.data.download import download
    from lianpu.data.registry import provinces
    d = tmp_path_factory.mktemp("mrio-cache")
    ids = [f"cn-prov-2017-{p.gb}" for p in provinces()] + ["ceads-provinces-2017"]
    download(ids, data_dir=d, from_dir=shared_data, progress=False)
    return d


def test_china_mrio_screens_in_one_language(capsys, tables, mrio_cache):
    """mrio twin/chain: Chinese headers, provinces and abroad by name; structural paths in
    亿元 like the other tables (the JSON's 万元 × 1e-4)."""
    code, out, err = run(capsys, "mrio", "twin", "2017", "四川", "重庆", "--data-dir", mrio_cache)
    assert code == 0, err
    assert "四川 ⇄ 重庆" in out and "成渝←全国其他省份" in out and "单位：亿元" in out
    code, out, err = run(capsys, "mrio", "chain", "2017", "四川", "--track", "电子信息",
                         "--data-dir", mrio_cache)
    assert code == 0, err
    bad = {h: ascii_words(h) for h in headers(tables) if ascii_words(h)}
    assert not bad and "境外" in out and "万元" not in out
    code, js, _ = run(capsys, "mrio", "chain", "2017", "四川", "--track", "电子信息",
                      "--data-dir", mrio_cache, "--json")
    d = json.loads(js)
    paths = next(t for t in tables if str(t.columns[1].header) == "路径")
    first = float(list(paths.columns[2].cells)[0].replace(",", ""))
    assert first == pytest.approx(d["paths"][0]["value"] * 1e-4, abs=0.5)


def test_region_names_follow_the_language(capsys, tables, regional):
    """WIOD's regional aggregates by their names in data/wiod_regions.csv."""
    code, out, _ = run(capsys, "spillover", regional)
    assert code == 0
    names = [c for t in tables for col in t.columns if str(col.header) == "地区"
             for c in col.cells]
    assert len(names) == 7 and "世界其他地区" in names and "北美自由贸易区" in names
    assert not any(re.search("[A-Za-z]", n) for n in names)
    code, out, _ = run(capsys, "spillover", regional, "--lang", "en")
    assert "Rest of the World" in out and "世界其他地区" not in out
    code, out, _ = run(capsys, "twin", regional, "CHN", "RoW", "--top", "1")
    assert code == 0 and "中国 ⇄ 世界其他地区" in out


def _column_pieces(text: str, header: str):
    """The name column of a printed table, one joined string per row: the header line gives
    the column's first cell offset; a row starts where the first column is not blank."""
    lines = text.splitlines()
    rule = next(i for i, ln in enumerate(lines) if ln.strip().startswith("───"))
    head = lines[rule - 1]
    start = cell_len(head[:head.index(header)])
    rows = []
    for ln in lines[rule + 1:]:
        if not ln.strip():
            break
        # the characters from cell offset `start` on, up to the next blank
        off, i = 0, 0
        while i < len(ln) and off < start:
            off += cell_len(ln[i])
            i += 1
        piece = re.match(r"\S*", ln[i:]).group(0)
        if ln[:i].strip():
            rows.append(piece)
        else:
            rows[-1] += piece
    return rows


def test_long_names_fold_and_are_whole(capsys, monkeypatch, f42):
    monkeypatch.setattr(_shared.out, "width", 72)  # narrow: long names must fold
    code, out, _ = run(capsys, "keysectors", f42)
    assert code == 0
    names = _column_pieces(out, "部门")
    lib = lianpu.keysectors(lianpu.load(f42)).sort_values("power_of_dispersion",
                                                         ascending=False)
    assert names == list(lib["name_zh"])  # every name whole, in order
    longest = max(names, key=cell_len)   # 纺织服装鞋帽皮革羽绒及其制品 (28 cells)
    assert longest not in out             # …is not on one line: it was folded, not cut
    assert "…" not in out


def test_chain_totals_in_yi_yuan_equal_json_times_1e4(capsys, f42):
    code, out, _ = run(capsys, "chain", f42, "--track", "电子信息", "--rows", "3", "--top", "2")
    assert code == 0 and "单位：亿元" in out
    code, js, _ = run(capsys, "chain", f42, "--track", "电子信息", "--rows", "3", "--top", "2",
                      "--json")
    d = json.loads(js)
    assert d["unit"] == "10,000 CNY (万元)"  # the JSON keeps the table's own unit
    shown = float(re.search(r"最终需求\s+([\d,.]+) 亿元", out).group(1).replace(",", ""))
    assert shown == pytest.approx(d["summary"]["final_demand"] * 1e-4, abs=0.5)  # 0 decimals
    first = d["upstream"][0]
    row = next(ln for ln in out.splitlines() if ln.split() and ln.split()[0].rstrip("*") == first["sector"])
    nums = [float(x.replace(",", "")) for x in re.findall(r"-?[\d,]+\.?\d*", row)[1:]]
    assert nums[1] == pytest.approx(first["total"] * 1e-4, abs=0.5)  # column 完全需要


def test_impact_totals_in_yi_yuan_equal_json_times_1e4(capsys, tables, f42):
    code, out, _ = run(capsys, "impact", f42, "--demand", EXAMPLE, "--type", "I")
    assert code == 0 and "单位：亿元" in out
    code, js, _ = run(capsys, "impact", f42, "--demand", EXAMPLE, "--type", "I", "--json")
    d = json.loads(js)
    assert d["unit"] == "10,000 CNY (万元)"
    tot = {x["indicator"]: x for x in d["totals"]}
    t0 = tables[0]
    cells = {str(c.header): list(c.cells) for c in t0.columns}
    i = cells["指标"].index("产出")
    assert cells["单位"][i] == "亿元"
    for eff, head in (("direct", "直接"), ("indirect", "间接"), ("total", "合计")):
        shown = float(cells[head][i].replace(",", ""))
        assert shown == pytest.approx(tot["output"][eff] * 1e-4, abs=0.005)  # 2 decimals
    for n in d["notes"]:  # every caveat of the JSON is on screen
        assert flat(n) in flat(out)


def test_twin_in_billion_usd_equals_json_times_1e3(capsys, regional):
    code, out, _ = run(capsys, "twin", regional, "CHN", "NAFTA", "--top", "1")
    assert code == 0 and "单位：十亿美元" in out
    code, js, _ = run(capsys, "twin", regional, "CHN", "NAFTA", "--top", "1", "--json")
    d = json.loads(js)
    assert d["unit"] == "million USD"
    row = next(ln for ln in out.splitlines() if ln.strip().startswith("中国←北美自由贸易区"))
    shown = float(row.split()[1].replace(",", ""))
    assert shown == pytest.approx(d["summary"][0]["output"] * 1e-3, abs=0.05)  # 1 decimal


def test_weaklinks_prints_the_mapping_caveat_of_its_json(capsys, f42):
    code, js, _ = run(capsys, "weaklinks", f42, "--track", "航空航天", "--json")
    d = json.loads(js)
    assert d["track"]["note_zh"]  # a 42-sector 航空航天 is the car industry
    code, out, _ = run(capsys, "weaklinks", f42, "--track", "航空航天", "--top", "2")
    assert code == 0 and flat(d["track"]["note_zh"]) in flat(out)
    code, out, _ = run(capsys, "weaklinks", f42, "--track", "aerospace", "--top", "2",
                       "--lang", "en")
    assert flat(d["track"]["note"]) in flat(out) and "短板清单" not in out


def test_info_source_and_roles_in_chinese(capsys, shared_data, tmp_path):
    """info under zh: the dataset's Chinese title from the registry (the reader's source text is
    English) and each final-use column's role by its Chinese name (core.roles); under en the
    reader's source and the role codes, as before."""
    from lianpu.core.roles import role_name
    from lianpu.data.registry import get
    assert run(capsys, "download", "cn-nbs-2020-42", "--from", shared_data, "--data-dir",
               tmp_path)[0] == 0
    code, out, err = run(capsys, "info", "cn-nbs-2020-42", "--lang", "zh", "--data-dir", tmp_path)
    assert code == 0, err
    assert flat(get("cn-nbs-2020-42").title_zh) in flat(out) and "NBS China" not in out
    assert f"EX（{role_name('export', 'zh')}）" in flat(out) and "(export)" not in out
    code, out, _ = run(capsys, "info", "cn-nbs-2020-42", "--lang", "en", "--data-dir", tmp_path)
    assert flat("NBS China input-output table 2020") in flat(out) and "EX(export)" in flat(out)
