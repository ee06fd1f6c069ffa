"""An enrolled member's assessment and care plan: goals, interventions, care team, dates."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, utc_now, uuid_pk


class CarePlan(Base):
    """The care plan of one ECM enrollment (the RTF's assessment and care plan dates)."""

    __tablename__ = "care_plans"

    id: Mapped[uuid.UUID] = uuid_pk()
    enrollment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enrollments.id", ondelete="RESTRICT"), unique=True
    )
    assessment_started_on: Mapped[dt.date | None] = mapped_column(Date)
    assessment_completed_on: Mapped[dt.date | None] = mapped_column(Date)
    latest_revision_on: Mapped[dt.date | None] = mapped_column(Date)
    last_care_conference_on: Mapped[dt.date | None] = mapped_column(Date)
    # [{"domain", "need", "note"}]: one entry per assessment domain (ecm_assessment_domains.yaml)
    assessment: Mapped[list[Any] | None] = mapped_column(JSON, default=list)
    # [{"description", "domain", "target_date", "status"}]
    goals: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # [{"description", "responsible", "due_date", "status"}]
    interventions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # [{"name", "role", "organization", "contact"}]
    care_team: Mapped[list[Any]] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}
