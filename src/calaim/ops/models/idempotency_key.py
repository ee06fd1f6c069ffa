"""Idempotency keys: a retried POST returns the first response instead of acting twice."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, utc_now, uuid_pk


class IdempotencyKey(Base):
    """The stored outcome of one POST made with an `Idempotency-Key` header."""

    __tablename__ = "idempotency_keys"
    # Keys are per organization: two tenants may pick the same key without colliding.
    __table_args__ = (UniqueConstraint("organization_id", "key"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    key: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    # A hash of the request body: the same key with a different body is refused.
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
