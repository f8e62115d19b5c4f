"""What the pages and the API show: cached report sections for a table, and their JSON form.

Routes call these; these call the report's section builders, which call lianpu's analyses.
"""
from __future__ import annotations

import io
import json
import math

import numpy as np
import pandas as pd

from ..core.errors import TableError
from ..report.i18n import check_lang

MAX_DEMAND_ROWS = 200


def store_of(request):
    return request.app.state.store


def lang_of(request, lang: str | None = None) -> str:
    lang = lang or request.query_params.get("lang") or request.cookies.get("lianpu_lang") or "zh"
    return check_lang(lang)


def table_of(request, tid: str):
    return store_of(request).get(tid)


def parse_sectors(text: str | None) -> tuple | None:
    if not text:
        return None
    codes = tuple(c.strip() for c in text.replace("，", ",").split(",") if c.strip())
    return codes or None


def track_arg(track: str | None, sectors: str | None):
    """A track id or a tuple of sector codes (exactly one of them)."""
    codes = parse_sectors(sectors)
    if bool(track) == bool(codes):
        raise ValueError("query parameters 'track' and 'sectors': give exactly one of them "
                         "(a track id, or comma-separated sector codes)")
    return track or codes


def parse_demand(table, demand) -> dict:
    """{code: amount} from a dict or 'code:amount,code:amount'; checks codes and numbers."""
    if isinstance(demand, str):
        items = {}
        for part in demand.split(","):
            if not part.strip():
                continue
            if ":" not in part:
                raise ValueError(f"query parameter 'demand': found {part!r}, expected "
                                 "'code:amount' pairs separated by commas")
            c, a = part.split(":", 1)
            items[c.strip()] = items.get(c.strip(), 0.0) + _amount(a, c)
        demand = items
    if not isinstance(demand, dict) or not demand:
        raise ValueError("'demand': expected at least one sector with an amount, "
                         "e.g. {\"20\": 100000}")
    if len(demand) > MAX_DEMAND_ROWS:
        raise ValueError(f"'demand': found {len(demand)} sectors, expected at most "
                         f"{MAX_DEMAND_ROWS}")
    codes = {str(c) if not isinstance(c, tuple) else "/".join(c): c for c in table.index}
    out = {}
    for c, a in demand.items():
        if str(c) not in codes:
            raise TableError(f"{table.name}: 'demand': unknown sector code {c!r} (expected "
                             f"codes like {list(codes)[:3]})")
        out[codes[str(c)]] = _amount(a, c, table)
    return out


def _amount(a, code, table=None) -> float:
    """One amount by the library's rule (lianpu.analysis.scenarios.demand.parse_amount): a finite
    number, thousands commas in groups of three, no decimal comma, not negative (the
    dashboard has no --allow-negative)."""
    from ..analysis.scenarios.demand import check_amounts, parse_amount
    from ..core.errors import ArgumentError
    try:
        v = parse_amount(a, None, column=f"demand[{code!r}]")
        check_amounts(np.array([[v]]), None, argument=f"demand[{code!r}]", table=table)
    except (ArgumentError, ValueError) as exc:
        raise ArgumentError(f"'demand': amount for sector {code!r}: "
                            f"{str(exc).split(': ', 1)[-1]}") from None
    return v


def section(request, tid: str, what: str, lang: str, **args):
    """The report section ``what`` for table ``tid``, built once and cached."""
    from ..report import sections as S
    store = store_of(request)
    table = store.get(tid)
    key = (tid, what, lang) + tuple(sorted((k, _hashable(v)) for k, v in args.items()))
    return store.section(key, lambda: S.build(table, what, lang, **args))


def _hashable(v):
    if isinstance(v, dict):
        return tuple(sorted((str(k), _hashable(x)) for k, x in v.items()))
    if isinstance(v, list):
        return tuple(v)
    return v


def jsonable(v):
    if isinstance(v, (float, np.floating)):
        return None if not math.isfinite(v) else float(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, tuple):
        return "/".join(map(str, v))
    return v


def section_json(sec, with_figures: bool = True) -> dict:
    out = {"key": sec.key, "title": sec.title, "lead": sec.lead, "paragraphs": sec.paragraphs,
           "color": sec.color,
           "sheets": [{"key": sh.key, "title": sh.title, "note": sh.note,
                       "columns": [str(c) for c in sh.frame.columns],
                       "rows": [[jsonable(v) for v in r] for r in
                                sh.frame.itertuples(index=False, name=None)]}
                      for sh in sec.sheets],
           "children": [section_json(c, with_figures) for c in sec.children]}
    if with_figures:
        out["figures"] = [{"key": f.key, "title": f.title, "unit": f.unit, "source": f.source,
                           "year": f.year, "figure": json.loads(f.fig.to_json())}
                          for f in sec.figures]
    return out


def all_sheets(sec) -> list:
    return [sh for s in sec.walk() for sh in s.sheets]


def find_sheet(sec, key: str | None):
    sheets = all_sheets(sec)
    if not sheets:
        raise TableError(f"section {sec.key!r} has no tables to download")
    if key is None:
        return sheets[0]
    for sh in sheets:
        if sh.key == key:
            return sh
    raise ValueError(f"query parameter 'sheet': found {key!r}, expected one of "
                     f"{[s.key for s in sheets]}")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    # UTF-8 with BOM so that Excel on Chinese Windows opens it with the right encoding
    from ..safe_text import csv_frame  # '=…' cells get a leading ' (formula injection)
    return csv_frame(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(sec) -> bytes:
    from ..report.model import assign_sheet_names
    from ..report.render import write_workbook
    sheets = assign_sheet_names([sec])
    buf = io.BytesIO()
    write_workbook(sheets, buf, {"section": sec.key, "title": sec.title})
    return buf.getvalue()
