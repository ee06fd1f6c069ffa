"""What an ECM or Community Supports provider offers: the inputs of assignment."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base


class ProviderProfile(Base):
    """Identifiers, languages, populations and programs served, and capacity of a provider."""

    __tablename__ = "provider_profiles"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), primary_key=True
    )
    npi: Mapped[str | None] = mapped_column(String(10))
    tin: Mapped[str | None] = mapped_column(String(9))
    phone: Mapped[str | None] = mapped_column(String(20))
    # Language codes spoken by care staff (members' `language` values).
    languages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # ECM populations of focus (`ecm.*`) and Community Supports (`cs.*`) the provider serves.
    programs_served: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # Members it can hold at once (ECM: enrolled or in outreach); open capacity is derived.
    capacity: Mapped[int] = mapped_column(Integer, default=0)
    # Kept by the provider itself (web: "Our capacity"): beds free now, people waiting.
    beds_available: Mapped[int | None] = mapped_column(Integer)
    waitlist: Mapped[int | None] = mapped_column(Integer)
    capacity_updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Medi-Cal provider enrollment (PAVE) number, and who it serves beyond programs:
    # populations (e.g. `adults`, `children_youth`, `families`, `justice_involved`).
    medi_cal_enrollment: Mapped[str | None] = mapped_column(String(20))
    populations_served: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # Plans it is contracted with (plan codes).
    contracted_plans: Mapped[list[Any]] = mapped_column(JSON, default=list)
