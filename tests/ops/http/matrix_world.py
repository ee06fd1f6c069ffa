"""Two complete tenants for the access matrix, built through the API by each tenant's own users.

A tenant is a plan with two members (determinations included), an ECM and a CS provider with
profiles and staff, a referring hospital, referrals in several states, authorizations (approved
and pending), an enrollment with outreach and a care plan, an open CS episode with a delivery,
and the notices all of that sent. `Tenant.ids` names each record by kind.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

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
from calaim.ops.models.member_account import AccountHolder, MemberAccount

from ..factories import organization, user
from .conftest import NOW, AuthHeaders

TODAY = NOW.date()
PLAN_ROLES = (Role.PLAN_UTILIZATION_MANAGEMENT, Role.PLAN_CARE_COORDINATION, Role.PLAN_ADMIN)
MEALS = "cs.medically_tailored_meals"
RECUPERATIVE = "cs.recuperative_care"


@dataclass
class Tenant:
    """One plan's world: its people (one user per role) and its records' ids by kind."""

    plan: Organization
    member: Member
    member2: Member
    users: dict[Role, User]
    orgs: dict[str, uuid.UUID]
    ids: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    def identifying(self) -> dict[str, str]:
        """The main member's identifying values, as they would appear in a response."""
        person = self.member
        return {
            "person_id": person.person_id,
            "cin": person.cin or "",
            "last_name": person.last_name,
            "birth_date": person.birth_date.isoformat(),
        }

    def secrets(self) -> set[str]:
        """Every value of this tenant no other tenant's user may ever be shown."""
        values = set(self.identifying().values()) | set(self.ids.values())
        values |= {str(org) for org in self.orgs.values()}
        values |= {str(u.id) for u in self.users.values()} | {u.email for u in self.users.values()}
        second = self.member2
        values |= {second.person_id, second.cin or "", second.last_name, str(second.id)}
        return values - {""}


def _member(session: Session, plan: Organization, tag: str, born: dt.date) -> Member:
    """A member with identifying values unique to this run (so a leak cannot be a collision)."""
    person_id = f"P{tag}{uuid.uuid4().hex[:8]}"
    row = Member(
        plan_organization_id=plan.id,
        person_id=person_id,
        cin=f"9{uuid.uuid4().int % 10**7:07d}B",
        first_name=f"First{tag}",
        last_name=f"Zq{tag}{uuid.uuid4().hex[:8]}",
        birth_date=born,
        payer=plan.plan_code or "",
        county="Los Angeles",
        language="es",
    )
    session.add(row)
    session.flush()
    for program_id in ("ecm", "ecm.homeless_adult", RECUPERATIVE, MEALS):
        session.add(
            MemberDetermination(
                member_id=row.id,
                program_id=program_id,
                as_of=TODAY,
                eligible=True,
                offered=True if program_id.startswith("cs.") else None,
                status="eligible",
                rule_version="2025-07-01",
                policy_hash="test",
            )
        )
    return row


def _provider(session: Session, kind: OrganizationKind, code: str, program: str) -> Organization:
    """A provider contracted with the plan `code` only, serving `program`."""
    org = organization(session, kind)
    session.add(
        ProviderProfile(
            organization_id=org.id,
            npi="1234567893",
            phone="213-555-0100",
            languages=["es", "en"],
            programs_served=[program],
            capacity=10,
            contracted_plans=[code],
        )
    )
    return org


def _member_account(session: Session, plan: Organization, member: Member) -> User:
    """A `member` user whose own record is `member`."""
    person = user(session, plan, Role.MEMBER)
    session.add(
        MemberAccount(
            user_id=person.id, member_id=member.id, holder=AccountHolder.SELF, created_at=NOW
        )
    )
    return person


