"""What the pages and the API show: report sections for a table (built by the report's
public entry points, :mod:`lianpu.report`), their JSON form and the parsing of what a
request sends.

Routes call these; these call the report's section builders, which call lianpu's analyses.
Every error a user can cause is a :class:`~lianpu.core.errors.LianpuError` (the app answers
400); anything else is a bug (500 with a logged reference).
"""
from __future__ import annotations

import io
import json

from ..analysis._result import jsonable
from ..core.errors import ArgumentError, TableError, check_lang, message

MAX_DEMAND_ROWS = 200


def too_large(limit: int) -> str:
    """The message of an upload over the server's limit (the body limit and the route)."""
    return f"upload too large: more than {limit // (1024 * 1024)} MB (the limit of this server)"


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
        raise ArgumentError("query parameters 'track' and 'sectors': give exactly one of them "
                            "(a track id, or comma-separated sector codes)")
    return track or codes


def parse_demand(table, demand):
    """The :class:`~lianpu.analysis.scenarios.demand.Demand` of what a request sends — a JSON
    object ``{code: amount}`` or the query text ``'code:amount,code:amount'`` — parsed once,
    by the library's demand parser (:meth:`SectorLookup.demand <lianpu.analysis.scenarios.
    demand.SectorLookup.demand>`: codes, 'REGION/SECTOR', amounts by the one amount rule); the
    dashboard has no --allow-negative, so a negative amount is refused."""
    from ..analysis.scenarios.demand import SectorLookup, check_amounts, parse_amount
    if isinstance(demand, str):
        items: dict = {}
        for part in demand.split(","):
            if not part.strip():
                continue
            if ":" not in part:
                raise ArgumentError(message(None, "not a 'code:amount' pair", found=repr(part),
                                            argument="demand", expected="'code:amount' pairs "
                                            "separated by commas"))
            c, a = (x.strip() for x in part.split(":", 1))
            items[c] = a if c not in items else _sum(items[c], a, c, parse_amount)
        demand = items
    if not isinstance(demand, dict) or not demand:
        raise ArgumentError(message(None, "no sector with an amount", argument="demand",
                                    expected="at least one sector with an amount, e.g. "
                                             '{"20": 100000}'))
    if len(demand) > MAX_DEMAND_ROWS:
        raise ArgumentError(message(None, "too many sectors", argument="demand",
                                    found=f"{len(demand)} sectors",
                                    expected=f"at most {MAX_DEMAND_ROWS}"))
    d = SectorLookup(table).demand(demand, allow_negative=True, source="demand")
    check_amounts(d.amount, None, argument="demand", table=table)  # negative: refused here
    return d


def _sum(a, b, code, parse_amount) -> float:
    """A code given twice in the query text adds up (by the amount rule; an overflowing sum is
    then refused as not finite by the demand parser)."""
    from ..core.errors import FormatError
    try:
        return parse_amount(a, None, f"demand[{code!r}]") + parse_amount(b, None,
                                                                         f"demand[{code!r}]")
    except FormatError as exc:
        raise ArgumentError(str(exc)) from None


def section(request, tid: str, what: str, lang: str, **args):
    """The report section ``what`` for table ``tid``, built once and kept in the store's
    bounded section cache; the analysis results sections share (a chain in zh and en, the
    key sectors of several pages) live in the store's bounded result memo, never on the
    table."""
    from ..report import build_section, memo
    store = store_of(request)
    table = store.get(tid)
    key = (tid, what, lang) + tuple(sorted((k, _hashable(v)) for k, v in args.items()))

    def build():
        with memo(store.results):
            return build_section(table, what, lang, **args)
    return store.section(key, build)


def _hashable(v):
    if hasattr(v, "amount") and hasattr(v, "local"):  # a parsed Demand
        return ("demand", v.amount.tobytes(), v.local.tobytes(), v.scenarios)
    if isinstance(v, dict):
        return tuple(sorted((str(k), _hashable(x)) for k, x in v.items()))
    if isinstance(v, list):
        return tuple(v)
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
    raise ArgumentError(message(None, "no such table in this section", found=repr(key),
                                argument="sheet", expected=f"one of {[s.key for s in sheets]}"))


def csv_bytes(frame) -> bytes:
    # UTF-8 with BOM so that Excel on Chinese Windows opens it with the right encoding
    from ..safe_text import csv_frame  # '=…' cells get a leading ' (formula injection)
    return csv_frame(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(sec) -> bytes:
    from ..report import section_workbook
    buf = io.BytesIO()
    section_workbook(sec, buf, {"section": sec.key, "title": sec.title})
    return buf.getvalue()
