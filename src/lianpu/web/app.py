"""The dashboard application: FastAPI, server-rendered Jinja2 pages and a JSON API.

``create_app(data_dir, token=None)`` builds the app; ``lianpu serve`` runs it with uvicorn.
Every API error has one shape, ``{"ok": false, "error": "..."}`` (404, validation, lianpu
errors, oversized uploads, unexpected failures alike); pages show the same message in HTML.
The error boundary: a :class:`~lianpu.core.errors.LianpuError` (what a user can cause: a bad
argument, an unknown sector, an unreadable file) is a 400; anything else is a bug — a 500
whose message carries a reference that the server log has with the traceback.
With a token, every request except ``/api/health`` needs ``Authorization: Bearer T``,
``?token=T`` or the cookie set by a page opened with ``?token=T``.

Defences (docs/dashboard.md, "Security"): one body limit for every route (uploads
``max_upload``, any other body ``max_body``); uploads checked for their declared size and read
in a child process under the limits of :class:`~lianpu.readers.safety.Limits`; on loopback
without a token only ``Host`` values naming this machine are served (DNS rebinding); a POST
whose ``Origin``/``Referer`` is another site is refused (CSRF); every response carries a
Content-Security-Policy, ``X-Frame-Options: DENY``, ``nosniff`` and ``Referrer-Policy``; error
messages never show server paths, and a 500 closes its connection cleanly.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..core.errors import LianpuError
from ..readers.safety import Limits, TooBig
from .store import NotFound, TableStore
from .views import too_large as _too_large

STATIC = Path(__file__).with_name("static")
MAX_UPLOAD = 20 * 1024 * 1024
MAX_BODY = 1024 * 1024  # any request body but an upload (an impact scenario is a few KB)
PARSE_TIMEOUT = 120.0   # seconds an upload may take to read
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()),
                    (b"x-frame-options", b"DENY"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"cross-origin-opener-policy", b"same-origin")]
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
TOKEN_COOKIE = "lianpu_token"
log = logging.getLogger("lianpu.web")


class TooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over the limit of their route — ``upload`` bytes on upload
    paths, ``other`` bytes anywhere else (JSON bodies included) — counting as they arrive (a
    missing or false Content-Length cannot get around it)."""

    def __init__(self, app, limit: int, other: int = MAX_BODY):
        self.app, self.limit, self.other = app, limit, other

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        upload = scope["path"].startswith("/api/upload")
        limit = self.limit + 65536 if upload else self.other  # multipart framing on uploads
        text = _too_large(self.limit) if upload else _body_too_large(self.other)
        for k, v in scope.get("headers", []):
            if k == b"content-length" and v.isdigit() and int(v) > limit:
                return await _send_json(send, 413, text)
        seen = 0
        started = exceeded = False

        async def limited():
            nonlocal seen, exceeded
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    exceeded = True
                    raise TooLarge()
            return msg

        async def tracked(msg):
            nonlocal started
            if exceeded:  # the app turned TooLarge into its own error: answer 413 instead
                if not started:
                    started = True
                    await _send_json(send, 413, text)
                return
            started = started or msg["type"] == "http.response.start"
            await send(msg)

        try:
            await self.app(scope, limited, tracked)
        except TooLarge:
            pass
        if exceeded and not started:
            await _send_json(send, 413, text)


def _body_too_large(limit):
    return (f"request body too large: more than {limit // 1024:,} KB (the limit of this server "
            "for requests other than uploads)")


async def _send_json(send, status, error, extra=()):
    import json
    body = json.dumps({"ok": False, "error": error}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *SECURITY_HEADERS, *extra]})
    await send({"type": "http.response.body", "body": body})


