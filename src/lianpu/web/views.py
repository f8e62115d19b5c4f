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
from ..core.codes import code_str
from ..core.errors import (ArgumentError, LianpuError, TableError, check_choice,
                           check_lang, check_range, message)
from ..core.notes import Note
from ..core.notes import text as note_text
from ..core.notes import zh as note_zh
from ..core.units import Unit, fmt_num
from .labels import labels

MAX_DEMAND_ROWS = 200
#: units a demand may be entered in (those of the table's currency are offered)
UNIT_CHOICES = ("元", "万元", "亿元", "USD", "million USD", "billion USD", "EUR",
                "million EUR", "billion EUR")


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


def parse_demand(table, demand, *, unit=None, local_share=None):
    """The :class:`~lianpu.analysis.scenarios.demand.Demand` of what a request sends, parsed
    once by the library's demand parser (:meth:`SectorLookup.demand <lianpu.analysis.scenarios.
    demand.SectorLookup.demand>`: codes, 'REGION/SECTOR', amounts by the one amount rule, units
    by :mod:`lianpu.core.units`, local shares 0–1).

    ``demand``: the form's rows, a list of ``{sector, amount[, unit, local_share]}`` objects; a
    JSON object ``{code: amount}``; or the query text ``'code:amount,code:amount'``.
    ``unit``: the unit of amounts that name none (default the table's unit; 万元 / 亿元 / 元 … of
    the table's currency). ``local_share``: the share met by local producers for rows that give
    none — one number 0–1 for all rows, or ``{code: share}`` (a download link's ``local``). The
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
    if isinstance(demand, dict):
        demand = [{"sector": c, "amount": a} for c, a in demand.items()]
    if not isinstance(demand, list) or not demand:
        raise ArgumentError(message(None, "no sector with an amount", argument="demand",
                                    expected="at least one sector with an amount, e.g. "
                                             '{"20": 100000} or [{"sector": "20", "amount": '
                                             '10, "unit": "亿元", "local_share": 0.6}]'))
    if len(demand) > MAX_DEMAND_ROWS:
        raise ArgumentError(message(None, "too many sectors", argument="demand",
                                    found=f"{len(demand)} rows",
                                    expected=f"at most {MAX_DEMAND_ROWS}"))
    unit = check_unit(table, unit)
    shares = local_share if isinstance(local_share, dict) else None
    local_share = None if local_share == "" else local_share  # a form field left blank
    if local_share is not None and shares is None:
        local_share = check_range(local_share, argument="local_share", low=0, high=1)
    rows = []
    for r in demand:
        if isinstance(r, dict) and r.get("local_share") in (None, ""):
            given = shares.get(str(r.get("sector"))) if shares is not None else local_share
            r = {**{k: v for k, v in r.items() if k != "local_share"},
                 **({} if given is None else {"local_share": given})}
        rows.append(r)
    d = SectorLookup(table).demand(rows, unit=unit, allow_negative=True, source="demand")
    check_amounts(d.amount, None, argument="demand", table=table)  # negative: refused here
    return d


def unit_choices(table, lang: str) -> list[tuple[str, str]]:
    """(value, label) of the units a demand may be entered in: the table's unit first, then
    the other scales of its currency (万元 / 亿元 / 元 for a CNY table), by :class:`Unit`."""
    own = Unit.parse(table.unit)
    out = [(table.unit, own.text(lang))]
    if own.is_money:
        out += [(u, Unit.parse(u).text(lang)) for u in UNIT_CHOICES
                if Unit.parse(u).currency == own.currency and Unit.parse(u).scale != own.scale]
    return out


def check_unit(table, unit):
    """``unit`` if amounts in it convert to the table's unit (None: the table's unit)."""
    if unit in (None, ""):
        return None
    try:
        Unit.parse(unit).factor_to(table.unit)
    except ArgumentError:
        choices = ", ".join(u for u, _ in unit_choices(table, "en"))
        raise ArgumentError(message(None, "not a unit of this table's currency",
                                    argument="unit", found=repr(unit),
                                    expected=f"one of {choices}")) from None
    return str(unit)


def parse_shares(text: str | None) -> dict | None:
    """A download link's ``local`` text ``'code:share,code:share'`` → {code: share}."""
    if not text:
        return None
    out = {}
    for part in text.split(","):
        if ":" not in part:
            raise ArgumentError(message(None, "not a 'code:share' pair", found=repr(part),
                                        argument="local", expected="'code:share' pairs "
                                        "separated by commas, shares 0–1"))
        c, v = (x.strip() for x in part.split(":", 1))
        out[c] = check_range(v, argument="local", low=0, high=1)
    return out


