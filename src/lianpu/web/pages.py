"""Server-rendered pages (Jinja2). Figures are drawn in the browser from the JSON API with
the plotly.js served by this server (``/static-lib/plotly.min.js``)."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from ..analysis._result import code_str
from ..core.errors import LianpuError
from ..core.units import Unit
from ..report import TEMPLATES, Text, anchor, cell, frame_rows, numeric_columns, source_text
from . import views as V
from .labels import labels

router = APIRouter()
HERE = Path(__file__).parent


@cache
def env() -> Environment:
    loader = ChoiceLoader([FileSystemLoader(str(HERE / "templates")),
                           FileSystemLoader(str(TEMPLATES))])
    e = Environment(loader=loader,
                    autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                    lstrip_blocks=True)
    e.filters["cell"] = cell
    e.filters["plain"] = plain
    e.globals["anchor"] = anchor
    return e


def plain(title: str) -> str:
    """A report heading without its chapter number ('二、关键部门' → '关键部门')."""
    return re.sub(r"^([一二三四五六七八九十]+、|\d+\.\s+)", "", str(title))


def render(request: Request, name: str, lang: str, **ctx) -> HTMLResponse:
    from .. import __version__
    q = dict(request.query_params)
    q.pop("token", None)
    other = "en" if lang == "zh" else "zh"
    switch = f"{request.url.path}?{urlencode({**q, 'lang': other})}"
    if "table" in ctx and "source" not in ctx:
        ctx["source"] = source_text(ctx["table"], lang)
    html = env().get_template(name).render(request=request, T=Text(lang), lang=lang,
                                           switch_url=switch, version=__version__, **ctx)
    resp = HTMLResponse(html)
    if request.query_params.get("lang") == lang:  # asked for (and checked by lang_of): remember it
        resp.set_cookie("lianpu_lang", lang, samesite="strict")
    return resp


def sheet_views(sec, lang: str, limit: int | None = None) -> list:
    """The HTML of the section's sheets (the first ``limit``), by the report's ``sheet_table``
    macro: column classes, rows and every cell formatted. A page keeps it beside the cached
    section (:func:`lianpu.web.views.rendered`), so a warm request only assembles the page."""
    table = env().get_template("_macros.html.j2").module.sheet_table
    T = Text(lang)
    return [table(sh, T, numeric_columns(sh.frame), frame_rows(sh.frame, sh.show), len(sh.frame))
            for sh in sec.sheets[:limit]]


def first_sheet(lang: str):
    return lambda sec: sheet_views(sec, lang, 1)


def with_parts(lang: str):
    """The HTML of a section's sheets and of its children's: (sheets, [(child, sheets)])."""
    return lambda sec: (sheet_views(sec, lang),
                        [(c, sheet_views(c, lang)) for c in sec.children])


def sector_choices(table, lang: str) -> list[tuple[str, str]]:
    return [(code_str(c), n) for c, n in table.label(lang).items()]


def error_page(request: Request, status: int, message: str) -> str:
    try:
        lang = V.lang_of(request)
    except LianpuError:
        lang = "zh"
    return env().get_template("error.html.j2").render(
        request=request, T=Text(lang), lang=lang, status=status, message=message,
        switch_url="/", version="")


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, lang: Optional[str] = None):
    lg = V.lang_of(request, lang)
    rows = [d for d in V.store_of(request).datasets() if d["cached"]]
    return render(request, "home.html.j2", lg, datasets=rows,
                  max_mb=request.app.state.max_upload // (1024 * 1024))


@router.get("/t/{tid}", response_class=HTMLResponse, include_in_schema=False)
def table_page(request: Request, tid: str, lang: Optional[str] = None):
    from ..analysis.defaults import DEFAULT_TRACKS
    from ..report import available_tracks
    lg = V.lang_of(request, lang)
    t = V.table_of(request, tid)
    ov, ov_sheets = V.rendered(request, tid, "overview", lg, "sheets:1", first_sheet(lg))
    ks, ks_sheets = V.rendered(request, tid, "keysectors", lg, "sheets:1", first_sheet(lg))
    return render(request, "table.html.j2", lg, tid=tid, table=t,
                  title=V.store_of(request).title(tid, lg), overview=ov,
                  overview_sheets=ov_sheets, keysectors=ks, key_sheets=ks_sheets,
                  tracks=V.of_table(request, tid, "tracks", lg,
                                    lambda tb: available_tracks(tb, lg)),
                  default_track=DEFAULT_TRACKS[0],
                  sectors=V.of_table(request, tid, "sectors", lg,
                                     lambda tb: sector_choices(tb, lg)),
                  unit=Unit.parse(t.unit).text(lg))


@router.get("/t/{tid}/chain", response_class=HTMLResponse, include_in_schema=False)
def chain_page(request: Request, tid: str, track: Optional[str] = None,
               sectors: Optional[str] = None, region: Optional[str] = None,
               lang: Optional[str] = None):
    lg = V.lang_of(request, lang)
    if not track and not sectors:
        return RedirectResponse(f"/t/{tid}", status_code=303)
    t = V.table_of(request, tid)
    sel = V.track_arg(track, sectors)
    sec, (sheets, parts) = V.rendered(request, tid, "chain", lg, "sheets", with_parts(lg),
                                      track=sel, region=region)
    q = urlencode(({"track": track} if track else {"sectors": sectors})
                  | ({"region": region} if region else {}))
    return render(request, "chain.html.j2", lg, tid=tid, table=t, sec=sec,
                  sheets=sheets, parts=parts, query=q,
                  title=V.store_of(request).title(tid, lg))


@router.get("/t/{tid}/valuechains", response_class=HTMLResponse, include_in_schema=False)
def valuechains_page(request: Request, tid: str, lang: Optional[str] = None):
    lg = V.lang_of(request, lang)
    t = V.table_of(request, tid)
    sec, (sheets, parts) = V.rendered(request, tid, "valuechains", lg, "sheets", with_parts(lg),
                                      data_dir=V.store_of(request).data_dir)
    return render(request, "section.html.j2", lg, tid=tid, table=t, sec=sec,
                  sheets=sheets, parts=parts, api=f"/api/tables/{tid}/valuechains",
                  title=V.store_of(request).title(tid, lg))


@router.get("/t/{tid}/regional/{region}", response_class=HTMLResponse, include_in_schema=False)
def regional_page(request: Request, tid: str, region: str, lang: Optional[str] = None):
    lg = V.lang_of(request, lang)
    t = V.table_of(request, tid)
    sec, sheets = V.rendered(request, tid, "regional", lg, "sheets",
                             lambda s: sheet_views(s, lg), region=region,
                             data_dir=V.store_of(request).data_dir)
    return render(request, "section.html.j2", lg, tid=tid, table=t, sec=sec,
                  sheets=sheets, parts=[], api=f"/api/tables/{tid}/regional/{region}",
                  title=V.store_of(request).title(tid, lg))


@router.get("/t/{tid}/scenario", response_class=HTMLResponse, include_in_schema=False)
def scenario_page(request: Request, tid: str, lang: Optional[str] = None):
    lg = V.lang_of(request, lang)
    t = V.table_of(request, tid)
    return render(request, "scenario.html.j2", lg, tid=tid, table=t,
                  title=V.store_of(request).title(tid, lg),
                  sectors=V.of_table(request, tid, "sectors", lg,
                                     lambda tb: sector_choices(tb, lg)),
                  unit=Unit.parse(t.unit).text(lg), units=V.unit_choices(t, lg), L=labels(lg))

