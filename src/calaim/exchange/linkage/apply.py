"""Writing what a reconciliation found: contact changes on members (through the member's
scoped repository, audited) and disenrollment marks on linked persons."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.exchange.linkage.findings import ContactChange
from calaim.ops.access.scopes import active_enrollment_elsewhere, linked_person_visible
from calaim.ops.members.repository import MemberRepository
from calaim.ops.models import (
    ContactField,
    Enrollment,
    LinkedPerson,
    Member,
    MemberContactChange,
    Organization,
    User,
)


def apply_contact_change(
    session: Session,
    actor: User,
    member: Member,
    changes: dict[str, ContactChange],
    *,
    source: str,
    effective_on: dt.date,
) -> None:
    """Record each changed detail as a `MemberContactChange` and update the member through
    its scoped, audited repository (an address: street, city and ZIP together)."""
    fields: dict[str, str | None] = {}
    for name, change in changes.items():
        session.add(
            MemberContactChange(
                member_id=member.id,
                organization_id=actor.organization_id,
                field=ContactField(name).value,
                old_value=change.old,
                new_value=change.new,
                effective_on=effective_on,
                source=source,
            )
        )
        fields |= change.fields
    MemberRepository(session, actor).update_contact(member.id, source=source, **fields)


def mark_disenrolled(
    session: Session, actor: User, member_ids: Iterable[uuid.UUID], as_of: dt.date
) -> None:
    """Mark the linked persons of members missing from a full file as disenrolled."""
    ids = set(member_ids)
    people = session.scalars(
        select(LinkedPerson).where(linked_person_visible(actor), LinkedPerson.member_id.in_(ids))
    ).all()
    for person in people:
        person.disenrolled_on = as_of
        ids.discard(person.member_id) if person.member_id else None
    for member_id in ids:
        session.add(
            LinkedPerson(
                organization_id=actor.organization_id,
                member_id=member_id,
                first_seen_on=as_of,
                last_seen_on=as_of,
                disenrolled_on=as_of,
            )
        )


def enrollments_elsewhere(
    session: Session, actor: User, member_ids: set[uuid.UUID]
) -> dict[uuid.UUID, Organization]:
    """Matched members with an active ECM episode at another provider, by member id."""
    if not member_ids:
        return {}
    statement = (
        select(Enrollment.member_id, Organization)
        .join(Organization, Organization.id == Enrollment.provider_organization_id)
        .where(active_enrollment_elsewhere(actor), Enrollment.member_id.in_(member_ids))
    )
    return {member_id: org for member_id, org in session.execute(statement)}


def disenrolled_member_ids(session: Session, actor: User) -> set[uuid.UUID]:
    """Members already marked disenrolled by an earlier full file."""
    statement = select(LinkedPerson.member_id).where(
        linked_person_visible(actor), LinkedPerson.disenrolled_on.is_not(None)
    )
    return {member_id for member_id in session.scalars(statement) if member_id is not None}
