"""Error types and the one template for their text.

Every message names the table (or file), the place (row/column/argument), what was found
and what was expected::

    cn_io_2020_42.csv: row '07', column 'GO': found 'abc', expected a number
"""
from __future__ import annotations


class LianpuError(Exception):
    """Base class: a user-facing error with a one-line message."""


class TableError(LianpuError, ValueError):
    """A table's content is malformed (shape, labels, numbers, signs)."""


class BalanceError(TableError):
    """Row or column totals do not balance beyond tolerance."""


class ProductivityError(TableError):
    """I − A is singular or its solution is not positive: the table is not productive."""


class FormatError(LianpuError, ValueError):
    """A file is not in the layout its reader expects, or no reader knows it."""


class ConvergenceError(LianpuError, ArithmeticError):
    """An iterative method did not reach its tolerance within its iteration limit."""


class ArgumentError(LianpuError, ValueError):
    """An argument of a lianpu function (a CLI option) has a value outside what it accepts."""


class DatasetError(LianpuError, KeyError):
    """Unknown dataset id, or dataset not in the cache."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class DownloadError(LianpuError, OSError):
    """A download failed: HTTP error, interrupted transfer or checksum mismatch."""


def where(table: str | None, *, row=None, column=None, argument=None) -> str:
    """Format the location prefix 'TABLE: row R, column C' of an error message."""
    parts = []
    if row is not None:
        parts.append(f"row {row!r}")
    if column is not None:
        parts.append(f"column {column!r}")
    if argument is not None:
        parts.append(f"argument {argument!r}")
    loc = ", ".join(parts)
    if table is None and loc:  # an argument error of a function: the argument is the place
        return loc
    head = table or "table"
    return f"{head}: {loc}" if loc else head


def message(table, problem: str, *, found=None, expected=None, row=None, column=None,
            argument=None) -> str:
    """Build an error message following the template (location: problem: found X, expected Y)."""
    text = f"{where(table, row=row, column=column, argument=argument)}: {problem}"
    detail = []
    if found is not None:
        detail.append(f"found {found}")
    if expected is not None:
        detail.append(f"expected {expected}")
    if detail:
        text += " (" + ", ".join(detail) + ")"
    return text


def _choices_text(choices) -> str:
    items = [repr(c) for c in choices]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def check_choice(value, choices, *, argument: str, table=None):
    """``value`` if it is one of ``choices``, else an :class:`ArgumentError` in the template
    (``argument 'kind': found 'x', expected 'output', 'value_added' or 'income'``)."""
    choices = tuple(choices)
    if value not in choices:
        raise ArgumentError(message(table, "not an accepted value", found=repr(value),
                                    expected=_choices_text(choices), argument=argument))
    return value


def check_range(value, *, argument: str, low=None, high=None, low_open: bool = False,
                high_open: bool = False, table=None):
    """``value`` as a float if it lies in the interval, else an :class:`ArgumentError`.
    ``low_open``/``high_open`` exclude the bound; NaN is always refused."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ArgumentError(message(table, "not a number", found=repr(value),
                                    expected="a number", argument=argument)) from None
    lo_ok = low is None or (v > low if low_open else v >= low)
    hi_ok = high is None or (v < high if high_open else v <= high)
    if v != v or not (lo_ok and hi_ok):
        lo = "" if low is None else ("(" if low_open else "[") + f"{low:g}"
        hi = "" if high is None else f"{high:g}" + (")" if high_open else "]")
        if low is None:
            want = f"a number {'<' if high_open else '≤'} {high:g}"
        elif high is None:
            want = f"a number {'>' if low_open else '≥'} {low:g}"
        else:
            want = f"a number in {lo}, {hi}"
        raise ArgumentError(message(table, "out of range", found=repr(value), expected=want,
                                    argument=argument))
    return v


LANGS = ("zh", "en")


def check_lang(lang, *, allow_none: bool = False, argument: str = "lang"):
    """The one language check: 'zh' or 'en' (or None where the caller allows it)."""
    if lang is None and allow_none:
        return None
    return check_choice(lang, LANGS + ((None,) if allow_none else ()), argument=argument)
