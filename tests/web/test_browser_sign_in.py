"""Sign-in, scoping, language and layout in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import screenshot, sign_in
from .members import any_member_of

pytestmark = pytest.mark.browser


def test_sign_in_lands_on_my_work(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/app")
    expect(page).to_have_url(f"{live_server}/app/sign-in?next=/app")
    page.get_by_label("Email").fill("um@lacare.demo")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_text("That email and password do not match an account.").first
    ).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("um@lacare.demo")
    screenshot(page, "00-sign-in-error")
    sign_in(page, live_server, "um@lacare.demo")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()


def test_another_plans_member_is_a_friendly_not_found(
    page: Page, live_server: str, demo_url: str
) -> None:
    sign_in(page, live_server, "cc@healthnet.demo")
    response = page.goto(f"{live_server}/app/members/{any_member_of(demo_url, 'LACARE')}")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("CIN")).to_have_count(0)
    screenshot(page, "40-other-plans-member-not-found")


def test_spanish_on_a_tablet(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 800, "height": 1100})
    sign_in(page, live_server, "lcm@ecm.demo")
    page.get_by_role("link", name="Español").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mi trabajo")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mi trabajo")
    screenshot(page, "50-lcm-my-work-spanish-tablet")
