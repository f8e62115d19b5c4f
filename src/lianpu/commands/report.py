"""``lianpu report``: the bilingual chain-diagnosis report (registered on the app of
commands._app)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..safe_text import esc
from ._app import app
from ._shared import (BASIS, DATA_DIR, FMT, JSON, LANG, UserError, at_least, basis_arg, emit,
                      lang_arg, load, out)


@app.command()
def report(source: str = typer.Argument(..., help="Dataset id or table file."),
           out_dir: Path = typer.Option(..., "--out", help="Folder for index.html and "
                                        "lianpu-report.xlsx (replaced atomically)."),
           tracks: Optional[str] = typer.Option(
               None, "--tracks", help="Comma list of track ids or names (see `lianpu tracks`); "
               "default: 电子信息, 航空航天, 新能源, 生物医药."),
           fmt: Optional[str] = FMT,
           region: Optional[str] = typer.Option(
               None, "--region", help="On the China MRIO (cn-mrio-2017): add the section "
               "区域联动 for this province (twin cores, complementarity with 甘肃, inflow "
               "dependence, CO2 transfers)."),
           project: Optional[Path] = typer.Option(
               None, "--project", help="Spending-profile CSV/TOML (sector, name, amount, unit, "
               "local_share; docs/examples/project_demand.csv): write the project impact "
               "report instead of the chain diagnosis."),
           local_share: Optional[str] = typer.Option(
               None, "--local-share", help="With --project: local share for every row (0.8) "
               "or per sector (18=0.9,27=1), replacing the file's."),
           draws: int = typer.Option(200, "--draws", help="With --project: Monte-Carlo draws "
                                     "for the uncertainty band (0 = none)."),
           pdf: bool = typer.Option(False, "--pdf", help="With --project: also print "
                                    "lianpu-report.pdf with headless Chromium."),
           basis: str = BASIS,
           lang: str = LANG, data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Chain-diagnosis report (or, with --project, the project impact report): self-contained
    HTML (opens offline) and an Excel workbook."""
    from ..report import build_report
    lang_arg(lang)
    if project is None:
        for flag, given in (("--local-share", local_share is not None), ("--pdf", pdf),
                            ("--draws", draws != 200), ("--basis", basis != "auto")):
            if given:
                raise UserError(f"{flag}: found without --project, expected --project FILE")
    else:
        for flag, given in (("--tracks", tracks is not None), ("--region", region is not None)):
            if given:
                raise UserError(f"{flag}: found together with --project, expected one of them")
        at_least("--draws", draws, 0)
        return _project(source, project, out_dir, _shares(local_share), draws, pdf,
                        basis_arg(basis), fmt, lang, data_dir, as_json)
    ids = [t.strip() for t in tracks.replace("，", ",").split(",") if t.strip()] if tracks else None
    if tracks is not None and not ids:
        raise UserError("--tracks: found an empty list, expected track ids such as aerospace")
    t = load(source, data_dir, fmt)
    if region is not None and not t.is_multiregional:
        raise UserError(f"--region: {t.name} is a single-region table, expected a "
                        "multi-regional one such as cn-mrio-2017")
    index = build_report(t, tracks=ids, lang=lang, out_dir=out_dir, progress=not as_json,
                         data_dir=data_dir, region=region)
    xlsx = index.with_name("lianpu-report.xlsx")
    if as_json:
        return emit({"ok": True, "html": str(index), "xlsx": str(xlsx)})
    out.print(f"[green]✓[/] report: {esc(index.resolve())}", markup=True)
    out.print(f"[green]✓[/] workbook: {esc(xlsx.resolve())}", markup=True)


def _shares(text: Optional[str]):
    """--local-share: one share (0.8) or sector=share pairs (18=0.9,27=1)."""
    if text is None:
        return None
    parts = [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]
    pairs = [p.partition("=") for p in parts]
    try:
        if len(parts) == 1 and "=" not in parts[0]:
            shares = float(parts[0])
            vals = [shares]
        elif all(code.strip() and v.strip() for code, _, v in pairs):
            shares = {code.strip(): float(v) for code, _, v in pairs}
            vals = list(shares.values())
        else:
            vals = None
    except ValueError:  # float() of a value that is not a number
        vals = None
    if vals is None:
        raise UserError(f"--local-share: found {text!r}, expected a share such as 0.8 or "
                        "sector=share pairs such as 18=0.9,27=1")
    bad = [v for v in vals if not 0 <= v <= 1]
    if bad or not vals:
        raise UserError(f"--local-share: found {bad[0] if bad else text!r}, expected shares "
                        "between 0 and 1")
    return shares


def _project(source, project, out_dir, shares, draws, pdf, basis, fmt, lang, data_dir, as_json):
    from ..report.project import PDF, build_project_report
    if not project.is_file():
        raise UserError(f"--project: found {str(project)!r}, expected a spending-profile file")
    t = load(source, data_dir, fmt)
    index = build_project_report(t, project, out_dir, lang=lang, local_share=shares,
                                 basis=basis, draws=draws, pdf=pdf, data_dir=data_dir,
                                 name=project.name)
    files = {"html": index, "xlsx": index.with_name("lianpu-report.xlsx")}
    if pdf:
        files["pdf"] = index.with_name(PDF)
    if as_json:
        return emit({"ok": True, **{k: str(v) for k, v in files.items()}})
    for what, path in zip(("project report", "workbook", "PDF"), files.values()):
        out.print(f"[green]✓[/] {what}: {esc(path.resolve())}", markup=True)
