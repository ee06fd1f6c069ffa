"""Every member query, scoped to the acting user's organization and audited.

Each query starts from `readable()`, which takes its rule from `calaim.ops.access.scopes` (the
one place scoping is decided). A member the actor may not see is reported as not found, so an
error never reveals that it exists.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ColumnElement, select

from calaim.ops.access.scopes import member_visible
from calaim.ops.audit.service import record
from calaim.ops.errors import Forbidden, NotFound
from calaim.ops.models import Member, OrganizationKind
from calaim.ops.repository_base import Missing, ScopedRepository

# Fields a member write may set; ownership (the plan) is never taken from the caller.
WRITABLE_FIELDS = frozenset(
    {"cin", "first_name", "last_name", "birth_date", "payer", "county", "language"}
)
# Contact details an update from a file (a roster, an RTF) may set: an address moves whole.
CONTACT_FIELDS = frozenset({"address_line", "city", "zip_code", "phone"})


class MemberNotFound(NotFound):
    """No member with that id is visible to the actor (it may not exist at all)."""


class MemberWriteRefused(Forbidden):
    """The actor's organization may not create or change members."""


class MemberRepository(ScopedRepository[Member]):
    """Reads and writes of members on behalf of one user."""

    model = Member
    missing = Missing("member", MemberNotFound)

    def visible(self) -> ColumnElement[bool]:
        """The members the actor may see (rules in `calaim.ops.access.scopes`)."""
        return member_visible(self.actor)

    def list(self, *, limit: int = 50, offset: int = 0) -> list[Member]:
        """One page of visible members, by last name; each member shown is audited."""
        statement = (
            self.readable()
            .order_by(Member.last_name, Member.first_name, Member.id)
            .limit(limit)
            .offset(offset)
        )
        members = list(self.session.scalars(statement))
        for member in members:
            record(self.session, self.actor, "member.list", member)
        self.session.flush()
        return members

    def get(self, member_id: uuid.UUID) -> Member:
        """One visible member by id, or `MemberNotFound` (also for another tenant's member)."""
        return self.get_visible(member_id, action="member.read")

    def person_id_taken(self, person_id: str) -> bool:
        """Whether a visible member already has `person_id`."""
        taken = self.readable().where(Member.person_id == person_id)
        return bool(self.session.scalars(select(taken.exists())).first())

    def create(
        self,
        *,
        person_id: str,
        first_name: str,
        last_name: str,
        birth_date: dt.date,
        county: str,
        cin: str | None = None,
        language: str | None = None,
    ) -> Member:
        """A new member of the actor's plan (the payer is the plan's code)."""
        organization = self.actor.organization
        if organization.kind != OrganizationKind.PLAN or organization.plan_code is None:
            raise MemberWriteRefused("only a plan's users may add members to it")
        member = Member(
            plan_organization_id=organization.id,
            person_id=person_id,
            cin=cin,
            first_name=first_name,
            last_name=last_name,
            birth_date=birth_date,
            payer=organization.plan_code,
            county=county,
            language=language,
        )
        self.session.add(member)
        self.session.flush()
        record(self.session, self.actor, "member.create", member)
        self.session.flush()
        return member

    def update(self, member_id: uuid.UUID, **changes: Any) -> Member:
        """Change a visible member's fields; the audit event lists what changed from what."""
        unknown = set(changes) - WRITABLE_FIELDS
        if unknown:
            raise ValueError(f"cannot set member field(s) {', '.join(sorted(unknown))}")
        return self._change(member_id, changes, {})

    def update_contact(self, member_id: uuid.UUID, *, source: str, **changes: str | None) -> Member:
        """Change a visible member's address (street, city, ZIP) or phone, audited with the
        source of the change (e.g. `roster:<file name>`)."""
        unknown = set(changes) - CONTACT_FIELDS
        if unknown:
            raise ValueError(f"cannot set contact field(s) {', '.join(sorted(unknown))}")
        return self._change(member_id, changes, {"source": source})

    def _change(
        self, member_id: uuid.UUID, changes: dict[str, Any], extra: dict[str, Any]
    ) -> Member:
        member = self.session.scalars(self.readable().where(Member.id == member_id)).first()
        if member is None:
            raise MemberNotFound(f"member {member_id} not found")
        before = {name: _jsonable(getattr(member, name)) for name in changes}
        for name, value in changes.items():
            setattr(member, name, value)
        after = {name: _jsonable(value) for name, value in changes.items()}
        record(
            self.session,
            self.actor,
            "member.update",
            member,
            details={"before": before, "after": after, **extra},
        )
        self.session.flush()
        return member


def _jsonable(value: Any) -> Any:
    """A value the JSON details column can hold (dates as ISO text)."""
    return value.isoformat() if isinstance(value, dt.date) else value
