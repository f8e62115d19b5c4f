"""Upstreamness and import content over time (OECD series).

Expected numbers: the definition U = (I − B)⁻¹ 1 computed with an explicit inverse (reference
only) on a hand-sized table and one real year; U ≥ 1; import content in [0, 1).
"""
from __future__ import annotations

import numpy as np
import pytest

import lianpu
from lianpu.analysis.position_series import import_content, position_series, upstreamness


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
