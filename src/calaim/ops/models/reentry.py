"""Reentry: one person's path from custody to the community (docs/reentry.md).

A `ReentryCase` is opened by the correctional facility for a member expected to be released;
the 90-day pre-release window, the deadlines and the warm handoff all count from
`expected_release_on`. Every step is a `ReentryEvent` (who, when, what changed).
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from calaim.ops.models.base import Base, enum_check, enum_column, uuid_pk
from calaim.ops.models.member import Member


class ReentryStatus(StrEnum):
    """Where the case stands: still in custody, released, or no release expected any more."""

    PRE_RELEASE = "pre_release"
    RELEASED = "released"
    CANCELLED = "cancelled"


class MediCalStatus(StrEnum):
    """The member's Medi-Cal during custody (benefits may be suspended, SB 184)."""

    NOT_STARTED = "not_started"
    APPLICATION_SUBMITTED = "application_submitted"
    SUSPENDED = "suspended"
    ACTIVE = "active"


class ReentryEventKind(StrEnum):
    """One step of a case, as recorded in its history."""

    OPENED = "opened"
    MEDI_CAL = "medi_cal"
    CARE_MANAGER = "care_manager"
    ASSESSMENT = "assessment"
    CARE_PLAN = "care_plan"
    POST_RELEASE_PROVIDER = "post_release_provider"
    HANDOFF_SCHEDULED = "handoff_scheduled"
    HANDOFF_HELD = "handoff_held"
    RELEASE_SUPPLY = "release_supply"
    DATE_EARLY = "date_early"
    DATE_LATE = "date_late"
    CANCELLED = "cancelled"
    RELEASED = "released"


class ReentryCase(Base):
    """One member's expected release from one facility and the pre-release work for it."""

    __tablename__ = "reentry_cases"
    __table_args__ = (
        enum_check("status", ReentryStatus, "status"),
        enum_check("medi_cal_status", MediCalStatus, "medi_cal_status"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    facility_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    # The member's plan when the case was opened (it sees and coordinates the case).
    plan_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[str] = enum_column(ReentryStatus)
    expected_release_on: Mapped[dt.date | None] = mapped_column(Date)
    released_on: Mapped[dt.date | None] = mapped_column(Date)
    medi_cal_status: Mapped[str] = enum_column(MediCalStatus)
    medi_cal_applied_on: Mapped[dt.date | None] = mapped_column(Date)
    # The in-reach pre-release care manager (an ECM provider's staff) and their provider.
    pre_release_provider_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    care_manager_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    # The ECM provider that takes the member after release (the Lead Care Manager's).
    post_release_provider_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    assessed_on: Mapped[dt.date | None] = mapped_column(Date)
    # ["housing", "medication", ...]: needs found by the needs assessment.
    needs: Mapped[list[Any]] = mapped_column(JSON, default=list)
    care_plan_on: Mapped[dt.date | None] = mapped_column(Date)
    # [{"description": ..., "need": ...}]: the reentry care plan's goals.
    care_plan: Mapped[list[Any]] = mapped_column(JSON, default=list)
    handoff_at: Mapped[dt.datetime | None] = mapped_column()
    handoff_held_on: Mapped[dt.date | None] = mapped_column(Date)
    medication_days: Mapped[int | None] = mapped_column(Integer)
    medication_note: Mapped[str | None] = mapped_column(Text)
    # ["walker", ...]: durable medical equipment handed over at release.
    equipment: Mapped[list[Any]] = mapped_column(JSON, default=list)
    supply_recorded_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column()
    version: Mapped[int] = mapped_column(Integer)

    member: Mapped[Member] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class ReentryEvent(Base):
    """One recorded step of a reentry case (dated, attributed)."""

    __tablename__ = "reentry_events"
    __table_args__ = (enum_check("kind", ReentryEventKind, "kind"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reentry_cases.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = enum_column(ReentryEventKind)
    # The step's place in the case's history (1, 2, ...): steps can share a moment.
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Kept short for lists: e.g. "2026-12-20 → 2026-12-10".
    summary: Mapped[str | None] = mapped_column(String(200))
