"""Notice of Action letters (PDF, in the member's language) and the reviewer's record of each
utilization-review step (approve, pend, extend, deny, override) on an authorization."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, LargeBinary, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, enum_check, enum_column, uuid_pk


class LetterKind(StrEnum):
    """Which Notice of Action."""

    APPROVAL = "approval"
    DENIAL = "denial"
    DELAY = "delay"
    EXTENSION = "extension"


class Letter(Base):
    """One rendered letter, kept exactly as sent (the PDF and its SHA-256)."""

    __tablename__ = "letters"
    __table_args__ = (enum_check("kind", LetterKind, "kind"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    # The plan that sent it: the tenant scope of letters.
    plan_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    authorization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("authorizations.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = enum_column(LetterKind)
    language: Mapped[str] = mapped_column(String(8))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column()
    created_by_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )


class ReviewAction(StrEnum):
    """A reviewer's step on the utilization-review desk."""

    APPROVE = "approve"
    PEND = "pend"
    EXTEND = "extend"
    DENY = "deny"


class AuthorizationReview(Base):
    """Who did what on the desk, when, with which terms, and whether they overrode the engine."""

    __tablename__ = "authorization_reviews"
    __table_args__ = (enum_check("action", ReviewAction, "action"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    authorization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("authorizations.id", ondelete="RESTRICT"), index=True
    )
    action: Mapped[str] = enum_column(ReviewAction)
    at: Mapped[dt.datetime] = mapped_column()
    by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    units: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # How often, in words the reviewer chose from the desk's list (e.g. "per_week").
    frequency: Mapped[str | None] = mapped_column(String(20))
    reason_code: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    information_requested: Mapped[str | None] = mapped_column(Text)
    # What the engine said when the reviewer acted, and why the reviewer went against it.
    engine_status: Mapped[str | None] = mapped_column(String(20))
    engine_as_of: Mapped[dt.date | None] = mapped_column(Date)
    override_reason: Mapped[str | None] = mapped_column(Text)
    decision_due_before: Mapped[dt.datetime | None] = mapped_column()
    decision_due_after: Mapped[dt.datetime | None] = mapped_column()
    letter_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("letters.id", ondelete="RESTRICT")
    )
