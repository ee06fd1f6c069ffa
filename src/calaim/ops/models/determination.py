"""A member's engine determinations, imported from `calaim identify` output."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, utc_now, uuid_pk


class MemberDetermination(Base):
    """One determinations row (contract §2) for one member, program and as-of date."""

    __tablename__ = "member_determinations"
    __table_args__ = (
        UniqueConstraint("member_id", "program_id", "as_of"),
        # Reports read only the eligible rows (a few percent of identify's output).
        Index("ix_member_determinations_eligible", "eligible", "program_id", "as_of"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    program_id: Mapped[str] = mapped_column(String(60))
    as_of: Mapped[dt.date] = mapped_column(Date)
    eligible: Mapped[bool] = mapped_column(Boolean)
    offered: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20))
    rule_version: Mapped[str] = mapped_column(String(40))
    policy_hash: Mapped[str] = mapped_column(String(80))
    # Whether showing this row reveals substance-use (42 CFR Part 2) information.
    part2: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[dt.datetime] = mapped_column(default=utc_now)

    def __repr__(self) -> str:
        return f"MemberDetermination({self.program_id!r}, {self.as_of}, {self.status!r})"
