"""Reports 报告: the bilingual chain-diagnosis report (HTML + Excel) built from lianpu's analyses.

>>> import lianpu
>>> from lianpu.report import build_report
>>> build_report(lianpu.load("cn-nbs-2020-42"), out_dir="out/report")   # doctest: +SKIP

The names below are the report package's public entry points; the dashboard
(:mod:`lianpu.web`) uses only these, never a report module directly:

- ``build_report`` / ``ReportError``: the whole report;
- ``build_section`` (one named section, :data:`SECTIONS`), ``available_tracks``,
  ``table_facts``: what the dashboard's pages and API show;
- ``memo``: where section builds keep the analysis results they share (the dashboard passes
  its bounded store);
- ``Text``, ``source_text``: bilingual strings; ``TEMPLATES``, ``cell``, ``frame_rows``,
  ``numeric_columns``, ``anchor``: what the report's templates use (the dashboard's extend
  them); ``section_workbook``: a section as an Excel workbook.
"""
from .build import ReportError, build_report
from .common import memo
from .i18n import Text, source_text
from .model import anchor
from .overview import facts as table_facts
from .render import TEMPLATES, cell, frame_rows, numeric_columns, section_workbook
from .sections import WHAT as SECTIONS
from .sections import available_tracks
from .sections import build as build_section

__all__ = ["build_report", "ReportError", "build_section", "SECTIONS", "available_tracks",
           "table_facts", "memo", "Text", "source_text", "TEMPLATES", "cell", "frame_rows",
           "numeric_columns", "anchor", "section_workbook"]
