"""The dashboard application: FastAPI, server-rendered Jinja2 pages and a JSON API.

``create_app(data_dir, token=None)`` builds the app; ``lianpu serve`` runs it with uvicorn.
Every API error has one shape, ``{"ok": false, "error": "..."}`` (404, validation, lianpu
errors, oversized uploads, unexpected failures alike); pages show the same message in HTML.
With a token, every request except ``/api/health`` needs ``Authorization: Bearer T``,
``?token=T`` or the cookie set by a page opened with ``?token=T``.
"""
from __future__ import annotations

import contextlib
import logging
import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..core.errors import LianpuError
from .store import NotFound, TableStore

STATIC = Path(__file__).with_name("static")
MAX_UPLOAD = 20 * 1024 * 1024
TOKEN_COOKIE = "lianpu_token"
log = logging.getLogger("lianpu.web")


class TooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes on upload paths, counting as they arrive (a
    missing or false Content-Length cannot get around it)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith("/api/upload"):
            return await self.app(scope, receive, send)
        for k, v in scope.get("headers", []):
            if k == b"content-length" and v.isdigit() and int(v) > self.limit + 65536:
                return await _send_json(send, 413, _too_large(self.limit))
        seen = 0

        async def limited():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit + 65536:
                    raise TooLarge()
            return msg

        try:
            await self.app(scope, limited, send)
        except TooLarge:
            await _send_json(send, 413, _too_large(self.limit))


def _too_large(limit):
    return f"upload too large: more than {limit // (1024 * 1024)} MB (the limit of this server)"


async def _send_json(send, status, error):
    import json
    body = json.dumps({"ok": False, "error": error}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def create_app(data_dir=None, token: str | None = None, max_upload: int = MAX_UPLOAD) -> FastAPI:
    """The dashboard app. ``data_dir``: dataset cache (default: $LIANPU_DATA or the user data
    dir); ``token``: require it on every request (except /api/health)."""
    from .. import __version__
    store = TableStore(data_dir)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        store.close()  # uploaded files go with the server

    app = FastAPI(title="lianpu dashboard", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json", lifespan=lifespan)
    app.state.store = store
    app.state.token = token
    app.state.max_upload = max_upload
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.get("/static-lib/plotly.min.js", include_in_schema=False)
    def plotly_js():
        import plotly
        return FileResponse(Path(plotly.__file__).parent / "package_data" / "plotly.min.js",
                            media_type="application/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/static-lib/report.css", include_in_schema=False)
    def report_css():  # the report's own stylesheet, so both look alike
        return FileResponse(Path(__file__).parent.parent / "report" / "templates" / "report.css",
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

    @app.exception_handler(LianpuError)
    async def lianpu_error(request, exc):
        return _error(request, 400, str(exc))

    @app.exception_handler(ValueError)
    async def value_error(request, exc):
        return _error(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request, exc):  # logged with traceback; the server keeps serving
        log.exception("unexpected error on %s", request.url.path)
        return _error(request, 500, f"internal error: {type(exc).__name__}: {exc}")

    from . import api, pages
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_middleware(BodyLimit, limit=max_upload)
    return app


def _error(request: Request, status: int, message: str):
    if request.url.path.startswith("/api/") or "application/json" in request.headers.get(
            "accept", "") and "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"ok": False, "error": message}, status_code=status)
    from .pages import error_page
    return HTMLResponse(error_page(request, status, message), status_code=status)
