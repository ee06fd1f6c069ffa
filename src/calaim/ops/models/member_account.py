"""Members' own accounts: a member (or their authorized representative) signs in to see
their own record, with a one-time code sent by email and their CIN and date of birth."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from calaim.ops.models.base import Base, enum_check, enum_column, uuid_pk
from calaim.ops.models.member import Member
from calaim.ops.models.user import User


class AccountHolder(StrEnum):
    """Who holds a member account: the member, or a person the member authorized."""

    SELF = "self"
    REPRESENTATIVE = "representative"


class MemberAccount(Base):
    """Links a user of role `member` to the one member record they may see (their own)."""

    __tablename__ = "member_accounts"
    __table_args__ = (enum_check("holder", AccountHolder, "holder"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    holder: Mapped[str] = enum_column(AccountHolder)
    created_at: Mapped[dt.datetime] = mapped_column()
    # The plan staff member who opened the account (the plan checks who the holder is).
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    member: Mapped[Member] = relationship(lazy="joined")


class MemberSignInCode(Base):
    """A one-time sign-in code sent by email: only its hash is kept, used once, short-lived."""

    __tablename__ = "member_sign_in_codes"

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column()
    expires_at: Mapped[dt.datetime] = mapped_column()
    used_at: Mapped[dt.datetime | None] = mapped_column()