class BrowserGuard:
    """Defences against a malicious web page open in the user's browser.

    * ``allowed_hosts`` (a tuple, or None for any): the ``Host`` header must name one of them
      (any port) — a page on evil.example whose name was re-pointed at 127.0.0.1 (DNS
      rebinding) sends ``Host: evil.example`` and is refused.
    * A POST/PUT/PATCH/DELETE whose ``Origin`` (else ``Referer``) is not this server is
      refused (cross-site form posts, CSRF); requests without either (curl, scripts) pass.
    * Every response gets :data:`SECURITY_HEADERS` (CSP, frame and sniffing protection).
    """

    def __init__(self, app, allowed_hosts=None):
        self.app = app
        self.allowed = None if allowed_hosts is None else {h.lower().strip("[]")
                                                           for h in allowed_hosts}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {}
        for k, v in scope.get("headers", []):
            headers.setdefault(k.decode("latin-1"), v.decode("latin-1"))
        host = headers.get("host", "")
        if self.allowed is not None and _hostname(host) not in self.allowed:
            return await _send_json(send, 403, (
                f"Host header {host[:100]!r} does not name this server (a dashboard on loopback "
                f"without a token answers only to {', '.join(sorted(self.allowed))}; this "
                "refuses DNS-rebinding pages). Open it as http://127.0.0.1:PORT/ or serve "
                "with --token"))
        if scope["method"] in UNSAFE_METHODS:
            origin = headers.get("origin")
            source = origin if origin is not None else headers.get("referer")
            if source is not None and not _same_origin(source, host, scope):
                return await _send_json(send, 403, (
                    f"cross-site request refused: {scope['method']} from origin "
                    f"{_origin_of(source)[:100]!r}, expected this server's own pages (CSRF "
                    "defence)"))

        async def with_headers(msg):
            if msg["type"] == "http.response.start":
                have = {k.lower() for k, _ in msg.get("headers", [])}
                msg = {**msg, "headers": list(msg.get("headers", [])) + [
                    h for h in SECURITY_HEADERS if h[0] not in have]}
            await send(msg)

        await self.app(scope, receive, with_headers)


