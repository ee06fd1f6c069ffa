"""What a provider shows once for every plan: credentials with expiry dates, sites, documents."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, enum_check, enum_column, uuid_pk


class CredentialKind(StrEnum):
    """What a credential is (licenses and insurance of the organization, or of its staff)."""

    LICENSE = "license"
    INSURANCE = "insurance"
    MEDI_CAL_ENROLLMENT = "medi_cal_enrollment"
    STAFF_CREDENTIAL = "staff_credential"
    CERTIFICATION = "certification"


class ProviderCredential(Base):
    """One license, insurance policy, enrollment or staff credential, with its expiry date."""

    __tablename__ = "provider_credentials"
    __table_args__ = (enum_check("kind", CredentialKind, "kind"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = enum_column(CredentialKind)
    # A type plans' requirements name (e.g. `general_liability`, `chw_certificate`).
    credential_type: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(200))
    number: Mapped[str | None] = mapped_column(String(60))
    holder_name: Mapped[str | None] = mapped_column(String(200))
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    document_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("provider_documents.id", ondelete="RESTRICT")
    )


class ProviderDocument(Base):
    """A file a provider keeps for its applications (stored like referral attachments)."""

    __tablename__ = "provider_documents"

    id: Mapped[uuid.UUID] = uuid_pk()
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    uploaded_by_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[dt.datetime] = mapped_column()


class ProviderSite(Base):
    """A place a provider serves people (an HSDS location)."""

    __tablename__ = "provider_sites"

    id: Mapped[uuid.UUID] = uuid_pk()
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    address_line: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    county: Mapped[str] = mapped_column(String(60))
    zip_code: Mapped[str] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(20))
    languages: Mapped[list[Any]] = mapped_column(JSON, default=list)
