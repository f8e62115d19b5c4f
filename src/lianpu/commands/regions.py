"""CLI commands for the regions analyses (registered on the app of commands._app): ``spillover``,
``twin``, ``regionalize`` and ``gras``. Thin: each calls lianpu.analysis and prints."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

if TYPE_CHECKING:  # annotations only: the command imports pandas where it reads a matrix
    import pandas as pd

from ..core.errors import FormatError, message
from ..core.units import fmt_pct as _pct
from ..safe_text import esc
from ._app import app
from ..core.units import fmt_num
from ._screen import columns, money, pick, region_name, show, table, unit_line, unit_text, word
from ._shared import (DATA_DIR, FMT, JSON, LANG, UserError, at_least, basis_line, emit, lang_arg,
                      load, out)


#: the basis line of the regions results (analysis.regions.spillover.BASIS) in Chinese
_MRIO_BASIS_ZH = "多区域表原样使用：区域间贸易在中间使用矩阵中明示，表外购入视为漏出"


def _basis(text: str, lang: str) -> str:
    from ..analysis.regions.spillover import BASIS as MRIO_BASIS
    return basis_line(text, _MRIO_BASIS_ZH if text == MRIO_BASIS else text, lang)


@app.command()
def spillover(source: str = typer.Argument(..., help="Multi-regional table: dataset id or file."),
              kind: str = typer.Option("output", "--kind", help="output, value_added, income or "
                                       "a satellite name."),
              by_sector: bool = typer.Option(False, "--by-sector", help="Also give every "
                                             "product's decomposition (JSON)."),
              fmt: Optional[str] = FMT, lang: str = LANG, data_dir: Optional[Path] = DATA_DIR,
              as_json: bool = JSON):
    """Intra-regional, feedback and spillover effects 溢出效应/反馈效应 by region (Miller)."""
    from ..analysis.regions.spillover import spillover as calc
    lang = lang_arg(lang)
    t = load(source, data_dir, fmt)
    res = calc(t, kind)
    if as_json:
        d = res.to_dict()
        if not by_sector:
            d.pop("by_sector")
        return emit(d)
    kinds = {"output": ("产出", "output"), "value_added": ("增加值", "value-added"),
             "income": ("劳动者报酬", "income")}
    what = pick(*kinds.get(kind, (kind, kind)), lang)
    tab = table(pick(f"{what}乘数：区域内 + 反馈 + 溢出 — {t.name}",
                     f"{what} multipliers: intra-regional + feedback + spillover — {t.name}", lang),
                pick("每单位该地区产品最终需求（按最终需求结构加权）；单位："
                     f"{unit_text(t.unit, 'zh')}/{unit_text(t.unit, 'zh')}最终需求"
                     if kind in kinds else "每单位该地区产品最终需求（按最终需求结构加权）；"
                     f"单位：{res.unit}",
                     "per unit of final demand for the region's products (final-demand mix); "
                     f"unit: {res.unit}", lang) + "\n" + _basis(res.basis, lang))
    columns(tab, [(word("code", lang), "code"), (word("region", lang), "text")]
            + [(word(c, lang), "num") for c in ("intra", "feedback", "spillover", "total_effect",
                                                 "spillover_share")])
    for r, row in res.by_region.iterrows():
        tab.add_row(str(r), region_name(r, lang),
                    *(f"{row[c]:.4f}" for c in ("intra", "feedback", "spillover", "total")),
                    _pct(row["spillover_share"]))
    show(tab)


@app.command()
def twin(source: str = typer.Argument(..., help="Multi-regional table: dataset id or file."),
         a: str = typer.Argument(..., help="First region (code or name)."),
         b: str = typer.Argument(..., help="Second region (code or name)."),
         top: int = typer.Option(5, "--top", help="Sectors and products to list per direction."),
         sectors: Optional[str] = typer.Option(None, "--sectors", help="Track for the "
                                               "complementarity: comma-separated sector codes "
                                               "or a track id."),
         fmt: Optional[str] = FMT, lang: str = LANG, data_dir: Optional[Path] = DATA_DIR,
         as_json: bool = JSON):
    """Each region's output, value added (and jobs) driven by the other's final demand."""
    from ..analysis.regions.twin import twin as calc
    lang = lang_arg(lang)
    at_least("--top", top, 1)
    t = load(source, data_dir, fmt)
    trk = None if sectors is None else ([s.strip() for s in sectors.split(",")]
                                        if "," in sectors else sectors.strip())
    res = calc(t, a, b, top=top, sectors=trk)
    if as_json:
        return emit(res.to_dict())
    names = t.label(lang)
    k, shown = money(t.unit, lang)
    ra, rb = region_name(res.a, lang), region_name(res.b, lang)
    tab = table(f"{ra} ⇄ {rb} — {t.name}", unit_line(shown, lang) + "\n" + _basis(res.basis, lang))
    cols = [c for c in res.summary.columns if not c.endswith("_share")]
    heads = {"output": ("产出", "output"), "value_added": ("增加值", "value added"),
             "jobs": ("就业", "jobs")}
    columns(tab, [(pick("拉动方向", "driven", lang), "text")]
            + [(h, "num") for c in cols for h in (pick(*heads.get(c, (c, c)), lang),
                                                  word("share", lang))])

    def direction(key):  # 'CHN←NAFTA' → 中国←北美自由贸易区
        return "←".join(region_name(x, lang) for x in str(key).split("←"))

    for key, row in res.summary.iterrows():
        tab.add_row(direction(key), *[v for c in cols for v in (
            fmt_num(row[c] * (1.0 if c == "jobs" else k), 1), _pct(row[f"{c}_share"]))])
    show(tab)
    for key, grp in res.top_sectors.groupby("direction", sort=False):
        out.print(direction(key) + pick(" 主要拉动部门（增加值，", " top sectors (value added, ", lang)
                  + shown + pick("）：", "): ", lang) + pick("；", "; ", lang).join(
            f"{names[(r.region, r.sector)]} {fmt_num(r.value_added * k, 1)} "
            f"({_pct(r.share_of_sector_value_added)})" for r in grp.itertuples()), soft_wrap=True)
    for key, c in res.complementarity.items():
        arrow = "→".join(region_name(x, lang) for x in str(key).split("→"))
        out.print(arrow + pick(f" 互补指数 {c.index:.1f}/100；已实现占赛道投入的 "
                               f"{_pct(c.realized_share)}",
                               f" complementarity {c.index:.1f}/100; realized share "
                               f"{_pct(c.realized_share)} of the track's inputs", lang),
                  soft_wrap=True)


@app.command()
def regionalize(national: str = typer.Argument(..., help="National table: dataset id or file."),
                regional: Optional[Path] = typer.Option(None, "--regional", help="Regional data "
                                                        "CSV/XLSX (see --template)."),
                method: str = typer.Option("aflq", "--method", help="slq, cilq, flq or aflq "
                                           "(default aflq δ=0.1: docs/regionalize.md §7)."),
                delta: float = typer.Option(0.1, "--delta", help="FLQ/AFLQ δ in [0, 1)."),
                out_: Optional[Path] = typer.Option(None, "--out", help="FILE.parquet, .xlsx "
                                                    "or .csv to write (atomic)."),
                two_region: bool = typer.Option(False, "--two-region", help="Region + rest of "
                                                "the nation, with interregional trade."),
                region: str = typer.Option("R", "--region", help="Name of the region."),
                template: Optional[Path] = typer.Option(None, "--template", help="Write the "
                                                        "regional-data CSV template and stop."),
                fmt: Optional[str] = FMT, data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Estimate a regional table by location quotients 区位商 (SLQ, CILQ, FLQ, AFLQ)."""
    from ..analysis.regions import regionalize as rz
    from ..analysis.multipliers import multipliers
    from ..export import export_table
    t = load(national, data_dir, fmt)
    if template is not None:
        path = rz.write_template(t, template)
        return emit({"ok": True, "path": str(path)}) if as_json else \
            out.print(f"[green]✓[/] wrote template {esc(path)}", markup=True)
    if regional is None or out_ is None:
        raise UserError("--regional and --out are required (or --template FILE to start)")
    r = rz.regionalize(t, regional, method=method, delta=delta, region=region,
                       two_region=two_region)
    path = export_table(r, out_)
    m = multipliers(r)
    own = m.loc[region] if two_region else m
    d = {"ok": True, "path": str(path), "method": method, "delta": delta, "region": region,
         "sectors": int(own.size), "two_region": two_region,
         "mean_output_multiplier": float(own.mean()),
         "mean_national_output_multiplier": float(multipliers(rz.domestic_national(t)[0]).mean()),
         "notes": list(r.notes)}
    if as_json:
        return emit(d)
    out.print(f"[green]✓[/] wrote {esc(path)}: {esc(region)}, {method.upper()}"
              f"{f' δ={delta:g}' if method in ('flq', 'aflq') else ''}; mean output multiplier "
              f"{d['mean_output_multiplier']:.4f} (national {d['mean_national_output_multiplier']:.4f})",
              markup=True)


