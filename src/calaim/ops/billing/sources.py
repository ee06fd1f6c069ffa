"""What a provider delivered in a billing period, priced: one `Billable` per line to bill.

Sources: Community Supports deliveries (under their authorization), ECM encounters, ECM
enrolled member-months and outreach attempts. The plan's contract terms decide which ECM
lines exist: per member per month (one line per enrolled member-month; that month's encounters
are covered by it and never billed again) or per encounter; outreach is a separate payment
only when the contract says so.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from calaim.ops.billing.coding import ECM_ENCOUNTER, ECM_MONTHLY, ECM_OUTREACH, Mode, StaffType
from calaim.ops.billing.coding import lookup as code_for
from calaim.ops.billing.contracts import ContractTerms, EcmPayment, OutreachPayment, terms_for
from calaim.ops.billing.period import BillingPeriod
from calaim.ops.models import (
    Enrollment,
    Member,
    Organization,
    User,
)
from calaim.ops.models.billing import EncounterMode
from calaim.ops.read_models import billing as read_models

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Billable:
    """One priced line to bill: what it bills (`source_key`), for whom, under which terms."""

    source_key: str
    member: Member
    plan_organization_id: uuid.UUID
    authorization_id: uuid.UUID | None
    program_id: str
    service_date: dt.date
    service_date_end: dt.date
    code: str
    modifiers: tuple[str, ...]
    unit: str
    units: Decimal
    unit_rate: Decimal
    charge: Decimal


class Pricer:
    """Contract terms per plan, cached for one run."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._codes: dict[uuid.UUID, str] = {}

    def terms(self, plan_organization_id: uuid.UUID, on: dt.date) -> ContractTerms:
        """The plan's terms in force on `on`."""
        if plan_organization_id not in self._codes:
            plan = self.session.get(Organization, plan_organization_id)
            self._codes[plan_organization_id] = (plan.plan_code if plan else None) or "?"
        return terms_for(self._codes[plan_organization_id], on)


def _line(
    key: str,
    member: Member,
    plan: uuid.UUID,
    auth: uuid.UUID | None,
    program: str,
    days: tuple[dt.date, dt.date],
    row: tuple[str, tuple[str, ...], str],
    units: Decimal,
    rate: Decimal,
    charge: Decimal | None = None,
) -> Billable:
    amount = (charge if charge is not None else units * rate).quantize(CENT)
    return Billable(
        key,
        member,
        plan,
        auth,
        program,
        days[0],
        days[1],
        row[0],
        row[1],
        row[2],
        units,
        rate,
        amount,
    )


def cs_lines(
    session: Session, pricer: Pricer, actor: User, period: BillingPeriod
) -> Iterator[Billable]:
    """Community Supports deliveries by the actor's organization in the period, at the plan's
    unit fee."""
    rows = read_models.cs_deliveries(session, actor, period.start, period.end)
    for delivery, episode in rows:
        member = episode.member
        terms = pricer.terms(member.plan_organization_id, delivery.service_date)
        coded = code_for(delivery.program_id, delivery.service_date)
        rate = terms.cs_rate(delivery.program_id)
        # Dollar-capped items (deposits, adaptations) bill what was spent, not a unit fee.
        charge = delivery.amount
        yield _line(
            f"cs_delivery:{delivery.id}",
            member,
            member.plan_organization_id,
            episode.authorization_id,
            delivery.program_id,
            (delivery.service_date, delivery.service_date),
            (coded.code, coded.modifiers, coded.unit),
            delivery.units,
            rate if charge is None else (charge / delivery.units).quantize(CENT),
            charge,
        )


def _remote(mode: str) -> Mode:
    return Mode.IN_PERSON if mode in (EncounterMode.IN_PERSON, "in_person") else Mode.REMOTE


def ecm_lines(
    session: Session, pricer: Pricer, actor: User, period: BillingPeriod
) -> Iterator[Billable]:
    """ECM lines: a member-month or encounters, and outreach attempts, per the plan's terms."""
    for enrollment in read_models.enrollments_overlapping(session, actor, period.start, period.end):
        # One model per month: the terms in force on the period's first day decide it.
        terms = pricer.terms(enrollment.plan_organization_id, period.start)
        yield from _month_or_encounters(session, enrollment, terms, period)
        if terms.outreach_payment == OutreachPayment.PER_ATTEMPT:
            yield from _outreach(session, enrollment, terms, period)


def _month_or_encounters(
    session: Session, enrollment: Enrollment, terms: ContractTerms, period: BillingPeriod
) -> Iterator[Billable]:
    """The member-month (per member per month terms) or each encounter (per encounter)."""
    if terms.ecm_payment == EcmPayment.PER_MEMBER_PER_MONTH:
        yield from _member_month(enrollment, terms, period)
    else:
        yield from _encounters(session, enrollment, terms, period)


def _member_month(
    enrollment: Enrollment, terms: ContractTerms, period: BillingPeriod
) -> Iterator[Billable]:
    """One line for the enrolled part of the month; its encounters are covered by it."""
    enrolled, ended = enrollment.enrolled_on, enrollment.discontinued_on
    if enrolled is None or enrolled > period.end:
        return
    first = max(period.start, enrolled)
    last = min(period.end, ended) if ended else period.end
    coded = code_for(ECM_MONTHLY, first)
    yield _line(
        f"ecm_month:{enrollment.id}:{period.label}",
        enrollment.member,
        enrollment.plan_organization_id,
        enrollment.authorization_id,
        "ecm",
        (first, last),
        (coded.code, coded.modifiers, coded.unit),
        Decimal(1),
        terms.ecm_rate,
    )


def _encounters(
    session: Session, enrollment: Enrollment, terms: ContractTerms, period: BillingPeriod
) -> Iterator[Billable]:
    """One line per encounter in the period, coded by mode and staff type."""
    encounters = read_models.encounters_of(session, enrollment, period.start, period.end)
    for encounter in encounters:
        day = encounter.service_date
        mode, staff = _remote(encounter.mode), StaffType(encounter.staff_kind)
        coded = code_for(ECM_ENCOUNTER, day, mode=mode, staff=staff)
        yield _line(
            f"ecm_encounter:{encounter.id}",
            enrollment.member,
            enrollment.plan_organization_id,
            enrollment.authorization_id,
            "ecm",
            (day, day),
            (coded.code, coded.modifiers, coded.unit),
            Decimal(1),
            terms.ecm_rate,
        )


def _outreach(
    session: Session, enrollment: Enrollment, terms: ContractTerms, period: BillingPeriod
) -> Iterator[Billable]:
    attempts = read_models.outreach_of(session, enrollment, period.start, period.end)
    for attempt in attempts:
        # Anything but an in-person attempt (phone, video, text, email, mail) bills with GQ.
        coded = code_for(ECM_OUTREACH, attempt.attempted_on, mode=_remote(attempt.method))
        day = attempt.attempted_on
        yield _line(
            f"outreach:{attempt.id}",
            enrollment.member,
            enrollment.plan_organization_id,
            enrollment.authorization_id,
            "ecm.outreach",
            (day, day),
            (coded.code, coded.modifiers, coded.unit),
            Decimal(1),
            terms.outreach_rate,
        )
