"""The dashboard under test: a seeded dataset cache, a real uvicorn server on a free loopback
port (background thread), and Debian's headless Chromium driven by Playwright.

Browser tests skip LOUDLY when /usr/bin/chromium is absent; any console error or page error
fails a test. Screenshots go to pytest's tmp dir, or to $LIANPU_SCREENSHOTS when set
(``make screenshots`` sets it to docs/screenshots).
"""
from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pytest

from lianpu.web.background import BackgroundServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SEED = ("cn-nbs-2020-42", "cn-nbs-2020-153", "ceads-china", "cn-employment")


@pytest.fixture(scope="session")
def web_cache(tmp_path_factory, shared_data):
    from lianpu.data.download import download
    d = tmp_path_factory.mktemp("web-cache")
    download(list(SEED), data_dir=d, from_dir=shared_data, progress=False)
    return d


Server = BackgroundServer   # the dashboard in a thread (lianpu.web.background)


@pytest.fixture(scope="session")
def server(web_cache):
    from lianpu.web import create_app
    with Server(create_app(data_dir=web_cache, max_upload=2 * 1024 * 1024)) as s:
        yield s


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    target = os.environ.get("LIANPU_SCREENSHOTS")
    d = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        msg = (f"!!! {CHROMIUM} NOT FOUND: browser tests of the report and the dashboard are "
               "SKIPPED (apt-get install chromium fonts-noto-cjk). CI must have it. !!!")
        warnings.warn(msg, stacklevel=2)
        pytest.skip(msg)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and page errors; the test fails on any."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True,
                              locale="zh-CN")
    pg = ctx.new_page()
    errors = []
    pg.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}")
          if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    pg.errors = errors
    yield pg
    ctx.close()
    assert errors == [], f"browser errors: {errors}"


def copy_shot(src: Path, dest_dir: Path, name: str) -> Path:
    out = dest_dir / name
    if src != out:
        shutil.copyfile(src, out)
    return out