def _read_matrix(path: Path) -> pd.DataFrame:
    """A labelled matrix (labels in the first column and the header) from a CSV or an xlsx,
    read by the generic reader's cell reader (UTF-8, UTF-8-BOM or GB18030; the first sheet)."""
    import pandas as pd
    from ..readers.generic import _num as cell_number
    from ..readers.generic import _read_grid, _text
    if not path.is_file():
        raise FormatError(message(path.name, "file not found"))
    grid = [r for r in _read_grid(path) if any(c is not None for c in r)]
    if len(grid) < 2 or len(grid[0]) < 2:
        raise FormatError(message(path.name, "no matrix", found=f"{len(grid)} row(s)",
                                  expected="labels in the first column and the header, "
                                           "numbers in the cells"))
    cols = [_text(c) or "" for c in grid[0][1:]]
    index = [_text(r[0]) or "" for r in grid[1:]]
    cells = [[cell_number(c, path.name, index[i], cols[j]) for j, c in enumerate(r[1:])]
             for i, r in enumerate(grid[1:])]
    return pd.DataFrame(cells, index=index, columns=cols, dtype=float)


def _read_totals(path: Path, labels, what: str) -> pd.Series:
    df = _read_matrix(path)
    if df.shape[1] != 1:
        raise FormatError(message(path.name, f"expected two columns: code and {what} total",
                                  row="header", found=list(df.columns)))
    s = df.iloc[:, 0]
    miss = [c for c in labels if c not in s.index]
    extra = [c for c in s.index if c not in set(labels)]
    if miss or extra:
        raise FormatError(message(path.name, f"{what} totals do not match the matrix labels",
                                  row=repr((miss or extra)[0]),
                                  found="missing" if miss else "not in the matrix",
                                  expected=f"one total per matrix {what}"))
    return s


