"""A provider keeps one profile for every plan: identifiers, who and where it serves, capacity,
credentials with expiry dates, sites and documents.

Only the provider's own staff with `PROVIDER_PROFILE` change it; every read and change is
audited. Capacity, languages, populations and programs are what assignment ranks on
(`calaim.ops.assignments.ranking`) and the navigator shows, so editing them here moves both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.attachments.content import checked_type, safe_name
from calaim.ops.attachments.storage import AttachmentStorage
from calaim.ops.errors import InvalidRequest, NotFound
from calaim.ops.members.languages import language_code
from calaim.ops.models import Organization, ProviderProfile, User
from calaim.ops.models.provider_credential import (
    CredentialKind,
    ProviderCredential,
    ProviderDocument,
    ProviderSite,
)
from calaim.ops.providers.repository import ProfileRepository

_DIGITS = {"npi": re.compile(r"^\d{10}$"), "tin": re.compile(r"^\d{9}$")}


@dataclass(frozen=True)
class ProfileChange:
    """A whole profile as the provider sends it."""

    npi: str | None
    tin: str | None
    medi_cal_enrollment: str | None
    phone: str | None
    languages: list[str]
    programs_served: list[str]
    populations_served: list[str]
    counties: list[str]
    capacity: int


@dataclass(frozen=True)
class CredentialIn:
    """A credential to add."""

    kind: CredentialKind
    credential_type: str
    label: str
    number: str | None = None
    holder_name: str | None = None
    expires_on: dt.date | None = None
    document_id: uuid.UUID | None = None


@dataclass(frozen=True)
class SiteIn:
    """A site to add."""

    name: str
    address_line: str
    city: str
    county: str
    zip_code: str
    phone: str | None = None
    languages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ProfileView:
    """Everything of one profile, as the application and the page show it."""

    organization: Organization
    profile: ProviderProfile
    credentials: list[ProviderCredential]
    sites: list[ProviderSite]
    documents: list[ProviderDocument]


def _codes(values: list[str], name: str) -> list[str]:
    """Language codes (names accepted), each once, in the order given."""
    found: list[str] = []
    for value in values:
        code = language_code(value, field=name)
        if code and code not in found:
            found.append(code)
    return found


class ProfileService:
    """The acting provider's own profile."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.rows = ProfileRepository(session, actor)

    def view(self) -> ProfileView:
        """The whole profile (audited)."""
        profile = self.rows.own()
        self.rows.audit("provider_profile.read", {})
        return ProfileView(
            self.actor.organization,
            profile,
            self.rows.credentials(),
            self.rows.sites(),
            self.rows.documents(),
        )

    def update(self, change: ProfileChange, *, now: dt.datetime) -> ProfileView:
        """Replace the profile's fields (checked; audited with what changed)."""
        require(self.actor, Permission.PROVIDER_PROFILE)
        for name in ("npi", "tin"):
            value = getattr(change, name)
            if value is not None and not _DIGITS[name].match(value):
                digits = 10 if name == "npi" else 9
                raise InvalidRequest(f"{name} must be {digits} digits", field=name)
        if not 0 <= change.capacity <= 100_000:
            raise InvalidRequest("give a whole number from 0 to 100000", field="capacity")
        profile = self.rows.own()
        languages = _codes(change.languages, "languages")
        before = {"capacity": profile.capacity, "languages": list(profile.languages)}
        profile.npi, profile.tin, profile.phone = change.npi, change.tin, change.phone
        profile.medi_cal_enrollment = change.medi_cal_enrollment
        profile.languages = languages
        profile.programs_served = sorted(set(change.programs_served))
        profile.populations_served = sorted(set(change.populations_served))
        if profile.capacity != change.capacity:
            profile.capacity_updated_at = now
        profile.capacity = change.capacity
        self.actor.organization.counties_served = sorted(set(change.counties))
        after = {"capacity": change.capacity, "languages": languages}
        self.rows.audit("provider_profile.update", {"before": before, "after": after})
        return self.view()

    def add_credential(self, given: CredentialIn) -> ProviderCredential:
        """Add a license, insurance policy or staff credential (its document must be ours)."""
        require(self.actor, Permission.PROVIDER_PROFILE)
        self.rows.own()
        if given.document_id is not None and self.rows.document(given.document_id) is None:
            raise NotFound(f"document {given.document_id} not found")
        row = ProviderCredential(
            id=uuid.uuid4(),
            organization_id=self.actor.organization_id,
            kind=given.kind.value,
            credential_type=given.credential_type,
            label=given.label,
            number=given.number,
            holder_name=given.holder_name,
            expires_on=given.expires_on,
            document_id=given.document_id,
        )
        self.session.add(row)
        self.rows.audit("provider_credential.add", {"credential_id": str(row.id)})
        return row

    def remove_credential(self, credential_id: uuid.UUID) -> None:
        """Remove one of the organization's credentials."""
        require(self.actor, Permission.PROVIDER_PROFILE)
        row = self.rows.credential(credential_id)
        if row is None:
            raise NotFound(f"credential {credential_id} not found")
        self.session.delete(row)
        self.rows.audit("provider_credential.remove", {"credential_id": str(credential_id)})

    def add_site(self, given: SiteIn) -> ProviderSite:
        """Add a site where the provider serves people."""
        require(self.actor, Permission.PROVIDER_PROFILE)
        self.rows.own()
        row = ProviderSite(
            id=uuid.uuid4(),
            organization_id=self.actor.organization_id,
            name=given.name,
            address_line=given.address_line,
            city=given.city,
            county=given.county,
            zip_code=given.zip_code,
            phone=given.phone,
            languages=_codes(given.languages, "languages"),
        )
        self.session.add(row)
        self.rows.audit("provider_site.add", {"site_id": str(row.id)})
        return row

    def upload(
        self, filename: str, data: bytes, storage: AttachmentStorage, *, now: dt.datetime
    ) -> ProviderDocument:
        """Check and keep a document (PDF or image), stored like referral attachments."""
        require(self.actor, Permission.PROVIDER_PROFILE)
        self.rows.own()
        content_type = checked_type(filename, data)
        row = ProviderDocument(
            id=uuid.uuid4(),
            organization_id=self.actor.organization_id,
            uploaded_by_user_id=self.actor.id,
            filename=safe_name(filename),
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            storage_key="",
            uploaded_at=now,
        )
        row.storage_key = f"{self.actor.organization_id.hex}/{row.id.hex}"
        self.session.add(row)
        self.session.flush()
        storage.put(row.storage_key, data)
        self.rows.audit("provider_document.upload", {"document_id": str(row.id)})
        return row

    def download(
        self, document_id: uuid.UUID, storage: AttachmentStorage
    ) -> tuple[ProviderDocument, bytes]:
        """One of the organization's documents and its bytes (audited); another's is not found."""
        require(self.actor, Permission.PROVIDER_PROFILE)
        row = self.rows.document(document_id)
        if row is None:
            raise NotFound("document not found")
        self.rows.audit("provider_document.download", {"document_id": str(row.id)})
        return row, storage.get(row.storage_key)
