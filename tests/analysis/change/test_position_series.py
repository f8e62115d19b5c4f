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
    p.to_html(out, "en")
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
