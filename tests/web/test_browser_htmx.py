"""HTMX in Chromium: the dashboard filters swap the results in place, with no CSP violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from .helpers import USER_BY_ROLE, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_dashboard_filters_swap_the_results_without_a_reload(page: Page, live_server: str) -> None:
    problems: list[str] = []
    requests: list[dict[str, str]] = []

    def watch(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"{message.location.get('url')}: {message.text}")

    page.on("console", watch)
    sign_in(page, live_server, USER_BY_ROLE["plan_care_coordination"])
    page.goto(f"{live_server}/app/dashboards?from=2025-01-01&to=2025-10-01")
    page.wait_for_function("() => window.htmx !== undefined")
    before = page.locator('td[data-total="eligible"]').inner_text()
    # A marker on the window survives only if the page is not reloaded.
    page.evaluate("() => { window.calaimMarker = 'same page' }")
    page.on("request", lambda r: requests.append(r.headers) if "/app/dashboards" in r.url else None)
    page.locator("#county").select_option("Kern")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/app/dashboards?*county=Kern*")
    expect(page.locator('td[data-total="eligible"]')).not_to_have_text(before)
    assert page.evaluate("() => window.calaimMarker") == "same page"
    assert [h.get("hx-request") for h in requests] == ["true"]
    expect(page.locator("#dashboard-results a[download]").first).to_have_attribute(
        "href",
        "/app/dashboards/ecm-funnel.csv?from=2025-01-01&to=2025-10-01&county=Kern&plan=&program=",
    )
    # Back restores the unfiltered numbers (fetched whole: nothing is cached in the browser).
    page.go_back()
    expect(page.locator('td[data-total="eligible"]')).to_have_text(before)
    # No CSP violation or failed request (the browser's own favicon probe aside).
    assert [p for p in problems if "favicon" not in p] == []
    screenshot(page, "htmx-dashboards-back")  # (Playwright's screenshot injects a style: last)


def test_without_javascript_the_filters_reload_the_page(browser: Browser, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, USER_BY_ROLE["plan_care_coordination"])
    page.goto(f"{live_server}/app/dashboards?from=2025-01-01&to=2025-10-01")
    before = page.locator('td[data-total="eligible"]').inner_text()
    page.locator("#county").select_option("Kern")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/app/dashboards?*county=Kern*")
    assert page.locator('td[data-total="eligible"]').inner_text() != before
    context.close()
