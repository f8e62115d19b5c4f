"""Upstreamness and import content over time (OECD series).

Expected numbers: the definition U = (I − B)⁻¹ 1 computed with an explicit inverse (reference
only) on a hand-sized table and one real year; U ≥ 1; import content in [0, 1).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.analysis.change.position_series import import_content, position_series, upstreamness
from lianpu.report.position_figure import write_html


def test_small_table_by_hand():
    Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    t = lianpu.IOTable.from_arrays(Z, [350.0, 1700.0])  # x = (1000, 2000)
    B = Z / t.x_[:, None]
    np.testing.assert_allclose(upstreamness(t), np.linalg.inv(np.eye(2) - B) @ np.ones(2))


def test_series(shared_data):
    p = position_series(2016, 2018, data_dir=shared_data)
    assert list(p.upstreamness.index) == [2016, 2017, 2018]
    assert p.upstreamness.shape == (3, 45) and (p.upstreamness.to_numpy() >= 1 - 1e-12).all()
    ic = p.import_content.to_numpy()
    assert ((ic >= 0) & (ic < 1)).all()
    t = lianpu.load("cn-oecd-2018", data_dir=shared_data)
    G = np.linalg.inv(np.eye(45) - t.B_)  # reference only
    np.testing.assert_allclose(p.upstreamness.loc[2018].to_numpy(), G.sum(axis=1), rtol=1e-9)
    _, c_ex, c_all = import_content(t)
    assert p.summary.loc[2018, "import_content_exports"] == pytest.approx(c_ex)
    assert 0 < c_all < c_ex < 1  # exports are more import-intensive (processing trade)
    assert len(p.to_frame()) == 3 * 45 and "rows" in p.to_dict()


def test_html_is_self_contained(shared_data, tmp_path):
    p = position_series(2017, 2018, data_dir=shared_data)
    out = tmp_path / "pos.html"
    write_html(p, out, "en")
    html = out.read_text(encoding="utf-8")
    assert html.count("<script") >= 2 and "<script src=" not in html  # plotly.js inline
    assert "Upstreamness" in html and len(html) > 1_000_000


def test_bad_years(shared_data):
    with pytest.raises(ValueError, match=r"found 1990–2018, expected years within 1995–2018"):
        position_series(1990, 2018, data_dir=shared_data)


def test_exports_by_role_include_nonresident_purchases(shared_data):
    """CONS_NONRES (role 'nonresident') counts as exports, as in IOTable.domestic()."""
    t = lianpu.load("cn-oecd-2018", data_dir=shared_data)
    td = t.domestic()
    fd = list(map(str, td.final_demand_labels.index))
    cols = [fd.index("EX"), fd.index("CONS_NONRES")]
    ic, c_ex, _ = import_content(t)
    ex = td.Y_[:, cols].sum(axis=1)
    assert c_ex == pytest.approx(ic @ ex / ex.sum(), rel=1e-12)


def test_basis_and_deflated_import_content(shared_data):
    import json
    codes = list(map(str, lianpu.load("cn-oecd-2017", data_dir=shared_data).index))
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({2017: 1.0, 2018: rng.uniform(0.9, 1.2, len(codes))}, index=codes)
    p = position_series(2017, 2018, data_dir=shared_data, deflator=frame)
    d = json.loads(p.to_json(), parse_constant=lambda c: (_ for _ in ()).throw(AssertionError(c)))
    assert d["basis"].startswith("current prices") and "ratio" in d["unit"]
    assert d["deflated"]["basis"].startswith("constant prices of 2017")
    # the base year is unchanged by deflation; a common index changes nothing
    np.testing.assert_allclose(p.import_content_deflated.loc[2017], p.import_content.loc[2017])
    same = position_series(2017, 2018, data_dir=shared_data, deflator={2017: 1.0, 2018: 1.3})
    np.testing.assert_allclose(same.import_content_deflated, same.import_content, rtol=1e-12)
    assert not np.allclose(p.import_content_deflated.loc[2018], p.import_content.loc[2018])


# ------------------------------------------------------------------ issue 11: layers and shape
def _two_years():
    """The hand-sized table of test_small_table_by_hand for two years (same sectors)."""
    Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    return [lianpu.IOTable.from_arrays(Z * k, [350.0 * k, 1700.0 * k], name=f"t{y}", year=y)
            for k, y in ((1.0, 2000), (2.0, 2001))]


def test_position_series_takes_tables_and_is_a_result():
    import json
    from lianpu.analysis._result import Result
    p = position_series(tables=_two_years())
    assert isinstance(p, Result) and list(p.upstreamness.index) == [2000, 2001]
    # both years are the same table scaled ×2: upstreamness is unchanged (a ratio of flows)
    np.testing.assert_allclose(p.upstreamness.loc[2000], p.upstreamness.loc[2001])
    d = json.loads(p.to_json(), parse_constant=lambda c: pytest.fail(f"bare {c} in JSON"))
    assert d["unit"] == p.unit and d["basis"] == p.basis and d["years"] == [2000, 2001]


def test_the_figure_lives_in_the_report_layer(tmp_path):
    from lianpu.report.position_figure import position_figure, write_html
    p = position_series(tables=_two_years())
    assert not hasattr(p, "figure")
    fig = position_figure(p, "en", top=1)
    # 2 sectors × 2 panels + the two summary lines; only the top-1 sector is shown at first
    assert len(fig.data) == 2 * 2 + 2
    assert [tr.visible for tr in fig.data[:4]].count("legendonly") == 2
    assert fig.layout.title.text.startswith("China's sectors")
    assert position_figure(p, "zh").layout.annotations[0].text == "上游度（戈什逆矩阵行和）"
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    write_html(p, a, "en")
    assert not hasattr(p, "to_html")        # presentation lives in the report layer only
    write_html(p, b, "en")
    assert "Upstreamness" in a.read_text(encoding="utf-8") and b.stat().st_size > 1_000_000


def test_argument_errors():
    from lianpu.analysis.change.position_series import oecd_series
    from lianpu.core.errors import ArgumentError
    with pytest.raises(ArgumentError, match=r"argument 'tables': no table"):
        position_series(tables=[])
    other = lianpu.IOTable.from_arrays(np.eye(3), [1.0, 1.0, 1.0], name="three", year=2002)
    with pytest.raises(ArgumentError, match=r"three has other sectors than t2000"):
        position_series(tables=_two_years() + [other])
    with pytest.raises(ArgumentError, match=r"argument 'start'.*found 2018–2017"):
        oecd_series(2018, 2017)
