"""Every letter query: a letter is read by its plan, and by the provider it was sent to."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ColumnElement, select

from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import authorization_visible
from calaim.ops.audit.service import record
from calaim.ops.errors import NotFound
from calaim.ops.models import Authorization, Notice
from calaim.ops.models.letter import Letter
from calaim.ops.repository_base import Missing, ScopedRepository


class LetterNotFound(NotFound):
    """No letter with that id is visible to the actor (it may not exist at all)."""


class LetterRepository(ScopedRepository[Letter]):
    """Letters on behalf of one user: those on authorizations the user may see."""

    model = Letter
    missing = Missing("letter", LetterNotFound)

    def visible(self) -> ColumnElement[bool]:
        """Letters on authorizations the actor may see."""
        visible = select(Authorization.id).where(authorization_visible(self.actor))
        return Letter.authorization_id.in_(visible)

    def for_authorization(self, authorization_id: uuid.UUID) -> list[Letter]:
        """The letters sent about one authorization, oldest first."""
        require(self.actor, Permission.AUTHORIZATION_READ)
        statement = (
            select(Letter)
            .where(self.visible(), Letter.authorization_id == authorization_id)
            .order_by(Letter.created_at, Letter.id)
        )
        return list(self.session.scalars(statement))

    def get(self, letter_id: uuid.UUID) -> Letter:
        """One visible letter (audited), or `LetterNotFound`."""
        require(self.actor, Permission.AUTHORIZATION_READ)
        letter = self.get_visible(letter_id)
        self._audit_row("letter.read", letter, {"kind": letter.kind})
        self.session.flush()
        return letter

    def notices_of(self, authorization_id: uuid.UUID, at: dt.datetime) -> list[Notice]:
        """The notices a decision on the authorization added at `at` (its letter goes with them)."""
        self.session.flush()
        statement = select(Notice).where(
            Notice.subject_type == "authorization",
            Notice.subject_id == authorization_id,
            Notice.created_at == at,
        )
        return list(self.session.scalars(statement))

    def add(self, letter: Letter) -> Letter:
        """Store a letter (audited as sent)."""
        self.session.add(letter)
        self.session.flush()
        record(self.session, self.actor, "letter.create", letter,
               details={"kind": letter.kind, "language": letter.language})  # fmt: skip
        return letter
