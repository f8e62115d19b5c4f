"""Writer of the empty generic template (通用模板) and the layout's vocabulary.

The reader is :mod:`lianpu.readers.generic`; the layout is documented in docs/template.md.
``lianpu template`` (the CLI) calls :func:`write_template`.
"""
from __future__ import annotations

import csv
import re

import numpy as np
from pathlib import Path

from ..atomic import atomic_open, atomic_path
from ..core.errors import ArgumentError
from ..safe_text import csv_value, neutralise_workbook

LEAD = ["code", "name_zh", "name_en"]
FD, VA, SAT, META, X = "FD:", "VA:", "SAT:", "META:", "x"
META_KEYS = ("unit", "year", "source", "name", "value_added_rows", "compensation_row",
             "household_columns", "notes", "roles", "discrepancy_column")
SAT_RE = re.compile(r"^SAT:([^\[\]]+)\[([^\[\]]*)\]$")
EXCEL = (".xlsx", ".xlsm")

DEFAULT_FINAL_DEMAND = [("HH", "居民消费支出", "Household consumption"),
                        ("GOV", "政府消费支出", "Government consumption"),
                        ("GFCF", "固定资本形成总额", "Gross fixed capital formation"),
                        ("INV", "存货变动", "Changes in inventories"),
                        ("EX", "出口", "Exports"),
                        ("IM", "进口", "Imports")]
DEFAULT_PRIMARY = [("compensation", "劳动者报酬", "Compensation of employees"),
                   ("net_taxes", "生产税净额", "Net taxes on production"),
                   ("depreciation", "固定资产折旧", "Depreciation of fixed assets"),
                   ("surplus", "营业盈余", "Operating surplus")]
META_HINTS = {"unit": "unit of every flow, e.g. 万元 / 10,000 CNY",
              "year": "year of the table, e.g. 2020", "source": "where the numbers come from",
              "name": "short name of the table",
              "value_added_rows": "VA codes summed as value added (comma list; empty = all)",
              "compensation_row": "VA code of compensation of employees (for income multipliers)",
              "household_columns": "FD codes of household consumption (comma list; for Type II)",
              "notes": "free text",
              "roles": "roles of FD/VA codes not recognised from code or name, "
                       "e.g. FD:INV=inventory; VA:wages=compensation (docs/template.md)",
              "discrepancy_column": "FD code of the statistical discrepancy column (ERR), if any"}


# ---------------------------------------------------------------------------- template writer
def _items(arg: str, items) -> list[tuple[str, str, str]]:
    out = []
    for it in items:
        t = (it,) if isinstance(it, str) else tuple(it)
        if not 1 <= len(t) <= 3 or not str(t[0]).strip():
            raise ArgumentError(f"argument {arg!r}: each entry must be code or (code, name_zh, "
                             f"name_en) with a non-empty code (found {it!r})")
        out.append(tuple(str(v) for v in t) + ("",) * (3 - len(t)))
    codes = [c for c, _, _ in out]
    dup = [c for c in codes if codes.count(c) > 1]
    if dup:
        raise ArgumentError(f"argument {arg!r}: duplicated code {dup[0]!r} (expected unique codes)")
    return out


def write_template(path, sectors, final_demand=None, primary=None, *, satellites=(),
                   unit: str = "", year: int | None = None, source: str = "") -> Path:
    """Write an empty (zero-filled) generic template to ``path`` (``.csv`` or ``.xlsx``), atomically.

    ``sectors``, ``final_demand``, ``primary``: codes or (code, name_zh, name_en) tuples
    (final-demand and primary codes without the ``FD:``/``VA:`` prefix; defaults: NBS-like
    categories HH, GOV, GFCF, INV, EX, IM and rows compensation, net_taxes, depreciation,
    surplus). ``satellites``: (name, unit[, name_zh, name_en]) tuples. x cells are left empty
    (x is then computed as Z·1 + Y·1); fill them to have the balance checked.
    """
    path = Path(path)
    if path.suffix.lower() not in (".csv",) + EXCEL:
        raise ArgumentError(f"argument 'path': unsupported file type {path.suffix!r} "
                         "(expected .csv or .xlsx)")
    sec = _items("sectors", sectors)
    for c, _, _ in sec:
        if c == X or ":" in c:
            raise ArgumentError(f"argument 'sectors': sector code {c!r} is reserved or contains ':' "
                             "(expected a plain code such as '01')")
    fd = _items("final_demand", DEFAULT_FINAL_DEMAND if final_demand is None else final_demand)
    fd = [(c[len(FD):] if c.startswith(FD) else c, zh, en) for c, zh, en in fd]
    pr = _items("primary", DEFAULT_PRIMARY if primary is None else primary)
    pr = [(c[len(VA):] if c.startswith(VA) else c, zh, en) for c, zh, en in pr]
    prc, fdc = [c for c, _, _ in pr], [c for c, _, _ in fd]
    meta = {"unit": unit, "year": year, "source": source,
            "compensation_row": "compensation" if "compensation" in prc else None,
            "household_columns": "HH" if "HH" in fdc else None}
    sats = [(tuple(s) + ("", ""))[:4] for s in satellites]
    return _write_rows(path, _rows(sec, fd, pr, sats, meta))


