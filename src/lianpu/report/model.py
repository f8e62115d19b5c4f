"""What a report is made of: sections holding tables (also written to the workbook) and
figures. Content builders fill these from analysis results; the HTML template, the workbook
writer and the dashboard only read them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Sheet:
    """A table shown in the report and written to the workbook as one sheet.

    ``frame`` holds the analysis' own numbers (column headers carry units, e.g.
    ``总产出 [万元]``); ``show`` limits the rows shown in HTML (the workbook has all).
    ``workbook``: the frame the workbook gets instead, where HTML shows numbers as formatted
    text (the overview); ``formats``: Excel number formats by column (one, or one per row),
    for columns whose format is not the one :func:`.render.numeric_columns` picks."""

    key: str
    title: str
    frame: pd.DataFrame
    note: str = ""
    show: int = 30
    sheet_name: str = ""
    workbook: pd.DataFrame | None = None
    formats: dict = field(default_factory=dict)


@dataclass
class Figure:
    """A plotly figure with what every chart must state: title, unit, source and year."""

    key: str
    title: str
    fig: object
    unit: str
    source: str
    year: object
    note: str = ""


@dataclass
class Section:
    key: str
    title: str
    lead: str = ""
    paragraphs: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    sheets: list = field(default_factory=list)
    children: list = field(default_factory=list)
    color: str = ""
    sheets_first: bool = False
    #: the key-figure strip (executive summary): dicts with label, value, unit, note, href
    keyfigs: list = field(default_factory=list)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


_BAD_SHEET = re.compile(r"[\[\]\*\?/\\:]")


def assign_sheet_names(sections) -> list[Sheet]:
    """Give every sheet a unique Excel name (≤ 31 characters, no []*?/\\:), in report order."""
    used, out = set(), []
    for sec in sections:
        for s in sec.walk():
            for sh in s.sheets:
                base = _BAD_SHEET.sub("_", sh.title)[:28].strip() or sh.key[:28]
                name, i = base, 2
                while name.lower() in used:
                    name = f"{base[:26]}~{i}"
                    i += 1
                used.add(name.lower())
                sh.sheet_name = name
                out.append(sh)
    return out


def anchor(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)
