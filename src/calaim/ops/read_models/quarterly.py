"""What the DHCS quarterly monitoring report reads, as plain columns (no ORM objects).

Every query is scoped through `calaim.ops.access.scopes` (a plan: its own members' enrollments,
authorizations and episodes). The report counts these rows, fingerprints them and audits the
read; it never lists members.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import (
    authorization_visible,
    enrollment_visible,
    is_plan,
    member_visible,
    service_episode_visible,
)
from calaim.ops.models import (
    Authorization,
    Enrollment,
    Member,
    MemberDetermination,
    Organization,
    ProviderProfile,
    ServiceEpisode,
    User,
)
from calaim.ops.read_models.funnel import eligible_on


class MemberRow(NamedTuple):
    """The member fields the report breaks down by."""

    id: uuid.UUID
    birth_date: dt.date
    county: str | None
    language: str | None
    sex: str | None


class EligibleRow(NamedTuple):
    """A member's eligible ECM Population of Focus, with the member's breakdown fields."""

    program_id: str
    member: MemberRow


class EnrollmentRow(NamedTuple):
    """An ECM enrollment that was enrolled by the period's end and not discontinued before it."""

    id: uuid.UUID
    version: int
    enrolled_on: dt.date
    discontinued_on: dt.date | None
    reason_code: str | None
    member: MemberRow


MEMBER_COLUMNS = (Member.id, Member.birth_date, Member.county, Member.language, Member.sex)


def ecm_eligible(session: Session, actor: User, end: dt.date) -> list[EligibleRow]:
    """The funnel's cohort for a plan: visible members whose latest determination of an ECM
    Population of Focus on or before `end` is eligible, one row per member and population.

    The funnel's definition (`funnel.eligible_on`), with the member's fields joined in so the
    report needs no second read of the members.
    """
    d = MemberDetermination
    statement = (
        select(d.program_id, *MEMBER_COLUMNS)
        .join(Member, Member.id == d.member_id)
        .where(*eligible_on(end), member_visible(actor))
    )
    return [EligibleRow(row[0], MemberRow._make(row[1:])) for row in session.execute(statement)]


class RequestRow(NamedTuple):
    """A Community Supports authorization requested in the period."""

    id: uuid.UUID
    version: int
    member_id: uuid.UUID
    program_id: str
    status: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None


class EpisodeRow(NamedTuple):
    """A Community Supports service episode overlapping the period."""

    id: uuid.UUID
    version: int
    member_id: uuid.UUID
    program_id: str


class ProviderRow(NamedTuple):
    """A provider organization's kind and declared profile."""

    kind: str
    programs_served: list[str] | None
    contracted_plans: list[str] | None
    capacity: int | None


def ecm_enrollments(
    session: Session, actor: User, start: dt.date, end: dt.date
) -> list[EnrollmentRow]:
    """Visible ECM enrollments enrolled on or before `end` and not discontinued before `start`,
    with the member's breakdown fields."""
    e = Enrollment
    statement = (
        select(e.id, e.version, e.enrolled_on, e.discontinued_on, e.discontinuation_reason_code,
               *MEMBER_COLUMNS)
        .join(Member, Member.id == e.member_id)
        .where(enrollment_visible(actor), e.enrolled_on.is_not(None), e.enrolled_on <= end,
               or_(e.discontinued_on.is_(None), e.discontinued_on >= start))
    )  # fmt: skip
    return [EnrollmentRow(row[0], row[1], row[2], row[3], row[4], MemberRow._make(row[5:]))
            for row in session.execute(statement) if row[2] is not None]  # fmt: skip


def cs_requests(
    session: Session, actor: User, starts: dt.datetime, ends: dt.datetime
) -> list[RequestRow]:
    """Visible Community Supports authorizations requested in [starts, ends)."""
    a = Authorization
    statement = select(
        a.id, a.version, a.member_id, a.program_id, a.status, a.requested_at, a.decided_at
    ).where(
        authorization_visible(actor), a.program_id.like("cs.%"),
        a.requested_at >= starts, a.requested_at < ends,
    )  # fmt: skip
    return [RequestRow(*row) for row in session.execute(statement)]


def cs_episodes(session: Session, actor: User, start: dt.date, end: dt.date) -> list[EpisodeRow]:
    """Visible Community Supports service episodes overlapping [start, end]."""
    s = ServiceEpisode
    # A plan sees its members' episodes: said as a join to the member, where the generic scope's
    # `member_id IN (the plan's members)` makes SQLite list every member of the plan first.
    scope = member_visible(actor) if is_plan(actor) else service_episode_visible(actor)
    statement = (
        select(s.id, s.version, s.member_id, s.program_id)
        .join(Member, Member.id == s.member_id)
        .where(scope, s.program_id.like("cs.%"), s.started_on <= end,
               or_(s.ended_on.is_(None), s.ended_on >= start))
    )  # fmt: skip
    return [EpisodeRow(*row) for row in session.execute(statement)]


def provider_profiles(session: Session) -> list[ProviderRow]:
    """Every provider organization's kind and profile (directory data, not member data)."""
    p = ProviderProfile
    statement = select(Organization.kind, p.programs_served, p.contracted_plans, p.capacity).join(
        p, p.organization_id == Organization.id
    )
    return [ProviderRow(*row) for row in session.execute(statement)]
