"""The network lead in Chromium: routes a waiting referral to the member that fits, then runs
August (the demo's paid month: names the members on its claims as rendering providers and
splits what L.A. Care paid by each member's terms); a member CBO's staff see no network page
of their own. A screenshot of each page on the way."""

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
    screenshot(page, "network-lead-1-members-and-waiting")
    page.get_by_role("button", name="Route to the best-fitting member").first.click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("The referral went to")
    assert any(name in status.inner_text() for name in MEMBERS)
    screenshot(page, "network-lead-2-routed")
    # Bill: August's claims name the member that served each person; distribute: the plan's
    # payment split by each member's terms (Casa 1,400.00 x 0.85 - 7 x 2.50; Harbor 1,000 x 0.80).
    page.get_by_label("Month (YYYY-MM)").fill("2025-08")
    page.get_by_role("button", name="Name members on claims and split payments").click()
    expect(page.get_by_role("status")).to_contain_text("2025-08: 2 claims")
    payments = page.get_by_role("table").last
    casa = payments.get_by_role("row").filter(has_text="Casa Esperanza Respite")
    expect(casa).to_contain_text("1400.00")
    expect(casa).to_contain_text("1172.50")
    expect(casa).to_contain_text("227.50")
    harbor = payments.get_by_role("row").filter(has_text="Harbor Light Housing")
    expect(harbor).to_contain_text("800.00")
    expect(harbor).to_contain_text("200.00")
    screenshot(page, "network-lead-3-august-distributed")
    page.get_by_label("Month (YYYY-MM)").fill("September")
    page.get_by_role("button", name="Name members on claims and split payments").click()
    expect(page.get_by_role("alert")).to_contain_text("for example 2025-09")
    screenshot(page, "network-lead-4-month-refused")
    page.context.close()
    member = open_as(browser, live_server, "staff@casa.demo")
    member.goto(f"{live_server}/app/network")
    expect(member.get_by_text("leads no network")).to_be_visible()
    screenshot(member, "network-lead-5-member-sees-no-network")
    member.context.close()
