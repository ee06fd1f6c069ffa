"""API keys: one organization's credentials for system-to-system calls."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from calaim.ops.models.base import Base, utc_now, uuid_pk
from calaim.ops.models.organization import Organization


class ApiKey(Base):
    """A key `calaim_<prefix>_<secret>`: the prefix is stored plain, the secret only hashed."""

    __tablename__ = "api_keys"

    id: Mapped[uuid.UUID] = uuid_pk()
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    # Shown to people so they can tell keys apart; also how a presented key is looked up.
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    revoked_at: Mapped[dt.datetime | None] = mapped_column()

    organization: Mapped[Organization] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"ApiKey({self.name!r}, prefix={self.prefix!r})"
