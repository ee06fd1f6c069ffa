"""Reentry in the demo: the county jail's residents in and near the 90-day pre-release window.

One is well along (Medi-Cal suspended, the in-reach care manager named, assessed), one has
just entered the window with no provider yet (the facility holds its deadlines), and one's
window opens next month (docs/reentry.md walks through them).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from calaim.ops.demo.world import JAIL, LCM, DemoWorld, at, days_before, pick
from calaim.ops.models import MediCalStatus
from calaim.ops.reentry.service import ReentryService
from calaim.ops.referrals.intake import MemberLookup

JUSTICE = "ecm.justice_involved"
# Days from the demo's as-of date to each resident's expected release.
RELEASES = (45, 80, 120)


def reentry_cases(session: Session, world: DemoWorld) -> None:
    """Open the jail's three cases and take the first one through its early steps."""
    jail = ReentryService(session, world.users[JAIL])
    opened_on = days_before(10)
    cases = []
    for days in RELEASES:
        member = pick(session, world, JUSTICE, plans=("lacare",))
        world.used.add(member.id)
        card = MemberLookup(birth_date=member.birth_date, cin=member.cin)
        release = world.as_of + dt.timedelta(days=days)
        cases.append(jail.open(card, release, at(opened_on)))
    first = cases[0]
    first = jail.medi_cal(
        first.id, first.version, MediCalStatus.SUSPENDED, opened_on, at(opened_on, 10)
    )
    ecm = world.organizations["ecm"].id
    first = jail.providers(first.id, first.version, at(opened_on, 11), pre_release_provider_id=ecm)
    manager = ReentryService(session, world.users[LCM])
    first = manager.providers(first.id, first.version, at(days_before(8)),
                              care_manager_user_id=world.users[LCM].id)  # fmt: skip
    manager.assess(first.id, first.version, days_before(5), ["housing", "MAT", "ID card"],
                   at(days_before(5), 14))  # fmt: skip
