"""Tracks carved out of a sector (issue 15, item 2): ``lianpu.chain(t, "集成电路")`` splits
094 电子元器件 in a copy of the table by the shipped share and traces the new sector.

Expected numbers: the shipped shares are the published figures over the tables' own gross
output — ICs (中国半导体行业协会, 2020: manufacturing 2560.1 + packaging and testing 2509.5
亿元) over x(094) = 458,620,764 万元 of the NBS 2020 153 table (0.1105), NEVs (中国汽车工业协会,
2020: 136.6 of 2522.5 万辆) of 079 汽车整车 (0.0542); with the parent's structure the
carve-out's output multiplier is the parent's and its output is share × x_parent.
"""
from __future__ import annotations

import numpy as np
import pytest

import lianpu
from lianpu.analysis.tracks.carveout import carve_out_for
from lianpu.core.errors import ArgumentError, FormatError


@pytest.fixture(scope="module")
def t153(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2020_153.csv")


@pytest.fixture(scope="module")
def t42(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2020_42.csv")


def test_shipped_shares_are_the_published_figures_over_the_tables_output(t153, t42):
    ts = lianpu.tracks()
    ic, nev = ts["integrated_circuits"].carve_out, ts["new_energy_vehicles"].carve_out
    assert ic["nbs153"].share == pytest.approx((2560.1 + 2509.5) * 1e4 / t153.x["094"], abs=5e-5)
    assert ic["nbs42"].share == pytest.approx((2560.1 + 2509.5) * 1e4 / t42.x["20"], abs=5e-5)
    assert nev["nbs153"].share == pytest.approx(136.6 / 2522.5, abs=5e-5)
    assert nev["nbs42"].share == pytest.approx(136.6 / 2522.5 * t153.x["079"] / t42.x["18"],
                                               abs=5e-5)
    assert ts["new_display"].carve_out["nbs153"].share is None  # no published figure shipped
    assert ts["low_altitude_aircraft"].carve_out["nbs153"].share is None


def test_chain_of_integrated_circuits_traces_the_carve_out(t153):
    cm = lianpu.chain(t153, "集成电路")
    parent = lianpu.chain(t153, ["094"])
    assert cm.track_sectors == ("094.IC",) and cm.track_id == "integrated_circuits"
    assert cm.summary["track_output"] == pytest.approx(0.1105 * t153.x["094"], rel=1e-12)
    # the parent's structure: same multiplier, everything else scaled by the share
    assert cm.summary["output_multiplier"] == pytest.approx(parent.summary["output_multiplier"],
                                                            rel=1e-10)
    assert cm.summary["total_requirement"] == pytest.approx(
        0.1105 * parent.summary["total_requirement"], rel=1e-9)
    assert "094.IC carved out of 094" in cm.note and "CSIA" in cm.note
    assert "拆分" in cm.note_zh
    assert "094.IC" not in t153.index  # the table passed in is unchanged


def test_chain_of_new_energy_vehicles_on_42(t42):
    cm = lianpu.chain(t42, "新能源汽车")
    assert cm.track_sectors == ("18.NEV",)
    assert cm.summary["track_output"] == pytest.approx(0.0214 * t42.x["18"], rel=1e-12)


def test_no_shipped_share_asks_for_one(t153):
    with pytest.raises(ArgumentError, match=r"give --share \(the source you use\)"):
        lianpu.chain(t153, "新型显示")
    with pytest.raises(ArgumentError, match="a share needs its source"):
        lianpu.chain(t153, "新型显示", share=0.2)
    cm = lianpu.chain(t153, "新型显示", share=0.2, share_source="my estimate")
    assert cm.track_sectors == ("094.DISP",) and "my estimate" in cm.note


def test_share_of_another_year_is_not_used(nbs_dir):
    t18 = lianpu.load(nbs_dir / "cn_io_2018_153.csv")
    with pytest.raises(ArgumentError, match=r"is for 2020, this table is of 2018: give --share"):
        lianpu.chain(t18, "集成电路")
    cm = lianpu.chain(t18, "集成电路", share=0.1, share_source="CSIA 2018 (user's figure)")
    assert cm.summary["track_output"] == pytest.approx(0.1 * t18.x["094"])


def test_share_for_a_track_without_carve_out_is_refused(t153):
    with pytest.raises(ArgumentError, match="declares no carve-out"):
        lianpu.chain(t153, "航空航天", share=0.1, share_source="x")
    with pytest.raises(ArgumentError, match="not to a list of sector codes"):
        lianpu.chain(t153, ["094"], share=0.1, share_source="x")
    # a track without carve-out goes through unchanged
    assert carve_out_for(t153, "航空航天") == (t153, None)


def test_user_tracks_file_with_a_carve_out(tmp_path, t153):
    p = tmp_path / "tracks.toml"
    p.write_text('schema = 1\n[tracks.wafers]\nname_zh = "晶圆"\nname_en = "Wafers"\n'
                 '[tracks.wafers.codes]\nnbs153 = ["094"]\n'
                 '[tracks.wafers.carve_out.nbs153]\nparent = "094"\ncode = "094.W"\n'
                 'share = 0.05\nyear = 2020\nsource = "a survey"\n', encoding="utf-8")
    cm = lianpu.chain(t153, "晶圆", tracks=lianpu.tracks(p))
    assert cm.track_sectors == ("094.W",)
    bad = tmp_path / "bad.toml"
    bad.write_text(p.read_text(encoding="utf-8").replace('source = "a survey"\n', ""),
                   encoding="utf-8")
    with pytest.raises(FormatError, match=r"carve_out.nbs153.*needs its source and year"):
        lianpu.tracks(bad)
    bad.write_text(p.read_text(encoding="utf-8").replace('parent = "094"', 'parent = "999"'),
                   encoding="utf-8")
    with pytest.raises(FormatError, match=r"parent '999' is not a nbs153 sector code"):
        lianpu.tracks(bad)


def test_report_track_section_uses_the_carved_table(t153):
    """The report's chain chapter (report/tracks.py) analyses a carve-out track on the split
    table: lists and multipliers find 094.IC, the mapping paragraph names the share's source."""
    from lianpu.analysis.tracks.carveout import carved_table
    from lianpu.analysis.tracks.catalogue import resolve_track
    from lianpu.report.tracks import track_section
    u = carved_table(t153, "集成电路")
    assert "094.IC" in u.index and resolve_track(u, "集成电路").codes == ("094.IC",)
    assert lianpu.chain(u, "集成电路").track_sectors == ("094.IC",)  # not carved twice
    sec = track_section(t153, "integrated_circuits", "en")
    assert any("CSIA" in p for p in sec.paragraphs)
