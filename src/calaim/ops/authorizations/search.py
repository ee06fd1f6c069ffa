"""Filtered, counted, audited lists of authorizations (scoped by the repository's `readable()`).

`overdue=True` is the plan's work queue: the repository's overdue query (undecided and past
`decision_due_at` at `now`), the most overdue first; it needs `authorization.decide`, like
`AuthorizationService.overdue`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.authorizations.repository import AuthorizationRepository
from calaim.ops.models import Authorization, User
from calaim.ops.models.authorization import AuthorizationStatus
from calaim.ops.paging import PageRequest, PageResult, fetch_page


@dataclass(frozen=True)
class AuthorizationFilter:
    """Optional exact-match filters of an authorization list, and the overdue queue."""

    status: AuthorizationStatus | None = None
    program_id: str | None = None
    member_id: uuid.UUID | None = None
    overdue: bool = False
    # Any of these statuses (the review desk's "to decide": pending or presumptive).
    statuses: tuple[AuthorizationStatus, ...] = ()
    urgency: str | None = None


# The orders a list can ask for (the overdue queue keeps its own: most overdue first).
SORTS: dict[str, tuple[Any, ...]] = {
    "newest": (Authorization.requested_at.desc(), Authorization.id),
    "oldest": (Authorization.requested_at, Authorization.id),
    "due": (Authorization.decision_due_at, Authorization.id),
}


def search_authorizations(
    session: Session,
    actor: User,
    filters: AuthorizationFilter,
    page: PageRequest,
    now: dt.datetime,
    sort: str = "newest",
) -> PageResult[Authorization]:
    """One page of visible authorizations (newest request first unless `sort` says otherwise:
    a key of `SORTS`); each one shown is audited."""
    require(actor, Permission.AUTHORIZATION_READ)
    repository = AuthorizationRepository(session, actor)
    if filters.overdue:
        require(actor, Permission.AUTHORIZATION_DECIDE)
        statement = repository.overdue_query(now)
        order: tuple[Any, ...] = (Authorization.decision_due_at, Authorization.id)
        action = "authorization.overdue"
    else:
        statement = repository.readable()
        order = SORTS.get(sort, SORTS["newest"])
        action = "authorization.list"
    if filters.status is not None:
        statement = statement.where(Authorization.status == filters.status.value)
    if filters.statuses:
        statement = statement.where(Authorization.status.in_([s.value for s in filters.statuses]))
    if filters.urgency is not None:
        statement = statement.where(Authorization.urgency == filters.urgency)
    if filters.program_id is not None:
        statement = statement.where(Authorization.program_id == filters.program_id)
    if filters.member_id is not None:
        statement = statement.where(Authorization.member_id == filters.member_id)
    result = fetch_page(session, statement, page, *order)
    for authorization in result.items:
        repository.audit(action, authorization)
    session.flush()
    return result
