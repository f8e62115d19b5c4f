"""User text written where it could act: spreadsheet cells and the terminal.

Sector names, table names and notes come from files anyone can write. Two places would run
them rather than show them:

* **Spreadsheets** (formula injection, OWASP "CSV injection"): a cell starting with
  ``= + - @``, a tab or a carriage return is a formula to Excel or LibreOffice
  (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``). In a workbook such a *string* is written as
  text (openpyxl ``data_type 's'`` with ``quotePrefix``), so it shows as typed and a negative
  *number* stays a number; in a CSV it gets a leading ``'`` (the OWASP rule), which the generic
  reader removes again (:func:`csv_unescape`), so an exported table reads back unchanged.
* **The terminal**: rich markup (``[/b]`` crashes, ``[link=…]`` makes a hyperlink) and control
  characters (``ESC ]0;title BEL``, ``ESC [2J``). :class:`PlainConsole` prints strings as plain
  text and shows every control character escaped (``\\x1b``); :func:`esc` prepares user text
  for the few lines that do use markup on purpose (``markup=True``).
"""
from __future__ import annotations

import re
from functools import cache

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# C0 controls except newline and tab, DEL, C1 controls, and the bidi overrides/isolates that
# reorder what a terminal shows ("Trojan source")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# ---------------------------------------------------------------------------- spreadsheets
def is_formula_like(v) -> bool:
    """Whether ``v`` is a string a spreadsheet would read as a formula."""
    return isinstance(v, str) and v.startswith(FORMULA_START)


def csv_value(v):
    """``v`` for a CSV cell: a formula-like string gets a leading ``'``; anything else as is."""
    return "'" + v if is_formula_like(v) else v


def csv_unescape(v):
    """Undo :func:`csv_value` on a cell read back from a CSV lianpu wrote."""
    if isinstance(v, str) and len(v) > 1 and v[0] == "'" and v[1:].startswith(FORMULA_START):
        return v[1:]
    return v


#: what a workbook cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE: C0 controls but tab,
#: newline and carriage return)
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_value(v):
    """``v`` for a workbook cell: control characters a workbook cannot hold shown escaped
    (``\\x1b``) instead of crashing the writer; anything else as is."""
    if isinstance(v, str) and _XLSX_ILLEGAL.search(v):
        return _XLSX_ILLEGAL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", v)
    return v


def xlsx_frame(frame):
    """A copy of a DataFrame with :func:`xlsx_value` applied to its text (cells, column names,
    index labels)."""
    return _map_text(frame, xlsx_value)


def csv_frame(frame):
    """A copy of a DataFrame with :func:`csv_value` applied to its text cells, column names and
    index labels (numbers are left alone, so ``-2.5`` stays a number)."""
    return _map_text(frame, csv_value)


def _map_text(frame, fn):
    import pandas as pd

    def texty(x):
        return pd.api.types.is_object_dtype(x) or pd.api.types.is_string_dtype(x)

    def fix_index(ix):
        if isinstance(ix, pd.MultiIndex):
            return ix.set_levels([lv.map(fn) if texty(lv) else lv for lv in ix.levels])
        return ix.map(fn) if texty(ix) else ix

    out = frame.copy()
    for j in range(out.shape[1]):
        col = out.iloc[:, j]
        if texty(col):
            out.isetitem(j, col.map(fn))
    out.columns = fix_index(out.columns)
    out.index = fix_index(out.index)
    return out


def neutralise_workbook(book) -> int:
    """Make every formula or formula-like string in an openpyxl workbook plain text.

    lianpu never writes formulas, so every formula cell came from user text (openpyxl turns a
    string starting with ``=`` into one). Returns the number of cells changed.
    """
    n = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f" or (c.data_type == "s" and is_formula_like(c.value)):
                    c.data_type = "s"
                    c.quotePrefix = True
                    n += 1
    return n


def neutralise_writer(xw) -> None:
    """:func:`neutralise_workbook` on a pandas ``ExcelWriter`` (openpyxl) before it closes."""
    neutralise_workbook(xw.book)


def frame_to_excel(frame, path, **kw) -> None:
    """``frame.to_excel(path, **kw)`` with :func:`neutralise_workbook` applied."""
    import pandas as pd
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        frame.to_excel(xw, **kw)
        neutralise_writer(xw)


# ---------------------------------------------------------------------------- terminal
def plain(s) -> str:
    """``s`` as text with every control character shown escaped (``\\x1b``, ``\\u202e``)."""
    return _CONTROL.sub(lambda m: (f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                   else f"\\u{ord(m.group()):04x}"), str(s))


def esc(s) -> str:
    """User text for a line printed with ``markup=True``: controls escaped, markup escaped."""
    from rich.markup import escape
    return escape(plain(s))


@cache
def _console_class():
    from rich.console import Console
    from rich.text import Text

    class PlainConsole(Console):
        """A rich Console for user text: no markup, emoji codes or highlighting unless a
        call asks (``markup=True``), and control characters always shown escaped."""

        def __init__(self, **kw):
            kw.setdefault("markup", False)
            kw.setdefault("emoji", False)
            kw.setdefault("highlight", False)
            super().__init__(**kw)

        def render_str(self, text, **kw):
            return super().render_str(plain(text), **kw)

        def print(self, *objects, **kw):
            objects = tuple(_plain_text(o) if isinstance(o, Text) else o for o in objects)
            return super().print(*objects, **kw)

    def _plain_text(t):
        if not _CONTROL.search(t.plain):
            return t
        out = Text(style=t.style, justify=t.justify, no_wrap=t.no_wrap, end=t.end)
        for piece in t.divide(sorted({i for sp in t.spans for i in (sp.start, sp.end)})):
            start = len(out)
            out.append(plain(piece.plain))
            for sp in piece.spans:  # a piece lies wholly inside each of its spans
                out.stylize(sp.style, start, len(out))
        return out

    return PlainConsole


def PlainConsole(**kw):
    """A :class:`rich.console.Console` that prints user text safely (see the module doc)."""
    return _console_class()(**kw)
