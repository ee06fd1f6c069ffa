"""42 CFR Part 2: substance-use information is shown only with the member's recorded consent.

The member's plan (the payer of the care) sees it; any other organization sees it only while
a consent naming that organization is active on the day asked about.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import is_plan
from calaim.ops.models import Member, Part2Consent, User

# Determinations whose mere presence reveals a substance-use disorder or its treatment.
PART2_PROGRAMS = frozenset({"ecm.smh_sud"})


def is_part2_program(program_id: str) -> bool:
    """Whether a program's determination counts as Part 2 information."""
    return program_id in PART2_PROGRAMS


def may_see_part2(session: Session, actor: User, member: Member, on: dt.date) -> bool:
    """Whether the actor may see the member's Part 2 information on `on`."""
    if is_plan(actor) and member.plan_organization_id == actor.organization_id:
        return True
    return _has_consent(session, member.id, actor.organization_id, on)


def _has_consent(
    session: Session, member_id: uuid.UUID, organization_id: uuid.UUID, on: dt.date
) -> bool:
    consents = session.scalars(
        select(Part2Consent).where(
            Part2Consent.member_id == member_id,
            Part2Consent.organization_id == organization_id,
        )
    )
    return any(consent.active_on(on) for consent in consents)
