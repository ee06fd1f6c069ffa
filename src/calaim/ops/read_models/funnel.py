"""What the ECM funnel counts: eligible members by Population of Focus and county, and the
ECM episodes that carry them through assignment, outreach and enrollment.

Scoped through `calaim.ops.access.scopes` (a plan: its members; a provider: the enrollments it
holds), or every row when `everyone` (the state, whose counts the report suppresses). A
provider's cohort leaves out 42 CFR Part 2 populations. Callers audit what they show.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session, aliased

from calaim.ops.access.part2 import PART2_PROGRAMS
from calaim.ops.access.scopes import enrollment_visible, is_provider, member_visible
from calaim.ops.models import Enrollment, Member, MemberDetermination, User

Key = tuple[str, str]  # (population of focus, county)
Episode = tuple[uuid.UUID, dt.date | None, dt.date | None]  # member, outreach began, enrolled


def eligible_on(end: dt.date) -> list[ColumnElement[bool]]:
    """Conditions on `MemberDetermination`: an eligible ECM Population of Focus determination
    that is the member's latest of that program on or before `end`."""
    d = MemberDetermination
    later = aliased(MemberDetermination)
    # Eligible rows with no later determination of the same program by the end: the latest
    # one per member and program, found with the (member, program, as_of) index rather than
    # by grouping every stored determination (issue 14's speed target).
    superseded = (
        select(later.id)
        .where(later.member_id == d.member_id, later.program_id == d.program_id,
               later.as_of > d.as_of, later.as_of <= end)
        .exists()
    )  # fmt: skip
    return [d.eligible.is_(True), d.as_of <= end, d.program_id.like("ecm.%"), ~superseded]


def ecm_cohort(
    session: Session,
    actor: User,
    end: dt.date,
    *,
    everyone: bool,
    members: ColumnElement[bool],
    program: str | None = None,
) -> list[tuple[uuid.UUID, Key]]:
    """(member, (population, county)) for each ECM population a member is eligible for on
    `end` (the latest determination on or before it), among `members`."""
    d = MemberDetermination
    visible = true() if everyone else member_visible(actor)
    statement = (
        select(d.member_id, d.program_id, Member.county)
        .join(Member, Member.id == d.member_id)
        .where(*eligible_on(end), visible, members)
    )
    if program is not None:
        statement = statement.where(d.program_id == program)
    if is_provider(actor):
        # Part 2: a provider's counts could single out a member's substance-use population.
        statement = statement.where(d.part2.is_(False), d.program_id.not_in(PART2_PROGRAMS))
    return [(m, (population, county)) for m, population, county in session.execute(statement)]


def ecm_episodes(
    session: Session, actor: User, start: dt.date, end: dt.date, *, everyone: bool
) -> list[Episode]:
    """ECM episodes assigned by `end` and not discontinued before `start`."""
    e = Enrollment
    statement = select(e.member_id, e.outreach_started_on, e.enrolled_on).where(
        true() if everyone else enrollment_visible(actor),
        e.assigned_on <= end,
        or_(e.discontinued_on.is_(None), e.discontinued_on >= start),
    )
    return [(member, began, enrolled) for member, began, enrolled in session.execute(statement)]
