"""The member's current determinations, attached to a referral for those who may see them."""

from __future__ import annotations

import datetime as dt
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.engine.loading.policy import default_policy_dir
from calaim.engine.loading.rules import load_programs
from calaim.ops.access.part2 import Shown
from calaim.ops.access.scopes import visible_members
from calaim.ops.determinations.repository import DeterminationRepository
from calaim.ops.models import Member, Referral, User


@cache
def ecm_programs() -> frozenset[str]:
    """`ecm` and its Populations of Focus (`ecm.*`): what an ECM referral shows."""
    programs = load_programs(default_policy_dir() / "programs.yaml")
    return frozenset(pid for pid, p in programs.items() if p.kind in {"ecm", "ecm_pof"})


def programs_for(program_id: str) -> frozenset[str]:
    """The determinations a referral to `program_id` carries."""
    return ecm_programs() if program_id == "ecm" else frozenset({program_id})


def determinations_for(
    session: Session, actor: User, referral: Referral, *, today: dt.date | None
) -> tuple[Shown, ...]:
    """Latest rows for the referral's program(s); none if the actor may not see the member.

    Referrers (and providers not yet connected to the member) get none: they follow the
    referral's status, never the member's data. Part 2 rows are masked per consent.
    """
    statement = visible_members(actor).where(Member.id == referral.member_id)
    if session.scalars(select(statement.subquery().c.id)).first() is None:
        return ()
    repository = DeterminationRepository(session, actor)
    rows = repository.for_member(
        referral.member_id, today=today, programs=programs_for(referral.program_id)
    )
    return tuple(rows)
