"""Counts of members by program, status and county, for analysts: no member rows ever.

Small cells are suppressed: a count from 1 to 10 is reported as "<11" (its exact value is
never returned), following the DHCS Data De-identification Guidelines, which treat counts
under 11 as identifying. Zero cells are simply absent. No totals are returned, so a suppressed
cell cannot be recovered by subtraction within one answer; an analyst comparing answers for
different filters could still narrow one down, so exports need a complementary review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import is_plan
from calaim.ops.models import Member, MemberDetermination, OrganizationKind, User

# DHCS de-identification: cells with 1 to 10 members are shown as "<11".
SMALL_CELL_LIMIT = 11


@dataclass(frozen=True)
class AggregateCell:
    """Members whose latest determination has this program, status and county."""

    program_id: str
    status: str
    county: str
    # None when suppressed (1 to 10 members).
    count: int | None

    @property
    def display(self) -> str:
        """The count as shown: the number, or "<11" for a suppressed cell."""
        return f"<{SMALL_CELL_LIMIT}" if self.count is None else str(self.count)


def population(actor: User) -> ColumnElement[bool]:
    """Members an analyst's counts cover: a plan's own members, or every member for the state."""
    if actor.organization.kind == OrganizationKind.STATE:
        return true()
    if is_plan(actor):
        return Member.plan_organization_id == actor.organization_id
    return Member.id.is_(None)  # providers and referrers count nothing


def count_cells(
    session: Session, actor: User, *, as_of: dt.date | None, county: str | None
) -> list[AggregateCell]:
    """Suppressed counts over each member's latest determination per program."""
    d = MemberDetermination
    latest = select(d.member_id, d.program_id, func.max(d.as_of).label("as_of"))
    if as_of is not None:
        latest = latest.where(d.as_of <= as_of)
    newest = latest.group_by(d.member_id, d.program_id).subquery()
    statement = (
        select(d.program_id, d.status, Member.county, func.count(func.distinct(d.member_id)))
        .join(
            newest,
            and_(
                d.member_id == newest.c.member_id,
                d.program_id == newest.c.program_id,
                d.as_of == newest.c.as_of,
            ),
        )
        .join(Member, Member.id == d.member_id)
        .where(population(actor))
        .group_by(d.program_id, d.status, Member.county)
        .order_by(d.program_id, d.status, Member.county)
    )
    if county is not None:
        statement = statement.where(Member.county == county)
    return [
        AggregateCell(program, status, place, None if n < SMALL_CELL_LIMIT else n)
        for program, status, place, n in session.execute(statement)
    ]
