"""Provider profile and application API bodies."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.models import ProviderProfile
from calaim.ops.models.provider_application import LineDecision
from calaim.ops.models.provider_credential import CredentialKind, ProviderCredential, ProviderSite
from calaim.ops.providers.applications import ApplicationIn, ApplicationView
from calaim.ops.providers.profile import CredentialIn, ProfileChange, ProfileView, SiteIn

Short = Annotated[str, Field(min_length=1, max_length=200)]
Code = Annotated[str, Field(min_length=1, max_length=60)]
Codes = Annotated[list[Code], Field(max_length=60)]


class ProfileIn(BaseModel):
    """The whole profile (what is left out is cleared)."""

    model_config = ConfigDict(extra="forbid")

    npi: str | None = Field(None, description="10 digits.")
    tin: str | None = Field(None, description="Tax id, 9 digits.")
    medi_cal_enrollment: str | None = Field(None, max_length=20)
    phone: str | None = Field(None, max_length=20)
    languages: Codes = []
    programs_served: Codes = []
    populations_served: Codes = []
    counties: Codes = []
    capacity: int = Field(0, ge=0, le=100_000)

    def change(self) -> ProfileChange:
        """As the service takes it."""
        return ProfileChange(**self.model_dump())


class CredentialBody(BaseModel):
    """A license, insurance policy, enrollment or staff credential."""

    model_config = ConfigDict(extra="forbid")

    kind: CredentialKind
    credential_type: Code
    label: Short
    number: str | None = Field(None, max_length=60)
    holder_name: str | None = Field(None, max_length=200)
    expires_on: dt.date | None = None

    def given(self) -> CredentialIn:
        """As the service takes it."""
        return CredentialIn(**self.model_dump())


class SiteBody(BaseModel):
    """A site where the provider serves people."""

    model_config = ConfigDict(extra="forbid")

    name: Short
    address_line: Short
    city: Code
    county: Code
    zip_code: str = Field(pattern=r"^\d{5}(\d{4})?$")
    phone: str | None = Field(None, max_length=20)
    languages: Codes = []

    def given(self) -> SiteIn:
        """As the service takes it."""
        return SiteIn(**self.model_dump())


class CredentialOut(BaseModel):
    """A credential as stored."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    credential_type: str
    label: str
    number: str | None
    holder_name: str | None
    expires_on: dt.date | None


class SiteOut(BaseModel):
    """A site as stored."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    address_line: str
    city: str
    county: str
    zip_code: str
    phone: str | None
    languages: list[str]


class ProfileOut(BaseModel):
    """The whole profile."""

    name: str
    npi: str | None
    tin: str | None
    medi_cal_enrollment: str | None
    phone: str | None
    languages: list[str]
    programs_served: list[str]
    populations_served: list[str]
    counties: list[str]
    capacity: int
    contracted_plans: list[str]
    credentials: list[CredentialOut]
    sites: list[SiteOut]


def profile_out(view: ProfileView) -> ProfileOut:
    """The response body of a profile."""
    p: ProviderProfile = view.profile
    return ProfileOut(
        name=view.organization.name,
        npi=p.npi,
        tin=p.tin,
        medi_cal_enrollment=p.medi_cal_enrollment,
        phone=p.phone,
        languages=p.languages,
        programs_served=p.programs_served,
        populations_served=p.populations_served,
        counties=list(view.organization.counties_served or []),
        capacity=p.capacity,
        contracted_plans=p.contracted_plans,
        credentials=[credential_out(c) for c in view.credentials],
        sites=[site_out(s) for s in view.sites],
    )


def credential_out(row: ProviderCredential) -> CredentialOut:
    """A credential's response body."""
    return CredentialOut.model_validate(row)


def site_out(row: ProviderSite) -> SiteOut:
    """A site's response body."""
    return SiteOut.model_validate(row)


class ApplicationBody(BaseModel):
    """Apply to several plans at once."""

    model_config = ConfigDict(extra="forbid")

    plan_codes: Annotated[list[Code], Field(min_length=1, max_length=20)]
    programs: Annotated[list[Code], Field(min_length=1, max_length=30)]
    counties: Annotated[list[Code], Field(min_length=1, max_length=60)]
    answers: dict[str, Any] = Field(
        default_factory=dict, description="Answers to plans' extra requirements, by id."
    )

    def given(self) -> ApplicationIn:
        """As the service takes it."""
        return ApplicationIn(self.plan_codes, self.programs, self.counties, self.answers)


class LineOut(BaseModel):
    """One plan × service × county and its decision."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    program_id: str
    county: str
    decision: str
    reason: str | None
    decided_at: dt.datetime | None
    version: int


class ApplicationOut(BaseModel):
    """An application and the lines the caller may see."""

    id: uuid.UUID
    submitted_at: dt.datetime
    applicant: str
    lines: list[LineOut]


def application_out(view: ApplicationView) -> ApplicationOut:
    """An application's response body."""
    name = str(view.application.snapshot.get("organization", {}).get("name", ""))
    lines = [LineOut.model_validate(line) for line in view.lines]
    return ApplicationOut(
        id=view.application.id,
        submitted_at=view.application.submitted_at,
        applicant=name,
        lines=lines,
    )


class DecisionBody(BaseModel):
    """A plan's decision on one line."""

    model_config = ConfigDict(extra="forbid")

    decision: LineDecision
    reason: str | None = Field(None, max_length=1000)
    version: int = Field(ge=1, description="The line's version as read.")
