"""The Transition of Care Tool on a reentry case page: who may fill it (the case's ECM provider,
as the screening service's permission and the case's handoff parties allow), the route it
gives, the referral it offers, and plain refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from calaim.ops.demo import DEMO_AS_OF

from .helpers import csrf_of, signed_in_client
from .members import dashed

PANEL = "Transition of care (mental health)"
TO_COUNTY = {"current_system": "plan", "receiving_system": "county_mhp", "reason": "needs SMHS"}


def _case_releasing_in(url: str, days: int) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT id FROM reentry_cases WHERE expected_release_on = :day"),
                {"day": DEMO_AS_OF + dt.timedelta(days=days)},
            ).scalar_one()
    finally:
        engine.dispose()
    return dashed(str(found))


@pytest.fixture
def case_url(demo_url: str) -> str:
    """The demo case with Eastside Care Management before and after release."""
    return f"/app/reentry/{_case_releasing_in(demo_url, 45)}"


def test_the_ecm_care_manager_finds_where_the_person_goes(
    client: TestClient, case_url: str
) -> None:
    signed_in_client(client, "lcm@ecm.demo")
    page = client.get(case_url)
    assert PANEL in page.text
    answer = client.post(
        f"{case_url}/transition-of-care", data={"csrf_token": csrf_of(page.text), **TO_COUNTY}
    )
    assert answer.status_code == 200
    assert "Where to go: The county mental health plan" in answer.text
    assert "program_id=county.specialty_mental_health" in answer.text
    back = {**TO_COUNTY, "current_system": "county_mhp", "receiving_system": "plan"}
    answer = client.post(
        f"{case_url}/transition-of-care", data={"csrf_token": csrf_of(page.text), **back}
    )
    assert "Where to go: The Medi-Cal plan" in answer.text
    assert "county.specialty_mental_health" not in answer.text


def test_a_form_missing_its_reason_or_naming_one_system_twice_says_so_plainly(
    client: TestClient, case_url: str
) -> None:
    signed_in_client(client, "lcm@ecm.demo")
    token = csrf_of(client.get(case_url).text)
    same = {"csrf_token": token, "current_system": "plan", "receiving_system": "plan"}
    answer = client.post(f"{case_url}/transition-of-care", data=same)
    assert answer.status_code == 422
    assert "The person moves to the other system: choose it." in answer.text
    assert "Say why the person moves to the other system." in answer.text
    assert "Where to go" not in answer.text
    client.cookies.set("calaim_lang", "es")
    answer = client.post(f"{case_url}/transition-of-care", data=same)
    assert "Diga por qué la persona pasa al otro sistema." in answer.text


# Who may use the tool on this case: the screening permission and a handoff party (the ECM
# provider before and after release). The jail runs the case but has no screening permission;
# the plan screens but is not a handoff party; another plan and the county cannot see the case.
MATRIX = [
    ("lcm@ecm.demo", 200),
    ("supervisor@ecm.demo", 200),
    ("reentry@jail.demo", 403),
    ("cc@lacare.demo", 403),
    ("cc@healthnet.demo", 404),
    ("staff@countymh.demo", 403),
    ("referrer@hospital.demo", 403),
]


@pytest.mark.parametrize(("email", "expected"), MATRIX)
def test_only_the_cases_ecm_providers_may_use_the_tool(
    client: TestClient, case_url: str, email: str, expected: int
) -> None:
    signed_in_client(client, email)
    token = csrf_of(client.get("/app").text)
    answer = client.post(f"{case_url}/transition-of-care", data={"csrf_token": token, **TO_COUNTY})
    assert answer.status_code == expected
    if expected != 200:
        assert "Where to go" not in answer.text
    case_page = client.get(case_url)
    if case_page.status_code == 200:
        assert (PANEL in case_page.text) == (expected == 200)
