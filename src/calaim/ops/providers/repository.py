"""Every query of provider profiles and applications (scoped in `calaim.ops.access.scopes`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import application_line_visible, provider_application_visible
from calaim.ops.audit.service import record
from calaim.ops.capacity.repository import CapacityRepository
from calaim.ops.errors import NotFound
from calaim.ops.models import Organization, OrganizationKind, ProviderProfile, User
from calaim.ops.models.provider_application import ApplicationLine, ProviderApplication
from calaim.ops.models.provider_credential import ProviderCredential, ProviderDocument, ProviderSite
from calaim.ops.repository_base import Missing, ScopedRepository


class ApplicationNotFound(NotFound):
    """No such application, or not one the caller may see."""


class ApplicationRepository(ScopedRepository[ProviderApplication]):
    """Applications the caller made (a provider) or received (a plan)."""

    model = ProviderApplication
    missing: ClassVar[Missing] = Missing(
        "provider_application", ApplicationNotFound, noun="application"
    )

    def visible(self) -> ColumnElement[bool]:
        """Scoped in `calaim.ops.access.scopes.provider_application_visible`."""
        return provider_application_visible(self.actor)

    def page(self, limit: int, offset: int) -> tuple[list[ProviderApplication], int]:
        """Visible applications, newest first, and how many there are."""
        statement = self.readable().order_by(
            ProviderApplication.submitted_at.desc(), ProviderApplication.id
        )
        rows = list(self.session.scalars(statement.limit(limit).offset(offset)))
        total = self.session.scalar(select(func.count()).select_from(statement.subquery()))
        return rows, int(total or 0)

    def lines(self, application_id: uuid.UUID) -> list[ApplicationLine]:
        """The application's lines the caller may see (a plan: its own only)."""
        statement = (
            select(ApplicationLine)
            .where(ApplicationLine.application_id == application_id)
            .where(application_line_visible(self.actor))
            .order_by(ApplicationLine.program_id, ApplicationLine.county)
        )
        return list(self.session.scalars(statement))

    def line(self, line_id: uuid.UUID) -> ApplicationLine:
        """One visible line, or an audited not-found."""
        statement = select(ApplicationLine).where(
            ApplicationLine.id == line_id, application_line_visible(self.actor)
        )
        found = self.session.scalars(statement).first()
        if found is None:
            self.not_found(
                line_id,
                Missing("provider_application_line", ApplicationNotFound, noun="application line"),
            )
        return found

    def audit(self, action: str, row: ProviderApplication, details: dict[str, Any]) -> None:
        """Record a read or change of an application."""
        self._audit_row(action, row, details)
        self.session.flush()

    def applicant(self, organization_id: uuid.UUID) -> tuple[ProviderProfile, Organization]:
        """The applicant's profile and organization (after the application was found visible)."""
        profile = self.session.get(ProviderProfile, organization_id)
        org = self.session.get(Organization, organization_id)
        assert profile is not None, "an application needs a profile"
        assert org is not None
        return profile, org

    def organizations(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, Organization]:
        """Organizations by id (names of plans on lines the caller already sees)."""
        statement = select(Organization).where(Organization.id.in_(ids))
        return {org.id: org for org in self.session.scalars(statement)}

    def plans(self) -> list[Organization]:
        """Every plan, by name (the plans a provider may apply to)."""
        statement = select(Organization).where(Organization.kind == OrganizationKind.PLAN.value)
        return list(self.session.scalars(statement.order_by(Organization.name)))

    def plans_by_code(self, codes: list[str]) -> dict[str, Organization]:
        """Plan organizations by plan code (only those that exist)."""
        statement = select(Organization).where(
            Organization.kind == OrganizationKind.PLAN.value, Organization.plan_code.in_(codes)
        )
        return {str(org.plan_code): org for org in self.session.scalars(statement)}


class ProfileRepository:
    """The rows of the actor's own organization's profile (credentials, sites, documents)."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.organization_id = actor.organization_id

    def own(self) -> ProviderProfile:
        """The actor's organization's provider profile, or `NoProviderProfile`."""
        return CapacityRepository(self.session, self.actor).own()

    def credential(self, credential_id: uuid.UUID) -> ProviderCredential | None:
        """One of the organization's credentials (None when it is not the organization's)."""
        statement = select(ProviderCredential).where(
            ProviderCredential.id == credential_id,
            ProviderCredential.organization_id == self.organization_id,
        )
        return self.session.scalars(statement).first()

    def credentials(self) -> list[ProviderCredential]:
        """The organization's credentials, soonest expiring first."""
        statement = (
            select(ProviderCredential)
            .where(ProviderCredential.organization_id == self.organization_id)
            .order_by(ProviderCredential.expires_on, ProviderCredential.label)
        )
        return list(self.session.scalars(statement))

    def sites(self) -> list[ProviderSite]:
        """The organization's sites by name."""
        statement = (
            select(ProviderSite)
            .where(ProviderSite.organization_id == self.organization_id)
            .order_by(ProviderSite.name)
        )
        return list(self.session.scalars(statement))

    def document(self, document_id: uuid.UUID) -> ProviderDocument | None:
        """One of the organization's documents (None when it is not the organization's)."""
        statement = select(ProviderDocument).where(
            ProviderDocument.id == document_id,
            ProviderDocument.organization_id == self.organization_id,
        )
        return self.session.scalars(statement).first()

    def documents(self) -> list[ProviderDocument]:
        """The organization's documents, newest first."""
        statement = (
            select(ProviderDocument)
            .where(ProviderDocument.organization_id == self.organization_id)
            .order_by(ProviderDocument.uploaded_at.desc())
        )
        return list(self.session.scalars(statement))

    def audit(self, action: str, details: dict[str, Any]) -> None:
        """Record a read or change of the organization's profile."""
        record(
            self.session,
            self.actor,
            action,
            None,
            entity_type="provider_profile",
            entity_id=str(self.organization_id),
            details=details,
        )
        self.session.flush()


def expiring_credentials(
    session: Session, until: dt.date, organization_id: uuid.UUID | None = None
) -> list[tuple[ProviderCredential, str]]:
    """Credentials expiring on or before `until`, with their organization's kind (the sweep)."""
    statement = (
        select(ProviderCredential, Organization.kind)
        .join(Organization, Organization.id == ProviderCredential.organization_id)
        .where(ProviderCredential.expires_on.is_not(None), ProviderCredential.expires_on <= until)
    )
    if organization_id is not None:
        statement = statement.where(ProviderCredential.organization_id == organization_id)
    return [(row[0], str(row[1])) for row in session.execute(statement)]


def directory_sites(session: Session) -> dict[uuid.UUID, list[ProviderSite]]:
    """Every provider's sites by organization (the directory is not member data)."""
    statement = select(ProviderSite).order_by(ProviderSite.organization_id, ProviderSite.name)
    found: dict[uuid.UUID, list[ProviderSite]] = {}
    for site in session.scalars(statement):
        found.setdefault(site.organization_id, []).append(site)
    return found