def parties(engine: Engine, tag: str, born: dt.date) -> Tenant:
    """The tenant's organizations, users and members, committed."""
    code = f"M{tag}{uuid.uuid4().hex[:8].upper()}"
    with session_factory(engine)() as session:
        plan = organization(session, OrganizationKind.PLAN, code)
        ecm = _provider(session, OrganizationKind.ECM_PROVIDER, code, "ecm.homeless_adult")
        cs = _provider(session, OrganizationKind.CS_PROVIDER, code, RECUPERATIVE)
        hospital = organization(session, OrganizationKind.REFERRER)
        users = {role: user(session, plan, role) for role in PLAN_ROLES}
        users[Role.LEAD_CARE_MANAGER] = user(session, ecm, Role.LEAD_CARE_MANAGER)
        users[Role.ECM_SUPERVISOR] = user(session, ecm, Role.ECM_SUPERVISOR)
        users[Role.CS_PROVIDER_STAFF] = user(session, cs, Role.CS_PROVIDER_STAFF)
        users[Role.REFERRER] = user(session, hospital, Role.REFERRER)
        jail = organization(session, OrganizationKind.COUNTY_JAIL)
        county_bh = organization(session, OrganizationKind.COUNTY_MHP)
        users[Role.FACILITY_REENTRY_STAFF] = user(session, jail, Role.FACILITY_REENTRY_STAFF)
        users[Role.COUNTY_BH_STAFF] = user(session, county_bh, Role.COUNTY_BH_STAFF)
        tenant = Tenant(
            plan=plan,
            member=_member(session, plan, tag, born),
            member2=_member(session, plan, tag, born + dt.timedelta(days=1)),
            users=users,
            orgs={
                "plan": plan.id,
                "ecm": ecm.id,
                "cs": cs.id,
                "referrer": hospital.id,
                "jail": jail.id,
                "county_bh": county_bh.id,
            },
        )
        # The second member's own account: it must reach nothing of the first member's.
        users[Role.MEMBER] = _member_account(session, plan, tenant.member2)
        session.commit()
    tenant.ids["member"] = str(tenant.member.id)
    tenant.ids["member2"] = str(tenant.member2.id)
    # The user an administrator's session and unlock operations are aimed at.
    tenant.ids["user"] = str(users[Role.PLAN_CARE_COORDINATION].id)
    return tenant


class Api:
    """Requests as a tenant's users; every call asserts its status."""

    def __init__(self, client: TestClient, auth: AuthHeaders, tenant: Tenant) -> None:
        self.client, self.auth, self.tenant = client, auth, tenant

    def call(
        self, role: Role, method: str, path: str, body: Any = None, status: int = 200, **kw: Any
    ) -> Any:
        """One request as the tenant's user of `role`; `version` becomes If-Match."""
        extra = {"If-Match": f'"{kw.pop("version")}"'} if "version" in kw else {}
        headers = self.auth(self.tenant.users[role], **extra)
        response = self.client.request(method, path, json=body, headers=headers, params=kw)
        assert response.status_code == status, f"{method} {path}: {response.text}"
        return response.json()


R = Role


def refer(api: Api, person: Member, program_id: str) -> dict[str, Any]:
    """The tenant's hospital refers `person` by card details (CIN and birth date)."""
    card = {"cin": person.cin, "birth_date": person.birth_date.isoformat()}
    body = {"member": card, "program_id": program_id, "source_kind": "hospital"}
    result: dict[str, Any] = api.call(R.REFERRER, "POST", "/referrals", body, status=201)
    return result


def ecm_records(api: Api, tenant: Tenant) -> None:
    """Referral → authorization → assignment → outreach → enrolled, with a care plan."""
    member_id = tenant.ids["member"]
    referral = refer(api, tenant.member, "ecm")
    body = {"member_id": member_id, "program_id": "ecm", "referral_id": referral["id"]}
    granted = api.call(R.PLAN_UTILIZATION_MANAGEMENT, "POST", "/authorizations", body, 201)
    body = {
        "member_id": member_id,
        "referral_id": referral["id"],
        "authorization_id": granted["id"],
    }
    assigned = api.call(R.PLAN_CARE_COORDINATION, "POST", "/assignments", body, 201)
    path = f"/enrollments/{assigned['enrollment']['id']}"
    attempt = {"attempted_on": str(TODAY), "method": "phone", "successful": True, "minutes": 20}
    outreach = api.call(R.LEAD_CARE_MANAGER, "POST", f"{path}/outreach-attempts", attempt, 201)
    current = api.call(R.LEAD_CARE_MANAGER, "GET", path)
    lcm = tenant.users[R.LEAD_CARE_MANAGER]
    enroll = {"lead_care_manager_user_id": str(lcm.id), "acuity": "high", "enrolled_on": str(TODAY)}
    api.call(R.LEAD_CARE_MANAGER, "POST", f"{path}/enroll", enroll, version=current["version"])
    care = {"assessment_started_on": str(TODAY), "goals": [{"description": "Stable housing"}]}
    plan = api.call(R.LEAD_CARE_MANAGER, "POST", f"/care-plans/{current['id']}", care, 201)
    referral = api.call(R.LEAD_CARE_MANAGER, "GET", f"/referrals/{referral['id']}")
    for event in ("accept", "start"):
        step = {"event": event}
        referral = api.call(
            R.LEAD_CARE_MANAGER,
            "POST",
            f"/referrals/{referral['id']}/events",
            step,
            version=referral["version"],
        )
    tenant.ids |= {
        "referral_ecm": referral["id"],
        "authorization_ecm": granted["id"],
        "enrollment": current["id"],
        "outreach": outreach["id"],
        "care_plan": plan["id"],
    }


