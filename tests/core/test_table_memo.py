"""The table's memo (issue 11, item 4): one writer (IOTable._memo, reached through
analysis._common.cached), explicit keys, derived numerics only; evolve/with_satellite carry
the factorization over when Z, x, V and the sectors are unchanged, and only then. And the
table's unit as a value (item 3)."""
from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import lianpu
from lianpu import IOTable
from lianpu.analysis._common import cached
from lianpu.core.errors import ArgumentError
from lianpu.core.units import Unit

SRC = Path(lianpu.__file__).resolve().parent
# Miller & Blair (2009), Table 2.3 (as in tests/readers/test_generic.py)
MB_Z = [[150, 500], [200, 100]]
MB_F = [350, 1700]


@pytest.fixture()
def t():
    return IOTable.from_arrays(MB_Z, MB_F, unit="10,000 CNY (万元)")


def test_with_satellite_reuses_the_factor(t):
    lu, ghosh = t.factor, t.factor_ghosh
    t2 = t.with_satellite("co2", [1.0, 2.0], "t")
    assert t2.factor is lu and t2.A_ is t.A_ and t2.factor_ghosh is ghosh
    assert list(t2.satellites) == ["co2"] and not t.satellites  # a new table all the same
    # output multipliers 1.51815, 1.45215: M&B Table 2.3, from the inherited factor
    np.testing.assert_allclose(lianpu.multipliers(t2, "output").to_numpy(),
                               [1.51815, 1.45215], atol=5e-6)


def test_evolve_with_a_changed_Z_makes_a_new_factor(t):
    lu = t.factor
    Z = np.array(MB_Z, float) * 0.5
    t2 = t.evolve(Z_=Z, Y_=t.Y_ + (np.array(MB_Z, float) * 0.5).sum(axis=1)[:, None],
                  V_=t.V_ + Z.sum(axis=0)[None, :])
    assert t2.factor is not lu and t2.A_ is not t.A_
    np.testing.assert_allclose(t2.A_, Z / t.x_[None, :])
    # the same Z object again counts as unchanged; new sectors or a new name do not
    assert t.evolve(Z_=t.Z_).factor is lu
    assert t.evolve(name="other").factor is not lu


def test_memo_entries_carried_only_when_marked(t):
    calls = []

    def make(v):
        calls.append(v)
        return v
    assert cached(t, ("probe", "a"), lambda: make(1), carry=True) == 1
    assert cached(t, ("probe", "a"), lambda: make(2), carry=True) == 1  # computed once
    cached(t, ("probe", "b"), lambda: make(3))                           # not A-derived
    t2 = t.with_satellite("co2", [1.0, 2.0], "t")
    assert cached(t2, ("probe", "a"), lambda: make(4)) == 1             # inherited
    assert cached(t2, ("probe", "b"), lambda: make(5)) == 5             # made again
    assert calls == [1, 3, 5]
    t3 = t.evolve(x_=t.x_ * 1.0, Y_=t.Y_)                                 # x is another array
    assert cached(t3, ("probe", "a"), lambda: make(6)) == 6


def test_memo_key_must_be_hashable(t):
    with pytest.raises(ArgumentError, match="argument 'key': a memo key must be hashable"):
        t._memo(["unhashable"], lambda: 1)


def test_trade_views_memoized_and_bad_method_is_an_argument_error():
    t = IOTable.from_arrays([[10, 5], [5, 10]], [[30, -5], [40, -10]],
                            final_demand=["HH", "IM"], fd_roles=["household", "import"])
    assert t.domestic() is t.domestic()
    with pytest.raises(ArgumentError, match=r"argument 'method': unknown method 'x' "
                                            r"\(expected 'import_proportionality'\)"):
        t.domestic("x")
    with pytest.raises(ArgumentError, match=r"argument 'method': unknown method 'x'"):
        t.local("x")


def test_units_is_the_parsed_unit(t):
    assert t.unit == "10,000 CNY (万元)"  # the free text stays as the reader set it
    u = t.units
    assert isinstance(u, Unit) and u == Unit.parse(t.unit)
    assert (u.currency, u.scale) == ("CNY", 1e4)
    assert u.display("zh") == (1e-4, "亿元")  # 万元 totals are shown in 亿元
    assert IOTable.from_arrays(MB_Z, MB_F).units == Unit("")


def test_one_writer_of_the_memo():
    """Only table.py names the memo attribute; everything else goes through _memo/cached."""
    holders = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
               if "_lianpu_cache" in p.read_text(encoding="utf-8")]
    mine = [h for h in holders if h in ("table.py", "analysis/_common.py")
            or h.startswith("readers/")]
    assert mine == ["table.py"], holders


def test_table_and_chnio_modules_are_small_and_chnio_has_no_circle():
    for rel in ("table.py", "table_labels.py", "table_views.py", "readers/chnio.py",
                "readers/chnio_national.py", "readers/chnio_common.py"):
        assert len((SRC / rel).read_text(encoding="utf-8").splitlines()) <= 600, rel
    tree = ast.parse((SRC / "readers/chnio_national.py").read_text(encoding="utf-8"))
    imported = {(n.module, a.name) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                for a in n.names}
    assert not any(m == "chnio" or (m is None and a == "chnio") or m == "lianpu.readers.chnio"
                   for m, a in imported), imported
