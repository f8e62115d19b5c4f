"""Reports 报告: the bilingual chain-diagnosis report (HTML + Excel) built from lianpu's analyses.

>>> import lianpu
>>> from lianpu.report import build_report
>>> build_report(lianpu.load("cn-nbs-2020-42"), out_dir="out/report")   # doctest: +SKIP
"""
from .build import ReportError, build_report

__all__ = ["build_report", "ReportError"]
