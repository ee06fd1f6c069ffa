"""A small world for exchange file tests: two plans, an ECM and a CS provider, six members."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from calaim.exchange.filespecs.values import Value
from calaim.exchange.filespecs.writer import write_rows
from calaim.ops.models import (
    Authorization,
    CarePlan,
    Enrollment,
    Member,
    MemberContactChange,
    MemberDetermination,
    Organization,
    OrganizationKind,
    OutreachAttempt,
    ProviderProfile,
    Referral,
    Role,
    User,
)
from ops import factories

PERIOD = "2025-09"
# When the tests' files are received (a time of their own, far from the machine's clock).
RECEIVED_AT = dt.datetime(2025, 10, 3, 15, 30, tzinfo=dt.UTC)
ECM_NPI, CS_NPI = "1234567893", "1245319599"
K = OrganizationKind


@dataclass
class World:
    """Organizations, users, members and enrollments of one test."""

    plan: Organization
    other_plan: Organization
    ecm: Organization
    cs: Organization
    plan_user: User
    ecm_user: User
    cs_user: User
    members: list[Member]
    enrollments: list[Enrollment]
    referral: Referral
    authorization: Authorization
    ecm_npi: str = ECM_NPI
    cs_npi: str = CS_NPI


def _member(session: Session, plan: Organization, i: int) -> Member:
    member = factories.member(session, plan, f"P{i:05d}")
    member.phone, member.address_line, member.city, member.zip_code = (
        f"21355501{i:02d}",
        f"{100 + i} MAIN ST",
        "LOS ANGELES",
        "90012",
    )
    return member


def _enrollment(
    session: Session, ecm: Organization, member: Member, status: str, **kw: object
) -> Enrollment:
    row = Enrollment(
        member_id=member.id,
        plan_organization_id=member.plan_organization_id,
        provider_organization_id=ecm.id,
        status=status,
        assignment_reason="matched",
        assigned_on=dt.date(2025, 8, 1),
        **kw,
    )
    session.add(row)
    return row


def build(session: Session, tag: str = "") -> World:
    """The world; members 0-4 belong to the plan (assigned, outreach, enrolled, discontinued,
    assigned with an accepted referral), member 5 to the other plan (enrolled)."""
    # A tag keeps plan codes and NPIs unique in databases that tests commit to.
    ecm_npi, cs_npi = (
        (ECM_NPI, CS_NPI)
        if not tag
        else (f"{random.randrange(10**9, 10**10)}", f"{random.randrange(10**9, 10**10)}")
    )
    plan = factories.organization(session, K.PLAN, f"LACARE{tag}")
    other = factories.organization(session, K.PLAN, f"KAISER{tag}")
    ecm, cs = (
        factories.organization(session, K.ECM_PROVIDER),
        factories.organization(session, K.CS_PROVIDER),
    )
    session.add_all(
        [
            ProviderProfile(
                organization_id=ecm.id,
                npi=ecm_npi,
                tin="123456789",
                languages=[],
                programs_served=[],
                capacity=10,
                contracted_plans=[],
            ),
            ProviderProfile(
                organization_id=cs.id,
                npi=cs_npi,
                tin="987654321",
                languages=[],
                programs_served=[],
                capacity=10,
                contracted_plans=[],
            ),
        ]
    )
    members = [_member(session, plan, i) for i in range(5)] + [_member(session, other, 5)]
    enrolled = {
        "enrolled_on": dt.date(2025, 8, 10),
        "outreach_started_on": dt.date(2025, 8, 5),
        "acuity": "medium",
    }
    enrollments = [
        _enrollment(session, ecm, members[0], "assigned"),
        _enrollment(session, ecm, members[1], "outreach", outreach_started_on=dt.date(2025, 8, 5)),
        _enrollment(session, ecm, members[2], "enrolled", **enrolled),
        _enrollment(
            session,
            ecm,
            members[3],
            "discontinued",
            discontinued_on=dt.date(2025, 9, 3),
            discontinuation_reason_code="declined",
            discontinuation_reason="Member declined",
        ),
        _enrollment(session, ecm, members[4], "outreach", outreach_started_on=dt.date(2025, 8, 5)),
        _enrollment(session, ecm, members[5], "enrolled", **enrolled),
    ]
    referral = Referral(
        member_id=members[4].id,
        program_id="ecm",
        referring_organization_id=plan.id,
        receiving_organization_id=ecm.id,
        source_kind="plan",
        status="accepted",
    )
    session.add(referral)
    session.flush()
    enrollments[4].referral_id = referral.id
    session.add_all(
        [
            OutreachAttempt(
                enrollment_id=enrollments[1].id,
                attempted_on=dt.date(2025, 8, 5),
                method="phone",
                successful=False,
                minutes=10,
                recorded_by_user_id=factories.user(session, ecm, Role.LEAD_CARE_MANAGER).id,
                recorded_at=dt.datetime(2025, 8, 5, 17, 0, tzinfo=dt.UTC),
            ),
            CarePlan(
                enrollment_id=enrollments[2].id,
                latest_revision_on=dt.date(2025, 9, 1),
                goals=[],
                interventions=[],
                care_team=[],
            ),
            MemberContactChange(
                member_id=members[2].id,
                organization_id=plan.id,
                field="phone",
                old_value=None,
                new_value="2135550000",
                effective_on=dt.date(2025, 9, 15),
                source="roster:test",
            ),
            MemberDetermination(
                member_id=members[0].id,
                program_id="ecm.homeless_adult",
                as_of=dt.date(2025, 9, 1),
                eligible=True,
                status="eligible",
                rule_version="1",
                policy_hash="x",
            ),
        ]
    )
    authorization = Authorization(
        member_id=members[0].id,
        program_id="cs.recuperative_care",
        plan_organization_id=plan.id,
        provider_organization_id=cs.id,
        urgency="routine",
        status="approved",
        requested_at=dt.datetime(2025, 9, 2, tzinfo=dt.UTC),
        decision_due_at=dt.datetime(2025, 9, 9, tzinfo=dt.UTC),
        start_date=dt.date(2025, 9, 5),
        end_date=dt.date(2025, 12, 31),
        units_authorized=Decimal("30"),
    )
    session.add(authorization)
    # ECM goes ahead only on an authorization: each member's enrollment has one.
    session.add_all(
        Authorization(
            member_id=member.id,
            program_id="ecm",
            plan_organization_id=member.plan_organization_id,
            provider_organization_id=ecm.id,
            urgency="routine",
            status="approved",
            requested_at=dt.datetime(2025, 7, 25, tzinfo=dt.UTC),
            decision_due_at=dt.datetime(2025, 7, 30, tzinfo=dt.UTC),
            start_date=dt.date(2025, 8, 1),
            end_date=dt.date(2026, 7, 31),
        )
        for member in members
    )
    session.flush()
    return World(
        plan,
        other,
        ecm,
        cs,
        factories.user(session, plan, Role.PLAN_CARE_COORDINATION),
        factories.user(session, ecm, Role.LEAD_CARE_MANAGER),
        factories.user(session, cs, Role.CS_PROVIDER_STAFF),
        members,
        enrollments,
        referral,
        authorization,
        ecm_npi,
        cs_npi,
    )


def rtf_file(world: World, rows: list[tuple[int, dict[str, Value]]]) -> bytes:
    """An RTF (CSV) from the ECM provider: for each (member index, columns) one row."""
    header: dict[str, Value] = {
        "mcp_id": "LACARE",
        "provider_npi": ECM_NPI,
        "reporting_period": PERIOD,
        "production_date": dt.date(2025, 10, 1),
    }
    stream = io.BytesIO()
    full = [{**header, "member_cin": world.members[i].cin, **row} for i, row in rows]
    write_rows("rtf", full, stream, "csv")
    return stream.getvalue()