def cs_records(api: Api, tenant: Tenant) -> None:
    """A routed, accepted recuperative care referral, approved, with an open episode."""
    referral = refer(api, tenant.member, RECUPERATIVE)
    route = {"receiving_organization_id": str(tenant.orgs["cs"])}
    path = f"/referrals/{referral['id']}"
    referral = api.call(
        R.PLAN_CARE_COORDINATION, "POST", f"{path}/route", route, version=referral["version"]
    )
    ask = {"member_id": tenant.ids["member"], "program_id": RECUPERATIVE}
    ask |= {"referral_id": referral["id"]}
    pending = api.call(R.PLAN_UTILIZATION_MANAGEMENT, "POST", "/authorizations", ask, 201)
    days = {"start_date": str(TODAY), "end_date": str(TODAY + dt.timedelta(days=89))}
    approved = api.call(
        R.PLAN_UTILIZATION_MANAGEMENT,
        "POST",
        f"/authorizations/{pending['id']}/approve",
        days,
        version=pending["version"],
    )
    accept = {"event": "accept"}
    api.call(R.CS_PROVIDER_STAFF, "POST", f"{path}/events", accept, version=referral["version"])
    opened = {"authorization_id": approved["id"], "started_on": str(TODAY)}
    episode = api.call(R.CS_PROVIDER_STAFF, "POST", "/service-episodes", opened, 201)
    given = {"service_date": str(TODAY), "units": "1"}
    deliveries = f"/service-episodes/{episode['id']}/deliveries"
    delivery = api.call(R.CS_PROVIDER_STAFF, "POST", deliveries, given, 201)
    tenant.ids |= {
        "referral_cs": referral["id"],
        "authorization_cs": approved["id"],
        "episode": episode["id"],
        "delivery": delivery["id"],
    }


def open_records(api: Api, tenant: Tenant) -> None:
    """A received referral, a declined one and a pending authorization, all of member 2."""
    received = refer(api, tenant.member2, "ecm")
    declined = refer(api, tenant.member2, RECUPERATIVE)
    route = {"receiving_organization_id": str(tenant.orgs["cs"])}
    path = f"/referrals/{declined['id']}"
    api.call(R.PLAN_CARE_COORDINATION, "POST", f"{path}/route", route, version=1)
    decline = {"event": "decline", "reason": "member_declined"}
    api.call(R.CS_PROVIDER_STAFF, "POST", f"{path}/events", decline, version=2)
    ask = {"member_id": tenant.ids["member2"], "program_id": MEALS}
    ask["provider_organization_id"] = str(tenant.orgs["cs"])
    pending = api.call(R.PLAN_UTILIZATION_MANAGEMENT, "POST", "/authorizations", ask, 201)
    assert pending["status"] == "pending", pending
    tenant.ids |= {
        "referral": received["id"],
        "referral_declined": declined["id"],
        "authorization": pending["id"],
    }


def notices(api: Api, tenant: Tenant) -> None:
    """The ids of every notice the tenant's records sent (the plan sees them all)."""
    for key in ("member", "member2"):
        page = api.call(R.PLAN_CARE_COORDINATION, "GET", "/notices", member_id=tenant.ids[key])
        assert page["total"] >= 1, page
        for index, notice in enumerate(page["items"]):
            tenant.ids[f"notice_{key}_{index}"] = notice["id"]
    tenant.ids["notice"] = tenant.ids["notice_member_0"]


