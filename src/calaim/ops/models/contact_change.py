"""A member's changed address or phone, learned from a roster or a provider's return file.

Reconciliation (roster linkage) and RTF ingest record each change here; the RTF export sets
"Member New Address Indicator" / "Member New Phone Number Indicator" from these rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, enum_check, enum_column, utc_now, uuid_pk


class ContactField(StrEnum):
    """Which contact detail changed."""

    ADDRESS = "address"
    PHONE = "phone"


class MemberContactChange(Base):
    """One change of one contact detail, effective on a business date, from a named source."""

    __tablename__ = "member_contact_changes"
    __table_args__ = (enum_check("field", ContactField, "field"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    # The organization whose file reported the change (tenant scoping of the change itself).
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    field: Mapped[str] = enum_column(ContactField)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    effective_on: Mapped[dt.date] = mapped_column(Date, index=True)
    # e.g. "roster:<file name>", "rtf:<file name>"
    source: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
