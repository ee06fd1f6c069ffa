"""The one query of screening routing: which county organization takes a referral."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.models import Organization, OrganizationKind


def county_organization(
    session: Session, kind: OrganizationKind, county: str | None
) -> Organization | None:
    """The county mental health plan or drug program serving `county` (else any of the kind)."""
    rows = list(
        session.scalars(
            select(Organization).where(Organization.kind == kind.value).order_by(Organization.name)
        )
    )
    serving = [org for org in rows if county and county in (org.counties_served or [])]
    found = serving or rows
    return found[0] if found else None
