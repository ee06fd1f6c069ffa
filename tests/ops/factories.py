"""Small builders of organizations, users and members for the operational tests."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from calaim.ops.models import Authorization, Member, Organization, OrganizationKind, Role, User


def organization(
    session: Session, kind: OrganizationKind, plan_code: str | None = None
) -> Organization:
    """An organization of `kind` (a plan needs its plan code)."""
    org = Organization(
        name=f"{kind.value} {uuid.uuid4().hex[:6]}",
        kind=kind.value,
        plan_code=plan_code,
        counties_served=["Los Angeles"],
    )
    session.add(org)
    session.flush()
    return org


def user(session: Session, org: Organization, role: Role) -> User:
    """A user of `org` with `role`."""
    person = User(
        organization=org,
        organization_id=org.id,
        email=f"{uuid.uuid4().hex[:10]}@example.org",
        name="Test User",
        role=role.value,
    )
    session.add(person)
    session.flush()
    return person


def member(session: Session, plan: Organization, person_id: str) -> Member:
    """A member of `plan`, added directly (bypassing the repository and its audit)."""
    row = Member(
        plan_organization_id=plan.id,
        person_id=person_id,
        cin=f"9{person_id[-7:]:0>7}A",
        first_name="Ana",
        last_name=f"Member {person_id}",
        birth_date=dt.date(1970, 5, 17),
        payer=plan.plan_code or "",
        county="Los Angeles",
        language="es",
    )
    session.add(row)
    session.flush()
    return row


def ecm_authorization(
    session: Session,
    person: Member,
    start: dt.date = dt.date(2025, 1, 1),
    end: dt.date = dt.date(2026, 12, 31),
    *,
    status: str = "approved",
    basis: str | None = "engine_eligible",
) -> Authorization:
    """An ECM authorization of `person` covering [start, end] (presumptive: until `end`)."""
    presumptive = status == "presumptive"
    row = Authorization(
        member_id=person.id,
        program_id="ecm",
        plan_organization_id=person.plan_organization_id,
        urgency="routine",
        status=status,
        requested_at=dt.datetime.combine(start, dt.time(9), tzinfo=dt.UTC),
        decision_due_at=dt.datetime.combine(start, dt.time(17), tzinfo=dt.UTC),
        decision_basis=None if presumptive else basis,
        start_date=start,
        end_date=None if presumptive else end,
        presumptive_until=end if presumptive else None,
    )
    session.add(row)
    session.flush()
    return row
