"""Community Supports demand by county on one date: open referrals and active episodes.

Counted through `counting.counted` (a plan: its own members; a provider: what it holds; the
state: everything, suppressed where shown). Only counties are returned, never who.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import referral_visible, service_episode_visible
from calaim.ops.models import Member, Referral, ServiceEpisode, User
from calaim.ops.read_models.counting import Narrowing, counted, member_narrowed
from calaim.ops.referrals.state import OPEN_STATUSES

OPEN_VALUES = sorted(status.value for status in OPEN_STATUSES)


def cs_demand_by_county(
    session: Session,
    actor: User,
    as_of: dt.date,
    received_before: dt.datetime,
    narrowing: Narrowing,
) -> tuple[Counter[str], Counter[str]]:
    """Per member county: open CS referrals received before `received_before`, and CS episodes
    active on `as_of` (one program when the narrowing names one, else every Community Support)."""
    r, e = Referral, ServiceEpisode
    program = narrowing.program
    members = member_narrowed(narrowing.county, narrowing.plan)
    referrals = select(Member.county).select_from(r).join(Member, Member.id == r.member_id)
    referrals = referrals.where(
        counted(actor, referral_visible),
        r.status.in_(OPEN_VALUES),
        r.program_id == program if program else r.program_id.like("cs.%"),
        r.received_at < received_before,
        members,
    )
    episodes = select(Member.county).select_from(e).join(Member, Member.id == e.member_id)
    episodes = episodes.where(
        counted(actor, service_episode_visible),
        e.started_on <= as_of,
        or_(e.ended_on.is_(None), e.ended_on >= as_of),
        e.program_id == program if program else e.program_id.like("cs.%"),
        members,
    )
    return Counter(session.scalars(referrals)), Counter(session.scalars(episodes))