def demand_query(table, d) -> dict:
    """Query parameters that give ``d`` back through :func:`parse_demand`: ``demand`` (gross
    amounts in the table's unit) and, where some share is below 1, ``local`` (the shares)."""
    from ..analysis.defaults import demand_items
    items = demand_items(table, d)
    q = {"demand": ",".join(f"{code_str(c)}:{a:.15g}" for c, a in items.items())}
    local = d.local[:, 0]
    shares = {code_str(c): local[table.index.get_loc(c)] / a for c, a in items.items() if a}
    if any(abs(s - 1) > 1e-15 for s in shares.values()):
        q["local"] = ",".join(f"{c}:{s:.15g}" for c, s in shares.items())
    return q


def parse_show(show) -> tuple:
    """The satellites asked for (``["jobs", "co2"]`` or the text ``'jobs,co2'``), checked."""
    from ..satellites.attach import SHIPPED
    if show in (None, ""):
        return ()
    items = show.split(",") if isinstance(show, str) else show
    if not isinstance(items, (list, tuple)):
        raise ArgumentError(message(None, "not a list of satellites", argument="show",
                                    found=type(show).__name__, expected='e.g. ["jobs", "co2"]'))
    return tuple(sorted({check_choice(str(k).strip(), SHIPPED, argument="show")
                         for k in items if str(k).strip()}))


def _sum(a, b, code, parse_amount) -> float:
    """A code given twice in the query text adds up (by the amount rule; an overflowing sum is
    then refused as not finite by the demand parser)."""
    from ..core.errors import FormatError
    try:
        return parse_amount(a, None, f"demand[{code!r}]") + parse_amount(b, None,
                                                                         f"demand[{code!r}]")
    except FormatError as exc:
        raise ArgumentError(str(exc)) from None


def section(request, tid: str, what: str, lang: str, *, show: tuple = (), **args):
    """The report section ``what`` for table ``tid`` (with the shipped satellites ``show``
    attached, :func:`with_satellites`), built once and kept in the store's bounded section
    cache; the analysis results sections share (a chain in zh and en, the key sectors of
    several pages) live in the store's bounded result memo, never on the table."""
    from ..report import build_section, memo
    store = store_of(request)
    table = with_satellites(request, tid, show)[0] if show else store.get(tid)

    def build():
        with memo(store.results):
            return build_section(table, what, lang, **args)
    return store.section(section_key(tid, what, lang, show, args), build)


def section_key(tid: str, what: str, lang: str, show: tuple, args: dict) -> tuple:
    """The key of a built section: table id, section, language, satellites and selection."""
    return (tid, what, lang, ("show",) + tuple(show)) + tuple(
        sorted((k, _hashable(v)) for k, v in args.items()))


def rendered(request, tid: str, what: str, lang: str, kind: str, render, *, show: tuple = (),
             **args):
    """(section, ``render(section)``): the section as :func:`section` gives it and what a page
    or the API derives from it alone (its formatted rows, its JSON), made once per built
    section and kept beside it in the store's bounded memo (:meth:`TableStore.derived`)."""
    sec = section(request, tid, what, lang, show=show, **args)
    key = section_key(tid, what, lang, show, args) + (kind,)
    return sec, store_of(request).derived(key, sec, lambda: render(sec))


def of_table(request, tid: str, kind: str, lang: str, render):
    """``render(table)`` for what depends on the table and the language only (the track list,
    the sector choices), kept beside the table in the store's bounded memo."""
    table = table_of(request, tid)
    return store_of(request).derived((tid, kind, lang), table, lambda: render(table))


