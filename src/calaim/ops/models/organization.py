"""Organizations: plans, ECM and Community Supports providers, referrers, correctional
facilities, county behavioral health, the state."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, enum_check, uuid_pk


class OrganizationKind(StrEnum):
    """What an organization is; it decides what its users may see."""

    PLAN = "plan"
    ECM_PROVIDER = "ecm_provider"
    CS_PROVIDER = "cs_provider"
    REFERRER = "referrer"
    STATE = "state"
    # Correctional facilities (issue 16, docs/reentry.md): pre-release services and reentry.
    COUNTY_JAIL = "county_jail"
    STATE_PRISON = "state_prison"
    YOUTH_FACILITY = "youth_facility"
    # County behavioral health: the specialty mental health plan and the drug program
    # (Drug Medi-Cal / DMC-ODS), which is a 42 CFR Part 2 program.
    COUNTY_MHP = "county_mhp"
    COUNTY_DMC = "county_dmc"


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
    kind: Mapped[str] = mapped_column(String(20))
    plan_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    counties_served: Mapped[list[Any]] = mapped_column(JSON, default=list)

    def __repr__(self) -> str:
        return f"Organization({self.name!r}, kind={self.kind!r})"
