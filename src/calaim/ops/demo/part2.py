"""42 CFR Part 2 in the demo: two `ecm.smh_sud` members referred to ECM; the ECM provider asks
for both members' consent, and the plan records the first member's signed form."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from calaim.ops.consents.requests import ConsentRequests
from calaim.ops.consents.service import ConsentService, SignedForm
from calaim.ops.demo.actions import refer, route
from calaim.ops.demo.world import COUNTY_BH, LCM, DemoWorld, at, days_before, pick
from calaim.ops.models import ReferralSource

SMH_SUD = "ecm.smh_sud"
SCOPE = (
    "Substance use disorder eligibility and treatment information, for Enhanced Care "
    "Management care coordination"
)


def part2_consents(session: Session, world: DemoWorld) -> None:
    """Refer two SMH/SUD members to the ECM provider; only the first consents to it seeing SUD."""
    plans = ("lacare", "healthnet")
    members = [pick(session, world, SMH_SUD, plans=plans) for _ in range(2)]
    day = days_before(2)
    for member in members:
        source = ReferralSource.COUNTY_BEHAVIORAL_HEALTH
        referral = refer(session, world, COUNTY_BH, member, "ecm", source, at(day))
        route(session, world, referral, "ecm", at(day, 13))
    # The provider asks the plans for both members' consent (a request grants nothing).
    requests = ConsentRequests(session, world.users[LCM])
    asked = [
        requests.ask(m.id, "Coordinate substance use treatment in the care plan", now=at(day, 14))
        for m in members
    ]
    consenting = members[0]
    form = SignedForm(
        organization_id=world.organizations["ecm"].id,
        granted_on=day,
        expires_on=day + dt.timedelta(days=365),
        document_reference=f"Signed Part 2 consent form P2-{day:%Y%m%d}-001",
        scope=SCOPE,
        request_id=asked[0].id,
    )
    consent = ConsentService(session, world.coordinator(consenting)).record_consent(
        consenting.id, form, today=day
    )
    consent.recorded_at = at(day, 15)
    world.consents.append(consent)
    world.part2_members.extend(members)
