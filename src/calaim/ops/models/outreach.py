"""Outreach attempts to a member assigned for ECM (the OTF's rows)."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, enum_check, enum_column, uuid_pk


class OutreachMethod(StrEnum):
    """How the member was approached (an attempt counts whether or not contact was made)."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"
    MAIL = "mail"
    VIDEO = "video"


class OutreachOutcome(StrEnum):
    """What came of an attempt (calaim's list; the OTF itself only says successful or not)."""

    NO_ANSWER = "no_answer"
    LEFT_MESSAGE = "left_message"
    WRONG_CONTACT = "wrong_contact"
    REACHED_AGREED = "reached_agreed"
    REACHED_THINKING = "reached_thinking"
    REACHED_DECLINED = "reached_declined"

    @property
    def reached(self) -> bool:
        """Whether the member was reached (the OTF's "Outreach Attempt Successful")."""
        return self.value.startswith("reached_")


class OutreachAttempt(Base):
    """One attempt: date, method, success, minutes spent, by whom."""

    __tablename__ = "outreach_attempts"
    __table_args__ = (enum_check("method", OutreachMethod, "method"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    enrollment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enrollments.id", ondelete="RESTRICT"), index=True
    )
    attempted_on: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[str] = enum_column(OutreachMethod)
    successful: Mapped[bool] = mapped_column(Boolean)
    minutes: Mapped[int] = mapped_column(Integer)
    # Older attempts (before outcomes were recorded) have none.
    outcome: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    # The caller's clock (request, CLI, file, demo script): no default, never the machine's.
    recorded_at: Mapped[dt.datetime] = mapped_column()
