"""Authorizations against the DHCS decision clock: what `calaim.reports.timeliness` counts.

Counted through `counting.counted` (a plan: its own authorizations; the state: every one,
suppressed where shown). Rows carry program, county, status and the two instants, never who.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import authorization_visible
from calaim.ops.authorizations.state import UNDECIDED
from calaim.ops.models import Authorization, Member, User
from calaim.ops.read_models.counting import Narrowing, counted, member_narrowed, plan_narrowed

__all__ = ["UNDECIDED_VALUES", "ClockRow", "Narrowing", "overdue_at", "requested_between"]

UNDECIDED_VALUES = sorted(status.value for status in UNDECIDED)


@dataclass(frozen=True)
class ClockRow:
    """One authorization as the timeliness report counts it."""

    program_id: str
    county: str
    status: str
    decision_due_at: dt.datetime
    decided_at: dt.datetime | None


def _conditions(actor: User, narrowing: Narrowing) -> list[ColumnElement[bool]]:
    # On Authorization joined to its Member.
    a = Authorization
    conditions: list[ColumnElement[bool]] = [
        counted(actor, authorization_visible),
        member_narrowed(narrowing.county, None),
        plan_narrowed(narrowing.plan, a.plan_organization_id),
    ]
    if narrowing.program is not None:
        conditions.append(a.program_id == narrowing.program)
    return conditions


def requested_between(
    session: Session, actor: User, start: dt.datetime, end: dt.datetime, narrowing: Narrowing
) -> list[ClockRow]:
    """Authorizations requested from `start` (inclusive) to `end` (exclusive)."""
    a = Authorization
    statement = (
        select(a.program_id, Member.county, a.status, a.decision_due_at, a.decided_at)
        .join(Member, Member.id == a.member_id)
        .where(*_conditions(actor, narrowing), a.requested_at >= start, a.requested_at < end)
    )
    return [ClockRow(*row) for row in session.execute(statement)]


def overdue_at(session: Session, actor: User, now: dt.datetime, narrowing: Narrowing) -> int:
    """Undecided authorizations whose decision was due before `now`, whenever requested."""
    a = Authorization
    statement = (
        select(func.count())
        .select_from(a)
        .join(Member, Member.id == a.member_id)
        .where(*_conditions(actor, narrowing))
        .where(a.status.in_(UNDECIDED_VALUES), a.decision_due_at < now)
    )
    return int(session.scalar(statement) or 0)
