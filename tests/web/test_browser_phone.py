"""Phone width (390 px): no page of the main journeys scrolls sideways, for every role."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from .helpers import screenshot, sign_in
from .members import any_member_of

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
ROLES = {
    "um@lacare.demo": ["/app", "/app/referrals", "/app/coverage"],
    "cc@lacare.demo": ["/app", "/app/referrals"],
    "lcm@ecm.demo": ["/app", "/app/caseload"],
    "staff@cs.demo": ["/app", "/app/referrals"],
    "referrer@hospital.demo": ["/app", "/app/referrals/new"],
    "analyst@state.demo": ["/app", "/app/dashboards"],
}
MEMBER_PAGE_ROLES = ("um@lacare.demo", "cc@lacare.demo", "lcm@ecm.demo", "staff@cs.demo")


def _overflow(page: object) -> int:
    return int(
        page.evaluate(  # type: ignore[attr-defined]
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


@pytest.mark.parametrize("email", sorted(ROLES))
def test_no_sideways_scroll_at_390px(
    browser: Browser, live_server: str, demo_url: str, email: str
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, live_server, email)
        paths = list(ROLES[email])
        if email in MEMBER_PAGE_ROLES:
            paths.append(f"/app/members/{any_member_of(demo_url, 'LACARE')}")
        for path in paths:
            page.goto(f"{live_server}{path}")
            wide = _overflow(page)
            if wide > 0:
                screenshot(
                    page,
                    f"phone-overflow-{email.split('@')[0]}-{path.strip('/').replace('/', '-')}",
                )
            screenshot(
                page, f"phone-{email.split('@')[0]}-{path.strip('/').replace('/', '-')[:40]}"
            )
            assert wide <= 0, f"{path} as {email} scrolls sideways by {wide}px at 390px"
    finally:
        context.close()
