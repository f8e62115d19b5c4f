"""``lianpu serve``: the local dashboard (registered on the app of commands._app).

The server stops on the first SIGTERM or Ctrl-C: requests still running after
:data:`GRACE` seconds are cancelled, upload parses (child processes) are killed and the
temporary upload folder is removed; folders left by a killed server are removed at the next
start.
"""
from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Optional

import typer

from ._app import app
from ._shared import DATA_DIR, UserError, at_least, out

GRACE = 3  # seconds running requests get to finish once the server is asked to stop


def is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, allow_remote: bool, token: Optional[str]) -> None:
    """Loopback by default; any other address needs --allow-remote and a token."""
    if not is_loopback(host):
        if not allow_remote:
            raise UserError(f"--host: found {host!r}, which is not a loopback address; pass "
                            "--allow-remote and --token TOKEN to serve other machines")
        if not token:
            raise UserError("--allow-remote: a token is required (--token TOKEN or "
                            "$LIANPU_TOKEN); requests must then send 'Authorization: Bearer "
                            "TOKEN' or ?token=TOKEN")
    if token is not None and len(token) < 8:
        raise UserError(f"--token: found {len(token)} characters, expected at least 8")


@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback "
                                   "unless --allow-remote)."),
          port: int = typer.Option(8050, "--port", help="Port (0 = any free port)."),
          allow_remote: bool = typer.Option(False, "--allow-remote", help="Allow a non-loopback "
                                            "--host (requires --token)."),
          token: Optional[str] = typer.Option(None, "--token", help="Require this token on every "
                                              "request (default: $LIANPU_TOKEN).",
                                              show_default=False),
          max_upload_mb: int = typer.Option(20, "--max-upload-mb", help="Largest upload."),
          max_sectors: int = typer.Option(2500, "--max-sectors", help="Most sectors an "
                                          "uploaded table may have."),
          uploads_memory_mb: int = typer.Option(1024, "--uploads-memory-mb", help="Memory for "
                                                "uploaded tables (least recently used dropped)."),
          data_dir: Optional[Path] = DATA_DIR):
    """Local dashboard: datasets, chain maps, key sectors, weak links, impact scenarios."""
    import uvicorn

    from ..web import create_app
    token = token or os.environ.get("LIANPU_TOKEN") or None
    check_bind(host, allow_remote, token)
    if not 0 <= port <= 65535:
        raise UserError(f"--port: found {port}, expected 0–65535")
    if not 1 <= max_upload_mb <= 1024:
        raise UserError(f"--max-upload-mb: found {max_upload_mb}, expected 1–1024")
    at_least("--max-sectors", max_sectors, 1)
    at_least("--uploads-memory-mb", uploads_memory_mb, 1)
    from ..readers.safety import Limits
    allowed = (*dict.fromkeys(("localhost", "127.0.0.1", "::1", host)),) if not token else None
    web = create_app(data_dir=data_dir, token=token, max_upload=max_upload_mb * 1024 * 1024,
                     limits=Limits(max_sectors=max_sectors), max_upload_mb=uploads_memory_mb,
                     allowed_hosts=allowed)
    if port == 0:  # pick the free port here, so that the address printed is the real one
        import socket
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    out.print(f"链谱 dashboard: http://{shown}:{port}/" + (" (token required)" if token else ""))
    uvicorn.run(web, host=host, port=port, log_level="warning", timeout_graceful_shutdown=GRACE)
