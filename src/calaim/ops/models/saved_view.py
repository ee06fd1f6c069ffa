"""A worklist's filters and sort, saved under a name by one user for themselves."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, uuid_pk


class SavedView(Base):
    """One saved view of one worklist (`page`), private to its user."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("user_id", "page", "name"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    page: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    # The worklist's query string (filters, sort), checked again whenever it is used.
    query: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column()
