"""Dated, attributed status changes of authorizations, enrollments and service episodes."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, uuid_pk


class StatusChange(Base):
    """One step of a workflow record's state machine: from, to, when, by whom, why."""

    __tablename__ = "status_changes"

    id: Mapped[uuid.UUID] = uuid_pk()
    # "authorization" | "enrollment" | "service_episode"
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    # The caller's clock (request, CLI, file, demo script): no default, never the machine's.
    at: Mapped[dt.datetime] = mapped_column()
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    reason: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"StatusChange({self.entity_type}: {self.from_status!r} -> {self.to_status!r})"
