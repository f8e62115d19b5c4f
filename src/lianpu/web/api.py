"""The JSON API under ``/api`` (used by the dashboard's pages; usable with curl).

Success: ``{"ok": true, ...}``; every error: ``{"ok": false, "error": "..."}``.
"""
from __future__ import annotations

import re
from typing import Optional
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Body, Request, UploadFile
from fastapi.responses import Response

from ..analysis._result import code_str, jsonable
from ..core.errors import ArgumentError, FormatError, check_choice, message
from . import views as V

router = APIRouter(prefix="/api")
_NAME = re.compile(r"^[\w\-.]+$")
SECTIONS = ("overview", "keysectors", "multipliers", "chain", "impact", "valuechains")


@router.get("/health")
def health(request: Request):
    from .. import __version__
    st = V.store_of(request)
    return {"ok": True, "version": __version__, "tables_loaded": len(st._tables),
            "uploads_mb": round(st.upload_bytes / 2**20, 1)}


@router.get("/datasets")
def datasets(request: Request, cached: bool = False):
    rows = V.store_of(request).datasets()
    return {"ok": True, "datasets": [r for r in rows if r["cached"] or not cached]}


@router.post("/upload")
async def upload(request: Request, file: UploadFile):
    """Multipart field ``file``; at most the server's limit (20 MB by default). The file is
    checked for its declared size and read in a child process that is stopped if the client
    leaves (see lianpu.web.worker)."""
    from starlette.concurrency import run_in_threadpool

    from .worker import Abandoned
    limit = request.app.state.max_upload
    store = V.store_of(request)
    name = file.filename or ""
    store.check_suffix(name)
    chunks, size = [], 0
    while True:
        b = await file.read(1 << 20)
        if not b:
            break
        size += len(b)
        if size > limit:
            return _json_error(413, V.too_large(limit))
        chunks.append(b)
    if size == 0:
        raise FormatError(f"{name or '(no name)'}: the uploaded file is empty")
    path = await run_in_threadpool(store.save_upload, name, chunks)
    del chunks
    try:
        uid, table = await store.parse_upload(name, path, stop_when=request.is_disconnected,
                                              deadline_s=request.app.state.parse_timeout)
    except Abandoned:
        return _json_error(503 if store.closed else 499, "the upload was abandoned (the client "
                           "left or the server is stopping)")
    return {"ok": True, "id": uid, "name": table.name, "sectors": table.n, "year": table.year,
            "unit": table.unit, "url": f"/t/{uid}"}


def _section(request, tid: str, what: str, lang: str, **args):
    """``{"ok": true, "section": …}``: the section's JSON encoded once per built section."""
    _, body = V.rendered(request, tid, what, lang, "json", V.section_body, **args)
    return V.json_response({"ok": True, "section": body})


def _json_error(status, msg):
    from fastapi.responses import JSONResponse
    return JSONResponse({"ok": False, "error": msg}, status_code=status)


@router.get("/tables/{tid}")
def table_info(request: Request, tid: str, lang: Optional[str] = None):
    from ..report import table_facts
    t = V.table_of(request, tid)
    lg = V.lang_of(request, lang)
    bal = t.balance.to_dict()
    return {"ok": True, "id": tid, "title": V.store_of(request).title(tid, lg), "name": t.name,
            "year": t.year, "unit": t.unit, "sectors": t.n, "imports": t.imports,
            "regions": t.regions, "facts": {k: jsonable(v) for k, v in table_facts(t).items()},
            "balance": {"ok": bool(bal["ok"]), "max_row_relative": bal["max_row_relative"],
                        "max_column_relative": bal["max_column_relative"]}}


@router.get("/tables/{tid}/sectors")
def sectors(request: Request, tid: str):
    t = V.table_of(request, tid)
    return {"ok": True, "sectors": [
        {"code": code_str(c), "name_zh": r["name_zh"], "name_en": r["name_en"]}
        for c, r in t.sectors.iterrows()]}


@router.get("/tables/{tid}/tracks")
def tracks(request: Request, tid: str, lang: Optional[str] = None):
    from ..report import available_tracks
    lg = V.lang_of(request, lang)
    return {"ok": True, "tracks": V.of_table(request, tid, "tracks", lg,
                                             lambda t: available_tracks(t, lg))}


@router.get("/tables/{tid}/keysectors")
def keysectors(request: Request, tid: str, lang: Optional[str] = None):
    return _section(request, tid, "keysectors", V.lang_of(request, lang))


@router.get("/tables/{tid}/multipliers")
def multipliers(request: Request, tid: str, lang: Optional[str] = None):
    return _section(request, tid, "multipliers", V.lang_of(request, lang))


@router.get("/tables/{tid}/overview")
def overview(request: Request, tid: str, lang: Optional[str] = None):
    return _section(request, tid, "overview", V.lang_of(request, lang))


@router.get("/tables/{tid}/chain")
def chain(request: Request, tid: str, track: Optional[str] = None,
          sectors: Optional[str] = None, region: Optional[str] = None,
          lang: Optional[str] = None):
    """Chain map, tier table, weak-link / risk / investment-attraction lists of a track or of
    comma-separated sector codes; ``region`` picks the province of a multi-regional table
    (code or name; default: China's block or the first region)."""
    sel = V.track_arg(track, sectors)
    return _section(request, tid, "chain", V.lang_of(request, lang), track=sel, region=region)


@router.get("/tables/{tid}/valuechains")
def valuechains(request: Request, tid: str, lang: Optional[str] = None):
    """Value chains (MRIO: KWW, GVC participation and position) or prices (a national or
    provincial table: cost push of a 100 元/t carbon price) — the report's section."""
    return _section(request, tid, "valuechains", V.lang_of(request, lang),
                    data_dir=V.store_of(request).data_dir)


