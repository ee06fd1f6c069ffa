"""Fixtures for the web workspace's tests (also used by tests/web/reports/).

- `demo_url` (session): a SQLite demo database seeded once per run with `DEMO_MEMBERS_FOR_TESTS`
  members (`calaim.ops.server.serve.demo_database`); every workflow state has a record.
- `web_app` (session): `calaim.app.build_app` over it, the clock fixed at `DEMO_NOW`
  (2025-10-01 09:00 California), so "due", "time left" and "overdue" are deterministic.
- `client` (function): a `TestClient` over `web_app` (cookies kept per test);
  `signed_in_client(client, email)` signs it in through the sign-in form.
- `live_server` (session): the same app served by uvicorn in a background thread on a free
  port; its value is the base URL, e.g. `http://127.0.0.1:43123`.
- `browser` (session) and `page` (function): Debian's Chromium at /usr/bin/chromium driven by
  Playwright (never `playwright install`); a page is 1280x800 unless `page.set_viewport_size`.
- In `tests/web/helpers.py`: `sign_in(page, base_url, email)` signs a page in as a demo user
  (password `DEMO_PASSWORD`); `signed_in_client(client, email)` does it for a TestClient;
  `csrf_of(html)` reads a page's CSRF token; `USER_BY_ROLE` maps a role to its demo user's
  email; `screenshot(page, name)` writes test-artifacts/screenshots/<name>.png.

The tests share one database: a test that changes data uses members or records nobody else's
test relies on (or creates its own through the workflow).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright

from calaim.app import build_app
from calaim.ops.auth.tokens import TokenSigner
from calaim.ops.db import make_engine
from calaim.ops.demo import DEMO_NOW
from calaim.ops.server.serve import demo_database

DEMO_MEMBERS_FOR_TESTS = 300
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seeded demo database's URL (seeded once per test run)."""
    url, _world = demo_database(
        tmp_path_factory.mktemp("web-demo"), members=DEMO_MEMBERS_FOR_TESTS, history_months=0
    )
    return url


@pytest.fixture(scope="session")
def web_app(demo_url: str) -> FastAPI:
    """The whole app over the demo database, its clock fixed at the demo's now."""
    return build_app(
        make_engine(demo_url), clock=lambda: DEMO_NOW, signer=TokenSigner("web-tests-secret")
    )


@pytest.fixture
def client(web_app: FastAPI) -> Iterator[TestClient]:
    """A test client over the app (its own cookie jar)."""
    with TestClient(web_app, base_url="http://testserver") as test_client:
        yield test_client


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(web_app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn in a background thread; the base URL."""
    port = _free_port()
    config = uvicorn.Config(web_app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the live server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) and page, 1280x800."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    yield new_page
    context.close()
