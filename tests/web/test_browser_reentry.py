"""Reentry and a county behavioral health referral in a real browser, as the demo's people."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import create_engine, text

from calaim.ops.demo import DEMO_AS_OF

from .helpers import open_as
from .members import dashed, untouched_members

pytestmark = pytest.mark.browser


def _case_releasing_in(url: str, days: int) -> str:
    """The id of the demo jail's case whose release is `days` after the demo's as-of date."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT id FROM reentry_cases WHERE expected_release_on = :day"),
                {"day": DEMO_AS_OF + dt.timedelta(days=days)},
            ).scalar_one()
    finally:
        engine.dispose()
    return dashed(str(found).replace("-", ""))


def test_jail_names_the_in_reach_provider_who_assesses_and_the_date_moves(
    browser: Browser, live_server: str, demo_url: str
) -> None:
    case_url = f"{live_server}/app/reentry/{_case_releasing_in(demo_url, 80)}"
    jail = open_as(browser, live_server, "reentry@jail.demo")
    jail.get_by_role("link", name="Reentry").click()
    # The header and three before release: two inside the window, one whose window opens later.
    expect(jail.get_by_role("row")).to_have_count(4)
    expect(jail.get_by_text("Open since")).to_have_count(2)
    jail.goto(case_url)
    jail.get_by_text("Providers and care manager").click()
    jail.get_by_label("In-reach provider").select_option(label="Eastside Care Management")
    jail.get_by_role("button", name="Save").click()
    expect(jail.get_by_role("status")).to_contain_text("Saved.")
    jail.context.close()

    lcm = open_as(browser, live_server, "lcm@ecm.demo")
    lcm.get_by_role("link", name="Tasks").click()
    lcm.get_by_role("link", name="Everyone's").click()
    assess = lcm.get_by_role("link", name="Complete the pre-release needs assessment")
    expect(assess.first).to_be_visible()
    lcm.goto(case_url)
    lcm.get_by_text("Needs assessment", exact=True).click()
    lcm.get_by_label("Assessed on").fill(str(DEMO_AS_OF))
    lcm.get_by_label("Needs found (one a line)").fill("housing\nmedication")
    lcm.get_by_role("button", name="Save the assessment").click()
    expect(lcm.get_by_role("status")).to_contain_text("Saved.")
    expect(lcm.locator("dl.facts")).to_contain_text("housing, medication")
    lcm.context.close()

    jail = open_as(browser, live_server, "reentry@jail.demo")
    jail.goto(case_url)
    jail.get_by_text("Change the release date").click()
    earlier = DEMO_AS_OF + dt.timedelta(days=70)
    jail.get_by_label("New expected release date").fill(str(earlier))
    jail.get_by_label("Why").fill("Sentence reduced by the court")
    jail.get_by_role("button", name="Save the change").click()
    expect(jail.get_by_role("status")).to_contain_text("Saved.")
    expect(jail.locator("ol.timeline")).to_contain_text("date early")
    jail.context.close()


def test_plan_screens_and_refers_to_the_county_which_accepts(
    browser: Browser, live_server: str, demo_url: str
) -> None:
    pick = untouched_members(demo_url, plan="LACARE", program="cs", count=1)[0]
    cc = open_as(browser, live_server, "cc@lacare.demo")
    cc.goto(f"{live_server}/app/screenings?tool=adult&member_id={dashed(pick.id)}")
    for question in ("harm_now", "crisis_now", "psychosis", "recent_crisis", "past_treatment",
                     "medication", "substance_use"):  # fmt: skip
        cc.locator(f"input[name={question}][value=no]").check()
    for question in ("distress", "impairment", "hospitalized"):
        cc.locator(f"input[name={question}][value=yes]").check()
    cc.get_by_role("button", name="Score the screening").click()
    expect(cc.get_by_role("heading", name="Where to go")).to_contain_text("county mental health")
    cc.get_by_role("link", name="Refer to the county mental health plan").click()
    cc.get_by_label("Who is referring").select_option("plan")
    cc.get_by_label("Has the member agreed").select_option("yes")
    cc.get_by_role("button", name="Send referral").click()
    expect(cc.get_by_role("status")).to_contain_text("The referral was sent")
    referral_url = cc.url.split("?")[0]
    cc.context.close()

    county = open_as(browser, live_server, "staff@countymh.demo")
    county.goto(referral_url)
    county.get_by_role("button", name="Accept the referral").click()
    expect(county.get_by_role("status")).to_contain_text("The referral's timeline shows the step")
    expect(county.get_by_role("button", name="Start services")).to_be_visible()
    county.context.close()
