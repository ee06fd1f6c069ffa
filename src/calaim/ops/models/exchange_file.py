"""DHCS exchange files an organization has applied (MIF, RTF, OTF, CS files), by content hash.

Re-ingesting the same bytes for the same layout is recognized here and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, utc_now, uuid_pk


class ExchangeFile(Base):
    """One applied file: who applied it, which layout and variant, its hash, rows and period."""

    __tablename__ = "exchange_files"
    __table_args__ = (UniqueConstraint("organization_id", "layout_id", "sha256"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    # The organization that ingested the file (tenant scoping).
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    # The organization that sent it, when the file names one calaim knows (e.g. the provider).
    sender_organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT")
    )
    layout_id: Mapped[str] = mapped_column(String(40))
    variant: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer)
    reporting_period: Mapped[str | None] = mapped_column(String(7))
    # What applying it did, e.g. {"enrollments_updated": 3, "outreach_added": 10}.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ingested_by_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    ingested_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