@router.get("/tables/{tid}/regional/{region}")
def regional(request: Request, tid: str, region: str, lang: Optional[str] = None):
    """区域联动 of a province on the China MRIO (twin cores, complementarity with 甘肃, inflow
    dependence, CO2 transfers) — the report's section."""
    return _section(request, tid, "regional", V.lang_of(request, lang), region=region,
                    data_dir=V.store_of(request).data_dir)


@router.get("/tables/{tid}/weaklinks")
def weaklinks(request: Request, tid: str, track: Optional[str] = None,
              sectors: Optional[str] = None, region: Optional[str] = None,
              lang: Optional[str] = None):
    """Only the lists (weak links, risks, attraction, strengths) of the chain section."""
    sel = V.track_arg(track, sectors)
    _, body = V.rendered(request, tid, "chain", V.lang_of(request, lang), "weaklinks",
                         _weak_lists, track=sel, region=region)
    return V.json_response({"ok": True, **body})


def _weak_lists(sec) -> dict:
    """The chain section's lists (weak links, risks, attraction, strengths), encoded."""
    keep = ("weak", "risk", "attract", "strength")
    sheets = [s for s in V.all_sheets(sec) if s.key.split("-")[0] in keep]
    return {"track": V.encoded(sec.title), "lists": V.encoded([
        {"key": s.key, "title": s.title, "note": s.note,
         "columns": [str(c) for c in s.frame.columns],
         "rows": [[jsonable(v) for v in r] for r in s.frame.itertuples(index=False, name=None)]}
        for s in sheets])}


@router.post("/tables/{tid}/impact")
def impact(request: Request, tid: str, payload: dict = Body(...)):
    """Body: ``{"demand": [{"sector": "18", "amount": 10, "unit": "亿元", "local_share": 0.8},
    …] | {"code": amount, …}, "unit": "亿元", "local_share": 0.6, "show": ["jobs", "co2"],
    "type": "I" | "II", "lang": "zh"}``. ``unit``: of amounts that name none (default the
    table's); ``local_share``: for rows that give none (default 1); ``show``: the shipped
    satellites to attach (a status says when the table cannot have one)."""
    t = V.table_of(request, tid)
    lang = V.lang_of(request, payload.get("lang"))
    unit = V.check_unit(t, payload.get("unit"))
    demand = V.parse_demand(t, payload.get("demand"), unit=unit,
                            local_share=payload.get("local_share"))  # parsed once: a Demand
    typ = check_choice(str(payload.get("type", "I")), ("I", "II"), argument="type")
    show = V.parse_show(payload.get("show"))
    _, body = V.rendered(request, tid, "impact", lang, "json", V.section_body, show=show,
                         demand=demand, type=typ)
    summary = V.impact_summary(request, tid, demand, typ, lang, unit=unit, show=show)
    q = {"type": typ, "lang": lang, **V.demand_query(t, demand)} | (
        {"show": ",".join(show)} if show else {})
    return V.json_response({"ok": True, "section": body, "summary": summary, "downloads": {
        ext: f"/api/tables/{tid}/download/impact.{ext}?{urlencode(q)}" for ext in ("csv", "xlsx")}})


@router.get("/tables/{tid}/download/{name}")
def download(request: Request, tid: str, name: str, track: Optional[str] = None,
             sectors: Optional[str] = None, demand: Optional[str] = None, type: str = "I",
             sheet: Optional[str] = None, region: Optional[str] = None,
             local: Optional[str] = None, show: Optional[str] = None,
             lang: Optional[str] = None):
    """``{section}.csv`` (one table: ``sheet=`` key, default the first) or ``{section}.xlsx``
    (every table of the section); section is one of overview, keysectors, multipliers, chain,
    impact (``demand=code:amount,…`` in the table's unit, ``local=code:share,…``,
    ``show=jobs,co2``: the impact call's own download links)."""
    if "." not in name or not _NAME.match(name):
        raise ArgumentError(message(None, "not a download name", argument="name",
                                    found=repr(name), expected="SECTION.csv or SECTION.xlsx"))
    what, ext = name.rsplit(".", 1)
    if what not in SECTIONS or ext not in ("csv", "xlsx"):
        raise ArgumentError(message(None, "not a download name", argument="name",
                                    found=repr(name), expected="one of " + ", ".join(
                                        s + ".csv|.xlsx" for s in SECTIONS)))
    lg = V.lang_of(request, lang)
    args = {}
    if what == "chain":
        args["track"] = V.track_arg(track, sectors)
        args["region"] = region
    elif what == "impact":
        check_choice(type, ("I", "II"), argument="type")
        args = {"demand": V.parse_demand(V.table_of(request, tid), demand or "",
                                         local_share=V.parse_shares(local)), "type": type,
                "show": V.parse_show(show)}
    sec = V.section(request, tid, what, lg, **args)
    base = f"lianpu-{tid}-{what}"
    if ext == "csv":
        sh = V.find_sheet(sec, sheet)
        body, mt, fname = V.csv_bytes(sh.frame), "text/csv; charset=utf-8", f"{base}-{sh.key}.csv"
    else:
        body = V.xlsx_bytes(sec)
        mt = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        fname = f"{base}.xlsx"
    disposition = f"attachment; filename=\"{fname}\"; filename*=UTF-8''{quote(fname)}"
    return Response(body, media_type=mt, headers={"Content-Disposition": disposition})
