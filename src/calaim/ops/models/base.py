"""The declarative base: one metadata with a naming convention, and shared column helpers."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, MetaData, String, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints let Alembic's batch mode (SQLite) find and alter them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every operational model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        uuid.UUID: Uuid(),
        dt.datetime: DateTime(timezone=True),
    }


def new_id() -> uuid.UUID:
    """A fresh random identifier."""
    return uuid.uuid4()


def utc_now() -> dt.datetime:
    """The current time in UTC (stored with its time zone)."""
    return dt.datetime.now(dt.UTC)


def uuid_pk() -> Mapped[uuid.UUID]:
    """A UUID primary key column filled on insert."""
    return mapped_column(Uuid(), primary_key=True, default=new_id)


def enum_column(values: type[StrEnum]) -> Mapped[str]:
    """A plain string column holding one of an enum's values (checked by `enum_check`)."""
    return mapped_column(String(max(len(member.value) for member in values)))


def enum_check(column: str, values: type[StrEnum], name: str) -> CheckConstraint:
    """A CHECK constraint keeping `column` to the enum's values (portable, unlike SQL enums)."""
    allowed = ", ".join(f"'{member.value}'" for member in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name)
