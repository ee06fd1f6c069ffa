"""Member rules over the repository: filtered, counted lists; versioned updates; no duplicates.

Members have no version column, so their version is a digest of their stored values (a strong
ETag in HTTP terms): any change to the member changes it, and an update based on an older read
is refused (`StaleMember`). The row is locked while it is compared and changed.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.audit.service import record
from calaim.ops.errors import Conflict, StaleVersion
from calaim.ops.members.repository import MemberRepository
from calaim.ops.models import Member, User
from calaim.ops.paging import PageRequest, PageResult, fetch_page


class StaleMember(StaleVersion):
    """The member changed since the caller read it; read it again and retry."""


class DuplicateMember(Conflict):
    """The plan already has a member with this person id."""


@dataclass(frozen=True)
class MemberFilter:
    """Optional exact-match filters of a member list."""

    county: str | None = None
    person_id: str | None = None
    cin: str | None = None


def member_version(member: Member) -> str:
    """A digest of the member's stored values: it changes whenever the member does."""
    values = {c.key: getattr(member, c.key) for c in Member.__table__.columns}
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class MemberService:
    """Member reads and writes on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = MemberRepository(session, actor)

    def search(self, filters: MemberFilter, page: PageRequest) -> PageResult[Member]:
        """One page of visible members matching `filters`; each member shown is audited."""
        statement = self.repository.readable()
        for name in ("county", "person_id", "cin"):
            value = getattr(filters, name)
            if value is not None:
                statement = statement.where(getattr(Member, name) == value)
        order = (Member.last_name, Member.first_name, Member.id)
        result = fetch_page(self.session, statement, page, *order)
        for member in result.items:
            record(self.session, self.actor, "member.list", member)
        self.session.flush()
        return result

    def get(self, member_id: uuid.UUID) -> Member:
        """One visible member (audited), or `MemberNotFound`."""
        return self.repository.get(member_id)

    def create(self, **fields: Any) -> Member:
        """A new member of the actor's plan; `DuplicateMember` if the person id is taken."""
        if self.repository.person_id_taken(fields["person_id"]):
            raise DuplicateMember(
                f"your plan already has a member with person_id {fields['person_id']!r}; "
                "update that member instead",
            )
        return self.repository.create(**fields)

    def update(
        self, member_id: uuid.UUID, expected_version: str, changes: dict[str, Any]
    ) -> Member:
        """Change a visible member last read at `expected_version`."""
        member = self.repository.get(member_id)
        # Lock the row (PostgreSQL) so two updates cannot both pass the version check.
        self.session.refresh(member, with_for_update=True)
        current = member_version(member)
        if current != expected_version:
            raise StaleMember(
                f"member {member_id} was changed since version {expected_version} "
                f"(it is now at version {current}); read it again and retry"
            )
        if not changes:
            return member
        return self.repository.update(member_id, **changes)
