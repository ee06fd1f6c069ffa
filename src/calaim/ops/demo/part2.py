"""42 CFR Part 2 in the demo: two `ecm.smh_sud` members referred to ECM, one with consent."""

from __future__ import annotations

from sqlalchemy.orm import Session

from calaim.ops.audit.service import record
from calaim.ops.demo.actions import refer, route
from calaim.ops.demo.world import COUNTY_BH, DemoWorld, at, days_before, pick
from calaim.ops.models import Part2Consent, ReferralSource

SMH_SUD = "ecm.smh_sud"


def part2_consents(session: Session, world: DemoWorld) -> None:
    """Refer two SMH/SUD members to the ECM provider; only the first consents to it seeing SUD."""
    plans = ("lacare", "healthnet")
    members = [pick(session, world, SMH_SUD, plans=plans) for _ in range(2)]
    day = days_before(2)
    for member in members:
        source = ReferralSource.COUNTY_BEHAVIORAL_HEALTH
        referral = refer(session, world, COUNTY_BH, member, "ecm", source, at(day))
        route(session, world, referral, "ecm", at(day, 13))
    consenting = members[0]
    coordinator = world.coordinator(consenting)
    # calaim has no consent service yet: the plan records the signed form's row and audits it.
    consent = Part2Consent(
        member_id=consenting.id,
        organization_id=world.organizations["ecm"].id,
        granted_on=day,
        recorded_by_user_id=coordinator.id,
        recorded_at=at(day, 12),
    )
    session.add(consent)
    session.flush()
    event = record(
        session,
        coordinator,
        "part2_consent.record",
        consent,
        details={"organization_id": str(consent.organization_id)},
    )
    event.member_person_id = consenting.person_id
    world.consents.append(consent)
    world.part2_members.extend(members)
