"""Roster linkage: stable people per organization, the records seen of them, and reports.

A `LinkedPerson` is one real person as an organization's rosters know them; its id is the
stable person id that stays the same from one monthly file to the next. Each `PersonRecord`
is one distinct version of that person's identifying details (as seen in a file, or taken
from the member), so next month's file links against what was seen before without relinking
everything. A `RosterReport` keeps what one reconciliation found (JSON), for download.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, enum_check, enum_column, utc_now, uuid_pk


class RosterKind(StrEnum):
    """Whose file it is: a plan's monthly member file or a provider's roster."""

    MEMBER_FILE = "member-file"
    PROVIDER_ROSTER = "provider-roster"


class LinkedPerson(Base):
    """One person as one organization's rosters know them (the id is the stable person id)."""

    __tablename__ = "linked_persons"
    # A member is one person per organization (NULL members: people not known as members).
    __table_args__ = (UniqueConstraint("organization_id", "member_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    first_seen_on: Mapped[dt.date] = mapped_column(Date)
    last_seen_on: Mapped[dt.date] = mapped_column(Date)
    # Set when a full member file no longer lists the person (cleared when they come back).
    disenrolled_on: Mapped[dt.date | None] = mapped_column(Date)


class PersonRecord(Base):
    """One distinct set of identifying details of a linked person, as first seen."""

    __tablename__ = "person_records"
    __table_args__ = (UniqueConstraint("person_id", "fingerprint"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("linked_persons.id", ondelete="RESTRICT"), index=True
    )
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    # A digest of the details below: the same details are stored once per person.
    fingerprint: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(200))
    seen_on: Mapped[dt.date] = mapped_column(Date)
    cin: Mapped[str | None] = mapped_column(String(20))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(1))
    address_line: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    zip_code: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(20))


class RosterReport(Base):
    """What one reconciliation of one file found (kept also for dry runs)."""

    __tablename__ = "roster_reports"
    __table_args__ = (enum_check("kind", RosterKind, "kind"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    file_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = enum_column(RosterKind)
    as_of: Mapped[dt.date] = mapped_column(Date)
    dry_run: Mapped[bool] = mapped_column(Boolean)
    row_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now, index=True)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rows: Mapped[list[Any]] = mapped_column(JSON, default=list)