def _hostname(host: str) -> str:
    """'127.0.0.1:8050' → '127.0.0.1'; '[::1]:8050' → '::1'; lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _origin_of(url: str) -> str:
    if url == "null":
        return "null"
    u = urlsplit(url)
    return f"{u.scheme}://{u.netloc}" if u.scheme else url


def _same_origin(source: str, host: str, scope) -> bool:
    if source == "null":
        return False
    u = urlsplit(source)
    scheme = scope.get("scheme", "http")
    return u.scheme == scheme and u.netloc.lower() == host.strip().lower()


def _path_roots(data_dir, store) -> list[str]:
    """Server folders whose paths are cut to the file name in error messages."""
    roots = [str(store._tmp), tempfile.gettempdir(), str(Path(__file__).parents[1]),
             os.path.expanduser("~")]
    try:
        from ..data.cache import data_dir as cache_dir
        roots.append(str(cache_dir(data_dir).absolute()))
    except (ImportError, OSError, LianpuError):  # no platformdirs / no home: no cache root
        pass
    roots = {r.rstrip("/") for r in roots if r and r not in ("/", ".")}
    return sorted(roots, key=len, reverse=True)


def scrub(message: str, roots) -> str:
    """``message`` with every path under one of ``roots`` cut to its last part."""
    for r in roots:
        message = re.sub(re.escape(r) + r"(?:/[^\s'\"(),;:]*)?",
                         lambda m: Path(m.group()).name or "…", message)
    return message


def create_app(data_dir=None, token: str | None = None, max_upload: int = MAX_UPLOAD, *,
               max_body: int = MAX_BODY, limits: Limits | None = None,
               max_upload_mb: int = 1024, parse_timeout: float = PARSE_TIMEOUT,
               allowed_hosts="auto") -> FastAPI:
    """The dashboard app.

    Parameters
    ----------
    data_dir : dataset cache (default: $LIANPU_DATA or the user data dir).
    token : require it on every request (except /api/health).
    max_upload : largest upload in bytes; ``max_body``: largest other request body.
    limits : what an uploaded table may declare (sectors, dense memory, cells, unpacked size);
        default :class:`~lianpu.readers.safety.Limits`.
    max_upload_mb : memory budget of all uploaded tables held (least recently used dropped).
    parse_timeout : seconds an upload may take to read.
    allowed_hosts : ``Host`` names served; "auto": the loopback names without a token, any
        with one; None: any.
    """
    from .. import __version__
    store = TableStore(data_dir, max_upload_mb=max_upload_mb, limits=limits)
    if allowed_hosts == "auto":
        allowed_hosts = None if token else LOOPBACK_HOSTS

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        store.close()  # uploaded files go with the server

    app = FastAPI(title="lianpu dashboard", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json", lifespan=lifespan)
    app.state.store = store
    app.state.token = token
    app.state.max_upload = max_upload
    app.state.parse_timeout = parse_timeout
    app.state.path_roots = _path_roots(data_dir, store)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.get("/static-lib/plotly.min.js", include_in_schema=False)
    def plotly_js():
        import plotly
        return FileResponse(Path(plotly.__file__).parent / "package_data" / "plotly.min.js",
                            media_type="application/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/static-lib/report.css", include_in_schema=False)
    def report_css():  # the report's own stylesheet, so both look alike
        from ..report import TEMPLATES
        return FileResponse(TEMPLATES / "report.css",
                            media_type="text/css")

    if token:
        @app.middleware("http")
        async def auth(request: Request, call_next):
            if request.url.path == "/api/health":
                return await call_next(request)
            given = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
            h = request.headers.get("authorization", "")
            if h.lower().startswith("bearer "):
                given = h[7:].strip()
            if not secrets.compare_digest(given.encode(), token.encode()):
                return _error(request, 401, "missing or wrong token (send 'Authorization: "
                              "Bearer TOKEN' or add ?token=TOKEN)")
            resp = await call_next(request)
            if request.query_params.get("token") and not request.url.path.startswith("/api/"):
                resp.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
            return resp

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request, exc):
        msg = str(exc.detail)
        if exc.status_code == 404 and msg == "Not Found":
            msg = (f"no API endpoint {request.url.path}" if request.url.path.startswith("/api/")
                   else f"not found: {request.url.path}")
        elif exc.status_code == 405:
            msg = f"method {request.method} not allowed on {request.url.path}"
        return _error(request, exc.status_code, msg)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request, exc):
        parts = []
        for e in exc.errors():
            loc = [str(x) for x in e.get("loc", ())]
            if e.get("type") == "json_invalid":
                where = "request body (not valid JSON)"
            elif loc and loc[0] == "body":
                where = "request body" + (f" field '{'.'.join(loc[1:])}'" if len(loc) > 1 else "")
            elif len(loc) > 1:
                where = f"{loc[0]} parameter '{'.'.join(loc[1:])}'"
            else:
                where = "request"
            parts.append(f"{where}: {e.get('msg', 'invalid')}")
        return _error(request, 422, "; ".join(parts) or "invalid request")

    @app.exception_handler(NotFound)
    async def not_found(request, exc):
        return _error(request, 404, str(exc))

    @app.exception_handler(TooBig)
    async def too_big(request, exc):
        return _error(request, 413, str(exc))

    @app.exception_handler(LianpuError)
    async def lianpu_error(request, exc):
        return _error(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request, exc):  # a bug: logged with its reference and traceback
        # the one place of the package that catches every exception: anything that is not a
        # LianpuError (400 above) is a bug, answered 500 with an id the server log has
        ref = secrets.token_hex(4)
        log.error("unexpected error %s on %s", ref, request.url.path, exc_info=exc)
        resp = _error(request, 500, f"internal error ({type(exc).__name__}, reference {ref}; "
                      "the server log has the details)")
        resp.headers["connection"] = "close"  # the client starts afresh on a new connection
        for k, v in SECURITY_HEADERS:  # this handler runs outside BrowserGuard
            resp.headers[k.decode()] = v.decode()
        return resp

    from . import api, pages
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_middleware(BodyLimit, limit=max_upload, other=max_body)
    app.add_middleware(BrowserGuard, allowed_hosts=allowed_hosts)  # outermost: runs first
    return app


def _error(request: Request, status: int, message: str):
    message = scrub(message, getattr(request.app.state, "path_roots", ()))
    if request.url.path.startswith("/api/") or "application/json" in request.headers.get(
            "accept", "") and "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"ok": False, "error": message}, status_code=status)
    from .pages import error_page
    return HTMLResponse(error_page(request, status, message), status_code=status)
