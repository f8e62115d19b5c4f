"""core.errors' argument checks: the template's wording, ArgumentError (a LianpuError and a
ValueError, so `except ValueError` callers keep working)."""
from __future__ import annotations

import pytest

from lianpu.core.errors import ArgumentError, LianpuError, check_choice, check_lang, check_range


def test_check_choice():
    assert check_choice("output", ("output", "income"), argument="kind") == "output"
    with pytest.raises(ArgumentError) as e:
        check_choice("x", ("output", "income"), argument="kind")
    assert str(e.value) == ("argument 'kind': not an accepted value "
                            "(found 'x', expected 'output' or 'income')")
    assert isinstance(e.value, LianpuError) and isinstance(e.value, ValueError)


@pytest.mark.parametrize("kw, value, expected", [
    (dict(low=0, high=1), 2, "expected a number in [0, 1]"),
    (dict(low=0, low_open=True), 0, "expected a number > 0"),
    (dict(high=5, high_open=True), 5, "expected a number < 5"),
    (dict(low=1), "abc", "expected a number"),
    (dict(low=0), float("nan"), "out of range"),
])
def test_check_range_refuses(kw, value, expected):
    with pytest.raises(ArgumentError, match=r"argument 'share'.*" + expected.replace("[", r"\[")
                       .replace("]", r"\]")):
        check_range(value, argument="share", **kw)


def test_check_range_accepts_bounds():
    assert check_range("0.5", argument="share", low=0, high=1) == 0.5
    assert check_range(0, argument="share", low=0, high=1) == 0.0


def test_check_lang():
    assert check_lang("zh") == "zh" and check_lang(None, allow_none=True) is None
    with pytest.raises(ArgumentError, match="expected 'zh' or 'en'"):
        check_lang("fr")
    with pytest.raises(ArgumentError):
        check_lang(None)