def with_satellites(request, tid: str, show: tuple):
    """(table ``tid`` with the shipped satellites ``show`` attached where lianpu has them,
    statuses): one status per kind — ``{"kind", "ok", "year", "note"}``, ``ok`` False with the
    reason as ``note`` when this table cannot have it (a provincial table has no jobs; data not
    in the cache). Kept in the store's bounded cache, under the table's id."""
    from ..analysis.households import remember_data_dir
    from ..satellites.attach import attach
    store = store_of(request)

    def build():
        table, status = store.get(tid), []
        for kind in show:
            try:
                a = attach(table, kind, data_dir=store.data_dir)
            except LianpuError as exc:  # no such data for this table: said, not fatal
                status.append({"kind": kind, "ok": False, "year": None, "note": str(exc)})
                continue
            table = a.table
            status.append({"kind": kind, "ok": True, "year": a.year,
                           "note": Note(a.note, a.note_zh or note_zh(a.note))})
        # Type II on the new table finds the household split in the dashboard's cache too
        return remember_data_dir(table, store.data_dir), tuple(status)
    return store.section((tid, "satellites") + tuple(show), build)


def impact_summary(request, tid: str, demand, typ: str, lang: str, unit=None,
                   show: tuple = ()) -> dict:
    """Totals of the scenario (``lianpu.impact`` on the default view, as the section's) for the
    page: money in ``unit`` (the unit the demand was entered in; default the table's), jobs and
    CO2 in their own units, with the basis, the model type and the satellites' statuses."""
    from ..analysis.defaults import impact_with_fallback
    table, status = with_satellites(request, tid, show) if show else (table_of(request, tid), ())
    out_unit = Unit.parse(unit or table.unit)
    k = Unit.parse(table.unit).factor_to(out_unit)

    def build():
        return impact_with_fallback(table, demand, typ)[0]
    store = store_of(request)
    key = (tid, "impact-summary", _hashable(demand), typ, show)
    res = store.section(key, build)
    return store.derived(key + (lang, str(unit)), res,
                         lambda: _summary(res, lang, out_unit, k, status))


def _summary(res, lang, out_unit, k, status) -> dict:
    info = res.to_dict()
    rows = []
    for (ind, _), r in res.totals().iterrows():
        money = Unit.parse(r["unit"]).is_money
        f = k if money else 1.0
        vals = {e: float(r[e]) * f for e in res.effects}
        # one number of decimals per row: 2 for money, by the row's size for jobs and CO2
        digits = 2 if money else 0 if max(abs(v) for v in vals.values()) >= 100 else 3
        rows.append({"indicator": ind, "name": info["indicators"][ind][f"name_{lang}"],
                     "unit": out_unit.text(lang) if money else Unit.parse(r["unit"]).text(lang),
                     **vals, "text": {e: fmt_num(v, digits) for e, v in vals.items()}})
    b = res.basis or {}
    gross, local = float(res.demand_gross.sum()) * k, float(res.direct.sum()) * k
    from ..satellites.attach import SHIPPED
    status = [{**s, "name": SHIPPED[s["kind"]][0 if lang == "zh" else 1],
               "note": note_text(s["note"], lang)} for s in status]
    return {"unit": out_unit.text(lang), "type": res.type, "effects": list(res.effects),
            "type_text": f"{res.type}型" if lang == "zh" else f"Type {res.type}",
            "basis": b.get(f"note_{lang}") or b.get("note_en", ""),
            "basis_name": b.get("basis", ""),
            "demand": gross, "local": local, "demand_text": fmt_num(gross, 2),
            "local_text": fmt_num(local, 2), "rows": rows, "satellites": status,
            "labels": labels(lang)}


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


class Encoded(bytes):
    """JSON text already encoded (as :class:`fastapi.responses.JSONResponse` writes it)."""


def encoded(obj) -> Encoded:
    """``obj`` (JSON values) as the JSON text FastAPI would send for it."""
    from fastapi.encoders import jsonable_encoder
    from fastapi.responses import JSONResponse
    return Encoded(JSONResponse(jsonable_encoder(obj)).body)


def section_body(sec) -> Encoded:
    """A section's JSON (:func:`section_json`, figures included), encoded."""
    return encoded(section_json(sec))


def json_response(obj: dict):
    """The JSON response of ``obj``, byte for byte what FastAPI sends for the same dict, with
    the :class:`Encoded` values (a cached section's JSON) put in as they are."""
    from fastapi.responses import Response
    parts = [encoded(str(k)) + b":" + (v if isinstance(v, Encoded) else encoded(v))
             for k, v in obj.items()]
    return Response(b"{" + b",".join(parts) + b"}", media_type="application/json")


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
