"""Community Supports from referral to service: a closed stay, an open stay, meals near a cap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from calaim.ops.demo.actions import approve, refer, request, route, step
from calaim.ops.demo.world import CC, CS_STAFF, HOSPITAL, DemoWorld, at, days_before, pick
from calaim.ops.models import Authorization, ContactPreference, Referral, ReferralSource
from calaim.ops.referrals.intake import IntakeForm
from calaim.ops.referrals.state import ReferralEvent
from calaim.ops.services.service import EpisodeService

RECUPERATIVE_CARE = "cs.recuperative_care"
MEALS = "cs.medically_tailored_meals"
E = ReferralEvent
# Meals are delivered a week at a time: 2 a day.
WEEK_OF_MEALS = Decimal(14)
MEAL_WEEKS = 11  # 154 of the 168 meals the 6-month window allows: 14 remain


def community_supports(session: Session, world: DemoWorld) -> None:
    """A recuperative care stay closed (the loop too), one in progress, meals near their cap."""
    closed_stay(session, world)
    open_stay(session, world)
    meals_near_cap(session, world)


def _days(first: dt.date, last: dt.date, every: int = 1) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range(0, (last - first).days + 1, every)]


def _accepted(session: Session, world: DemoWorld, referral: Referral, day: dt.date) -> None:
    """The plan routes the referral to the CS provider, which accepts and starts the same day."""
    route(session, world, referral, "cs", at(day, 10))
    step(session, world, referral, CS_STAFF, E.ACCEPT, at(day, 11))
    step(session, world, referral, CS_STAFF, E.START, at(day, 12))


def _serve(
    session: Session,
    world: DemoWorld,
    authorization: Authorization,
    days: list[dt.date],
    units: Decimal,
) -> EpisodeService:
    """Open an episode on the first day and record `units` on each day."""
    service = EpisodeService(session, world.users[CS_STAFF])
    episode = service.open(authorization.id, started_on=days[0], now=at(days[0], 13))
    world.episodes.append(episode)
    for day in days:
        service.record(episode.id, service_date=day, units=units, now=at(day, 18))
    return service


def closed_stay(session: Session, world: DemoWorld) -> None:
    """July: a 30-day stay under a presumptive, then approved, authorization; loop closed."""
    member = pick(session, world, RECUPERATIVE_CARE, eligible=True)
    first = dt.date(2025, 7, 1)
    source = ReferralSource.HOSPITAL
    referral = refer(session, world, HOSPITAL, member, RECUPERATIVE_CARE, source, at(first, 8))
    _accepted(session, world, referral, first)
    authorization = request(
        session, world, CS_STAFF, member, RECUPERATIVE_CARE, at(first, 14), referral=referral
    )
    approve(session, world, authorization, at(dt.date(2025, 7, 8)))
    last = dt.date(2025, 7, 30)
    service = _serve(session, world, authorization, _days(first, last), Decimal(1))
    episode = world.episodes[-1]
    service.close(
        episode.id,
        expected_version=episode.version,
        ended_on=last,
        reason="moved into permanent supportive housing",
        now=at(last, 16),
    )
    step(session, world, referral, CS_STAFF, E.RECORD_SERVICES, at(last, 17))
    step(session, world, referral, CS_STAFF, E.CLOSE, at(dt.date(2025, 7, 31)))


def open_stay(session: Session, world: DemoWorld) -> None:
    """A stay that began a week ago under a presumptive authorization the plan still decides."""
    member = pick(session, world, RECUPERATIVE_CARE, eligible=True)
    first = days_before(7)
    source = ReferralSource.HOSPITAL
    referral = refer(session, world, HOSPITAL, member, RECUPERATIVE_CARE, source, at(first, 8))
    _accepted(session, world, referral, first)
    authorization = request(
        session, world, CS_STAFF, member, RECUPERATIVE_CARE, at(first, 14), referral=referral
    )
    _serve(session, world, authorization, _days(first, days_before(1)), Decimal(1))


def meals_near_cap(session: Session, world: DemoWorld) -> None:
    """A daughter calls the plan for her mother's meals; 11 weekly deliveries, 14 meals left."""
    # Meals go to a member the engine found eligible (and the plan offers them to).
    member = pick(session, world, MEALS, eligible=True)
    first = dt.date(2025, 7, 3)
    call = IntakeForm(
        member_consented=True,
        referrer_contact_name="the member's daughter",
        referrer_contact_phone="(562) 555-0187",
        reason="Heart failure; cannot shop or cook since the last admission",
        requested_services="medically tailored meals",
        member_contact_preference=ContactPreference.PHONE,
        member_phone="(562) 555-0186",
    )
    source = ReferralSource.MEMBER_OR_FAMILY
    referral = refer(session, world, CC, member, MEALS, source, at(first), call)
    accepted_on, start = dt.date(2025, 7, 7), dt.date(2025, 7, 9)
    _accepted(session, world, referral, accepted_on)
    # Meals have no presumptive days: pending until the reviewer approves.
    authorization = request(
        session, world, CS_STAFF, member, MEALS, at(accepted_on, 15), referral=referral
    )
    approve(session, world, authorization, at(start), start_date=start)
    last = start + dt.timedelta(weeks=MEAL_WEEKS - 1)
    _serve(session, world, authorization, _days(start, last, every=7), WEEK_OF_MEALS)
    # Meals were confirmed 34 days ago, but nobody closed the loop: days past its window.
    step(session, world, referral, CS_STAFF, E.RECORD_SERVICES, at(days_before(34), 17))
