"""Organizations: plans, ECM providers, Community Supports providers, referrers, the state."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, enum_check, enum_column, uuid_pk


class OrganizationKind(StrEnum):
    """What an organization is; it decides what its users may see."""

    PLAN = "plan"
    ECM_PROVIDER = "ecm_provider"
    CS_PROVIDER = "cs_provider"
    REFERRER = "referrer"
    STATE = "state"


class Organization(Base):
    """One party to CalAIM work; every user and every member belongs to one."""

    __tablename__ = "organizations"
    __table_args__ = (
        enum_check("kind", OrganizationKind, "kind"),
        # A plan is known by its plan code (the engine's `payer`); others have none.
        CheckConstraint(
            "(kind = 'plan' AND plan_code IS NOT NULL) OR (kind <> 'plan' AND plan_code IS NULL)",
            name="plan_code_for_plans",
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = enum_column(OrganizationKind)
    plan_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    counties_served: Mapped[list[Any]] = mapped_column(JSON, default=list)

    def __repr__(self) -> str:
        return f"Organization({self.name!r}, kind={self.kind!r})"
