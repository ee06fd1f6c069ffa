"""One application from a provider to several plans, decided by each plan per service and county."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, enum_check, enum_column, uuid_pk


class LineDecision(StrEnum):
    """A plan's decision on one service in one county."""

    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"


class ProviderApplication(Base):
    """The provider's profile as submitted (a snapshot) and its answers to plans' requirements."""

    __tablename__ = "provider_applications"

    id: Mapped[uuid.UUID] = uuid_pk()
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    submitted_by_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    submitted_at: Mapped[dt.datetime] = mapped_column()
    # The profile, sites and credentials as they were when submitted (the common form).
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Answers to plans' extra requirements: {requirement id: answer}.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ApplicationLine(Base):
    """One plan × service × county the provider applied for, and the plan's decision."""

    __tablename__ = "provider_application_lines"
    __table_args__ = (
        enum_check("decision", LineDecision, "decision"),
        UniqueConstraint(
            "application_id",
            "plan_organization_id",
            "program_id",
            "county",
            name="uq_provider_application_lines_application_id",
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("provider_applications.id", ondelete="RESTRICT"), index=True
    )
    plan_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    program_id: Mapped[str] = mapped_column(String(60))
    county: Mapped[str] = mapped_column(String(60))
    decision: Mapped[str] = enum_column(LineDecision)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    decided_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
