"""Members: Medi-Cal members as the engine's input knows them, owned by their plan."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, uuid_pk


class Member(Base):
    """One member of one plan; `person_id` links to the engine's input and determinations."""

    __tablename__ = "members"
    # The same person may appear under two plans (a plan change), each plan with its own row.
    __table_args__ = (UniqueConstraint("plan_organization_id", "person_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    plan_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    cin: Mapped[str | None] = mapped_column(String(20), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    payer: Mapped[str] = mapped_column(String(40))
    county: Mapped[str] = mapped_column(String(60))
    language: Mapped[str | None] = mapped_column(String(40))
    sex: Mapped[str | None] = mapped_column(String(1))
    phone: Mapped[str | None] = mapped_column(String(20))
    address_line: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    zip_code: Mapped[str | None] = mapped_column(String(10))
    # When and how the member prefers to be reached ("mornings, text first"), kept by staff.
    best_time_to_reach: Mapped[str | None] = mapped_column(String(100))
    # The member's primary care clinic, when it is an organization in calaim (continuity).
    pcp_organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT")
    )

    def __repr__(self) -> str:
        return f"Member(person_id={self.person_id!r})"
