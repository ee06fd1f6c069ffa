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


def search_authorizations(
    session: Session, actor: User, filters: AuthorizationFilter, page: PageRequest, now: dt.datetime
) -> PageResult[Authorization]:
    """One page of visible authorizations (newest request first); each one shown is audited."""
    require(actor, Permission.AUTHORIZATION_READ)
    repository = AuthorizationRepository(session, actor)
    if filters.overdue:
        require(actor, Permission.AUTHORIZATION_DECIDE)
        statement = repository.overdue_query(now)
        order: tuple[Any, ...] = (Authorization.decision_due_at, Authorization.id)
        action = "authorization.overdue"
    else:
        statement = repository.readable()
        order = (Authorization.requested_at.desc(), Authorization.id)
        action = "authorization.list"
    if filters.status is not None:
        statement = statement.where(Authorization.status == filters.status.value)
    if filters.program_id is not None:
        statement = statement.where(Authorization.program_id == filters.program_id)
    if filters.member_id is not None:
        statement = statement.where(Authorization.member_id == filters.member_id)
    result = fetch_page(session, statement, page, *order)
    for authorization in result.items:
        repository.audit(action, authorization)
    session.flush()
    return result
