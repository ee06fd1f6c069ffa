"""Helpers for the web tests: sign in (client or browser), CSRF tokens, screenshots."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page

from calaim.ops.demo import DEMO_PASSWORD, USERS

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
USER_BY_ROLE: dict[str, str] = {}
for _email, _org, _role in USERS:
    USER_BY_ROLE.setdefault(_role.value, _email)
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def signed_in_client(client: TestClient, email: str) -> TestClient:
    """`client`, signed in as `email` through the sign-in form."""
    token = csrf_of(client.get("/app/sign-in").text)
    form = {"csrf_token": token, "email": email, "password": DEMO_PASSWORD, "next": "/app"}
    response = client.post("/app/sign-in", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def sign_in(page: Page, base_url: str, email: str) -> None:
    """Sign `page` in as the demo user `email` through the sign-in form."""
    page.goto(f"{base_url}/app/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/app")


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_as(browser: Browser, base_url: str, email: str) -> Page:
    """A new browser context signed in as `email` (close it with `page.context.close()`)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, base_url, email)
    return page
