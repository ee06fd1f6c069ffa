"""The utilization-review desk and the inbox in Chromium, as the demo's reviewer and provider:
approve with a period and units (confirming an override of the engine), extend, pend, deny with
a letter; the decision reaches the provider's inbox; tasks; nothing scrolls sideways at 390 px."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from .helpers import open_as, screenshot
from .review_world import waiting_requests

pytestmark = pytest.mark.browser
UM, CS_STAFF = "um@lacare.demo", "staff@cs.demo"
# A decision renders a PDF; on a loaded machine the first one in a process takes seconds.
DECISION_MS = 60_000


def reviewer(browser: Browser, base: str) -> Page:
    """The plan's reviewer, with room for the first letter's rendering."""
    page = open_as(browser, base, UM)
    page.context.set_default_timeout(DECISION_MS)
    return page


def open_request(page: Page, base: str, request_id: object) -> None:
    """From the menu to the queue to the request."""
    page.goto(f"{base}/app")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Authorizations").click()
    expect(page.get_by_role("heading", name="Utilization review")).to_be_visible()
    page.locator(f"a[href='/app/authorizations/{request_id}']").click()
    expect(page.get_by_role("heading", name="Decide")).to_be_visible()


def letter_text(page: Page, kind: str) -> str:
    """The text of the newest letter of one kind linked on the desk.

    Letters sent in one demo minute share a time, so pick by kind, not position."""
    links = page.locator("a[href^='/app/letters/']").filter(has_text=kind)
    href = links.last.get_attribute("href")
    assert href
    response = page.request.get(page.url.split("/app/")[0] + href)
    assert response.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.body())).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def test_approve_with_override_then_extend(
    browser: Browser, live_server: str, demo_url: str
) -> None:
    (request_id,) = waiting_requests(demo_url, 1)
    um = reviewer(browser, live_server)
    open_request(um, live_server, request_id)
    warning = um.get_by_role("region", name="Check before you approve")
    expect(warning).to_contain_text("not eligible for this program")
    screenshot(um, "40-ur-desk-warning")

    approve = um.locator("form[action$='/review/approve']")
    approve.get_by_label("Start date").fill("2025-10-01")
    approve.get_by_label("End date").fill("2026-03-31")
    approve.get_by_label("Units (optional)").fill("2")
    approve.get_by_label("How often").select_option("per_day")
    approve.get_by_role("button", name="Approve and send the letter").click()
    # Not without a reason: the message is next to the reason, which has the focus.
    reason = um.get_by_label("Why you approve anyway")
    expect(reason).to_be_focused()
    expect(um.locator(".field-error")).to_contain_text("Write why you approve anyway.")
    expect(um.get_by_label("Units (optional)")).to_have_value("2")
    screenshot(um, "41-ur-desk-override-needs-a-reason")
    reason.fill("Dietitian's assessment: CKD stage 4 with two recent admissions.")
    um.get_by_role("button", name="Approve and send the letter").click()
    expect(um.get_by_role("status")).to_contain_text("Approved. The Notice of Action letter")
    expect(um.get_by_role("region", name="Decisions")).to_contain_text("Against the engine")
    expect(um.get_by_role("region", name="Decisions")).to_contain_text("UM (demo)")
    words = letter_text(um, "Approval letter")
    assert "2 per day" in words or "2 por día" in words
    screenshot(um, "42-ur-desk-approved")

    extend = um.locator("form[action$='/review/extend']")
    extend.get_by_label("New end date").fill("2026-06-30")
    extend.get_by_label("Why the service is extended").fill("Still recovering after surgery.")
    extend.get_by_label("Why you extend anyway").fill("Reviewed the discharge plan.")
    extend.get_by_role("button", name="Extend and send the letter").click()
    expect(um.get_by_role("status")).to_contain_text("Extended.")
    assert "Still recovering after surgery." in letter_text(um, "Extension letter")
    screenshot(um, "43-ur-desk-extended")
    um.context.close()


def test_pend_and_deny_reach_the_provider(
    browser: Browser, live_server: str, demo_url: str
) -> None:
    pend_id, deny_id = waiting_requests(demo_url, 2)
    um = reviewer(browser, live_server)
    um.goto(f"{live_server}/app/authorizations")
    screenshot(um, "39-ur-queue")
    open_request(um, live_server, pend_id)
    um.get_by_text("Pend for information").click()
    um.get_by_label("What information you need").fill("The dietitian's assessment")
    um.get_by_role("button", name="Pend and send the delay letter").click()
    expect(um.get_by_role("status")).to_contain_text("Pended for information.")
    assert "The dietitian's assessment" in letter_text(um, "Delay letter")
    screenshot(um, "44-ur-desk-pended")

    open_request(um, live_server, deny_id)
    um.get_by_text("Deny", exact=True).click()
    deny = um.locator("form[action$='/review/deny']")
    deny.get_by_label("Denial reason").select_option("incomplete_info")
    deny.get_by_label("Explanation for the member").fill(
        "We did not get the assessment we asked for."
    )
    deny.get_by_role("button", name="Deny and send the letter").click()
    expect(um.get_by_role("status")).to_contain_text("Denied. The Notice of Action letter")
    words = letter_text(um, "Denial letter")
    assert "State Hearing" in words or "Audiencia Estatal" in words
    screenshot(um, "45-ur-desk-denied")
    um.context.close()

    staff = open_as(browser, live_server, CS_STAFF)
    badge = staff.locator(".inbox-link .badge")
    expect(badge).to_be_visible()
    staff.locator(".inbox-link").click()
    expect(staff.get_by_role("heading", name="Inbox")).to_be_visible()
    # Other tests on the same demo may have put items there too (same clock, same time).
    decision = staff.locator(".inbox-list li.unread", has_text="Authorization decision")
    expect(decision.first).to_be_visible()
    screenshot(staff, "50-provider-inbox")
    decision.first.locator("a").first.click()
    expect(staff).to_have_url(re.compile(r"/app/members/[0-9a-f-]+"))
    staff.context.close()


def test_tasks_and_no_sideways_scroll_on_a_phone(
    browser: Browser, live_server: str, demo_url: str
) -> None:
    (request_id,) = waiting_requests(demo_url, 1)
    um = reviewer(browser, live_server)
    um.get_by_role("link", name="Tasks").click()
    row = um.locator("tr", has=um.locator(f"a[href='/app/authorizations/{request_id}']"))
    expect(row).to_contain_text("Utilization management team")
    row.locator("summary", has_text="Assign").click()
    row.get_by_label("Assign to").select_option(label="UM (demo)")
    row.get_by_role("button", name="Assign").click()
    expect(um.get_by_role("status")).to_contain_text("The task was assigned.")
    screenshot(um, "51-um-tasks")
    um.set_viewport_size({"width": 390, "height": 844})
    for path in ("/app/authorizations", f"/app/authorizations/{request_id}", "/app/inbox",
                 "/app/tasks"):  # fmt: skip
        um.goto(live_server + path)
        width = um.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways at 390 px ({width} px wide)"
    um.goto(f"{live_server}/app/authorizations/{request_id}")
    screenshot(um, "52-ur-desk-phone")
    um.context.close()
