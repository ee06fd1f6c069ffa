"""Referral loops waiting on someone: a new hospital referral a clinic joins, and a decline."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from calaim.ops.demo.actions import refer, route, step
from calaim.ops.demo.world import CLINIC, CS_STAFF, HOSPITAL, DemoWorld, at, days_before, pick
from calaim.ops.models import ContactPreference, ReferralSource
from calaim.ops.referrals.intake import IntakeForm
from calaim.ops.referrals.state import ReferralEvent

RECUPERATIVE_CARE = "cs.recuperative_care"
MEALS = "cs.medically_tailored_meals"


def open_referrals(session: Session, world: DemoWorld) -> None:
    """A received referral (with a second referrer joined) and a declined one."""
    received_with_duplicate(session, world)
    declined(session, world)


def received_with_duplicate(session: Session, world: DemoWorld) -> None:
    """A hospital refers this morning; a clinic refers the same member and joins the loop."""
    member = pick(session, world, RECUPERATIVE_CARE)
    discharge = IntakeForm(
        member_consented=True,
        referrer_contact_name="Dana Ruiz, RN (discharge planning)",
        referrer_contact_phone="(213) 555-0142",
        reason="Discharged after a foot infection; no safe place to recover",
        requested_services="recuperative care with wound care",
        member_phone="(323) 555-0199",
        member_contact_preference=ContactPreference.PHONE,
    )
    hospital_at = world.now - dt.timedelta(hours=3)
    source = ReferralSource.HOSPITAL
    refer(session, world, HOSPITAL, member, RECUPERATIVE_CARE, source, hospital_at, discharge)
    follow_up = IntakeForm(
        member_consented=True,
        referrer_contact_name="Sam Lee, clinic social worker",
        reason="Seen at the clinic for wound follow-up; sleeping in a car",
    )
    clinic_at = world.now - dt.timedelta(hours=1)
    source = ReferralSource.CLINIC
    refer(session, world, CLINIC, member, RECUPERATIVE_CARE, source, clinic_at, follow_up)


def declined(session: Session, world: DemoWorld) -> None:
    """A clinic refers for meals; the plan routes it; the provider declines with a reason."""
    # Not a member the engine found eligible: the few who are get the meals (supports.py).
    member = pick(session, world, MEALS, eligible=False)
    form = IntakeForm(
        member_consented=True,
        reason="Uncontrolled diabetes after a hospital stay",
        requested_services="medically tailored meals",
    )
    day = days_before(9)
    referral = refer(session, world, CLINIC, member, MEALS, ReferralSource.CLINIC, at(day), form)
    route(session, world, referral, "cs", at(day, 11))
    why = "the member's address is outside our meal delivery routes; please refer to another"
    step(session, world, referral, CS_STAFF, ReferralEvent.DECLINE, at(days_before(8)), why)
