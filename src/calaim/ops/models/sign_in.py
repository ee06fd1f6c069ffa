"""Sign-in state kept on the server: sessions that can be revoked, and failed-attempt counters."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, uuid_pk


class SignInSession(Base):
    """One sign-in: an access token (bearer or web cookie) is valid only while this row is live.

    A token names its session id, so checking it is one primary-key lookup.
    """

    __tablename__ = "sign_in_sessions"

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # "api" (POST /auth/token) or "web" (the workspace's sign-in form).
    channel: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column()
    expires_at: Mapped[dt.datetime] = mapped_column()
    revoked_at: Mapped[dt.datetime | None] = mapped_column()
    # Why it ended: signed_out, password_changed, revoked_by_admin.
    revoked_reason: Mapped[str | None] = mapped_column(String(40))

    def __repr__(self) -> str:
        return f"SignInSession({self.id}, user={self.user_id}, revoked={self.revoked_at})"


class SignInCounter(Base):
    """Failed sign-ins counted per account (email), per client (address) or per API key prefix.

    Kept in the database, so every worker of a deployment sees the same counts.
    """

    __tablename__ = "sign_in_throttles"

    # "account", "client" or "api_key".
    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column()
    # No attempt is checked before this instant (the growing delay, or the lockout).
    blocked_until: Mapped[dt.datetime | None] = mapped_column()
