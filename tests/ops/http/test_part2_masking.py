"""42 CFR Part 2 cannot be inferred by elimination, on any surface a provider reads.

The member's ECM result is `eligible`; every Population of Focus the provider may see is
`not_eligible`; the substance-use one is hidden. Without consent, the aggregate must not say
`eligible` (that names the hidden one), here or in the web page or the FHIR Bundle; and it is
masked the same way when the hidden one is NOT eligible, so the mask itself reveals nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from calaim.ops.auth.passwords import hash_password
from calaim.ops.db import session_factory
from calaim.ops.models import (
    Enrollment,
    Member,
    MemberDetermination,
    OrganizationKind,
    Part2Consent,
    Referral,
    ReferralSource,
    Role,
    User,
)

from ..factories import member, organization, user
from .conftest import NOW, AuthHeaders

AS_OF = NOW.date() - dt.timedelta(days=10)
PASSWORD = "part2-masking-test-password"


@dataclass(frozen=True)
class World:
    """A plan's member whose ECM result rests on the hidden PoF, and an ECM provider's LCM."""

    lcm: User
    planner: User
    member: Member
    referral_id: uuid.UUID


def _row(who: Member, program_id: str, eligible: bool) -> MemberDetermination:
    return MemberDetermination(
        member_id=who.id,
        program_id=program_id,
        as_of=AS_OF,
        eligible=eligible,
        offered=True,
        status="eligible" if eligible else "not_eligible",
        rule_version="t",
        policy_hash="t",
        part2=program_id == "ecm.smh_sud",
    )


def build(engine: Engine, *, sud_eligible: bool, ecm_eligible: bool) -> World:
    """The member, its rows, its enrollment with the ECM provider and an ECM referral to it."""
    with session_factory(engine)() as session:
        plan = organization(session, OrganizationKind.PLAN, f"M{uuid.uuid4().hex[:10]}")
        ecm = organization(session, OrganizationKind.ECM_PROVIDER)
        who = member(session, plan, f"M{uuid.uuid4().hex[:8]}")
        lcm = user(session, ecm, Role.LEAD_CARE_MANAGER)
        lcm.password_hash = hash_password(PASSWORD)
        session.add_all(
            [
                _row(who, "ecm", ecm_eligible),
                _row(who, "ecm.smh_sud", sud_eligible),
                _row(who, "ecm.homeless_adult", False),
                _row(who, "ecm.avoidable_utilization", False),
                Enrollment(
                    member_id=who.id,
                    plan_organization_id=plan.id,
                    provider_organization_id=ecm.id,
                    status="assigned",
                    assignment_reason="matched",
                    assigned_on=AS_OF,
                ),
            ]
        )
        referral = Referral(
            member_id=who.id,
            program_id="ecm",
            referring_organization_id=plan.id,
            receiving_organization_id=ecm.id,
            source_kind=ReferralSource.PLAN.value,
            status="accepted",
        )
        session.add(referral)
        built = World(lcm, user(session, plan, Role.PLAN_CARE_COORDINATION), who, referral.id)
        session.flush()
        built = World(lcm, built.planner, who, referral.id)
        session.commit()
    return built


def _consent(engine: Engine, world: World) -> None:
    with session_factory(engine)() as session:
        session.add(
            Part2Consent(
                member_id=world.member.id,
                organization_id=world.lcm.organization_id,
                granted_on=AS_OF,
                expires_on=AS_OF + dt.timedelta(365),
                document_reference="P2-1",
                scope="SUD",
                recorded_by_user_id=world.planner.id,
            )
        )
        session.commit()


def _coverage(client: TestClient, auth: AuthHeaders, world: World) -> dict[str, Any]:
    response = client.get(f"/reports/coverage/members/{world.member.id}", headers=auth(world.lcm))
    assert response.status_code == 200, response.text
    return {e["program_id"]: e for e in response.json()["eligibility"]}


def _fhir_reasons(client: TestClient, auth: AuthHeaders, world: World) -> set[str]:
    response = client.get(f"/fhir/referrals/{world.referral_id}/bundle", headers=auth(world.lcm))
    assert response.status_code == 200, response.text
    request = next(
        e["resource"]
        for e in response.json()["entry"]
        if e["resource"]["resourceType"] == "ServiceRequest"
    )
    return {
        coding["code"]
        for reason in request.get("reasonCode", [])
        for coding in reason.get("coding", [])
    }


@pytest.mark.parametrize("sud_eligible", [True, False])
def test_the_api_masks_the_aggregate_whatever_the_hidden_row_says(
    client: TestClient, engine: Engine, auth: AuthHeaders, sud_eligible: bool
) -> None:
    world = build(engine, sud_eligible=sud_eligible, ecm_eligible=sud_eligible)
    shown = _coverage(client, auth, world)
    assert "ecm.smh_sud" not in shown
    assert shown["ecm"]["status"] == "details_restricted"
    assert shown["ecm"]["eligible"] is None
    assert "42 CFR Part 2" in shown["ecm"]["reason"]
    assert shown["ecm.homeless_adult"]["status"] == "not_eligible"
    assert "ecm" not in _fhir_reasons(client, auth, world)


def test_with_consent_the_provider_sees_the_result_and_its_reason(
    client: TestClient, engine: Engine, auth: AuthHeaders
) -> None:
    world = build(engine, sud_eligible=True, ecm_eligible=True)
    _consent(engine, world)
    shown = _coverage(client, auth, world)
    assert (shown["ecm"]["status"], shown["ecm.smh_sud"]["status"]) == ("eligible", "eligible")
    assert {"ecm", "ecm.smh_sud"} <= _fhir_reasons(client, auth, world)


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _sign_in(client: TestClient, person: User) -> None:
    token = _csrf(client.get("/app/sign-in").text)
    form = {"csrf_token": token, "email": person.email, "password": PASSWORD, "next": "/app"}
    assert client.post("/app/sign-in", data=form, follow_redirects=False).status_code == 303


def test_the_web_member_page_masks_the_aggregate(client: TestClient, engine: Engine) -> None:
    world = build(engine, sud_eligible=True, ecm_eligible=True)
    _sign_in(client, world.lcm)
    html = client.get(f"/app/members/{world.member.id}").text
    assert "details restricted" in html
    assert "smh sud" not in html.lower()
    assert "Meets the statewide criteria of ecm" not in html


def test_on_the_web_a_provider_asks_and_the_plan_records(
    client: TestClient, engine: Engine
) -> None:
    world = build(engine, sud_eligible=True, ecm_eligible=True)
    with session_factory(engine)() as session:
        planner = session.get(User, world.planner.id)
        assert planner is not None
        planner.password_hash = hash_password(PASSWORD)
        session.commit()
    page = f"/app/members/{world.member.id}"
    _sign_in(client, world.lcm)
    html = client.get(page).text
    assert "Ask the member&#39;s plan for consent" in html
    assert "Record the member&#39;s signed consent" not in html
    asked = {"csrf_token": _csrf(html), "member_id": str(world.member.id), "purpose": "care"}
    sent = client.post(f"{page}/part2-consent-requests", data=asked, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    refused = client.post(f"{page}/part2-consents", data=asked, follow_redirects=False)
    assert refused.status_code == 403
    client.cookies.clear()
    _sign_in(client, world.planner)
    html = client.get(page).text
    assert "Request from" in html
    signed = {
        "csrf_token": _csrf(html),
        "member_id": str(world.member.id),
        "organization_id": str(world.lcm.organization_id),
        "granted_on": str(AS_OF),
        "expires_on": str(AS_OF + dt.timedelta(days=365)),
        "document_reference": "P2-7",
        "scope": "SUD, for care coordination",
    }
    recorded = client.post(f"{page}/part2-consents", data=signed, follow_redirects=False)
    assert recorded.status_code == 303, recorded.text
    with session_factory(engine)() as session:
        consent = session.query(Part2Consent).filter_by(member_id=world.member.id).one()
        assert (consent.recorded_by_user_id, consent.document_reference) == (planner.id, "P2-7")
        assert consent.request_id is not None
