"""core.units: the one unit parser and formatter. Expected scales are the definitions
(万 = 10⁴, 亿 = 10⁸, million = 10⁶, billion = 10⁹); labels are what NBS/OECD/EXIOBASE write."""
from __future__ import annotations

import math

import pytest

from lianpu.core.errors import ArgumentError
from lianpu.core.units import Unit, fmt_amount, fmt_num, fmt_pct, parse_money


@pytest.mark.parametrize("text, money", [
    ("万元", ("CNY", 1e4)), ("10,000 CNY (万元)", ("CNY", 1e4)), ("亿元", ("CNY", 1e8)),
    ("元", ("CNY", 1.0)), ("million USD", ("USD", 1e6)), ("USD million", ("USD", 1e6)),
    ("百万美元", ("USD", 1e6)), ("M.EUR", ("EUR", 1e6)), ("MEUR", ("EUR", 1e6)),
    ("Mio EUR", ("EUR", 1e6)), ("billion USD", ("USD", 1e9)),
])
def test_parse_money(text, money):
    assert parse_money(text) == money
    assert Unit.parse(text).is_money


@pytest.mark.parametrize("text", ["Mt CO2", "persons", "", "USD CNY", "万 million 元"])
def test_not_money(text):
    assert parse_money(text) is None if text else True
    assert not Unit.parse(text).is_money
    assert Unit.parse(text).display("zh") == (1.0, text)


def test_display_one_step_up():
    # 1 亿 = 10⁴ 万; 1 billion = 10³ million
    assert Unit.parse("万元").display("zh") == (1e-4, "亿元")
    assert Unit.parse("万元").display("en") == (1e-4, "100 million CNY")
    assert Unit.parse("million USD").display("en") == (1e-3, "billion USD")
    assert Unit.parse("M.EUR").display("zh") == (1e-3, "十亿欧元")
    assert Unit.parse("亿元").display("zh") == (1.0, "亿元")
    assert Unit.parse("10,000 CNY (万元)").text("en") == "10,000 CNY"


def test_factor_to():
    assert Unit.parse("亿元").factor_to("万元") == pytest.approx(1e4)
    assert Unit.parse("million USD").factor_to("USD") == pytest.approx(1e6)
    assert Unit.parse("Mt CO2").factor_to("Mt CO2") == 1.0
    with pytest.raises(ArgumentError, match="is in USD, the table's unit '万元' is in CNY"):
        Unit.parse("million USD").factor_to("万元")
    with pytest.raises(ArgumentError, match="is not the table's unit"):
        Unit.parse("Mt CO2").factor_to("万元")


def test_formatters():
    assert fmt_num(1234567.891) == "1,234,567.89"
    assert fmt_num(1234567) == "1,234,567"
    assert fmt_num(float("nan")) == "—" and fmt_num(None) == "—" and fmt_num(math.inf) == "—"
    assert fmt_pct(0.1234) == "12.3%" and fmt_pct(float("nan")) == "—"
    # 3,451,511 万元 (the docs' 100亿 project, domestic basis) is 345.15 亿元
    assert fmt_amount(3_451_511, "万元", "zh") == "345.15 亿元"
    assert fmt_amount(2500.0, "million USD", "en") == "2.50 billion USD"


def test_unit_in_json():
    from lianpu.analysis._result import dumps
    assert dumps({"unit": Unit.parse("万元")}, indent=None) == '{"unit": "万元"}'


def test_physical_unit_written_in_both_languages_shows_one():
    # the employment satellite's unit as lianpu writes it (satellites/employment.py)
    u = Unit.parse("10,000 persons (万人)")
    assert not u.is_money and u.text("zh") == "万人" and u.text("en") == "10,000 persons"
    for label in ("Mt CO2", "kg CO2 eq.", "persons", "1000 p"):  # one language: as written
        assert Unit.parse(label).text("zh") == Unit.parse(label).text("en") == label
