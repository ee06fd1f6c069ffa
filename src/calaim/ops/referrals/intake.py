"""What a referrer sends: how to find the member, and the standardized referral form.

Referrers do not know calaim's member ids. They name the member as the Medi-Cal card does:
the CIN and birth date, or the last and first name and birth date. A look-up that finds no
single member fails with the same message whether nobody or several people match, so it
reveals nothing about who is a member.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import member_visible, sees_member_rows
from calaim.ops.errors import InvalidRequest, NotFound
from calaim.ops.models import ContactPreference, Member, ReferralUrgency, User

# A phone number as people write it: digits with spaces, dots, dashes, brackets or a leading +,
# 10 digits (US) up to 15 (E.164).
_PHONE = re.compile(r"^\+?[0-9 ().-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class MemberNotMatched(NotFound):
    """No single member matches the details a referrer gave (or the actor may not refer)."""


@dataclass(frozen=True)
class MemberLookup:
    """How a referrer names the member: CIN + birth date, or names + birth date."""

    birth_date: dt.date
    cin: str | None = None
    last_name: str | None = None
    first_name: str | None = None

    def by(self) -> str:
        """Which identifiers the look-up uses (`cin` or `name`), after checking them."""
        if self.cin and self.cin.strip():
            return "cin"
        if self.last_name and self.last_name.strip() and self.first_name:
            return "name"
        raise InvalidRequest(
            "name the member by CIN and birth date, or by last name, first name and birth date",
            field="member",
        )

    def hint(self) -> str:
        """What the referrer should check when nothing matches."""
        if self.by() == "cin":
            return "check the CIN and birth date as they appear on the member's Medi-Cal card"
        return (
            "check the name and birth date as they appear on the member's Medi-Cal card, "
            "or give the CIN and birth date instead"
        )


@dataclass(frozen=True)
class IntakeForm:
    """The standardized referral form's fields (all optional but the urgency and consent)."""

    member_consented: bool
    urgency: ReferralUrgency = ReferralUrgency.ROUTINE
    referrer_contact_name: str | None = None
    referrer_contact_phone: str | None = None
    referrer_contact_email: str | None = None
    reason: str | None = None
    requested_services: str | None = None
    member_phone: str | None = None
    member_contact_preference: ContactPreference | None = None
    notes: str | None = None

    def check(self) -> None:
        """Raise `InvalidRequest` naming the first malformed field."""
        for name in ("referrer_contact_phone", "member_phone"):
            value = getattr(self, name)
            if value is not None and not _is_phone(value):
                raise InvalidRequest(f"{name} {value!r} is not a phone number", field=name)
        email = self.referrer_contact_email
        if email is not None and not _EMAIL.match(email):
            raise InvalidRequest(
                f"referrer_contact_email {email!r} is not an email address",
                field="referrer_contact_email",
            )
        if self.member_contact_preference == ContactPreference.PHONE and not self.member_phone:
            raise InvalidRequest(
                "the member prefers phone contact: give member_phone", field="member_phone"
            )


def _is_phone(value: str) -> bool:
    digits = sum(character.isdigit() for character in value)
    return bool(_PHONE.match(value)) and 10 <= digits <= 15


def find_member(session: Session, actor: User, lookup: MemberLookup) -> Member:
    """The one member `lookup` names, across plans, or `MemberNotMatched`."""
    candidates = list(session.scalars(_matching(lookup)))
    if sees_member_rows(actor) and len(candidates) > 1:
        # A plan or provider naming a member it already serves gets that row even when the
        # same person also appears under another plan (a plan change).
        mine = list(session.scalars(_matching(lookup).where(member_visible(actor))))
        if len(mine) == 1:
            return mine[0]
    if len(candidates) == 1:
        return candidates[0]
    # The same message for no match and for several: nothing says who is a member.
    raise MemberNotMatched(f"no single member matches the details given; {lookup.hint()}")


def _matching(lookup: MemberLookup) -> Select[Member]:
    """Members matching the look-up, unscoped on purpose: referrers refer across plans."""
    statement = select(Member).where(Member.birth_date == lookup.birth_date)
    if lookup.by() == "cin":
        cin = (lookup.cin or "").strip().upper()
        return statement.where(func.upper(Member.cin) == cin)
    last = (lookup.last_name or "").strip().lower()
    first = (lookup.first_name or "").strip().lower()
    return statement.where(
        func.lower(Member.last_name) == last, func.lower(Member.first_name) == first
    )
