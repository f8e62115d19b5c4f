"""``build_report``: the bilingual chain-diagnosis report (self-contained HTML + Excel).

The output folder is written atomically: everything is built in a temporary folder beside it
(``.NAME.building-PID-…``) and swapped in only when complete — on Linux by one atomic exchange
of the two folders (``renameat2 RENAME_EXCHANGE``), elsewhere by two renames whose middle state
(old report parked as ``.NAME.old-PID-…``) the next run repairs. So a failed or killed build
leaves the earlier report at the path, and leftovers of killed runs are removed by the next one.
A folder holding files the report did not write is refused, never emptied.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import datetime as _dt
import glob
import os
import shutil
import sys
import tempfile
from contextlib import nullcontext
from pathlib import Path

from markupsafe import Markup

from ..atomic import is_stale, umask
from ..core.errors import LianpuError, check_lang
from ..core.units import Unit
from . import content
from .common import memo
from .i18n import Text, source_text
from .model import anchor, assign_sheet_names
from .render import env, figure_div, frame_rows, numeric_columns, plotly_js, write_workbook

INDEX = "index.html"
WORKBOOK = "lianpu-report.xlsx"
MARKER = ".lianpu-report"
PDF = "lianpu-report.pdf"   # the project report's optional print (lianpu.report.project)
OWN = (INDEX, WORKBOOK, MARKER, PDF)  # what a report folder holds; anything else is the user's


class ReportError(LianpuError, ValueError):
    """The report cannot be written where asked."""


def build_report(table, tracks=None, lang: str = "zh", out_dir="report", *,
                 progress: bool = False, scenario=None, data_dir=None, region=None) -> Path:
    """Write ``index.html`` and ``lianpu-report.xlsx`` for ``table`` into ``out_dir``.

    Parameters
    ----------
    table : IOTable
    tracks : list of track ids, optional
        Chains to diagnose (see ``lianpu.tracks()``); default :data:`lianpu.analysis.defaults.DEFAULT_TRACKS`
        (those the track registry knows).
    lang : "zh" (default) or "en"
    out_dir : path
        Created if absent; an existing folder is replaced only if it holds an earlier lianpu
        report and nothing else (or is empty), and only once the new report is complete; a
        report folder that also holds other files is refused (ReportError), never emptied.
    progress : bool
        Show a rich progress bar on stderr.
    scenario : dict, optional
        Example project for the scenario section: ``{sector code: amount in the table's unit}``
        (default: 10 亿元 of final demand for the largest sector of the first track).
    data_dir : path, optional
        Dataset cache holding the CEADs CO2 inventory for the carbon section and the detailed
        table of the Type II household split (default: ``$LIANPU_DATA`` or the user data dir).
    region : str, optional
        On a multi-regional table (the China MRIO ``cn-mrio-{year}``): add the section
        区域联动 for this province (:mod:`lianpu.report.regional`).

    Returns
    -------
    Path of ``index.html``.
    """
    check_lang(lang)
    out = Path(out_dir)
    recover(out)
    _check_target(out)
    steps, ids = content.plan(table, tracks, scenario=scenario, data_dir=data_dir, region=region)
    with _progress(progress, len(steps) + 2) as bar, memo():  # results shared by one build
        sections, chains = [], []
        for label, fn in steps:
            bar.advance(label)
            sec = fn(lang)
            (chains if label.startswith("chain ") else sections).append(sec)
        from .summary import summary_section
        from .tracks import tracks_section
        sections.insert(2, tracks_section(table, [], lang, children=chains))
        sections.insert(0, summary_section(table, sections, lang, ids, scenario, region))
        sheets = assign_sheet_names(sections)
        bar.advance("HTML")
        html = _render_html(table, sections, lang)
        bar.advance("Excel")
        parent = out.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-{os.getpid()}-", dir=parent))
        tmp.chmod(0o777 & ~umask())  # mkdtemp makes it private; create it as mkdir would
        try:
            (tmp / INDEX).write_text(html, encoding="utf-8")
            write_workbook(sheets, tmp / WORKBOOK, _meta(table, lang, ids))
            (tmp / MARKER).write_text("lianpu report\n", encoding="utf-8")
            _swap(tmp, out)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return out / INDEX


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out}: argument 'out_dir': found a file, expected a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise ReportError(f"{out}: argument 'out_dir': the folder is not empty and holds no "
                          "earlier lianpu report (expected a new or empty folder, or a report "
                          "folder)")
    if out.is_dir() and (out / MARKER).exists():
        other = sorted(p.name + ("/" if p.is_dir() else "") for p in out.iterdir()
                       if p.name not in OWN)
        if other:
            shown = ", ".join(other[:5]) + (f" and {len(other) - 5} more" if len(other) > 5
                                            else "")
            raise ReportError(f"{out}: argument 'out_dir': the earlier report folder also holds "
                              f"files lianpu did not write ({shown}); replacing the report would "
                              "delete them (expected only index.html, lianpu-report.xlsx, "
                              f"{PDF} and .lianpu-report: move those files away or choose "
                              "another folder)")


def recover(out: Path) -> list[Path]:
    """Repair and clean up after killed runs into ``out``: a report parked as ``.NAME.old-*``
    while ``out`` is missing is put back; other ``.NAME.building-*`` / ``.NAME.old-*`` folders
    of processes that are gone are removed. Returns what was removed or restored."""
    parent = out.absolute().parent
    if not parent.is_dir():
        return []
    done = []
    for tag in ("old-", "building-"):
        prefix = f".{out.name}.{tag}"
        for p in sorted(parent.glob(glob.escape(prefix) + "*")):
            if not p.is_dir() or p.is_symlink() or not is_stale(p.name, p, prefix):
                continue
            if tag == "old-" and not out.exists() and (p / MARKER).exists():
                os.replace(p, out)  # killed between the two renames: the old report returns
            else:
                shutil.rmtree(p, ignore_errors=True)
            done.append(p)
    return done


def _swap(tmp: Path, out: Path) -> None:
    """Move the finished report into place; the old one is removed only after the swap."""
    if out.exists() and _exchange(tmp, out):  # one atomic step: tmp now holds the old report
        shutil.rmtree(tmp, ignore_errors=True)
        return
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-",
                                    dir=out.resolve().parent))
        os.rmdir(old)
        os.replace(out, old)
    try:
        os.replace(tmp, out)
    except OSError:
        if old is not None:
            os.replace(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system or the file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a.absolute()), _AT_FDCWD, os.fsencode(b.absolute()),
            _RENAME_EXCHANGE)
    return rc == 0


def _view(sec, lang, counter):
    figs = []
    for f in sec.figures:
        counter[0] += 1
        figs.append((f, figure_div(f.fig, f"fig{counter[0]}-{anchor(f.key)}")))
    sheets = [(sh, numeric_columns(sh.frame), frame_rows(sh.frame, sh.show), len(sh.frame))
              for sh in sec.sheets]
    return {"anchor": anchor(sec.key), "title": sec.title, "lead": sec.lead,
            "paragraphs": sec.paragraphs, "figures": figs, "sheets": sheets, "color": sec.color,
            "sheets_first": sec.sheets_first, "keyfigs": sec.keyfigs,
            "children": [_view(c, lang, counter) for c in sec.children]}


def _render_html(table, sections, lang) -> str:
    T = Text(lang)
    css = (Path(__file__).with_name("templates") / "report.css").read_text("utf-8")
    counter = [0]
    views = [_view(s, lang, counter) for s in sections]
    footer = ("本报告由 lianpu 依据投入产出表自动生成；表中数字与 lianpu Python 接口的结果一致。"
              if lang == "zh" else "Generated by lianpu from the input-output table; the numbers "
              "equal those of lianpu's Python API.")
    from .. import __version__
    return env().get_template("report.html.j2").render(
        T=T, lang=lang, sections=views, colon="：" if lang == "zh" else ": ", css=Markup(css),
        plotly_js=Markup(plotly_js()),
        table_title=source_text(table, lang), source=source_text(table, lang), year=table.year,
        unit=Unit.parse(table.unit).text(lang), xlsx=WORKBOOK, version=__version__, footer=footer,
        generated=_dt.datetime.now().strftime("%Y-%m-%d %H:%M"))


def _meta(table, lang, tracks) -> dict:
    from .. import __version__
    return {"table": table.name, "source": table.source, "year": table.year, "unit": table.unit,
            "sectors": table.n, "imports": table.imports, "language": lang,
            "tracks": ",".join(tracks), "lianpu": __version__,
            "generated": _dt.datetime.now().isoformat(timespec="seconds")}


class _Bar:
    def __init__(self, progress, task):
        self.p, self.task = progress, task

    def advance(self, label):
        if self.p is not None:
            self.p.update(self.task, description=label)
            self.p.advance(self.task)


def _progress(enabled: bool, total: int):
    if not enabled:
        return nullcontext(_Bar(None, None))
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    class _Ctx:
        def __enter__(self):
            self.p = Progress(TextColumn("[bold]链谱 report[/]"), BarColumn(),
                              TextColumn("{task.completed}/{task.total} {task.description}"),
                              TimeElapsedColumn(), console=Console(stderr=True), transient=False)
            self.p.__enter__()
            return _Bar(self.p, self.p.add_task("", total=total))

        def __exit__(self, *exc):
            return self.p.__exit__(*exc)

    return _Ctx()
