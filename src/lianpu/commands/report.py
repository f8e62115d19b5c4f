"""``lianpu report``: the bilingual chain-diagnosis report (registered on lianpu.cli.app)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..cli import DATA_DIR, JSON, LANG, UserError, _emit, _load, app, out
from ..safe_text import esc


@app.command()
def report(source: str = typer.Argument(..., help="Dataset id or table file."),
           out_dir: Path = typer.Option(..., "--out", help="Folder for index.html and "
                                        "lianpu-report.xlsx (replaced atomically)."),
           tracks: Optional[str] = typer.Option(
               None, "--tracks", help="Comma list of track ids or names (see `lianpu tracks`); "
               "default: 电子信息, 航空航天, 新能源, 生物医药."),
           fmt: Optional[str] = typer.Option(None, "--format",
                                             help="Reader name (default: detect)."),
           lang: str = LANG, data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Chain-diagnosis report: self-contained HTML (opens offline) and an Excel workbook."""
    from ..report import build_report
    if lang not in ("zh", "en"):
        raise UserError(f"--lang: found {lang!r}, expected 'zh' or 'en'")
    ids = [t.strip() for t in tracks.replace("，", ",").split(",") if t.strip()] if tracks else None
    if tracks is not None and not ids:
        raise UserError("--tracks: found an empty list, expected track ids such as aerospace")
    t = _load(source, data_dir, fmt)
    index = build_report(t, tracks=ids, lang=lang, out_dir=out_dir, progress=not as_json,
                         data_dir=data_dir)
    xlsx = index.with_name("lianpu-report.xlsx")
    if as_json:
        return _emit({"ok": True, "html": str(index), "xlsx": str(xlsx)})
    out.print(f"[green]✓[/] report: {esc(index.resolve())}", markup=True)
    out.print(f"[green]✓[/] workbook: {esc(xlsx.resolve())}", markup=True)