def consents(api: Api, tenant: Tenant) -> None:
    """A Part 2 consent of the main member for the tenant's ECM provider."""
    body = {
        "member_id": tenant.ids["member"],
        "organization_id": str(tenant.orgs["ecm"]),
        "granted_on": "2025-09-01",
        "expires_on": "2026-08-31",
        "document_reference": "P2-0001",
        "scope": "SUD eligibility and treatment, for care coordination",
    }
    consent = api.call(R.PLAN_CARE_COORDINATION, "POST", "/part2-consents", body, status=201)
    tenant.ids["consent"] = consent["id"]
    # The ECM provider's open request for consent (a second one: the first was recorded).
    asked = {"member_id": tenant.ids["member"], "purpose": "care coordination"}
    request = api.call(R.LEAD_CARE_MANAGER, "POST", "/part2-consents/requests", asked, status=201)
    tenant.ids["consent_request"] = request["id"]


def roster(api: Api, tenant: Tenant) -> None:
    """A stored roster report: the plan's dry-run reconciliation of its two members."""
    people = (tenant.member, tenant.member2)
    lines = ["CIN,First Name,Last Name,DOB"]
    lines += [f"{m.cin},{m.first_name},{m.last_name},{m.birth_date}" for m in people]
    files = {"file": ("roster.csv", "\n".join(lines).encode(), "text/csv")}
    form = {"kind": "member-file", "as_of": str(TODAY), "dry_run": "true"}
    headers = api.auth(tenant.users[R.PLAN_CARE_COORDINATION])
    response = api.client.post("/exchange/rosters", files=files, data=form, headers=headers)
    assert response.status_code == 201, response.text
    tenant.ids["roster_report"] = response.json()["id"]


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


def shared_record(api: Api, tenant: Tenant) -> None:
    """A file and a message on the CS referral, from the tenant's CS provider."""
    headers = api.auth(tenant.users[R.CS_PROVIDER_STAFF])
    referral = tenant.ids["referral_cs"]
    files = {"file": ("discharge.pdf", PDF, "application/pdf")}
    response = api.client.post(f"/attachments/referrals/{referral}", files=files, headers=headers)
    assert response.status_code == 201, response.text
    tenant.ids["attachment"] = response.json()["id"]
    body = {"body": "The member can come on Tuesday."}
    sent = api.client.post(f"/messages/referrals/{referral}", json=body, headers=headers)
    assert sent.status_code == 201, sent.text
    tenant.ids["message"] = sent.json()["id"]


def application(api: Api, tenant: Tenant) -> None:
    """The tenant's ECM provider applies to the tenant's plan (pending)."""
    body = {"plan_codes": [tenant.plan.plan_code], "programs": ["ecm"], "counties": ["Los Angeles"]}
    sent = api.call(R.ECM_SUPERVISOR, "POST", "/providers/applications", body, status=201)
    tenant.ids["application"] = sent["id"]
    tenant.ids["application_line"] = sent["lines"][0]["id"]


def reentry_records(api: Api, tenant: Tenant) -> None:
    """The tenant's jail opens a reentry case for the main member; the ECM provider reaches in."""
    card = {"cin": tenant.member.cin, "birth_date": tenant.member.birth_date.isoformat()}
    body = {"member": card, "expected_release_on": str(TODAY + dt.timedelta(days=40))}
    case = api.call(R.FACILITY_REENTRY_STAFF, "POST", "/reentry/cases", body, status=201)
    path = f"/reentry/cases/{case['id']}/providers"
    named = {"pre_release_provider_id": str(tenant.orgs["ecm"])}
    case = api.call(R.FACILITY_REENTRY_STAFF, "POST", path, named, version=case["version"])
    tenant.ids["reentry_case"] = case["id"]


def build_tenant(
    engine: Engine, client: TestClient, auth: AuthHeaders, tag: str, born: dt.date
) -> Tenant:
    """A complete tenant, its records made through the API by its own users."""
    tenant = parties(engine, tag, born)
    api = Api(client, auth, tenant)
    steps = (ecm_records, cs_records, open_records, reentry_records, notices, consents, roster,
             shared_record, application)  # fmt: skip
    for step in steps:
        step(api, tenant)
    return tenant
