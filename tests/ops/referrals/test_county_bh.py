"""County behavioral health referrals both ways, on SQLite and PostgreSQL: the plan refers to
the county mental health plan and the county closes the loop; a county refers to ECM; a
referral from the county drug program (a 42 CFR Part 2 program) reaches a provider only with
the member's consent naming it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from calaim.ops.access.part2 import Part2ConsentMissing
from calaim.ops.errors import InvalidRequest
from calaim.ops.members.repository import MemberRepository
from calaim.ops.models import (
    Member,
    OrganizationKind,
    Part2Consent,
    ReferralEvent,
    ReferralSource,
    Role,
    User,
)
from calaim.ops.referrals.intake import MemberLookup
from calaim.ops.referrals.service import ReferralService

from ..factories import member, organization, user

NOW = dt.datetime(2026, 12, 7, 18, 0, tzinfo=dt.UTC)


@pytest.fixture
def people(session: Session) -> dict[str, User | Member]:
    plan = organization(session, OrganizationKind.PLAN, "BH1")

    def staff(kind: OrganizationKind, role: Role) -> User:
        return user(session, organization(session, kind), role)

    return {
        "member": member(session, plan, "PBH0000001"),
        "plan": user(session, plan, Role.PLAN_CARE_COORDINATION),
        "mhp": staff(OrganizationKind.COUNTY_MHP, Role.COUNTY_BH_STAFF),
        "dmc": staff(OrganizationKind.COUNTY_DMC, Role.COUNTY_BH_STAFF),
        "ecm": staff(OrganizationKind.ECM_PROVIDER, Role.LEAD_CARE_MANAGER),
    }


def _card(person: Member) -> MemberLookup:
    return MemberLookup(birth_date=person.birth_date, cin=person.cin)


def test_plan_refers_to_the_county_mental_health_plan_which_closes_the_loop(
    session: Session, people: dict
) -> None:
    plan, mhp, person = people["plan"], people["mhp"], people["member"]
    referral = ReferralService(session, plan).create(
        member_id=person.id, program_id="county.specialty_mental_health",
        source_kind=ReferralSource.PLAN, receiving_organization_id=mhp.organization_id, now=NOW,
    ).referral  # fmt: skip
    county = ReferralService(session, mhp)
    # The county sees the referral and, as its receiver, the member.
    assert MemberRepository(session, mhp).get(person.id).id == person.id
    for step in (ReferralEvent.ACCEPT, ReferralEvent.START):
        referral = county.transition(referral.id, step, expected_version=referral.version, now=NOW)
    closed = county.transition(referral.id, ReferralEvent.CLOSE, expected_version=referral.version,
                               reason="services_received", now=NOW)  # fmt: skip
    assert closed.status == "closed"


def test_a_county_referral_goes_only_to_a_county_of_the_right_kind(
    session: Session, people: dict
) -> None:
    with pytest.raises(InvalidRequest, match="county_dmc"):
        ReferralService(session, people["plan"]).create(
            member_id=people["member"].id, program_id="county.drug_medi_cal",
            source_kind=ReferralSource.PLAN,
            receiving_organization_id=people["mhp"].organization_id, now=NOW,
        )  # fmt: skip


def test_county_mental_health_refers_to_ecm_and_the_plan_routes_it(
    session: Session, people: dict
) -> None:
    intake = ReferralService(session, people["mhp"]).create(
        member=_card(people["member"]), program_id="ecm",
        source_kind=ReferralSource.COUNTY_BEHAVIORAL_HEALTH, now=NOW,
    )  # fmt: skip
    routed = ReferralService(session, people["plan"]).route(
        intake.referral.id, people["ecm"].organization_id,
        expected_version=intake.referral.version, now=NOW,
    )  # fmt: skip
    assert routed.receiving_organization_id == people["ecm"].organization_id


def test_a_drug_program_referral_reaches_a_provider_only_with_part2_consent(
    session: Session, people: dict
) -> None:
    dmc, plan, ecm, person = people["dmc"], people["plan"], people["ecm"], people["member"]
    with pytest.raises(Part2ConsentMissing):  # naming the provider directly
        ReferralService(session, dmc).create(
            member=_card(person), program_id="ecm", now=NOW,
            source_kind=ReferralSource.COUNTY_BEHAVIORAL_HEALTH,
            receiving_organization_id=ecm.organization_id,
        )  # fmt: skip
    # To the member's plan (the payer) it may go without one.
    referral = ReferralService(session, dmc).create(
        member=_card(person), program_id="ecm", now=NOW,
        source_kind=ReferralSource.COUNTY_BEHAVIORAL_HEALTH,
    ).referral  # fmt: skip
    routing = ReferralService(session, plan)
    with pytest.raises(Part2ConsentMissing, match="consent"):
        routing.route(referral.id, ecm.organization_id, expected_version=referral.version, now=NOW)
    assert referral.receiving_organization_id is None
    session.add(Part2Consent(member_id=person.id, organization_id=ecm.organization_id,
                             granted_on=NOW.date() - dt.timedelta(days=1),
                             expires_on=NOW.date() + dt.timedelta(days=365),
                             recorded_by_user_id=plan.id))  # fmt: skip
    session.flush()
    routed = routing.route(referral.id, ecm.organization_id, expected_version=referral.version,
                           now=NOW)  # fmt: skip
    assert routed.receiving_organization_id == ecm.organization_id
