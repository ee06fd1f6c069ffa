"""Builders of report test data: plans, providers, members with determinations and episodes."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from calaim.ops.models import (
    Authorization,
    Enrollment,
    Member,
    MemberDetermination,
    Organization,
    OrganizationKind,
    ProviderProfile,
    Referral,
    Role,
    ServiceEpisode,
    User,
)
from ops.factories import organization, user

AS_OF = dt.date(2025, 9, 30)


def plan(session: Session) -> Organization:
    """A plan with a unique code."""
    return organization(session, OrganizationKind.PLAN, f"R{uuid.uuid4().hex[:8].upper()}")


def actor(session: Session, kind: OrganizationKind, role: Role) -> User:
    """A user of a new organization of `kind`."""
    code = f"R{uuid.uuid4().hex[:8].upper()}" if kind == OrganizationKind.PLAN else None
    return user(session, organization(session, kind, code), role)


def member(session: Session, owner: Organization, county: str = "Los Angeles") -> Member:
    """A member of `owner` living in `county`."""
    row = Member(
        plan_organization_id=owner.id,
        person_id=f"P{uuid.uuid4().hex[:10]}",
        cin=None,
        first_name="Rosa",
        last_name=f"Report {uuid.uuid4().hex[:6]}",
        birth_date=dt.date(1970, 1, 1),
        payer=owner.plan_code or "",
        county=county,
    )
    session.add(row)
    session.flush()
    return row


def determination(
    session: Session,
    who: Member,
    program_id: str,
    *,
    eligible: bool = True,
    status: str = "eligible",
    as_of: dt.date = AS_OF,
    offered: bool | None = None,
) -> MemberDetermination:
    """A stored determination of `who`."""
    row = MemberDetermination(
        member_id=who.id, program_id=program_id, as_of=as_of, eligible=eligible,
        offered=offered, status=status, rule_version="2025-07-01", policy_hash="test",
        part2=program_id == "ecm.smh_sud",
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def provider(
    session: Session, kind: OrganizationKind, programs: list[str], plans: list[str], capacity: int
) -> Organization:
    """A provider serving Los Angeles with a profile."""
    org = organization(session, kind)
    session.add(
        ProviderProfile(
            organization_id=org.id, programs_served=programs, contracted_plans=plans,
            capacity=capacity, languages=["en"], phone="213-555-0199",
        )
    )  # fmt: skip
    session.flush()
    return org


def enrollment(
    session: Session,
    who: Member,
    ecm: Organization,
    *,
    assigned: dt.date,
    outreach: dt.date | None = None,
    enrolled: dt.date | None = None,
) -> Enrollment:
    """An ECM episode of `who` with `ecm`."""
    status = "enrolled" if enrolled else "outreach" if outreach else "assigned"
    row = Enrollment(
        member_id=who.id, plan_organization_id=who.plan_organization_id,
        provider_organization_id=ecm.id, status=status, assignment_reason="matched",
        assigned_on=assigned, outreach_started_on=outreach, enrolled_on=enrolled,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def authorization(
    session: Session,
    who: Member,
    program_id: str,
    *,
    requested: dt.datetime,
    due: dt.datetime,
    decided: dt.datetime | None = None,
    status: str = "pending",
    provider_id: uuid.UUID | None = None,
) -> Authorization:
    """An authorization of `who` (decided when `decided` is given)."""
    row = Authorization(
        member_id=who.id, program_id=program_id, plan_organization_id=who.plan_organization_id,
        provider_organization_id=provider_id, urgency="routine", status=status,
        requested_at=requested, decision_due_at=due, decided_at=decided,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def referral(
    session: Session,
    who: Member,
    program_id: str,
    referrer: Organization,
    *,
    status: str = "received",
    to: Organization | None = None,
    received: dt.datetime = dt.datetime(2025, 9, 1, tzinfo=dt.UTC),
) -> Referral:
    """A referral of `who`."""
    row = Referral(
        member_id=who.id, program_id=program_id, referring_organization_id=referrer.id,
        receiving_organization_id=to.id if to else None, source_kind="hospital",
        status=status, received_at=received,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def episode(
    session: Session,
    who: Member,
    program_id: str,
    cs: Organization,
    *,
    started: dt.date,
    ended: dt.date | None = None,
) -> ServiceEpisode:
    """A CS episode of `who` with `cs`, under an approved authorization."""
    moment = dt.datetime.combine(started, dt.time(12), dt.UTC)
    granted = authorization(
        session, who, program_id, requested=moment, due=moment, decided=moment,
        status="approved", provider_id=cs.id,
    )  # fmt: skip
    row = ServiceEpisode(
        member_id=who.id, program_id=program_id, authorization_id=granted.id,
        provider_organization_id=cs.id, status="closed" if ended else "open",
        started_on=started, ended_on=ended,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row
