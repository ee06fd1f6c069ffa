"""Request and response bodies of the authorizations API (Pydantic v2).

Money and units are `Decimal`: requests accept a JSON string or number ("12.50" or 12.5);
responses always give a JSON string ("12.50"), so no value passes through a float.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.authorizations.state import AuthorizationEvent, allowed_events
from calaim.ops.http.fields import Stored, bounded
from calaim.ops.models import Authorization, DecisionBasis, Urgency
from calaim.ops.models.authorization import AuthorizationStatus

# Sized to the columns: Numeric(12, 2).
Amount = Annotated[Decimal, Field(max_digits=12, decimal_places=2)]
Version = Annotated[int | None, Field(ge=1, description="Instead of `If-Match`.")]


class AuthorizationCreate(BaseModel):
    """A request to authorize ECM or a Community Support for a member."""

    model_config = ConfigDict(extra="forbid")

    member_id: uuid.UUID
    program_id: Annotated[str, bounded(60)] = Field(
        description="`ecm` or a Community Support id such as `cs.recuperative_care`."
    )
    urgency: Urgency = Urgency.ROUTINE
    referral_id: uuid.UUID | None = Field(
        None, description="The referral it comes from (same member and program), if any."
    )
    provider_organization_id: uuid.UUID | None = Field(
        None, description="The provider to deliver it (a provider requesting is always itself)."
    )


class ApproveIn(BaseModel):
    """A reviewer's approval; dates default to the plan's terms, limits to none."""

    model_config = ConfigDict(extra="forbid")

    start_date: dt.date | None = None
    end_date: dt.date | None = None
    units_authorized: Amount | None = Field(None, description="In the program's unit.")
    amount_authorized: Amount | None = Field(None, description="US dollars.")
    version: Version = None


class DenyIn(BaseModel):
    """A reviewer's denial: a code from `GET /authorizations/denial-reasons` and a text."""

    model_config = ConfigDict(extra="forbid")

    reason_code: Annotated[str, bounded(20)]
    reason: Annotated[str, bounded(4000)] = Field(description="Goes on the member's notice.")
    version: Version = None


class WithdrawIn(BaseModel):
    """The requester (or the plan) withdraws an undecided request."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, bounded(4000)] | None = None
    version: Version = None


class ReauthorizeIn(BaseModel):
    """A request for the period after an approved authorization ends."""

    model_config = ConfigDict(extra="forbid")

    urgency: Urgency = Urgency.ROUTINE


class DenialReasonOut(BaseModel):
    """One of calaim's denial reason codes."""

    code: str
    label: str


class AuthorizationOut(BaseModel):
    """An authorization, its decision clock and the plan's decision."""

    id: uuid.UUID
    member_id: uuid.UUID
    program_id: str
    plan_organization_id: uuid.UUID
    referral_id: uuid.UUID | None
    provider_organization_id: uuid.UUID | None
    previous_authorization_id: uuid.UUID | None = Field(description="Set on a reauthorization.")
    urgency: Urgency
    status: AuthorizationStatus
    automatic: bool = Field(
        description="Reached without a reviewer: approved on an eligible engine determination "
        "(`decision_basis` `engine_eligible`), or presumptive."
    )
    decision_basis: DecisionBasis | None
    requested_at: dt.datetime
    decision_due_at: dt.datetime = Field(description="When the plan's decision is due.")
    decided_at: dt.datetime | None
    start_date: dt.date | None
    end_date: dt.date | None
    presumptive_until: dt.date | None
    units_authorized: Stored | None
    amount_authorized: Stored | None
    denial_reason_code: str | None
    denial_reason: str | None
    version: int = Field(description="Send it back in `If-Match` to decide or withdraw.")
    allowed_events: list[AuthorizationEvent] = Field(
        description="The decisions that may be taken from here."
    )


def authorization_out(authorization: Authorization) -> AuthorizationOut:
    """The response body of an authorization."""
    status = AuthorizationStatus(authorization.status)
    basis = DecisionBasis(authorization.decision_basis) if authorization.decision_basis else None
    return AuthorizationOut(
        id=authorization.id,
        member_id=authorization.member_id,
        program_id=authorization.program_id,
        plan_organization_id=authorization.plan_organization_id,
        referral_id=authorization.referral_id,
        provider_organization_id=authorization.provider_organization_id,
        previous_authorization_id=authorization.previous_authorization_id,
        urgency=Urgency(authorization.urgency),
        status=status,
        automatic=status == AuthorizationStatus.PRESUMPTIVE
        or basis == DecisionBasis.ENGINE_ELIGIBLE,
        decision_basis=basis,
        requested_at=authorization.requested_at,
        decision_due_at=authorization.decision_due_at,
        decided_at=authorization.decided_at,
        start_date=authorization.start_date,
        end_date=authorization.end_date,
        presumptive_until=authorization.presumptive_until,
        units_authorized=authorization.units_authorized,
        amount_authorized=authorization.amount_authorized,
        denial_reason_code=authorization.denial_reason_code,
        denial_reason=authorization.denial_reason,
        version=authorization.version,
        # Presumption is only ever automatic, at the request: never a step to ask for.
        allowed_events=[e for e in allowed_events(status) if e != AuthorizationEvent.PRESUME],
    )
