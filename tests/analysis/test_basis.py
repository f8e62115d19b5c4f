"""One accounting basis, decided once (issue 10, item 2): resolve_basis and the results that
record it. Numbers compared here come from lianpu's own two routes (published table vs
``table.domestic()``), so the test pins the *choice*, not a figure."""
from __future__ import annotations

import numpy as np
import pytest

import lianpu
from lianpu.analysis.basis import resolve_basis
from lianpu.core.errors import ArgumentError


@pytest.fixture(scope="module")
def t153(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2020_153.csv")


@pytest.fixture(scope="module")
def t42(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2020_42.csv")


def test_default_is_domestic_view_where_imports_can_be_separated(t153, t42):
    v, b = resolve_basis(t153)
    assert v is t153.domestic() and b.name == "domestic" and "import proportionality" in b.note_en
    v, b = resolve_basis(t42)
    assert v is t42 and b.name == "domestic" and b.method == "published-noncompetitive"
    v, b = resolve_basis(t153, "published")
    assert v is t153 and b.name == "published" and "imported inputs" in b.note_en
    assert "进口" in b.note_zh


def test_tables_without_imports_stay_published_and_say_so():
    t = lianpu.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700])
    v, b = resolve_basis(t)
    assert v is t and b.name == "published" and "cannot be separated" in b.note_en
    with pytest.raises(ArgumentError, match="argument 'basis'.*no final-use column has the role "
                                            "'import'"):
        resolve_basis(t, "domestic")
    with pytest.raises(ArgumentError, match="local view needs a provincial table"):
        resolve_basis(t, "local")
    with pytest.raises(ArgumentError, match=r"unknown accounting basis \(found 'dom'"):
        resolve_basis(t, "dom")


def test_every_result_records_its_basis(t153):
    m = lianpu.multipliers(t153)
    assert m.attrs["basis"] == "domestic"
    np.testing.assert_allclose(m, lianpu.multipliers(t153.domestic(), basis="published"))
    mp = lianpu.multipliers(t153, basis="published")
    assert mp.attrs["basis"] == "published" and (mp > m).all()  # imports no longer leak
    k = lianpu.keysectors(t153, inducement_items=False, extraction=False)
    assert k.attrs["basis"] == "domestic"
    f = np.zeros(t153.n)
    f[0] = 1.0
    r = lianpu.impact(t153, f, type="I")
    assert r.basis["basis"] == "domestic" and r.to_dict()["basis"]["basis"] == "domestic"
    c = lianpu.chain(t153, "航空航天")
    assert "import proportionality" in c.basis
