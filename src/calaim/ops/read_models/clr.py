"""What the closed-loop compliance report reads: the plan's loops, their history and notices.

Scoped through `calaim.ops.access.scopes` (a plan: its own members' referrals); the report
audits every loop it counts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import member_id_visible
from calaim.ops.models import Notice, Organization, Referral, ReferralTransition, User
from calaim.ops.referrals.state import TERMINAL_STATUSES


def loops_open_in(
    session: Session, actor: User, starts: dt.datetime, ends: dt.datetime
) -> list[Referral]:
    """The actor's members' referrals received before `ends` and not ended before `starts`."""
    ended = (
        select(ReferralTransition.referral_id)
        .where(
            ReferralTransition.to_status.in_([s.value for s in TERMINAL_STATUSES]),
            ReferralTransition.at < starts,
        )
        .scalar_subquery()
    )
    statement = (
        select(Referral)
        .where(member_id_visible(actor, Referral.member_id))
        .where(Referral.received_at < ends, Referral.id.not_in(ended))
        .order_by(Referral.received_at, Referral.id)
    )
    return list(session.scalars(statement).unique())


def transitions_of(
    session: Session, ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[ReferralTransition]]:
    """Each referral's transitions in order (ids from `loops_open_in`, already scoped)."""
    found: dict[uuid.UUID, list[ReferralTransition]] = defaultdict(list)
    statement = select(ReferralTransition).where(ReferralTransition.referral_id.in_(ids))
    for row in session.scalars(statement.order_by(ReferralTransition.at, ReferralTransition.id)):
        found[row.referral_id].append(row)
    return found


def notices_of(
    session: Session, ids: list[uuid.UUID], starts: dt.datetime, ends: dt.datetime
) -> dict[uuid.UUID, Counter[str]]:
    """Notices about each referral created in [starts, ends), counted per recipient kind."""
    statement = select(Notice.subject_id, Notice.recipient).where(
        Notice.subject_type == "referral",
        Notice.subject_id.in_(ids),
        Notice.created_at >= starts,
        Notice.created_at < ends,
    )
    found: dict[uuid.UUID, Counter[str]] = defaultdict(Counter)
    for subject, recipient in session.execute(statement):
        found[subject][recipient] += 1
    return found


def organization_names(session: Session, referrals: list[Referral]) -> dict[uuid.UUID, str]:
    """The names of the referring and receiving organizations of `referrals`."""
    ids = {r.referring_organization_id for r in referrals}
    ids |= {r.receiving_organization_id for r in referrals if r.receiving_organization_id}
    statement = select(Organization.id, Organization.name).where(Organization.id.in_(ids))
    return {key: name for key, name in session.execute(statement)}
