"""The coverage navigator and dashboards in a real browser, with screenshots."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from ..helpers import USER_BY_ROLE, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_coverage_grid_for_a_county(page: Page, live_server: str) -> None:
    sign_in(page, live_server, USER_BY_ROLE["referrer"])
    page.goto(f"{live_server}/app/coverage")
    page.locator("#county").fill("San Diego")
    page.locator("#as_of").fill("2025-10-01")
    page.get_by_role("button", name="Show the grid").click()
    grid = page.locator("table.grid")
    headers = grid.locator("thead th[data-plan]")
    assert [h.get_attribute("data-plan") for h in headers.all()] == [
        "BLUESHIELD", "CHG", "KAISER", "MOLINA",
    ]  # fmt: skip
    rent = grid.locator('tr[data-program="cs.transitional_rent"] td[data-plan="CHG"]')
    assert "Offered" in rent.inner_text()
    assert grid.locator("tbody tr").count() == 15
    screenshot(page, "reports-coverage")


def test_funnel_renders_filters_change_it_and_csv_matches(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 1024, "height": 1366})  # a tablet, portrait
    sign_in(page, live_server, USER_BY_ROLE["plan_care_coordination"])
    page.goto(f"{live_server}/app/dashboards?from=2025-01-01&to=2025-10-01")
    assert page.locator("svg#funnel-chart, svg[aria-labelledby^='funnel-chart']").count() == 1
    totals = {
        s: page.locator(f'td[data-total="{s}"]').inner_text() for s in ("eligible", "enrolled")
    }
    assert int(totals["eligible"]) > 0
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the ECM funnel (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text())))
    assert {s: rows[-1][s] for s in totals} == totals
    screenshot(page, "reports-dashboards")
    page.locator("#county").select_option("Kern")
    page.get_by_role("button", name="Apply filters").click()
    # The results are swapped in by HTMX: wait for the new numbers, not for a page load.
    expect(page.locator('td[data-total="eligible"]')).not_to_have_text(totals["eligible"])
