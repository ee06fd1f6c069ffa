"""External FHIR identifiers of imported referrals, so a re-imported Bundle changes nothing."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, utc_now, uuid_pk


class FhirReferralLink(Base):
    """A ServiceRequest identifier (system, value) an organization imported, and its referral."""

    __tablename__ = "fhir_referral_links"
    # Idempotency is per importing organization: two platforms may reuse the same value.
    __table_args__ = (UniqueConstraint("organization_id", "system", "value"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    system: Mapped[str] = mapped_column(String(255))
    value: Mapped[str] = mapped_column(String(255))
    referral_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("referrals.id", ondelete="RESTRICT"), index=True
    )
    imported_at: Mapped[dt.datetime] = mapped_column(default=utc_now)

    def __repr__(self) -> str:
        return f"FhirReferralLink({self.system!r}, {self.value!r})"
