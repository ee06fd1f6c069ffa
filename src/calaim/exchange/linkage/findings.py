"""From linked rows to report rows: duplicates, matches, contact changes, new people,
disenrollments and members assigned elsewhere (pure; no database)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from calaim.exchange.linkage.model import LinkageModel
from calaim.ops.models import Member

CATEGORIES = (
    "duplicate",
    "matched",
    "address_changed",
    "phone_changed",
    "not_found",
    "possible_match",
    "disenrolled",
    "assigned_elsewhere",
)


@dataclass
class ReportRow:
    """One line of a reconciliation report."""

    category: str
    row: int | None
    person_id: str | None
    member_person_id: str | None = None
    name: str | None = None
    probability: float | None = None
    evidence: dict[str, str] = field(default_factory=dict)
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dict(self.__dict__)


def display_name(row: dict[str, Any]) -> str:
    """`LAST, FIRST` of a linked row."""
    return f"{row.get('last_name') or ''}, {row.get('first_name') or ''}"


def evidence(model: LinkageModel, row: dict[str, Any]) -> dict[str, str]:
    """Each comparison's level (and weight) for the row's best known match."""
    out = {}
    for name in model.comparison_names():
        weight = row.get(f"mw_{name}")
        label = model.level_label(name, weight)
        out[name] = label if weight is None else f"{label} ({weight:+.1f})"
    return out


@dataclass(frozen=True)
class ContactChange:
    """One changed contact detail: as the report shows it, and the member fields it sets."""

    old: str | None
    new: str
    fields: dict[str, str | None]


def _phone(value: str | None) -> str | None:
    digits = re.sub(r"\D", "", value or "")[-10:]
    return digits or None


def _text(value: str | None) -> str | None:
    return re.sub(r"\s+", " ", (value or "").strip().upper()) or None


def _zip(value: str | None) -> str | None:
    return re.sub(r"\D", "", value or "")[:5] or None


def address_text(street: str | None, city: str | None, zip_code: str | None) -> str | None:
    """An address as one line: `STREET, CITY ZIP` (missing parts left out)."""
    place = " ".join(part for part in (city, zip_code) if part)
    return ", ".join(part for part in (street, place) if part) or None


def _address_change(row: dict[str, Any], member: Member) -> ContactChange | None:
    """The roster's address when it differs from the member's: street, city and ZIP move
    together (a part the roster leaves empty keeps the member's value)."""
    street = row.get("address_line")
    if not street:
        return None
    old = (_text(member.address_line), _text(member.city), _zip(member.zip_code))
    new = (street, row.get("city") or old[1], row.get("zip_code") or old[2])
    if new == old:
        return None
    return ContactChange(
        address_text(member.address_line, member.city, member.zip_code),
        address_text(*new) or street,
        {"address_line": new[0], "city": new[1], "zip_code": new[2]},
    )


def contact_changes(row: dict[str, Any], member: Member) -> dict[str, ContactChange]:
    """Address and phone the roster gives differently from the member's, by field."""
    changes: dict[str, ContactChange] = {}
    address = _address_change(row, member)
    if address is not None:
        changes["address"] = address
    phone = row.get("phone")
    if phone and _phone(member.phone) != phone:
        changes["phone"] = ContactChange(member.phone, phone, {"phone": phone})
    return changes


def ended(row: dict[str, Any], as_of: dt.date) -> bool:
    """Whether the row's eligibility ended before the file's as-of date."""
    end = row.get("eligibility_end_date")
    return isinstance(end, dt.date) and end < as_of
