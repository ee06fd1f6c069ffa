"""Issue 13's search, referral record, CS provider and discharge planner journeys in Chromium.

Each page the journeys pass is saved as a screenshot under the test's temporary folder; each
is also checked at 390 px (a phone) for sideways scrolling.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from .helpers import open_as
from .members import dashed, untouched_members
from .referral_flow import fresh_routed_referral, send_referral

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


def _shot(page: Page, folder: Path, name: str, *, phone: bool = True) -> None:
    """A full-page screenshot, then the same page at 390 px must not scroll sideways.

    `phone=False` for a page this workstream does not own (the member page's own tables are
    made narrow by the mobile work of issue 13, item 10).
    """
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    if not phone:
        return
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    wide = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(folder / f"{name}-390.png"), full_page=True)
    assert wide <= 390, f"{name} scrolls sideways at 390 px ({wide} px wide)"
    if size:
        page.set_viewport_size(size)


def test_search_from_the_header(browser: Browser, live_server: str, tmp_path: Path) -> None:
    cc = open_as(browser, live_server, "cc@lacare.demo")
    first_row = cc.locator("a[href^='/app/members/']").first
    expect(first_row).to_be_visible()
    name = first_row.inner_text().strip().split()
    typo = (
        name[-1][:2] + name[-1][3] + name[-1][2] + name[-1][4:] if len(name[-1]) > 4 else name[-1]
    )
    search = cc.get_by_role("search", name="Search members and referrals").first
    search.get_by_role("searchbox").fill(f"{name[0]} {typo}")
    search.get_by_role("searchbox").press("Enter")
    expect(cc.get_by_role("status")).to_contain_text("for this name")
    expect(cc.get_by_role("link", name=" ".join(name))).to_be_visible()
    _shot(cc, tmp_path, "40-search-results")
    cc.get_by_role("link", name=" ".join(name)).first.click()
    expect(cc.get_by_role("heading", level=1)).to_contain_text(name[0])
    cc.context.close()


def test_the_provider_works_the_referral_from_its_page(
    browser: Browser, live_server: str, client: TestClient, demo_url: str, tmp_path: Path
) -> None:
    path, pick = fresh_routed_referral(client, demo_url)
    staff = open_as(browser, live_server, "staff@cs.demo")
    staff.goto(f"{live_server}{path}")
    expect(
        staff.get_by_text("Discharged today after surgery; nowhere safe to recover.")
    ).to_be_visible()
    expect(staff.get_by_text("Dana Ruiz, RN")).to_be_visible()
    expect(staff.locator("strong.tag", has_text="Urgent")).to_be_visible()
    _shot(staff, tmp_path, "41-cs-referral-record")

    staff.get_by_label("New message to the other organizations").fill("Can she come Tuesday at 10?")
    staff.get_by_role("button", name="Send message").click()
    expect(staff.get_by_role("status")).to_contain_text("Your message was sent.")
    upload = tmp_path / "wound care plan.pdf"
    upload.write_bytes(PDF)
    staff.get_by_label("Attach a file").set_input_files(str(upload))
    staff.get_by_role("button", name="Attach", exact=True).click()
    expect(staff.get_by_role("status")).to_contain_text("The file was attached.")
    expect(staff.get_by_role("link", name="wound care plan.pdf")).to_be_visible()

    # Declining needs the confirmation: without it nothing changes.
    decline = staff.locator(
        "form.step.final", has=staff.get_by_role("button", name="Decline the referral")
    )
    decline.get_by_label("Reason").select_option("No capacity right now")
    decline.get_by_role("button", name="Decline the referral").click()
    expect(
        staff.get_by_text("Tick the box to confirm: this cannot be undone.").first
    ).to_be_visible()
    staff.get_by_role("button", name="Accept the referral").click()
    expect(staff.get_by_role("status")).to_contain_text("The referral's timeline shows the step.")
    expect(staff.get_by_role("button", name="Start services")).to_be_visible()
    _shot(staff, tmp_path, "42-cs-referral-accepted")
    staff.context.close()

    planner = open_as(browser, live_server, "referrer@hospital.demo")
    expect(planner.get_by_text(f"referral accepted: {pick.first_name}")).to_be_visible()
    _shot(planner, tmp_path, "43-planner-acceptance-notice")
    planner.goto(f"{live_server}{path}")
    expect(planner.get_by_text("Can she come Tuesday at 10?")).to_be_visible()
    expect(planner.get_by_role("link", name="wound care plan.pdf")).to_be_visible()
    expect(planner.get_by_text("What you can do")).to_have_count(0)
    _shot(planner, tmp_path, "44-planner-referral-record")
    planner.context.close()


def test_the_planner_navigates_and_refers(
    browser: Browser, live_server: str, client: TestClient, demo_url: str, tmp_path: Path
) -> None:
    pick = untouched_members(demo_url, plan="LACARE", program="cs.medically", count=1)[0]
    path = send_referral(client, pick, "cs.medically_tailored_meals")
    planner = open_as(browser, live_server, "referrer@hospital.demo")
    planner.get_by_role("link", name="Coverage").click()
    planner.get_by_label("Member CIN or name").fill(pick.cin)
    planner.get_by_role("button", name="Look up").click()
    expect(planner.locator(f"a[href='{path}']")).to_be_visible()
    _shot(planner, tmp_path, "45-planner-navigator-lookup")
    planner.get_by_role("link", name="Start another referral for this member").click()
    expect(planner.get_by_label("CIN (Medi-Cal ID)")).to_have_value(pick.cin)
    planner.context.close()

    cc = open_as(browser, live_server, "cc@lacare.demo")
    member = untouched_members(demo_url, plan="LACARE", program="cs.recuperative", count=1)[0]
    cc.goto(
        f"{live_server}/app/referrals/new?member_id={dashed(member.id)}&program_id=cs.recuperative_care"
    )
    expect(cc.get_by_label("Refer the member to")).to_have_value("cs.recuperative_care")
    expect(cc.get_by_text(member.first_name).first).to_be_visible()
    _shot(cc, tmp_path, "46-prefilled-referral-form")
    cc.context.close()


def test_the_provider_keeps_its_capacity_and_reads_caps_in_words(
    browser: Browser, live_server: str, tmp_path: Path
) -> None:
    staff = open_as(browser, live_server, "staff@cs.demo")
    staff.get_by_role("link", name="Our capacity").click()
    staff.get_by_label("People you can serve at once").fill("45")
    staff.get_by_label("Beds free now").fill("4")
    staff.get_by_label("People on your waitlist").fill("1")
    staff.get_by_role("button", name="Save capacity").click()
    expect(staff.get_by_role("status")).to_contain_text("Saved.")
    _shot(staff, tmp_path, "47-cs-capacity")
    staff.get_by_role("link", name="My work").click()
    staff.locator("a[href$='#supports']").first.click()
    expect(staff.locator("ul.cap-words li").first).to_contain_text("remain of")
    _shot(staff, tmp_path, "48-cs-caps-in-words", phone=False)
    staff.context.close()
