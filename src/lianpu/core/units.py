"""Units 单位: one value for a table's unit, one parser of what people write, one formatter.

A :class:`Unit` is what readers set and results carry: the currency (``CNY``, ``USD``, ``EUR``,
or ``None`` for physical units such as ``Mt CO2`` or ``persons``), the scale (``1e4`` for 万元,
``1e6`` for "million USD") and the label as the source writes it. ``Unit.parse`` understands
the spellings found in the shipped tables and in planners' files (``万元``, ``10,000 CNY (万元)``,
``亿元``, ``million USD``, ``USD million`` …). :func:`fmt_num` / :func:`fmt_amount` are the only
number formatters: the CLI, the report and the dashboard all print through them, so the same
number reads the same everywhere (thousands separators, fixed decimals, ``—`` for missing).

Display convention (issue 15): money totals from 万元 tables are shown in 亿元 (× 1e-4) and from
million-USD tables in billion USD (× 1e-3); per-unit ratios keep the table's unit.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .errors import ArgumentError

_CURRENCY = (("CNY", ("cny", "rmb", "人民币", "元", "yuan")),
             ("USD", ("usd", "us$", "美元", "dollar")),
             ("EUR", ("eur", "€", "欧元")))
_SCALES = ((1e8, ("亿", "100million")), (1e9, ("billion", "十亿", "bn")),
           (1e6, ("million", "百万", "mn")), (1e4, ("10,000", "10000", "万")),
           (1e3, ("thousand", "千")))
_NAMES = {("CNY", 1e4): ("万元", "10,000 CNY"), ("CNY", 1e8): ("亿元", "100 million CNY"),
          ("CNY", 1.0): ("元", "CNY"), ("USD", 1e6): ("百万美元", "million USD"),
          ("USD", 1e9): ("十亿美元", "billion USD"), ("USD", 1.0): ("美元", "USD"),
          ("EUR", 1e6): ("百万欧元", "million EUR"), ("EUR", 1e9): ("十亿欧元", "billion EUR"),
          ("EUR", 1.0): ("欧元", "EUR")}
# money totals are shown one step up: 万元 → 亿元, million USD → billion USD
_DISPLAY = {("CNY", 1e4): 1e8, ("USD", 1e6): 1e9, ("EUR", 1e6): 1e9}


#: "English (中文)" labels of physical units (e.g. "10,000 persons (万人)")
_PAIRED = re.compile(r"^(?P<en>[^()（）]*[A-Za-z][^()（）]*?)\s*[(（](?P<zh>[^()（）]*[\u4e00-\u9fff][^()（）]*)[)）]$")


def _bilingual_label(label: str, lang: str) -> str:
    """A physical unit written "English (中文)" in the language asked; any other label as is."""
    m = _PAIRED.match(label)
    if not m:
        return label
    return m.group("zh").strip() if lang == "zh" else m.group("en").strip()


def parse_money(text) -> tuple[str, float] | None:
    """(currency, scale) of a money unit such as '10,000 CNY (万元)', '亿元', 'million USD';
    ``None`` if it is not recognisably money (or names two currencies / two scales)."""
    s = "".join(str(text).lower().split()).replace("美元", "usd").replace("欧元", "eur")
    cur = {c for c, keys in _CURRENCY if any(k in s for k in keys)}
    if len(cur) != 1:
        return None
    for tok, rep in (("百万", " million "), ("十亿", " billion "), ("100million", " 亿 ")):
        s = s.replace(tok, rep)   # longer scale words that contain a shorter one
    # EXIOBASE / pymrio write 'M.EUR', 'MEUR', 'Mio EUR' for millions
    s = re.sub(r"^(m\.?|mio\.?)(?=(eur|usd|cny)$)|^(eur|usd|cny)(m|mio)$",
               lambda m: " million " + (m.group(3) or ""), s)
    scales = {v for v, keys in _SCALES if any(k in s for k in keys)}
    if len(scales) > 1:
        return None
    return cur.pop(), (scales.pop() if scales else 1.0)


@dataclass(frozen=True)
class Unit:
    """A unit as data: ``label`` as the source writes it, ``currency``/``scale`` when money."""

    label: str
    currency: str | None = None
    scale: float = 1.0

    @classmethod
    def parse(cls, text) -> "Unit":
        if isinstance(text, Unit):
            return text
        label = "" if text is None else str(text).strip()
        money = parse_money(label) if label else None
        return cls(label, *money) if money else cls(label)

    @property
    def is_money(self) -> bool:
        return self.currency is not None

    def text(self, lang: str = "zh") -> str:
        """The unit as planners write it: 万元 / 10,000 CNY; the source's label otherwise."""
        names = _NAMES.get((self.currency, self.scale))
        if names is None:
            return _bilingual_label(self.label, lang)
        return names[0] if lang == "zh" else names[1]

    def factor_to(self, other) -> float:
        """Multiply an amount in this unit by the result to express it in ``other``."""
        other = Unit.parse(other)
        if self.label == other.label:
            return 1.0
        if not (self.is_money and other.is_money):
            raise ArgumentError(f"unit {self.label!r} is not the table's unit {other.label!r}")
        if self.currency != other.currency:
            raise ArgumentError(f"unit {self.label!r} is in {self.currency}, the table's unit "
                                f"{other.label!r} is in {other.currency}")
        return self.scale / other.scale

    def display(self, lang: str = "zh") -> tuple[float, str]:
        """(factor, label) for showing money totals: 万元 → 亿元, million USD → billion USD."""
        up = _DISPLAY.get((self.currency, self.scale))
        if up is None:
            return 1.0, self.text(lang)
        return self.scale / up, Unit(self.label, self.currency, up).text(lang)

    def to_dict(self) -> dict:
        return {"label": self.label, "currency": self.currency, "scale": self.scale,
                "zh": self.text("zh"), "en": self.text("en")}

    def __str__(self) -> str:
        return self.label


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and (math.isnan(v) or math.isinf(v)))


def fmt_num(v, digits: int = 2) -> str:
    """Thousands separators and ``digits`` decimals (integers as integers); '—' if missing."""
    try:
        if hasattr(v, "item"):
            v = v.item()
    except (ValueError, AttributeError):
        pass
    if _missing(v):
        return "—"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,d}"
    return f"{float(v):,.{digits}f}"


def fmt_by_size(v) -> str:
    """A number by its size (chain maps, where coefficients and totals sit side by side):
    no decimals from 100, three from 0.01, scientific below; '—' if missing."""
    if fmt_num(v) == "—":
        return "—"
    v = float(v)
    a = abs(v)
    return fmt_num(v, 0) if a >= 100 else fmt_num(v, 3) if a >= 0.01 else f"{v:.2e}"


def fmt_pct(v, digits: int = 1) -> str:
    """A share as a percentage (0.123 → '12.3%'); '—' if missing."""
    if _missing(v if not hasattr(v, "item") else v.item()):
        return "—"
    return f"{100 * float(v):.{digits}f}%"


def fmt_amount(v, unit, lang: str = "zh", digits: int = 2) -> str:
    """A money total in the display unit with its label: 1,234,567 万元 → '123.46 亿元'."""
    k, label = Unit.parse(unit).display(lang)
    if _missing(v):
        return "—"
    return f"{fmt_num(float(v) * k, digits)} {label}".rstrip()
