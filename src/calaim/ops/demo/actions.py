"""Small wrappers over the services, so each demo story reads as the steps people take."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.orm import Session

from calaim.ops.assignments.service import AssignmentService, NoProviderAvailable
from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.demo.world import CC, LCM, UM, DemoWorld, at
from calaim.ops.enrollments.outreach import Attempt, OutreachService
from calaim.ops.enrollments.service import EnrollmentService
from calaim.ops.models import (
    Acuity,
    Authorization,
    Enrollment,
    Member,
    Referral,
    ReferralSource,
    Role,
)
from calaim.ops.referrals.intake import IntakeForm, MemberLookup
from calaim.ops.referrals.service import ReferralService
from calaim.ops.referrals.state import ReferralEvent


def refer(
    session: Session,
    world: DemoWorld,
    email: str,
    member: Member,
    program_id: str,
    source: ReferralSource,
    when: dt.datetime,
    form: IntakeForm | None = None,
) -> Referral:
    """`email` refers the member: referrers by CIN and birth date, plans and providers by id."""
    actor = world.users[email]
    service = ReferralService(session, actor)
    if actor.role == Role.REFERRER:
        lookup = MemberLookup(birth_date=member.birth_date, cin=member.cin)
        intake = service.create(
            member=lookup, program_id=program_id, source_kind=source, form=form, now=when
        )
    else:
        intake = service.create(
            member_id=member.id, program_id=program_id, source_kind=source, form=form, now=when
        )
    if intake.created:
        world.referrals.append(intake.referral)
    return intake.referral


def route(
    session: Session, world: DemoWorld, referral: Referral, provider: str, when: dt.datetime
) -> None:
    """The member's plan routes the referral to the demo provider `provider` ("ecm" or "cs")."""
    service = ReferralService(session, world.coordinator(referral.member))
    receiver = world.organizations[provider].id
    service.route(referral.id, receiver, expected_version=referral.version, now=when)


def step(
    session: Session,
    world: DemoWorld,
    referral: Referral,
    email: str,
    event: ReferralEvent,
    when: dt.datetime,
    reason: str | None = None,
) -> None:
    """`email` takes one step of the referral's closed loop."""
    service = ReferralService(session, world.users[email])
    service.transition(
        referral.id, event, expected_version=referral.version, reason=reason, now=when
    )


def request(
    session: Session,
    world: DemoWorld,
    email: str,
    member: Member,
    program_id: str,
    when: dt.datetime,
    *,
    referral: Referral | None = None,
) -> Authorization:
    """`email` requests an authorization (the service decides at once where rules allow)."""
    authorization = AuthorizationService(session, world.users[email]).request(
        member_id=member.id,
        program_id=program_id,
        now=when,
        referral_id=referral.id if referral else None,
    )
    world.authorizations.append(authorization)
    return authorization


def approve(
    session: Session,
    world: DemoWorld,
    authorization: Authorization,
    when: dt.datetime,
    start_date: dt.date | None = None,
) -> None:
    """The plan's reviewer approves, for the plan's default period."""
    AuthorizationService(session, world.users[UM]).approve(
        authorization.id, expected_version=authorization.version, now=when, start_date=start_date
    )


def assign(
    session: Session,
    world: DemoWorld,
    member: Member,
    today: dt.date,
    *,
    referral: Referral | None = None,
    authorization: Authorization | None = None,
) -> Enrollment:
    """The plan assigns the member to ECM: the ranking's choice, else the demo's ECM provider."""
    service = AssignmentService(session, world.users[CC])
    # Scripted time: 10:00 on the day, never after the demo's clock.
    now = min(at(today, 10), world.now)
    referral_id = referral.id if referral else None
    authorization_id = authorization.id if authorization else None
    try:
        enrollment = service.assign(
            member.id,
            today=today,
            now=now,
            referral_id=referral_id,
            authorization_id=authorization_id,
        ).enrollment
    except NoProviderAvailable:
        enrollment = service.override(
            member.id,
            world.organizations["ecm"].id,
            why="closest ECM provider to the member's home",
            today=today,
            now=now,
            referral_id=referral_id,
            authorization_id=authorization_id,
        )
    world.enrollments.append(enrollment)
    return enrollment


def reach_out(
    session: Session, world: DemoWorld, enrollment: Enrollment, attempts: Iterable[Attempt]
) -> None:
    """The lead care manager records outreach attempts (the first one starts outreach)."""
    service = OutreachService(session, world.users[LCM])
    for attempt in attempts:
        now = min(at(attempt.attempted_on, 11), world.now)
        service.record(enrollment.id, attempt, today=world.as_of, now=now)


def enroll(
    session: Session, world: DemoWorld, enrollment: Enrollment, on: dt.date, acuity: Acuity
) -> None:
    """The member agrees: enrolled with the demo's lead care manager."""
    lead = world.users[LCM]
    EnrollmentService(session, lead).enroll(
        enrollment.id,
        expected_version=enrollment.version,
        lead_care_manager_user_id=lead.id,
        acuity=acuity,
        enrolled_on=on,
        today=world.as_of,
        now=min(at(on, 14), world.now),
    )
