"""One member, through the API alone: referral → authorization → assignment → outreach →
enrolled in ECM with a care plan, and a Community Supports referral whose loop closes.

Every step is a real HTTP request against the real app and database (SQLite and PostgreSQL),
made by the role that does it in practice; the referring hospital sees the loop close.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from calaim.ops.db import session_factory
from calaim.ops.models import (
    Member,
    MemberDetermination,
    Organization,
    OrganizationKind,
    ProviderProfile,
    Role,
    User,
)

from ..factories import member, organization, user
from .conftest import AuthHeaders

TODAY = dt.date(2025, 10, 1)
# Community Supports began two days before today: deliveries are recorded after they happen.
START = TODAY - dt.timedelta(days=2)


@dataclass(frozen=True)
class County:
    """Everyone involved in one member's care."""

    member: Member
    ecm_provider: Organization
    cs_provider: Organization
    hospital: User
    utilization: User
    coordinator: User
    care_manager: User
    cs_staff: User


def provider(
    session: Session, kind: OrganizationKind, plan_code: str, programs: list[str]
) -> Organization:
    """A provider in Los Angeles contracted with the plan, serving `programs`."""
    org = organization(session, kind)
    session.add(
        ProviderProfile(
            organization_id=org.id,
            npi="1234567893",
            phone="213-555-0100",
            languages=["es", "en"],
            programs_served=programs,
            capacity=10,
            contracted_plans=[plan_code],
        )
    )
    return org


def determination(session: Session, person: Member, program_id: str) -> None:
    """The engine found the member eligible for `program_id` (and offered, for a CS)."""
    session.add(
        MemberDetermination(
            member_id=person.id,
            program_id=program_id,
            as_of=TODAY,
            eligible=True,
            offered=True if program_id.startswith("cs.") else None,
            status="eligible",
            rule_version="2025-07-01",
            policy_hash="test",
        )
    )


@pytest.fixture
def county(engine: Engine) -> County:
    """A plan, its member (eligible for ECM and recuperative care), providers and a hospital."""
    code = f"E2E{uuid.uuid4().hex[:8].upper()}"
    with session_factory(engine)() as session:
        plan = organization(session, OrganizationKind.PLAN, code)
        person = member(session, plan, f"P{uuid.uuid4().hex[:8]}")
        for program_id in ("ecm", "ecm.homeless_adult", "cs.recuperative_care"):
            determination(session, person, program_id)
        ecm = provider(session, OrganizationKind.ECM_PROVIDER, code, ["ecm.homeless_adult"])
        cs = provider(session, OrganizationKind.CS_PROVIDER, code, ["cs.recuperative_care"])
        hospital = organization(session, OrganizationKind.REFERRER)
        world = County(
            member=person,
            ecm_provider=ecm,
            cs_provider=cs,
            hospital=user(session, hospital, Role.REFERRER),
            utilization=user(session, plan, Role.PLAN_UTILIZATION_MANAGEMENT),
            coordinator=user(session, plan, Role.PLAN_CARE_COORDINATION),
            care_manager=user(session, ecm, Role.LEAD_CARE_MANAGER),
            cs_staff=user(session, cs, Role.CS_PROVIDER_STAFF),
        )
        session.commit()
    return world


class Api:
    """Requests as a given user; every call asserts its expected status."""

    def __init__(self, client: TestClient, auth: AuthHeaders) -> None:
        self.client = client
        self.auth = auth

    def post(
        self, who: User, path: str, body: dict[str, Any], status: int = 200, version: int = 0
    ) -> dict[str, Any]:
        headers = self.auth(who, **({"If-Match": f'"{version}"'} if version else {}))
        response = self.client.post(path, json=body, headers=headers)
        assert response.status_code == status, response.text
        result: dict[str, Any] = response.json()
        return result

    def get(self, who: User, path: str, **params: str) -> dict[str, Any]:
        response = self.client.get(path, params=params, headers=self.auth(who))
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def step(self, who: User, referral: dict[str, Any], event: str, **extra: str) -> dict[str, Any]:
        """Move a referral one step along its closed loop."""
        body = {"event": event, **extra}
        path = f"/referrals/{referral['id']}/events"
        return self.post(who, path, body, version=referral["version"])


def refer(api: Api, county: County, who: User, program_id: str) -> dict[str, Any]:
    """A referral of the county's member, by card details (CIN and birth date)."""
    card = {"cin": county.member.cin, "birth_date": county.member.birth_date.isoformat()}
    body = {"member": card, "program_id": program_id, "source_kind": "hospital"}
    if who.organization.kind != OrganizationKind.REFERRER:
        body = {"member_id": str(county.member.id), "program_id": program_id}
        body["source_kind"] = "provider"
    return api.post(who, "/referrals", body, status=201)


def test_referral_to_enrolled_ecm_with_care_plan_and_a_closed_cs_loop(
    client: TestClient, auth: AuthHeaders, county: County
) -> None:
    api = Api(client, auth)
    ecm_referral = enroll_in_ecm(api, county)
    close_recuperative_care_loop(api, county)
    close_ecm_loop(api, county, ecm_referral)

    # The hospital follows its referral to the end without seeing the member's record.
    seen = api.get(county.hospital, f"/referrals/{ecm_referral['id']}")
    assert seen["status"] == "closed"
    told = api.get(county.hospital, "/notices")
    kinds = {notice["kind"] for notice in told["items"]}
    # Told when the provider accepted, when the member was assigned, and when the loop closed.
    assert kinds == {"referral_accepted", "assignment_to_referrer", "referral_closed"}
    # The member was told of the referral and of the ECM assignment (DHCS closed loop).
    to_member = api.get(county.coordinator, "/notices", member_id=str(county.member.id))
    member_kinds = {n["kind"] for n in to_member["items"] if n["recipient"] == "member"}
    assert {"referral_received", "assignment_to_member"} <= member_kinds
    hidden = client.get(f"/members/{county.member.id}", headers=auth(county.hospital))
    assert hidden.status_code in {403, 404}


