"""The one scoped repository base of the ops layer (after Polar's `RepositoryBase`).

A domain repository names its row type, its scope (a condition from
`calaim.ops.access.scopes`: the one place scoping is decided) and how a missing row is
reported. In return it gets `readable()` (every query starts there) and `get_visible()`: the
visible row, or an audited not-found. A row out of the actor's scope is reported exactly like
one that does not exist, and the failed look-up leaves a trail, so probing for other tenants'
ids is visible in the audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, NoReturn, TypeVar

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from calaim.ops.audit.service import record
from calaim.ops.errors import NotFound
from calaim.ops.models import AuditEvent, Base, User

__all__ = ["Missing", "ScopedRepository", "first_visible", "not_found"]

RowT = TypeVar("RowT")
ModelT = TypeVar("ModelT", bound=Base)


@dataclass(frozen=True)
class Missing:
    """How a look-up reports a row it cannot show: the audited entity, the error, its words."""

    entity_type: str
    error: type[NotFound]
    message: str = "{entity} {id} not found"
    action: str | None = None  # the audit action; `<entity_type>.not_found` unless named
    noun: str | None = None  # how the message names the row; the entity type unless named

    def audit_action(self) -> str:
        """The audit action of a failed look-up."""
        return self.action or f"{self.entity_type}.not_found"

    def text(self, row_id: object) -> str:
        """The error's message (never more than the id the caller already sent)."""
        return self.message.format(entity=self.noun or self.entity_type, id=row_id)


def not_found(session: Session, actor: User, row_id: object, missing: Missing) -> NoReturn:
    """Audit a failed look-up of `row_id` and raise the repository's own not-found error."""
    # Failed look-ups are audited too: probing for other tenants' ids leaves a trail.
    record(
        session,
        actor,
        missing.audit_action(),
        None,
        entity_type=missing.entity_type,
        entity_id=str(row_id),
    )
    session.flush()
    raise missing.error(missing.text(row_id))


def first_visible(
    session: Session,
    actor: User,
    statement: Select[Any],
    row_id: object,
    missing: Missing,
    *,
    allow: Callable[[Any], bool] | None = None,
) -> Any:
    """The first row of an already scoped `statement`, or an audited not-found."""
    found = session.scalars(statement).unique().first()
    if found is None or (allow is not None and not allow(found)):
        not_found(session, actor, row_id, missing)
    return found


class ScopedRepository(Generic[ModelT]):
    """Reads and writes of one model on behalf of one user, within the user's scope."""

    model: ClassVar[type[Any]]
    missing: ClassVar[Missing]
    # Rows with a `member`: their audit events name the member's person id for the trail.
    names_member: ClassVar[bool] = False

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def visible(self) -> ColumnElement[bool]:
        """The condition on `model` true for the rows the actor may see."""
        raise NotImplementedError  # every domain names its scope; none is open by default

    def readable(self) -> Select[ModelT]:
        """The rows the actor may see (rules in `calaim.ops.access.scopes`)."""
        return select(self.model).where(self.visible())

    def get_visible(
        self,
        row_id: uuid.UUID,
        *,
        action: str | None = None,
        allow: Callable[[ModelT], bool] | None = None,
    ) -> ModelT:
        """One visible row by id (audited as `action` when named), or an audited not-found.

        `allow` narrows further (e.g. Part 2): a row it refuses is not found, like any other.
        """
        statement = self.readable().where(self.model.id == row_id)
        found: ModelT = first_visible(
            self.session, self.actor, statement, row_id, self.missing, allow=allow
        )
        if action is not None:
            self._audit_row(action, found)
            self.session.flush()
        return found

    def not_found(self, row_id: object, missing: Missing | None = None) -> NoReturn:
        """Audit a failed look-up and raise this repository's not-found error."""
        not_found(self.session, self.actor, row_id, missing or self.missing)

    def _audit_row(
        self, action: str, row: ModelT, details: dict[str, Any] | None = None
    ) -> AuditEvent:
        """Record `action` on `row` (with the member's person id when `names_member`)."""
        event = record(self.session, self.actor, action, row, details=dict(details or {}))
        if self.names_member:
            event.member_person_id = row.member.person_id  # type: ignore[attr-defined]
        return event
