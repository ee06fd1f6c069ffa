"""Assignment by the plan: ranking, overrides, member-requested changes, notices, audit."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.assignments.links import LinkMismatch
from calaim.ops.assignments.service import (
    AlreadyAssigned,
    AssignmentService,
    NoActiveEnrollment,
    NoProviderAvailable,
    ProviderCannotServe,
    ReasonRequired,
)
from calaim.ops.enrollments.service import EnrollmentService, StaleEnrollment
from calaim.ops.members.repository import MemberNotFound
from calaim.ops.models import (
    AuditEvent,
    Enrollment,
    Notice,
    ProviderProfile,
    Referral,
    ReferralSource,
    StatusChange,
)

from ..enrollments.world import ASSIGNED_ON, World, assigned, ecm_provider, noon

TODAY = ASSIGNED_ON


def add_referral(
    session: Session, world: World, referrer_id: uuid.UUID, program_id: str = "ecm"
) -> Referral:
    """A received referral of the member, added directly (the referral domain is tested apart)."""
    referral = Referral(
        member_id=world.member.id,
        member=world.member,
        program_id=program_id,
        referring_organization_id=referrer_id,
        source_kind=ReferralSource.PROVIDER.value,
        status="received",
    )
    session.add(referral)
    session.flush()
    return referral


def notices(session: Session, enrollment: Enrollment) -> list[Notice]:
    """Notices about `enrollment`, by kind."""
    statement = select(Notice).where(Notice.subject_id == enrollment.id)
    return sorted(session.scalars(statement), key=lambda notice: notice.kind)


def test_assign_picks_the_language_match_and_records_everything(
    session: Session, world: World
) -> None:
    result = AssignmentService(session, world.plan_user).assign(
        world.member.id, today=TODAY, now=noon(TODAY)
    )
    enrollment = result.enrollment
    assert enrollment.provider_organization_id == world.provider_a.id  # speaks Spanish
    assert (enrollment.status, enrollment.assignment_reason) == ("assigned", "matched")
    assert enrollment.assigned_on == TODAY
    assert enrollment.plan_organization_id == world.plan.id
    assert enrollment.version == 1
    [change] = session.scalars(select(StatusChange).where(StatusChange.entity_id == enrollment.id))
    assert (change.from_status, change.to_status) == (None, "assigned")
    assert change.actor_user_id == world.plan_user.id
    [to_member] = notices(session, enrollment)
    assert to_member.kind == "assignment_to_member"
    assert to_member.recipient == "member"
    assert to_member.channel == "electronic"
    assert to_member.content["provider_name"] == world.provider_a.name
    assert to_member.content["provider_phone"] == "213-555-0100"
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.member_person_id == world.member.person_id)
    ).all()
    assert "assignment.rank" in actions
    assert "enrollment.assign" in actions


def test_the_ranking_is_audited_with_every_provider(session: Session, world: World) -> None:
    ranking = AssignmentService(session, world.plan_user).propose(world.member.id, today=TODAY)
    assert [e.organization_id for e in ranking.evaluations][:2] == [
        world.provider_a.id,
        world.provider_b.id,
    ]
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "assignment.propose",
            AuditEvent.member_person_id == world.member.person_id,
        )
    ).one()
    names = {row["name"] for row in event.details["ranking"]}
    assert {world.provider_a.name, world.provider_b.name} <= names
    assert (
        session.scalars(select(Enrollment).where(Enrollment.member_id == world.member.id)).first()
        is None
    )  # propose assigns nothing


def test_continuity_with_the_primary_care_clinic_wins(session: Session, world: World) -> None:
    world.member.pcp_organization_id = world.provider_b.id
    session.flush()
    enrollment = assigned(session, world)
    assert enrollment.provider_organization_id == world.provider_b.id
    assert enrollment.assignment_reason == "continuity"


def test_a_referral_makes_continuity_names_the_receiver_and_notifies_the_referrer(
    session: Session, world: World
) -> None:
    referral = add_referral(session, world, world.provider_b.id)
    result = AssignmentService(session, world.plan_user).assign(
        world.member.id, today=TODAY, now=noon(TODAY), referral_id=referral.id
    )
    enrollment = result.enrollment
    assert enrollment.provider_organization_id == world.provider_b.id  # it referred the member
    assert enrollment.assignment_reason == "continuity"
    assert enrollment.referral_id == referral.id
    assert referral.receiving_organization_id == world.provider_b.id
    member_notice, referrer_notice = notices(session, enrollment)
    assert referrer_notice.kind == "assignment_to_referrer"
    assert referrer_notice.recipient_organization_id == world.provider_b.id
    assert member_notice.kind == "assignment_to_member"


def test_a_referral_of_another_member_is_refused(session: Session, world: World) -> None:
    referral = add_referral(session, world, world.plan.id, "cs.recuperative_care")
    with pytest.raises(LinkMismatch) as caught:
        AssignmentService(session, world.plan_user).assign(
            world.member.id, today=TODAY, now=noon(TODAY), referral_id=referral.id
        )
    assert caught.value.field == "referral_id"


def test_one_active_enrollment_per_member(session: Session, world: World) -> None:
    assigned(session, world)
    with pytest.raises(AlreadyAssigned):
        assigned(session, world)


def test_the_database_refuses_a_second_active_enrollment(session: Session, world: World) -> None:
    first = assigned(session, world)
    session.add(
        Enrollment(
            member_id=world.member.id,
            plan_organization_id=world.plan.id,
            provider_organization_id=world.provider_b.id,
            status="outreach",
            assignment_reason="matched",
            assigned_on=TODAY,
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()
    del first


def test_no_provider_with_capacity_is_explained(session: Session, world: World) -> None:
    for provider in (world.provider_a, world.provider_b):
        profile = provider_profile(session, provider.id)
        profile.capacity = 0
    session.flush()
    with pytest.raises(NoProviderAvailable) as caught:
        assigned(session, world)
    assert "no open capacity (0 of 0 taken)" in str(caught.value)
    assert "plan override" in str(caught.value)


def test_capacity_counts_assigned_outreach_and_enrolled_members(
    session: Session, world: World
) -> None:
    profile = provider_profile(session, world.provider_a.id)
    profile.capacity = 1
    session.flush()
    assert assigned(session, world).provider_organization_id == world.provider_a.id
    ranking = AssignmentService(session, world.plan_user).propose(world.member.id, today=TODAY)
    a = next(e for e in ranking.evaluations if e.organization_id == world.provider_a.id)
    assert a.exclusions == ("no open capacity (1 of 1 taken)",)


def test_override_assigns_the_named_provider_with_the_reason(
    session: Session, world: World
) -> None:
    enrollment = AssignmentService(session, world.plan_user).override(
        world.member.id,
        world.provider_b.id,
        why="member's shelter partners with B",
        today=TODAY,
        now=noon(TODAY),
    )
    assert enrollment.provider_organization_id == world.provider_b.id
    assert enrollment.assignment_reason == "plan_override"
    change = session.scalars(select(StatusChange).where(StatusChange.entity_id == enrollment.id))
    assert change.one().reason == "member's shelter partners with B"


def test_override_needs_a_reason(session: Session, world: World) -> None:
    with pytest.raises(ReasonRequired):
        AssignmentService(session, world.plan_user).override(
            world.member.id, world.provider_b.id, why="  ", today=TODAY, now=noon(TODAY)
        )


@pytest.mark.parametrize(
    ("plans", "counties", "words"),
    [(["PLANB"], ["Los Angeles"], "not contracted"), (["PLANA"], ["Kern"], "does not serve")],
)
def test_override_still_needs_county_and_plan(
    session: Session, world: World, plans: list[str], counties: list[str], words: str
) -> None:
    outsider = ecm_provider(session, languages=["es"], capacity=9, plans=plans, counties=counties)
    with pytest.raises(ProviderCannotServe) as caught:
        AssignmentService(session, world.plan_user).override(
            world.member.id, outsider.id, why="asked", today=TODAY, now=noon(TODAY)
        )
    assert words in str(caught.value)
    assert caught.value.field == "provider_organization_id"


def test_override_to_a_non_provider_is_refused(session: Session, world: World) -> None:
    with pytest.raises(ProviderCannotServe):
        AssignmentService(session, world.plan_user).override(
            world.member.id, world.plan.id, why="typo", today=TODAY, now=noon(TODAY)
        )


def test_member_requested_change_ends_the_old_and_assigns_the_new(
    session: Session, world: World
) -> None:
    old = assigned(session, world)
    later = TODAY + dt.timedelta(days=10)
    new = AssignmentService(session, world.plan_user).change_provider(
        world.member.id,
        world.provider_b.id,
        expected_version=old.version,
        today=later,
        now=noon(later),
    )
    assert (old.status, old.discontinuation_reason_code) == ("discontinued", "provider_change")
    assert old.discontinued_on == later
    assert (new.status, new.assignment_reason) == ("assigned", "member_request")
    assert new.provider_organization_id == world.provider_b.id
    kinds = [notice.kind for notice in notices(session, old)]
    assert kinds == ["assignment_to_member", "ecm_discontinued"]
    assert [notice.kind for notice in notices(session, new)] == ["assignment_to_member"]
    # The provider the member left is no longer continuity for a later match.
    EnrollmentService(session, world.plan_user).discontinue(
        new.id,
        expected_version=new.version,
        reason_code="declined",
        discontinued_on=later,
        today=later,
        now=noon(later),
    )
    again = assigned(session, world, later)
    assert again.assignment_reason == "continuity"
    assert again.provider_organization_id == world.provider_b.id


def test_member_requested_change_checks_version_and_provider(
    session: Session, world: World
) -> None:
    service = AssignmentService(session, world.plan_user)
    with pytest.raises(NoActiveEnrollment):
        service.change_provider(
            world.member.id, world.provider_b.id, expected_version=1, today=TODAY, now=noon(TODAY)
        )
    old = assigned(session, world)
    with pytest.raises(ProviderCannotServe):
        service.change_provider(
            world.member.id,
            world.provider_a.id,
            expected_version=old.version,
            today=TODAY,
            now=noon(TODAY),
        )
    with pytest.raises(StaleEnrollment):
        service.change_provider(
            world.member.id,
            world.provider_b.id,
            expected_version=old.version + 1,
            today=TODAY,
            now=noon(TODAY),
        )


def test_only_plan_care_coordination_assigns(session: Session, world: World) -> None:
    for actor in (world.plan_um, world.lcm_a, world.referrer, world.state_analyst):
        with pytest.raises(PermissionDenied):
            AssignmentService(session, actor).assign(world.member.id, today=TODAY, now=noon(TODAY))


def test_another_plans_member_is_not_found(session: Session, world: World) -> None:
    with pytest.raises(MemberNotFound):
        AssignmentService(session, world.other_plan_user).assign(
            world.member.id, today=TODAY, now=noon(TODAY)
        )


def provider_profile(session: Session, organization_id: uuid.UUID) -> ProviderProfile:
    """The provider's profile row."""
    profile = session.get(ProviderProfile, organization_id)
    assert profile is not None
    return profile


def test_the_populations_a_profile_says_it_serves_move_the_ranking(
    session: Session, world: World
) -> None:
    # Both providers speak the member's Spanish and A has more open places; once B's profile
    # says it serves adults (the member is one on the day), B ranks above A.
    b = provider_profile(session, world.provider_b.id)
    b.languages, b.capacity = ["es"], 2
    provider_profile(session, world.provider_a.id).capacity = 5
    session.flush()
    first = AssignmentService(session, world.plan_user).propose(world.member.id, today=TODAY)
    assert first.evaluations[0].organization_id == world.provider_a.id
    b.populations_served = ["adults"]
    session.flush()
    ranking = AssignmentService(session, world.plan_user).propose(world.member.id, today=TODAY)
    assert ranking.evaluations[0].organization_id == world.provider_b.id
    assert ranking.evaluations[0].groups_matched == ("adults",)