def enroll_in_ecm(api: Api, county: County) -> dict[str, Any]:
    """Hospital refers; the plan authorizes and assigns; the provider reaches and enrolls."""
    referral = refer(api, county, county.hospital, "ecm")
    assert referral["status"] == "received"
    authorization = api.post(
        county.utilization,
        "/authorizations",
        {"member_id": str(county.member.id), "program_id": "ecm", "referral_id": referral["id"]},
        status=201,
    )
    # The engine found the member eligible, so the plan's rules approve at once.
    assert authorization["status"] == "approved"
    assert authorization["decision_basis"] == "engine_eligible"
    assigned = api.post(
        county.coordinator,
        "/assignments",
        {
            "member_id": str(county.member.id),
            "referral_id": referral["id"],
            "authorization_id": authorization["id"],
        },
        status=201,
    )
    enrollment = assigned["enrollment"]
    assert enrollment["provider_organization_id"] == str(county.ecm_provider.id)
    assert enrollment["status"] == "assigned"

    api.post(
        county.care_manager,
        f"/enrollments/{enrollment['id']}/outreach-attempts",
        {
            "attempted_on": TODAY.isoformat(),
            "method": "in_person",
            "successful": True,
            "minutes": 45,
        },
        status=201,
    )
    enrollment = api.get(county.care_manager, f"/enrollments/{enrollment['id']}")
    assert enrollment["status"] == "outreach"
    enrollment = api.post(
        county.care_manager,
        f"/enrollments/{enrollment['id']}/enroll",
        {
            "lead_care_manager_user_id": str(county.care_manager.id),
            "acuity": "high",
            "enrolled_on": TODAY.isoformat(),
        },
        version=enrollment["version"],
    )
    assert enrollment["status"] == "enrolled"
    assert enrollment["lead_care_manager_user_id"] == str(county.care_manager.id)

    plan = api.post(
        county.care_manager,
        f"/care-plans/{enrollment['id']}",
        {
            "assessment_started_on": TODAY.isoformat(),
            "assessment_completed_on": TODAY.isoformat(),
            "goals": [{"description": "Move into permanent housing", "status": "open"}],
            "interventions": [{"description": "Apply for a housing voucher"}],
            "care_team": [{"name": "Rosa Diaz", "role": "lead care manager"}],
        },
        status=201,
    )
    assert plan["latest_revision_on"] == TODAY.isoformat()
    # The plan reads the care plan the provider wrote.
    assert api.get(county.coordinator, f"/care-plans/{enrollment['id']}")["goals"]
    return api.get(county.hospital, f"/referrals/{referral['id']}")


def close_recuperative_care_loop(api: Api, county: County) -> None:
    """The care manager refers to recuperative care; the plan routes and authorizes it; the
    CS provider delivers and the loop closes."""
    referral = refer(api, county, county.care_manager, "cs.recuperative_care")
    referral = api.post(
        county.coordinator,
        f"/referrals/{referral['id']}/route",
        {"receiving_organization_id": str(county.cs_provider.id)},
        version=referral["version"],
    )
    authorization = api.post(
        county.utilization,
        "/authorizations",
        {
            "member_id": str(county.member.id),
            "program_id": "cs.recuperative_care",
            "referral_id": referral["id"],
        },
        status=201,
    )
    # This plan sets no statewide length for the service, so a reviewer decides.
    assert authorization["status"] == "pending"
    authorization = api.post(
        county.utilization,
        f"/authorizations/{authorization['id']}/approve",
        {"start_date": START.isoformat(), "end_date": (START + dt.timedelta(days=89)).isoformat()},
        version=authorization["version"],
    )
    assert authorization["status"] == "approved"
    assert authorization["decision_basis"] == "reviewer"
    referral = api.step(county.cs_staff, referral, "accept")
    referral = api.step(county.cs_staff, referral, "start")
    episode = api.post(
        county.cs_staff,
        "/service-episodes",
        {"authorization_id": authorization["id"], "started_on": START.isoformat()},
        status=201,
    )
    for day in range(3):
        delivered = (START + dt.timedelta(days=day)).isoformat()
        api.post(
            county.cs_staff,
            f"/service-episodes/{episode['id']}/deliveries",
            {"service_date": delivered, "units": "1"},
            status=201,
        )
    deliveries = api.get(county.coordinator, f"/service-episodes/{episode['id']}/deliveries")
    assert deliveries["total"] == 3
    closing = {"ended_on": TODAY.isoformat(), "reason": "recovered"}
    episode = api.post(
        county.cs_staff,
        f"/service-episodes/{episode['id']}/close",
        closing,
        version=episode["version"],
    )
    assert episode["status"] == "closed"
    referral = api.step(county.cs_staff, referral, "record_services")
    referral = api.step(county.coordinator, referral, "close")
    assert referral["status"] == "closed"


def close_ecm_loop(api: Api, county: County, referral: dict[str, Any]) -> None:
    """The ECM provider accepts the hospital's referral, serves the member, the plan closes it."""
    referral = api.get(county.care_manager, f"/referrals/{referral['id']}")
    for event in ("accept", "start", "record_services"):
        referral = api.step(county.care_manager, referral, event)
    referral = api.step(county.coordinator, referral, "close")
    assert referral["status"] == "closed"
