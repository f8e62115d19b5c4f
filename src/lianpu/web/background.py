"""The dashboard in a background thread on a free loopback port: for notebooks, the browser
tests and the interface benchmark (``lianpu serve`` runs it in the foreground instead).

    from lianpu.web.app import create_app
    with BackgroundServer(create_app(data_dir=...)) as s:
        print(s.url)
"""
from __future__ import annotations

import socket
import threading
import time


class BackgroundServer:
    """uvicorn on ``127.0.0.1:<free port>`` in a daemon thread; ``url`` once entered.

    The listening socket is made with ``IPPROTO_TCP`` so that its connections get
    ``TCP_NODELAY`` from uvicorn: a plain ``socket.socket()`` leaves Nagle's algorithm on and
    every keep-alive request after the first waits ~40 ms for the delayed ACK."""

    def __init__(self, app, *, startup_timeout: float = 30.0):
        import uvicorn
        self.app = app
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.timeout = startup_timeout
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", backlog=512))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + self.timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("dashboard server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)
        store = getattr(self.app.state, "store", None)
        if store is not None:
            store.close()
