"""Stable person ids: each cluster of incoming rows takes the person of its best known match
(a stored person, or a member who becomes one), or a new person; the store keeps each new
version of a person's details so next month links against it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.exchange.linkage.known import FIELDS
from calaim.ops.access.scopes import linked_person_visible
from calaim.ops.models import LinkedPerson, Member, PersonRecord, User

RECORD_FIELDS = (*FIELDS, "address_line", "city")


class PersonResolver:
    """Finds or creates the linked person of each cluster, for one organization."""

    def __init__(self, session: Session, actor: User, as_of: dt.date) -> None:
        self.session = session
        self.actor = actor
        self.as_of = as_of
        self.by_key: dict[str, LinkedPerson] = {}
        self.new: list[LinkedPerson] = []

    def person(self, known_key: str | None, member: Member | None) -> LinkedPerson:
        """The person behind a known key (`p:` stored, `m:` member), or a new one."""
        if known_key is not None and known_key in self.by_key:
            return self.by_key[known_key]
        found: LinkedPerson | None = None
        if known_key is not None and known_key.startswith("p:"):
            found = self.session.scalars(
                select(LinkedPerson).where(
                    linked_person_visible(self.actor),
                    LinkedPerson.id == uuid.UUID(known_key[2:]),
                )
            ).first()
        if found is None:
            found = LinkedPerson(
                id=uuid.uuid4(),
                organization_id=self.actor.organization_id,
                member_id=member.id if member is not None else None,
                first_seen_on=self.as_of,
                last_seen_on=self.as_of,
            )
            self.new.append(found)
        if known_key is not None:
            self.by_key[known_key] = found
        return found


def fingerprint(row: dict[str, Any]) -> str:
    """A digest of a row's identifying details."""
    values = {name: str(row.get(name)) for name in RECORD_FIELDS}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def save_people(
    session: Session,
    resolver: PersonResolver,
    rows: list[tuple[LinkedPerson, dict[str, Any]]],
    source: str,
) -> None:
    """Add new persons, mark everyone seen, and keep each new version of their details."""
    session.add_all(resolver.new)
    session.flush()
    known: set[tuple[uuid.UUID, str]] = {
        (person_id, digest)
        for person_id, digest in session.execute(
            select(PersonRecord.person_id, PersonRecord.fingerprint).where(
                PersonRecord.person_id.in_({person.id for person, _ in rows})
            )
        )
    }
    for person, row in rows:
        person.last_seen_on = max(person.last_seen_on, resolver.as_of)
        person.disenrolled_on = None
        digest = fingerprint(row)
        if (person.id, digest) in known:
            continue
        known.add((person.id, digest))
        details = {name: row.get(name) for name in RECORD_FIELDS}
        session.add(
            PersonRecord(
                person_id=person.id,
                organization_id=resolver.actor.organization_id,
                fingerprint=digest,
                source=source,
                seen_on=resolver.as_of,
                **details,
            )
        )
    session.flush()
