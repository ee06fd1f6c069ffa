"""The demo network's August: two people the lead routed to its members were served, the lead
billed L.A. Care for them (837P billing provider = the lead, rendering provider = the member)
and L.A. Care paid every line, so the lead's month run splits real payments by each member's
terms (Casa Esperanza keeps 0.85 less 2.50 a line, Harbor Light 0.80)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from calaim.ops.billing.build import BillingService
from calaim.ops.billing.period import BillingPeriod
from calaim.ops.billing.reconcile import Reconciler
from calaim.ops.billing.remit_data import PaidClaim, PaidLine, Remittance835
from calaim.ops.demo.actions import approve, refer, request, route, step
from calaim.ops.demo.world import HOSPITAL, DemoWorld, at, pick
from calaim.ops.models import ReferralSource
from calaim.ops.models.billing import Claim
from calaim.ops.network.service import NetworkService
from calaim.ops.referrals.state import ReferralEvent
from calaim.ops.services.service import EpisodeService

RECUPERATIVE_CARE = "cs.recuperative_care"
LEAD = "lead@network.demo"
PAID_MONTH = "2025-08"
# (member's language, first day, days of recuperative care): Spanish goes to Casa Esperanza,
# English to Harbor Light (the member with more open places).
STAYS = [("es", dt.date(2025, 8, 4), 7), ("en", dt.date(2025, 8, 11), 5)]
E = ReferralEvent


def paid_network_month(session: Session, world: DemoWorld) -> list[Claim]:
    """August's stays, routed, served, billed by the lead and paid by L.A. Care."""
    for language, first, days in STAYS:
        _stay(session, world, language, first, days)
    lead = world.users[LEAD]
    period = BillingPeriod.parse(PAID_MONTH)
    claims = BillingService(session, lead).build(period, now=at(dt.date(2025, 9, 2), 10)).claims
    NetworkService(session, lead).attribute(period.start)
    _paid(session, world, claims)
    return claims


def _stay(session: Session, world: DemoWorld, language: str, first: dt.date, days: int) -> None:
    """A hospital refers; the plan routes to the lead; the lead routes to its best-fitting
    member, accepts, asks for the authorization, serves the stay and closes the loop."""
    member = pick(session, world, RECUPERATIVE_CARE, eligible=True, language=language)
    lead = world.users[LEAD]
    referral = refer(
        session, world, HOSPITAL, member, RECUPERATIVE_CARE, ReferralSource.HOSPITAL, at(first, 8)
    )
    route(session, world, referral, "network", at(first, 10))
    NetworkService(session, lead).route(referral.id, now=at(first, 11))
    step(session, world, referral, LEAD, E.ACCEPT, at(first, 12))
    step(session, world, referral, LEAD, E.START, at(first, 13))
    authorization = request(
        session, world, LEAD, member, RECUPERATIVE_CARE, at(first, 14), referral=referral
    )
    approve(session, world, authorization, at(first + dt.timedelta(days=1)))
    service = EpisodeService(session, lead)
    episode = service.open(authorization.id, started_on=first, now=at(first, 15))
    world.episodes.append(episode)
    last = first + dt.timedelta(days=days - 1)
    for n in range(days):
        day = first + dt.timedelta(days=n)
        service.record(episode.id, service_date=day, units=Decimal(1), now=at(day, 18))
    service.close(
        episode.id,
        expected_version=episode.version,
        ended_on=last,
        reason="recovered and went home to family",
        now=at(last, 16),
    )
    step(session, world, referral, LEAD, E.RECORD_SERVICES, at(last, 17))
    step(session, world, referral, LEAD, E.CLOSE, at(last + dt.timedelta(days=1)))


def _paid(session: Session, world: DemoWorld, claims: list[Claim]) -> None:
    """L.A. Care's remittance pays every billed line in full (applied as the lead)."""
    paid = tuple(
        PaidClaim(
            number=claim.number,
            status="1",
            charge=claim.expected_amount,
            paid=claim.expected_amount,
            lines=tuple(
                PaidLine(
                    code=line.procedure_code,
                    modifiers=tuple(m for m in line.modifiers.split(":") if m),
                    charge=line.charge,
                    paid=line.charge,
                    units=line.units,
                    service_date=line.service_date,
                )
                for line in claim.lines
            ),
        )
        for claim in claims
    )
    remittance = Remittance835(
        payer_name="L.A. Care Health Plan",
        trace_number="DEMO-NETWORK-2025-08",
        payment_date=dt.date(2025, 9, 22),
        total_paid=sum((c.paid for c in paid), Decimal("0.00")),
        claims=paid,
    )
    Reconciler(session, world.users[LEAD]).apply(
        [remittance], f"demo remittance {remittance.trace_number}", name="the demo's 835"
    )