@app.command()
def gras(table: Path = typer.Option(..., "--table", help="Prior matrix CSV/XLSX (labels in "
                                    "the first column and the header)."),
         rows: Path = typer.Option(..., "--rows", help="CSV/XLSX: code,total of each row."),
         cols: Path = typer.Option(..., "--cols", help="CSV/XLSX: code,total of each column."),
         out_: Path = typer.Option(..., "--out", help="Balanced matrix: FILE.csv or .xlsx."),
         tol: float = typer.Option(1e-10, "--tol", help="Relative tolerance on the totals."),
         max_iter: int = typer.Option(10_000, "--max-iter", help="Iteration limit."),
         as_json: bool = JSON):
    """GRAS-balance a matrix (negative entries allowed) to known row and column totals."""
    import numpy as np

    from ..analysis._result import jsonable
    from ..analysis.regions.regionalize import gras as balance  # lianpu.gras
    from ..atomic import atomic_path
    if out_.suffix.lower() not in (".csv", ".xlsx"):
        raise UserError(f"--out: found {out_.suffix or '(no suffix)'!r}, expected .csv or .xlsx")
    Z0 = _read_matrix(table)
    u = _read_totals(rows, list(Z0.index), "row")
    v = _read_totals(cols, list(Z0.columns), "column")
    Z = balance(Z0, u, v, tol=tol, max_iter=max_iter)
    it = Z.attrs["iterations"]
    with atomic_path(out_) as tmp:
        from ..safe_text import csv_frame, frame_to_excel  # names never become formulas
        (frame_to_excel(Z, tmp) if out_.suffix.lower() == ".xlsx" else csv_frame(Z).to_csv(tmp))
    d = {"ok": True, "path": str(out_), "iterations": it,
         "max_row_residual": jsonable(np.abs(Z.sum(axis=1) - u.reindex(Z.index)).max()),
         "max_column_residual": jsonable(np.abs(Z.sum(axis=0) - v.reindex(Z.columns)).max())}
    if as_json:
        return emit(d)
    out.print(f"[green]✓[/] wrote {esc(out_)}: {it} iteration(s), max residual "
              f"{max(d['max_row_residual'], d['max_column_residual']):.3g}", markup=True)


__all__ = ["gras", "regionalize", "spillover", "twin"]
