"""An RTF's members and enrollments read as plain column values (SQLAlchemy Core, no ORM objects).

Most rows of a monthly RTF only move a status forward; for those, loading 100k members and
enrollments into the ORM identity map cost more than everything else. Here they are read as
plain records with the same scoping (ops/access/scopes.py) and the same "latest enrollment with
each provider" choice as the ORM path; the state rules run on them unchanged
(apply_rtf_steps.forward_move) and the moves are written by status_batch.py.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import enrollment_visible, member_visible
from calaim.ops.models import Enrollment, Member, User

CHUNK = 2000
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PlainMember:
    """A visible member: id, person id and CIN."""

    id: uuid.UUID
    person_id: str
    cin: str | None


@dataclass(slots=True)
class PlainEnrollment:
    """The columns of an enrollment the status rules read and a plain move writes."""

    id: uuid.UUID
    member_id: uuid.UUID
    provider_organization_id: uuid.UUID
    status: str
    version: int
    assigned_on: dt.date
    outreach_started_on: dt.date | None
    enrolled_on: dt.date | None
    authorization_id: uuid.UUID | None
    authorization_override_reason: str | None


def plain_members(session: Session, actor: User, cins: Iterable[str]) -> dict[str, PlainMember]:
    """Visible members by CIN (or by person id, which calaim writes when a CIN is unknown)."""
    wanted = list(dict.fromkeys(cins))
    columns = (Member.id, Member.person_id, Member.cin)
    if _most_of(session, select(Member.id).where(member_visible(actor)), len(wanted)):
        # A file naming most of the plan's members: one scan beats thousands of bound CINs.
        queries = [select(*columns).where(member_visible(actor))]
    else:
        queries = [
            select(*columns).where(
                member_visible(actor), or_(Member.cin.in_(chunk), Member.person_id.in_(chunk))
            )
            for chunk in _chunks(wanted)
        ]
    names, found = set(wanted), {}
    for query in queries:
        for member_id, person_id, cin in session.execute(query):
            if cin in names or person_id in names:
                member = PlainMember(member_id, person_id, cin)
                found[person_id] = member
                if cin:
                    found[cin] = member
    return found


def plain_enrollments(
    session: Session, actor: User, member_ids: list[uuid.UUID]
) -> dict[tuple[uuid.UUID, uuid.UUID], PlainEnrollment]:
    """The latest visible enrollment of each member with each provider (as apply_rtf's ORM)."""
    columns = (
        Enrollment.id,
        Enrollment.member_id,
        Enrollment.provider_organization_id,
        Enrollment.status,
        Enrollment.version,
        Enrollment.assigned_on,
        Enrollment.outreach_started_on,
        Enrollment.enrolled_on,
        Enrollment.authorization_id,
        Enrollment.authorization_override_reason,
    )
    if _most_of(session, select(Enrollment.id).where(enrollment_visible(actor)), len(member_ids)):
        queries = [select(*columns).where(enrollment_visible(actor))]
    else:
        queries = [
            select(*columns).where(enrollment_visible(actor), Enrollment.member_id.in_(chunk))
            for chunk in _chunks(member_ids)
        ]
    wanted = set(member_ids)
    latest: dict[tuple[uuid.UUID, uuid.UUID], PlainEnrollment] = {}
    for query in queries:
        for values in session.execute(query):
            if values[1] not in wanted:
                continue
            enrollment = PlainEnrollment(**values._mapping)
            key = (enrollment.member_id, enrollment.provider_organization_id)
            seen = latest.get(key)
            if seen is None or enrollment.assigned_on > seen.assigned_on:
                latest[key] = enrollment
    return latest


def _chunks(values: Sequence[T]) -> list[Sequence[T]]:
    return [values[start : start + CHUNK] for start in range(0, len(values), CHUNK)]


def _most_of(session: Session, visible: Select[Any], wanted: int) -> bool:
    # Whether `wanted` rows are at least a quarter of the visible ones (then one scan).
    if wanted <= CHUNK:
        return False
    total = session.scalar(select(func.count()).select_from(visible.subquery())) or 0
    return wanted * 4 >= total
