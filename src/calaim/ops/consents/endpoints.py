"""Part 2 consents API: record, list and revoke a member's consents."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict

from calaim.ops.consents.service import ConsentService
from calaim.ops.enrollments.schemas import local_today
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.routing import DomainRouter
from calaim.ops.models import Part2Consent

router = DomainRouter(
    prefix="/part2-consents",
    tag="part2-consents",
    description="42 CFR Part 2: a member's consent for one organization to see substance-use "
    "information; without an active one, only the member's plan sees it.",
)


class ConsentIn(BaseModel):
    """A consent the member signed."""

    model_config = ConfigDict(extra="forbid")

    member_id: uuid.UUID
    organization_id: uuid.UUID
    granted_on: dt.date
    expires_on: dt.date | None = None


class RevokeIn(BaseModel):
    """The day the member revoked the consent."""

    model_config = ConfigDict(extra="forbid")

    revoked_on: dt.date


class ConsentOut(BaseModel):
    """A recorded consent."""

    id: uuid.UUID
    member_id: uuid.UUID
    organization_id: uuid.UUID
    granted_on: dt.date
    expires_on: dt.date | None
    revoked_on: dt.date | None


def consent_out(consent: Part2Consent) -> ConsentOut:
    """The response body of a consent."""
    return ConsentOut(
        id=consent.id,
        member_id=consent.member_id,
        organization_id=consent.organization_id,
        granted_on=consent.granted_on,
        expires_on=consent.expires_on,
        revoked_on=consent.revoked_on,
    )


@router.post("", response_model=ConsentOut, status_code=201)
def record_consent(
    body: ConsentIn, actor: ActorDep, session: SessionDep, now: NowDep
) -> ConsentOut:
    """Record a consent the member signed."""
    consent = ConsentService(session, actor).record_consent(
        **body.model_dump(), today=local_today(now)
    )
    return consent_out(consent)


@router.get("", response_model=list[ConsentOut])
def list_consents(member_id: uuid.UUID, actor: ActorDep, session: SessionDep) -> list[ConsentOut]:
    """A visible member's consents."""
    return [consent_out(c) for c in ConsentService(session, actor).for_member(member_id)]


@router.post("/{consent_id}/revoke", response_model=ConsentOut)
def revoke_consent(
    consent_id: uuid.UUID, body: RevokeIn, actor: ActorDep, session: SessionDep
) -> ConsentOut:
    """Record the member's revocation."""
    return consent_out(
        ConsentService(session, actor).revoke(consent_id, revoked_on=body.revoked_on)
    )
