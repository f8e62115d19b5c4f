"""Sector codes as text: the one rule, used from the readers up to the presentation.

A single-region table's codes are strings (``'07'``); a multi-regional table's are
``(region, sector)`` tuples, written ``'REGION/SECTOR'`` wherever a code becomes text
(JSON, CSV/Excel headers, error messages, chart labels)."""
from __future__ import annotations


def code_str(c) -> str:
    """A sector code as text: MRIO codes ``('CHN', '01')`` → ``'CHN/01'``."""
    return "/".join(map(str, c)) if isinstance(c, tuple) else str(c)
