"""Tasks: work with a due date, created by the DHCS clocks, owned by an organization and
assigned to a person or to a team (the organization's users in one role)."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, enum_check, enum_column, uuid_pk


class TaskKind(StrEnum):
    """Which clock made the task."""

    AUTHORIZATION_DECISION = "authorization_decision"
    INFORMATION_REQUEST = "information_request"
    OUTREACH = "outreach"
    CARE_PLAN_REVISION = "care_plan_revision"
    LOOP_CLOSURE = "loop_closure"
    # A provider's license, insurance or staff credential expiring (ops/providers).
    CREDENTIAL_EXPIRY = "credential_expiry"
    # Reentry deadlines, counted back from the expected release date (docs/reentry.md).
    REENTRY_ASSESSMENT = "reentry_assessment"
    REENTRY_CARE_PLAN = "reentry_care_plan"
    REENTRY_HANDOFF = "reentry_handoff"
    REENTRY_RELEASE_SUPPLY = "reentry_release_supply"


class TaskStatus(StrEnum):
    """Open until done (by a person, or by the clock's work being finished) or cancelled."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Task(Base):
    """One piece of work with a due date."""

    __tablename__ = "tasks"
    __table_args__ = (
        enum_check("kind", TaskKind, "kind"),
        enum_check("status", TaskStatus, "status"),
        # A clock makes one task per subject and due date, however often it is swept.
        UniqueConstraint("organization_id", "clock_key", name="uq_tasks_organization_id"),
        Index("ix_tasks_organization_status_due", "organization_id", "status", "due_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT")
    )
    kind: Mapped[str] = enum_column(TaskKind)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID] = mapped_column(index=True)
    member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT")
    )
    clock_key: Mapped[str] = mapped_column(String(160))
    due_at: Mapped[dt.datetime] = mapped_column()
    # A person, or a team: the organization's users holding `team_role` (a `Role` value).
    assignee_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    team_role: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = enum_column(TaskStatus)
    created_at: Mapped[dt.datetime] = mapped_column()
    closed_at: Mapped[dt.datetime | None] = mapped_column()
    closed_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}
