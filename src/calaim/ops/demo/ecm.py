"""ECM members at every step: assigned, in outreach, enrolled, discontinued, unreachable."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.demo.actions import approve, assign, enroll, reach_out, refer, request, route, step
from calaim.ops.demo.care_plan import write_care_plan
from calaim.ops.demo.world import (
    CC,
    CLINIC,
    COUNTY_BH,
    LCM,
    DemoWorld,
    at,
    days_before,
    pick,
)
from calaim.ops.enrollments.outreach import Attempt
from calaim.ops.enrollments.service import EnrollmentService
from calaim.ops.models import Acuity, OutreachMethod, ReferralSource
from calaim.ops.referrals.state import ReferralEvent

ECM = "ecm"
M = OutreachMethod
E = ReferralEvent


def ecm_enrollments(session: Session, world: DemoWorld) -> None:
    """One member in each enrollment state, and one due for unable-to-reach closure."""
    assigned(session, world)
    in_outreach(session, world)
    enrolled(session, world)
    discontinued(session, world)
    unreachable(session, world)


def assigned(session: Session, world: DemoWorld) -> None:
    """Clinic referral accepted; the engine's determination approves ECM today; assigned."""
    member = pick(session, world, ECM)
    referral = refer(session, world, CLINIC, member, ECM, ReferralSource.CLINIC, at(days_before(3)))
    route(session, world, referral, "ecm", at(days_before(3), 11))
    step(session, world, referral, LCM, E.ACCEPT, at(days_before(2)))
    # Requested now, after the engine's run: an eligible member is approved automatically.
    authorization = request(session, world, CC, member, ECM, world.now, referral=referral)
    assign(session, world, member, world.as_of, referral=referral, authorization=authorization)


def in_outreach(session: Session, world: DemoWorld) -> None:
    """County behavioral health refers; presumptive ECM; the provider is reaching out."""
    member = pick(session, world, ECM)
    source = ReferralSource.COUNTY_BEHAVIORAL_HEALTH
    referral = refer(session, world, COUNTY_BH, member, ECM, source, at(days_before(9)))
    route(session, world, referral, "ecm", at(days_before(9), 14))
    step(session, world, referral, LCM, E.ACCEPT, at(days_before(8)))
    # Requested before the engine's run with a provider named: presumptive while the plan decides.
    authorization = request(session, world, CC, member, ECM, at(days_before(7)), referral=referral)
    enrollment = assign(
        session, world, member, days_before(7), referral=referral, authorization=authorization
    )
    step(session, world, referral, LCM, E.START, at(days_before(6)))
    reach_out(
        session,
        world,
        enrollment,
        [
            Attempt(days_before(6), M.PHONE, False, 10, "no answer; voicemail left"),
            Attempt(days_before(5), M.TEXT, False, 5, "text sent; no reply"),
            Attempt(days_before(2), M.IN_PERSON, True, 45, "met at the clinic; thinking it over"),
        ],
    )


def enrolled(session: Session, world: DemoWorld) -> None:
    """Enrolled for a year: approved by a reviewer, a care plan, and a reauthorization."""
    member = pick(session, world, ECM)
    start = dt.date(2024, 9, 26)
    source = ReferralSource.COUNTY_BEHAVIORAL_HEALTH
    referral = refer(session, world, COUNTY_BH, member, ECM, source, at(start))
    route(session, world, referral, "ecm", at(start, 13))
    step(session, world, referral, LCM, E.ACCEPT, at(dt.date(2024, 9, 30)))
    first = request(
        session, world, CC, member, ECM, at(dt.date(2024, 9, 30), 10), referral=referral
    )
    approve(session, world, first, at(dt.date(2024, 10, 2)))
    enrollment = assign(
        session, world, member, dt.date(2024, 10, 2), referral=referral, authorization=first
    )
    step(session, world, referral, LCM, E.START, at(dt.date(2024, 10, 3)))
    reach_out(
        session,
        world,
        enrollment,
        [
            Attempt(dt.date(2024, 10, 3), M.PHONE, False, 5, "number disconnected"),
            Attempt(dt.date(2024, 10, 7), M.IN_PERSON, True, 60, "met at the shelter; agreed"),
        ],
    )
    enroll(session, world, enrollment, dt.date(2024, 10, 7), Acuity.HIGH)
    write_care_plan(session, world, enrollment)
    # The year is nearly over: the provider asks for the next period; the reviewer approves.
    renewal = AuthorizationService(session, world.users[LCM]).reauthorize(
        first.id, now=at(days_before(16))
    )
    world.authorizations.append(renewal)
    approve(session, world, renewal, at(days_before(12)))
    # The provider confirms services received (closed-loop tracking began in July 2025).
    step(session, world, referral, LCM, E.RECORD_SERVICES, at(days_before(10), 15))


def discontinued(session: Session, world: DemoWorld) -> None:
    """Enrolled in June; moved out of the plan's area in September."""
    member = pick(session, world, ECM)
    # ECM needs an authorization: the plan's reviewer approves it before the assignment.
    authorization = request(session, world, CC, member, ECM, at(dt.date(2025, 5, 28)))
    approve(session, world, authorization, at(dt.date(2025, 5, 30)))
    enrollment = assign(session, world, member, dt.date(2025, 6, 2), authorization=authorization)
    success = Attempt(dt.date(2025, 6, 4), M.PHONE, True, 20, "agreed to ECM on the phone")
    reach_out(session, world, enrollment, [success])
    enroll(session, world, enrollment, dt.date(2025, 6, 4), Acuity.MEDIUM)
    EnrollmentService(session, world.users[LCM]).discontinue(
        enrollment.id,
        expected_version=enrollment.version,
        reason_code="moved_out_of_area",
        discontinued_on=days_before(19),
        today=world.as_of,
        now=at(days_before(19), 12),
        reason="moved to Fresno County; the member's new plan was told",
    )


def unreachable(session: Session, world: DemoWorld) -> None:
    """Assigned over 90 days ago, never reached: due for unable-to-reach closure."""
    member = pick(session, world, ECM)
    authorization = request(session, world, CC, member, ECM, at(days_before(106)))
    approve(session, world, authorization, at(days_before(104)))
    enrollment = assign(session, world, member, days_before(103), authorization=authorization)
    reach_out(
        session,
        world,
        enrollment,
        [
            Attempt(days_before(100), M.PHONE, False, 5, "no answer"),
            Attempt(days_before(78), M.MAIL, False, 10, "letter returned: no such address"),
            Attempt(days_before(42), M.IN_PERSON, False, 90, "not at the last known encampment"),
        ],
    )
