"""A member's contact details kept current by the people who reach them.

The member's assigned ECM provider learns a new phone or address during outreach; the plan
learns it from a roster. Either records it here: the member row changes, each changed detail
becomes a `MemberContactChange` (so the RTF's "new address / new phone" indicators go back to
the plan) and the change is audited with the values before and after. Nobody else may change
contact details; another organization's member is "not found".
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.audit.service import record
from calaim.ops.enrollments.repository import EnrollmentRepository
from calaim.ops.errors import Forbidden, InvalidRequest
from calaim.ops.members.repository import MemberRepository
from calaim.ops.models import ContactField, EnrollmentStatus, Member, MemberContactChange, User
from calaim.ops.paging import PageRequest

ACTIVE = (EnrollmentStatus.ASSIGNED, EnrollmentStatus.OUTREACH, EnrollmentStatus.ENROLLED)


class ContactUpdateRefused(Forbidden):
    """Only the member's plan or assigned ECM provider keeps their contact details."""


class InvalidContact(InvalidRequest):
    """A contact detail is malformed."""


@dataclass(frozen=True)
class Contact:
    """The contact details as the form or the API sends them (None: leave unchanged)."""

    phone: str | None = None
    address_line: str | None = None
    city: str | None = None
    zip_code: str | None = None
    best_time_to_reach: str | None = None


class ContactService:
    """Updating one member's contact details on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def update(
        self, member_id: uuid.UUID, contact: Contact, *, today: dt.date, now: dt.datetime
    ) -> Member:
        """Apply the changed details (effective `today`), record and audit each change."""
        member = MemberRepository(self.session, self.actor).get(member_id)
        self._check_may_update(member)
        _check(contact)
        before = {
            "phone": member.phone,
            "address": _address(member.address_line, member.city, member.zip_code),
            "best_time_to_reach": member.best_time_to_reach,
        }
        if contact.phone is not None and contact.phone != (member.phone or ""):
            self._change(member, ContactField.PHONE, member.phone, contact.phone, today, now)
            member.phone = contact.phone or None
        address = (contact.address_line, contact.city, contact.zip_code)
        if any(part is not None for part in address):
            new = tuple(part or None for part in address)
            if new != (member.address_line, member.city, member.zip_code):
                old = before["address"]
                self._change(member, ContactField.ADDRESS, old, _address(*new) or "", today, now)
                member.address_line, member.city, member.zip_code = new
        if contact.best_time_to_reach is not None:
            member.best_time_to_reach = contact.best_time_to_reach or None
        after = {
            "phone": member.phone,
            "address": _address(member.address_line, member.city, member.zip_code),
            "best_time_to_reach": member.best_time_to_reach,
        }
        changed = {
            k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]
        }
        if changed:
            record(self.session, self.actor, "member.contact_change", member, details=changed)
        self.session.flush()
        return member

    def _check_may_update(self, member: Member) -> None:
        if allowed(self.actor, Permission.MEMBER_WRITE):
            return
        if allowed(self.actor, Permission.OUTREACH_RECORD):
            enrollments = EnrollmentRepository(self.session, self.actor)
            found = enrollments.search(PageRequest(limit=20), member_id=member.id).items
            if any(
                e.provider_organization_id == self.actor.organization_id and e.status in ACTIVE
                for e in found
            ):
                return
        raise ContactUpdateRefused(
            "only the member's plan or their assigned ECM provider may change contact details"
        )

    def _change(
        self,
        member: Member,
        field: ContactField,
        old: str | None,
        new: str,
        today: dt.date,
        now: dt.datetime,
    ) -> None:
        self.session.add(
            MemberContactChange(
                member_id=member.id,
                organization_id=self.actor.organization_id,
                field=field.value,
                old_value=old,
                new_value=new,
                effective_on=today,
                source=f"workspace:{self.actor.name}"[:200],
                recorded_at=now,
            )
        )


def _check(contact: Contact) -> None:
    if contact.phone:
        digits = "".join(ch for ch in contact.phone if ch.isdigit())
        if len(digits) not in (10, 11) or any(ch.isalpha() for ch in contact.phone):
            raise InvalidContact(
                f"phone {contact.phone!r} is not a phone number; write 10 digits, "
                "for example (213) 555-0110",
                field="phone",
            )
    if contact.zip_code and not (
        len(contact.zip_code) in (5, 10) and contact.zip_code[:5].isdigit()
    ):
        raise InvalidContact(
            f"ZIP code {contact.zip_code!r} is not a ZIP code; write 5 digits, for example 90012",
            field="zip_code",
        )


def _address(line: str | None, city: str | None, zip_code: str | None) -> str | None:
    text = ", ".join(part for part in (line, city, zip_code) if part)
    return text or None
