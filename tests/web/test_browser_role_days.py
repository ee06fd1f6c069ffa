"""Each role's day in Chromium, for docs/web.md: the reviewer's queue filtered and saved as a
view (also at phone width), the state analyst's and the county's landing pages, and a Spanish
member page where a care coordinator writes to the member's providers. Each page is saved
under test-artifacts/screenshots/day-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from .helpers import open_as, screenshot
from .members import dashed, untouched_members

pytestmark = pytest.mark.browser


def _overflow(page: object) -> int:
    return int(
        page.evaluate(  # type: ignore[attr-defined]
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


def test_the_reviewers_queue_filtered_and_saved(browser: Browser, live_server: str) -> None:
    page = open_as(browser, live_server, "um@lacare.demo")
    try:
        page.get_by_role("link", name="Authorizations", exact=True).first.click()
        page.get_by_label("Urgency").select_option("routine")
        page.get_by_label("Sort by").select_option("oldest")
        page.get_by_role("button", name="Show").click()
        expect(page).to_have_url(re.compile(r"urgency=routine"))
        page.get_by_label("Save these filters as").fill("Routine, oldest first")
        page.get_by_role("button", name="Save view").click()
        expect(page.get_by_role("link", name="Routine, oldest first")).to_be_visible()
        screenshot(page, "day-um-queue")
        page.set_viewport_size({"width": 390, "height": 844})
        assert _overflow(page) <= 0
        screenshot(page, "day-um-queue-phone")
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("email", "name", "heading"),
    [
        ("analyst@state.demo", "analyst", "At a glance"),
        ("referrer@countybh.demo", "county", "My referrals"),
    ],
)
def test_landing_pages(
    browser: Browser, live_server: str, email: str, name: str, heading: str
) -> None:
    page = open_as(browser, live_server, email)
    try:
        expect(page.get_by_role("heading", name=re.compile(heading))).to_be_visible()
        assert "ecm." not in page.inner_text("main")
        screenshot(page, f"day-{name}-home")
    finally:
        page.context.close()


def test_a_spanish_member_page_with_messages(
    browser: Browser, live_server: str, demo_url: str
) -> None:
    pick = untouched_members(demo_url, plan="LACARE", program="ecm", count=3)[2]
    page = open_as(browser, live_server, "cc@lacare.demo")
    try:
        page.context.add_cookies([{"name": "calaim_lang", "value": "es", "url": live_server}])
        page.goto(f"{live_server}/app/members/{dashed(pick.id)}")
        page.get_by_role("button", name="Enviar el mensaje").click()  # empty: refused by the field
        expect(page.locator("#member-message-body-error")).to_contain_text("Escriba el mensaje")
        page.get_by_label("Nuevo mensaje para el plan y los proveedores del miembro").fill(
            "La miembro pidió que la llamen por la tarde."
        )
        page.get_by_role("button", name="Enviar el mensaje").click()
        expect(page.get_by_role("status")).to_contain_text("El mensaje se envió.")
        expect(page.locator("#messages").locator("..")).to_contain_text("por la tarde")
        screenshot(page, "day-cc-member-es")
    finally:
        page.context.close()
