"""The network lead in Chromium: routes a waiting referral to the member that fits, then runs
a month (names members on its claims, splits what the plan paid); a member CBO's staff see
the referral routed to them and no network page of their own."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from .helpers import open_as, screenshot

pytestmark = pytest.mark.browser
MEMBERS = ("Casa Esperanza Respite", "Harbor Light Housing")


def test_route_bill_and_distribute(browser: Browser, live_server: str) -> None:
    page = open_as(browser, live_server, "lead@network.demo")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Our network").click()
    expect(page.get_by_role("heading", name="Members and their terms")).to_be_visible()
    for name in MEMBERS:
        expect(page.get_by_role("cell", name=name).first).to_be_visible()
    page.get_by_role("button", name="Route to the best-fitting member").first.click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("The referral went to")
    assert any(name in status.inner_text() for name in MEMBERS)
    page.get_by_label("Month (YYYY-MM)").fill("2025-09")
    page.get_by_role("button", name="Name members on claims and split payments").click()
    expect(page.get_by_role("status")).to_contain_text("2025-09:")
    screenshot(page, "network-lead")
    page.get_by_label("Month (YYYY-MM)").fill("September")
    page.get_by_role("button", name="Name members on claims and split payments").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.context.close()
    member = open_as(browser, live_server, "staff@casa.demo")
    member.goto(f"{live_server}/app/network")
    expect(member.get_by_text("leads no network")).to_be_visible()
    member.context.close()
