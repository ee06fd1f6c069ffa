"""Care management in the workspace: contact details, outreach with an outcome (and enrolling
in the same step), the assessment by domain, a care plan with several goals, the printable plan
in the member's language, and the supervisor's caseload."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text

from calaim.ops.assignments.service import AssignmentService
from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.db import make_engine, session_factory
from calaim.ops.demo import DEMO_NOW
from calaim.ops.enrollments.outreach import Attempt, OutreachService
from calaim.ops.enrollments.service import EnrollmentService
from calaim.ops.models import Acuity, OutreachMethod, OutreachOutcome, User

from .helpers import csrf_of, signed_in_client
from .members import Pick, dashed, untouched_members

LCM, SUPERVISOR, CS_STAFF = "lcm@ecm.demo", "supervisor@ecm.demo", "staff@cs.demo"


_PICKED: list[Pick] = []


def _new_assignment(url: str, *, enroll: bool = False) -> tuple[str, str]:
    """(enrollment id, member id) of a member just approved for ECM and assigned to the demo
    ECM provider, through the ops services (so each test has a fresh assignment of its own)."""
    if not _PICKED:
        _PICKED.extend(untouched_members(url, plan="LACARE", program="ecm", count=60)[30:])
    pick = _PICKED.pop()
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            users = {u.email: u for u in session.scalars(select(User))}
            member_id = uuid.UUID(pick.id)
            now = DEMO_NOW
            authorizations = AuthorizationService(session, users["um@lacare.demo"])
            authorization = authorizations.request(member_id=member_id, program_id="ecm", now=now)
            if authorization.status == "pending":
                authorizations.approve(
                    authorization.id, expected_version=authorization.version, now=now
                )
            provider = users[LCM].organization_id
            enrollment = AssignmentService(session, users["cc@lacare.demo"]).override(
                member_id,
                provider,
                why="test: the member asked for this provider",
                today=now.date(),
                now=now,
                authorization_id=authorization.id,
            )
            if enroll:
                reached = Attempt(
                    attempted_on=now.date(),
                    method=OutreachMethod.PHONE,
                    successful=True,
                    minutes=15,
                    outcome=OutreachOutcome.REACHED_AGREED,
                )
                OutreachService(session, users[LCM]).record(
                    enrollment.id, reached, today=now.date(), now=now
                )
                EnrollmentService(session, users[LCM]).enroll(
                    enrollment.id,
                    expected_version=enrollment.version,
                    lead_care_manager_user_id=users[LCM].id,
                    acuity=Acuity.MEDIUM,
                    enrolled_on=now.date(),
                    today=now.date(),
                    now=now,
                )
            session.commit()
            return dashed(str(enrollment.id)), dashed(pick.id)
    finally:
        engine.dispose()


def _scalar(url: str, sql: str, **params: object) -> object:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), params).scalar_one()
    finally:
        engine.dispose()


def _care_plan_form(member_id: str, token: str, **fields: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "member_id": member_id,
        "version": "",
        "assessment_started_on": "2025-10-01",
        "assessment_completed_on": "2025-10-01",
        "need-housing": "urgent",
        "note-housing": "sleeps in a car",
        "need-food": "no_need",
        "goal-0-description": "Move into stable housing",
        "goal-0-domain": "housing",
        "goal-0-target": "2025-12-31",
        "goal-0-status": "in_progress",
        "goal-1-description": "Keep every diabetes appointment",
        "goal-1-domain": "physical_health",
        "goal-1-target": "2025-11-30",
        "goal-2-description": "",
        "step-0-description": "Refer to housing navigation",
        "step-0-responsible": "Lead care manager",
        "step-0-due": "2025-10-03",
        "step-1-description": "",
        "team-0-name": "Dr. Patel",
        "team-0-role": "primary care physician",
        "team-1-name": "",
    }
    form.update(fields)
    return form


def test_the_member_page_shows_how_to_reach_the_member(client: TestClient, demo_url: str) -> None:
    _, member_id = _new_assignment(demo_url)
    page = signed_in_client(client, LCM).get(f"/app/members/{member_id}").text
    assert "Contact details" in page
    assert "Best time to reach" in page
    assert "What happened" in page  # the outreach outcome
    assert "Update contact details" in page


def test_outreach_with_agreement_enrolls_in_the_same_step(
    client: TestClient, demo_url: str
) -> None:
    enrollment_id, member_id = _new_assignment(demo_url)
    signed_in_client(client, LCM)
    token = csrf_of(client.get(f"/app/members/{member_id}").text)
    form = {
        "csrf_token": token,
        "member_id": member_id,
        "attempted_on": DEMO_NOW.date().isoformat(),
        "method": "phone",
        "outcome": "reached_agreed",
        "minutes": "20",
        "enroll_acuity": "high",
    }
    done = client.post(f"/app/enrollments/{enrollment_id}/outreach", data=form)
    assert done.status_code == 200
    assert "The outreach attempt was recorded and the member was enrolled." in done.text
    hex_id = enrollment_id.replace("-", "")
    status = _scalar(demo_url, "SELECT status FROM enrollments WHERE id = :id", id=hex_id)
    assert status == "enrolled"
    outcome = _scalar(
        demo_url, "SELECT outcome FROM outreach_attempts WHERE enrollment_id = :id", id=hex_id
    )
    assert outcome == "reached_agreed"


def test_enrolling_a_member_who_did_not_agree_is_refused_and_nothing_is_saved(
    client: TestClient, demo_url: str
) -> None:
    enrollment_id, member_id = _new_assignment(demo_url)
    signed_in_client(client, LCM)
    token = csrf_of(client.get(f"/app/members/{member_id}").text)
    form = {
        "csrf_token": token,
        "member_id": member_id,
        "attempted_on": DEMO_NOW.date().isoformat(),
        "method": "phone",
        "outcome": "no_answer",
        "minutes": "5",
        "enroll_acuity": "high",
    }
    refused = client.post(f"/app/enrollments/{enrollment_id}/outreach", data=form)
    assert refused.status_code == 422
    assert "Enroll only a member who agreed" in refused.text
    count = _scalar(
        demo_url,
        "SELECT count(*) FROM outreach_attempts WHERE enrollment_id = :id",
        id=enrollment_id.replace("-", ""),
    )
    assert count == 0


def test_a_care_plan_with_an_assessment_and_several_goals(
    client: TestClient, demo_url: str
) -> None:
    enrollment_id, member_id = _new_assignment(demo_url, enroll=True)
    signed_in_client(client, LCM)
    token = csrf_of(client.get(f"/app/members/{member_id}").text)
    early = _care_plan_form(member_id, token, **{"goal-1-target": "2025-09-30"})
    refused = client.post(f"/app/enrollments/{enrollment_id}/care-plan", data=early)
    assert refused.status_code == 422
    # The message sits by the second goal's target date and the user's text is kept.
    assert re.search(r'id="care-plan-[0-9a-f-]+-goal-1-target-error"', refused.text)
    assert "cannot be dated before the assessment" in refused.text
    assert 'value="Keep every diabetes appointment"' in refused.text

    saved = client.post(
        f"/app/enrollments/{enrollment_id}/care-plan", data=_care_plan_form(member_id, token)
    )
    assert "The care plan was saved." in saved.text
    for shown in ("Move into stable housing", "Keep every diabetes appointment", "Dr. Patel"):
        assert shown in saved.text
    assert "Needs found in the assessment" in saved.text
    assert "sleeps in a car" in saved.text
    assert "Refer to housing navigation" in saved.text  # the next step is displayed

    printed = client.get(f"/app/enrollments/{enrollment_id}/care-plan/print?lang=es")
    assert printed.status_code == 200
    assert 'lang="es"' in printed.text
    assert "Vivienda" in printed.text  # the domain, from the policy data's translation
    assert "Move into stable housing" in printed.text


def test_the_print_page_is_refused_to_a_cs_provider(client: TestClient, demo_url: str) -> None:
    enrollment_id, member_id = _new_assignment(demo_url, enroll=True)
    signed_in_client(client, LCM)
    token = csrf_of(client.get(f"/app/members/{member_id}").text)
    form = _care_plan_form(member_id, token)
    assert client.post(f"/app/enrollments/{enrollment_id}/care-plan", data=form).status_code == 200
    client.cookies.clear()
    signed_in_client(client, CS_STAFF)
    refused = client.get(f"/app/enrollments/{enrollment_id}/care-plan/print")
    assert refused.status_code == 403  # their role reads no enrollments at all
    assert "Move into stable housing" not in refused.text


def test_the_assigned_provider_updates_contact_details_and_the_plan_hears_of_it(
    client: TestClient, demo_url: str
) -> None:
    _, member_id = _new_assignment(demo_url)
    signed_in_client(client, LCM)
    token = csrf_of(client.get(f"/app/members/{member_id}").text)
    form = {
        "csrf_token": token,
        "phone": "(213) 555-0199",
        "address_line": "12 Main St",
        "city": "Los Angeles",
        "zip_code": "90012",
        "best_time_to_reach": "weekday mornings",
    }
    bad = client.post(f"/app/members/{member_id}/contact", data={**form, "phone": "call me"})
    assert bad.status_code == 422
    assert "is not a phone number" in bad.text
    saved = client.post(f"/app/members/{member_id}/contact", data=form)
    assert "The contact details were saved." in saved.text
    assert "weekday mornings" in saved.text
    changes = _scalar(
        demo_url,
        "SELECT count(*) FROM member_contact_changes WHERE member_id = :id",
        id=member_id.replace("-", ""),
    )
    assert changes == 2  # the phone and the address, for the RTF's indicators


def test_a_cs_provider_cannot_change_contact_details(client: TestClient, demo_url: str) -> None:
    _, member_id = _new_assignment(demo_url)
    signed_in_client(client, CS_STAFF)
    page = client.get(f"/app/members/{member_id}")
    token = csrf_of(page.text) if page.status_code == 200 else csrf_of(client.get("/app").text)
    refused = client.post(
        f"/app/members/{member_id}/contact", data={"csrf_token": token, "phone": "2135550100"}
    )
    assert refused.status_code in (403, 404)


def test_the_caseload_counts_members_by_lead_care_manager(
    client: TestClient, demo_url: str
) -> None:
    page = signed_in_client(client, SUPERVISOR).get("/app/caseload")
    assert page.status_code == 200
    enrolled = _scalar(
        demo_url,
        "SELECT count(*) FROM enrollments e JOIN users u "
        "ON u.organization_id = e.provider_organization_id "
        "WHERE u.email = :email AND e.status = 'enrolled'",
        email=SUPERVISOR,
    )
    cells = re.findall(r'data-label="Enrolled">(\d+)<', page.text)
    assert sum(int(c) for c in cells) == enrolled
    assert signed_in_client(client, CS_STAFF).get("/app/caseload").status_code == 403
