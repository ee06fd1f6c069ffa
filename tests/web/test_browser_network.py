"""One application, two plans deciding differently, in Chromium: the network lead applies to
L.A. Care and Health Net at once (refused first, naming the unmet requirement), L.A. Care
approves, Health Net denies with a reason, the lead sees both and compares payment models."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from .helpers import open_as, screenshot

pytestmark = pytest.mark.browser


def decide(browser: Browser, base: str, email: str, button: str, reason: str = "") -> None:
    """A plan's administrator opens Applications from the menu and decides its one line."""
    page = open_as(browser, base, email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Applications").click()
    expect(page.get_by_role("heading", name="Applications to your plan")).to_be_visible()
    if reason:
        page.get_by_label("Reason (needed to deny)").first.fill(reason)
    page.get_by_role("button", name=button).first.click()
    expect(page.get_by_role("status")).to_contain_text("Your decision was saved")
    page.context.close()


def apply(browser: Browser, base: str) -> None:
    """The lead applies to both plans; the first try lacks L.A. Care's attestation."""
    page = open_as(browser, base, "lead@network.demo")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Applications").click()
    page.get_by_label("L.A. Care Health Plan").check()
    page.get_by_label("Health Net").check()
    page.get_by_label("How do you serve members").fill("Bilingual staff at every site.")
    page.get_by_role("button", name="Send the application").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("HIPAA privacy training in the last 12 months")
    expect(alert).not_to_contain_text("lacare.hipaa_attestation")  # no ids on a screen
    page.get_by_label("L.A. Care Health Plan").check()
    page.get_by_label("Health Net").check()
    page.get_by_label("How do you serve members").fill("Bilingual staff at every site.")
    page.get_by_label("HIPAA privacy training").check()
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_role("status")).to_contain_text("Your application was sent")
    page.context.close()


def test_two_plans_decide_differently(browser: Browser, live_server: str) -> None:
    apply(browser, live_server)
    decide(browser, live_server, "admin@lacare.demo", "Approve")
    decide(browser, live_server, "admin@healthnet.demo", "Deny", "Our network is full here")
    page = open_as(browser, live_server, "lead@network.demo")
    page.goto(f"{live_server}/app/applications")
    rows = page.locator("section.application").first.locator("tbody tr")
    expect(rows.filter(has_text="L.A. Care")).to_contain_text("Approved")
    expect(rows.filter(has_text="Health Net")).to_contain_text("Denied: Our network is full here")
    screenshot(page, "applications-two-plans")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Payment models").click()
    page.get_by_label("Months", exact=True).fill("6")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("img", name="Cumulative cash by payment model")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("Break-even")
    screenshot(page, "payment-models")
    page.context.close()