def _rows(sec, fd, pr, sats, meta, Z=None, Y=None, V=None, x=None, F=None, Ffd=None):
    """The template grid; zeros (and empty x) where no arrays are given."""
    n, k = len(sec), len(fd)
    cell = lambda a, i, m: list(a[i]) if a is not None else [0] * m  # noqa: E731
    rows = [LEAD + [c for c, _, _ in sec] + [FD + c for c, _, _ in fd] + [X]]
    rows += [[c, zh, en] + cell(Z, i, n) + cell(Y, i, k) + [None if x is None else x[i]]
             for i, (c, zh, en) in enumerate(sec)]
    rows += [[VA + c, zh, en] + cell(V, i, n) + [None] * (k + 1) for i, (c, zh, en) in enumerate(pr)]
    for i, (nm, su, zh, en) in enumerate(sats):
        fdv = [None] * k if Ffd is None or Ffd[i] is None else list(Ffd[i])
        rows.append([f"{SAT}{nm}[{su}]", zh, en] + cell(F, i, n) + fdv + [None])
    rows += [[FD + c, zh, en] + [None] * (n + k + 1) for c, zh, en in fd]
    rows += [[META + key, meta.get(key), META_HINTS[key]] + [None] * (n + k + 1)
             for key in META_KEYS]
    return rows


def write_table(table, path) -> Path:
    """Write a filled single-region, competitive table in the template layout (round-trips
    through :func:`lianpu.readers.generic.read_generic`); the ERR column becomes ``FD:ERR``."""
    path = Path(path)
    if table.is_multiregional or table.Zm_ is not None:
        raise ArgumentError(f"{table.name}: the CSV template holds single-region tables with "
                         "competitive imports only (found "
                         f"{'regions' if table.is_multiregional else 'import blocks Zm/Ym'}, "
                         "expected a plain table; export to .parquet or .xlsx instead)")
    lab = lambda fr: [(str(c), r["name_zh"], r["name_en"]) for c, r in fr.iterrows()]  # noqa: E731
    fd = lab(table.final_demand_labels)
    Y = table.Y_
    err = None
    if table.discrepancy_ is not None:
        err = "ERR"
        while err in {c for c, _, _ in fd}:
            err += "_"
        fd.append((err, "统计误差", "Statistical discrepancy"))
        Y = np.column_stack([Y, table.discrepancy_])
    sats = [(k, s.unit, s.name_zh, s.name_en) for k, s in table.satellites.items()]
    F = np.array([s.values for s in table.satellites.values()]) if sats else None
    Ffd = [s.final_demand if s.final_demand is None or err is None else
           np.append(s.final_demand, 0.0) for s in table.satellites.values()] if sats else None
    meta = {"unit": table.unit, "year": table.year, "source": table.source, "name": table.name,
            "value_added_rows": ",".join(table.value_added_rows),
            "compensation_row": table.compensation_row,
            "household_columns": ",".join(table.household_columns), "notes": "; ".join(table.notes),
            # every role written, so that the table reads back with the same roles
            "roles": "; ".join([f"{FD}{c}={r}" for c, r in zip(table.final_demand_labels.index,
                                                                table.fd_roles)]
                               + [f"{VA}{c}={r}" for c, r in zip(table.primary_labels.index,
                                                                 table.primary_roles)]),
            "discrepancy_column": err}
    rows = _rows(lab(table.sectors), fd, lab(table.primary_labels), sats, meta,
                 table.Z_, Y, table.V_, table.x_, F, Ffd)
    return _write_rows(path, rows)


def _write_rows(path: Path, rows) -> Path:
    if path.suffix.lower() == ".csv":
        with atomic_open(path, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows([["" if v is None else csv_value(v) for v in r]
                                      for r in rows])  # '=…' names get a leading ' (OWASP)
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        wb = Workbook()
        ws = wb.active
        ws.title = "table"
        for r in rows:
            ws.append(r)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "D2"
        neutralise_workbook(wb)
        ws.column_dimensions["B"].width = ws.column_dimensions["C"].width = 24
        with atomic_path(path) as tmp:
            wb.save(tmp)
    return path
