"""Users: people who sign in, each in one organization with one role."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from calaim.ops.models.base import Base, enum_check, enum_column, uuid_pk
from calaim.ops.models.organization import Organization


class Role(StrEnum):
    """What a user does; access rules read the role together with the organization's kind."""

    PLAN_UTILIZATION_MANAGEMENT = "plan_utilization_management"
    PLAN_CARE_COORDINATION = "plan_care_coordination"
    PLAN_ADMIN = "plan_admin"
    LEAD_CARE_MANAGER = "lead_care_manager"
    ECM_SUPERVISOR = "ecm_supervisor"
    CS_PROVIDER_STAFF = "cs_provider_staff"
    REFERRER = "referrer"
    # Reentry staff of a jail, prison or youth facility (docs/reentry.md).
    FACILITY_REENTRY_STAFF = "facility_reentry_staff"
    # Staff of a county mental health plan or drug program.
    COUNTY_BH_STAFF = "county_bh_staff"
    # Sees aggregates only, never a member's row.
    STATE_ANALYST = "state_analyst"
    # A member (or their authorized representative) seeing their own record only.
    MEMBER = "member"


class User(Base):
    """A person with an account in one organization."""

    __tablename__ = "users"
    __table_args__ = (enum_check("role", Role, "role"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = enum_column(Role)
    # Filled by the authentication slice (argon2); empty means the user cannot sign in yet.
    password_hash: Mapped[str | None] = mapped_column(String(255))

    organization: Mapped[Organization] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"User({self.email!r}, role={self.role!r})"
