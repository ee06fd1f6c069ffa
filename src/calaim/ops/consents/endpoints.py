"""Part 2 consents API: the member's plan records and lists consents; providers request them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.consents.requests import ConsentRequests
from calaim.ops.consents.service import ConsentService, SignedForm
from calaim.ops.enrollments.schemas import local_today
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.fields import bounded
from calaim.ops.http.routing import DomainRouter
from calaim.ops.models import ConsentRequestStatus, Part2Consent, Part2ConsentRequest

router = DomainRouter(
    prefix="/part2-consents",
    tag="part2-consents",
    description="42 CFR Part 2: a member's written consent for one organization to see "
    "substance-use information, recorded by the member's plan (which holds the signed form); "
    "providers request consent, never record it. Without an active consent only the member's "
    "plan sees that information.",
)


class ConsentIn(BaseModel):
    """The member's signed form, as the plan attests it."""

    model_config = ConfigDict(extra="forbid")

    member_id: uuid.UUID
    organization_id: uuid.UUID = Field(description="The organization the member consents to.")
    granted_on: dt.date = Field(description="The day the member signed.")
    expires_on: dt.date = Field(description="The expiry the form states.")
    document_reference: Annotated[str, bounded(200)] = Field(
        description="Where the plan keeps the signed form (document number or file)."
    )
    scope: Annotated[str, bounded(2000)] = Field(
        description="What may be disclosed and for what purpose, as the form says."
    )
    request_id: uuid.UUID | None = Field(None, description="The provider's request it answers.")


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
    document_reference: str | None
    scope: str | None
    request_id: uuid.UUID | None
    recorded_by_user_id: uuid.UUID


class ConsentRequestIn(BaseModel):
    """A provider's request for the member's consent, for the provider's own organization."""

    model_config = ConfigDict(extra="forbid")

    member_id: uuid.UUID
    purpose: Annotated[str, bounded(2000)] = Field(description="Why the provider needs it.")


class DeclineIn(BaseModel):
    """Why the plan closes a request without a consent."""

    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, bounded(2000)]


class ConsentRequestOut(BaseModel):
    """A consent request and its answer."""

    id: uuid.UUID
    member_id: uuid.UUID
    organization_id: uuid.UUID
    purpose: str
    status: ConsentRequestStatus
    requested_at: dt.datetime
    answered_at: dt.datetime | None
    answer_note: str | None


def consent_out(consent: Part2Consent) -> ConsentOut:
    """The response body of a consent."""
    return ConsentOut.model_validate(consent, from_attributes=True)


def request_out(request: Part2ConsentRequest) -> ConsentRequestOut:
    """The response body of a consent request."""
    return ConsentRequestOut.model_validate(request, from_attributes=True)


@router.post("", response_model=ConsentOut, status_code=201)
def record_consent(
    body: ConsentIn, actor: ActorDep, session: SessionDep, now: NowDep
) -> ConsentOut:
    """The member's plan records the member's signed consent form (403 for anyone else)."""
    form = SignedForm(**body.model_dump(exclude={"member_id"}))
    consent = ConsentService(session, actor).record_consent(
        body.member_id, form, today=local_today(now)
    )
    return consent_out(consent)


@router.get("", response_model=list[ConsentOut])
def list_consents(member_id: uuid.UUID, actor: ActorDep, session: SessionDep) -> list[ConsentOut]:
    """A visible member's consents: all for the plan, those naming you for anyone else."""
    return [consent_out(c) for c in ConsentService(session, actor).for_member(member_id)]


@router.post("/requests", response_model=ConsentRequestOut, status_code=201)
def request_consent(
    body: ConsentRequestIn, actor: ActorDep, session: SessionDep, now: NowDep
) -> ConsentRequestOut:
    """A provider asks the member's plan to obtain the member's consent for the provider."""
    return request_out(ConsentRequests(session, actor).ask(body.member_id, body.purpose, now=now))


@router.get("/requests", response_model=list[ConsentRequestOut])
def list_requests(
    actor: ActorDep,
    session: SessionDep,
    member_id: uuid.UUID | None = None,
    status: ConsentRequestStatus | None = None,
) -> list[ConsentRequestOut]:
    """Consent requests: the plan's members', or your organization's own."""
    found = ConsentRequests(session, actor).search(member_id=member_id, status=status)
    return [request_out(r) for r in found]


@router.post("/requests/{request_id}/decline", response_model=ConsentRequestOut)
def decline_request(
    request_id: uuid.UUID, body: DeclineIn, actor: ActorDep, session: SessionDep, now: NowDep
) -> ConsentRequestOut:
    """The member's plan closes a request without a consent (the member declined)."""
    return request_out(ConsentRequests(session, actor).decline(request_id, body.note, now=now))


@router.post("/{consent_id}/revoke", response_model=ConsentOut)
def revoke_consent(
    consent_id: uuid.UUID, body: RevokeIn, actor: ActorDep, session: SessionDep
) -> ConsentOut:
    """Record the member's revocation (the plan, or the organization the consent names)."""
    return consent_out(
        ConsentService(session, actor).revoke(consent_id, revoked_on=body.revoked_on)
    )
