"""Billing: ECM encounters, claims and their lines, remittances (835) and their adjustments."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from calaim.ops.models.base import Base, enum_check, enum_column, utc_now, uuid_pk
from calaim.ops.models.member import Member


class EncounterMode(StrEnum):
    """How an ECM service was delivered (telephone and video bill with GQ)."""

    IN_PERSON = "in_person"
    TELEPHONIC = "telephonic"
    VIDEO = "video"


class StaffKind(StrEnum):
    """Licensed clinical staff (G9008 U1) or non-clinical staff (G9012 U2)."""

    CLINICAL = "clinical"
    NON_CLINICAL = "non_clinical"


class ClaimStatus(StrEnum):
    """Where a claim or a line stands: built, then paid, partly paid or denied by an 835."""

    BUILT = "built"
    PAID = "paid"
    PARTIAL = "partial"
    DENIED = "denied"


class EcmEncounter(Base):
    """One ECM service to an enrolled member: date, mode, staff type, minutes."""

    __tablename__ = "ecm_encounters"
    __table_args__ = (
        enum_check("mode", EncounterMode, "mode"),
        enum_check("staff_kind", StaffKind, "staff_kind"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    enrollment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enrollments.id", ondelete="RESTRICT"), index=True
    )
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    provider_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    service_date: Mapped[dt.date] = mapped_column(Date, index=True)
    mode: Mapped[str] = enum_column(EncounterMode)
    staff_kind: Mapped[str] = enum_column(StaffKind)
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    # The caller's clock (request, CLI, file, demo script): no default, never the machine's.
    recorded_at: Mapped[dt.datetime] = mapped_column()


class BillingProfile(Base):
    """A provider's billing address (the 837P's billing provider N3/N4; NPI/TIN are on the
    provider profile)."""

    __tablename__ = "billing_profiles"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), primary_key=True
    )
    address_line: Mapped[str] = mapped_column(String(55))
    city: Mapped[str] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(2))
    # The 837P wants the billing provider's ZIP+4: nine digits.
    zip_code: Mapped[str] = mapped_column(String(9))
    # The 837P submitter contact (PER) needs a number to call about the file.
    phone: Mapped[str] = mapped_column(String(20))


class Claim(Base):
    """One claim: a provider's lines for one member (and authorization) in a billing period."""

    __tablename__ = "claims"
    __table_args__ = (enum_check("status", ClaimStatus, "status"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    # Our claim id: the 837P's patient control number (CLM01), echoed in the 835's CLP01.
    number: Mapped[str] = mapped_column(String(20), unique=True)
    provider_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    # A network lead bills for its member CBO: the member rendered the service (837P 2310B).
    rendering_organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT")
    )
    plan_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    authorization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("authorizations.id", ondelete="RESTRICT")
    )
    period_start: Mapped[dt.date] = mapped_column(Date, index=True)
    period_end: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = enum_column(ClaimStatus)
    expected_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    paid_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)

    member: Mapped[Member] = relationship(lazy="joined")
    lines: Mapped[list[ClaimLine]] = relationship(
        order_by="ClaimLine.line_number", back_populates="claim", lazy="selectin"
    )


class ClaimLine(Base):
    """One service line; `source_key` names what it bills, so nothing is billed twice."""

    __tablename__ = "claim_lines"
    __table_args__ = (
        UniqueConstraint("source_key"),
        enum_check("status", ClaimStatus, "status"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    claim_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("claims.id", ondelete="RESTRICT"), index=True
    )
    line_number: Mapped[int] = mapped_column(Integer)
    # e.g. "cs_delivery:<id>", "ecm_encounter:<id>", "outreach:<id>", "ecm_month:<id>:2025-09"
    source_key: Mapped[str] = mapped_column(String(120))
    program_id: Mapped[str] = mapped_column(String(60))
    service_date: Mapped[dt.date] = mapped_column(Date)
    service_date_end: Mapped[dt.date] = mapped_column(Date)
    procedure_code: Mapped[str] = mapped_column(String(5))
    modifiers: Mapped[str] = mapped_column(String(20))  # colon-separated, e.g. "U2:GQ"
    unit: Mapped[str] = mapped_column(String(10))
    units: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    unit_rate: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    charge: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    status: Mapped[str] = enum_column(ClaimStatus)
    paid_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))

    claim: Mapped[Claim] = relationship(back_populates="lines")


class Remittance(Base):
    """One 835 transaction received; the same file twice is recognized by its digest."""

    __tablename__ = "remittances"
    __table_args__ = (UniqueConstraint("organization_id", "digest"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    digest: Mapped[str] = mapped_column(String(64))
    payer_name: Mapped[str] = mapped_column(String(100))
    trace_number: Mapped[str] = mapped_column(String(50))
    payment_date: Mapped[dt.date | None] = mapped_column(Date)
    total_paid: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    received_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class RemittanceAdjustment(Base):
    """A CAS adjustment (group + CARC reason) on a claim or line, or a PLB on the payee."""

    __tablename__ = "remittance_adjustments"

    id: Mapped[uuid.UUID] = uuid_pk()
    remittance_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("remittances.id", ondelete="RESTRICT"), index=True
    )
    claim_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("claims.id", ondelete="RESTRICT"), index=True
    )
    claim_line_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("claim_lines.id", ondelete="RESTRICT")
    )
    group_code: Mapped[str] = mapped_column(String(3))  # CO, PR, OA, PI, CR, or PLB
    reason_code: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))


class RemittancePayment(Base):
    """One payment an 835 reports (a CLP on a claim, an SVC on a line): the ledger of a claim.

    A claim's or a line's paid amount is the sum of its rows over every remittance; a reversal
    (CLP02 22) is a row with the negated amounts and marks the payment it cancels.
    """

    __tablename__ = "remittance_payments"

    id: Mapped[uuid.UUID] = uuid_pk()
    # NULL only for the balance migration 0015 carried over (paid before this ledger existed).
    remittance_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("remittances.id", ondelete="RESTRICT"), index=True
    )
    claim_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("claims.id", ondelete="RESTRICT"), index=True
    )
    # NULL: the claim's payment (CLP04); else one line's (SVC03).
    claim_line_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("claim_lines.id", ondelete="RESTRICT"), index=True
    )
    status_code: Mapped[str] = mapped_column(String(2))  # CLP02: 1, 2, 3, 4, 19-23, 25
    payer_claim_number: Mapped[str] = mapped_column(String(50))  # CLP07, "" when absent
    charge: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    paid: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    segment: Mapped[int] = mapped_column(Integer)  # the CLP's or SVC's position in the file
    # Set on a payment when a later CLP02 22 reverses it (the reversal's own row).
    reversed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("remittance_payments.id", ondelete="RESTRICT")
    )
    posted_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
