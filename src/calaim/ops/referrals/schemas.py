"""Request and response bodies of the referrals API (Pydantic v2)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.http.fields import UtcDateTime, bounded
from calaim.ops.models import (
    ContactPreference,
    MemberDetermination,
    Referral,
    ReferralSource,
    ReferralTransition,
    ReferralUrgency,
)
from calaim.ops.referrals.intake import IntakeForm, MemberLookup
from calaim.ops.referrals.state import ReferralEvent, ReferralStatus, allowed_events

Short = Annotated[str, bounded(200)]
Phone = Annotated[str, bounded(20)]
LongText = Annotated[str, bounded(4000)]


class MemberLookupIn(BaseModel):
    """The member as the Medi-Cal card names them: CIN + birth date, or names + birth date."""

    model_config = ConfigDict(extra="forbid")

    birth_date: dt.date
    cin: Annotated[str, bounded(20)] | None = None
    last_name: Annotated[str, bounded(100)] | None = None
    first_name: Annotated[str, bounded(100)] | None = None

    def lookup(self) -> MemberLookup:
        """The service's look-up."""
        return MemberLookup(**self.model_dump())


class IntakeFormIn(BaseModel):
    """The standardized referral form."""

    model_config = ConfigDict(extra="forbid")

    member_consented: bool
    urgency: ReferralUrgency = ReferralUrgency.ROUTINE
    referrer_contact_name: Short | None = None
    referrer_contact_phone: Phone | None = None
    referrer_contact_email: Annotated[str, bounded(320)] | None = None
    reason: LongText | None = None
    requested_services: Annotated[str, bounded(500)] | None = None
    member_phone: Phone | None = None
    member_contact_preference: ContactPreference | None = None
    notes: LongText | None = None

    def form(self) -> IntakeForm:
        """The service's form."""
        return IntakeForm(**self.model_dump())


class ReferralCreate(BaseModel):
    """A referral from the caller's organization; name the member by `member_id` (plans and
    providers serving them) or by `member` (anyone who may refer)."""

    model_config = ConfigDict(extra="forbid")

    member_id: uuid.UUID | None = None
    member: MemberLookupIn | None = None
    form: IntakeFormIn | None = None
    program_id: Annotated[str, bounded(60)] = Field(
        description="`ecm` or a Community Support id such as `cs.recuperative_care`."
    )
    source_kind: ReferralSource
    receiving_organization_id: uuid.UUID | None = None
    reason_codes: Short | None = None

    def lookup(self) -> MemberLookup | None:
        """The service's member look-up, if the member is named by card details."""
        return self.member.lookup() if self.member else None

    def intake_form(self) -> IntakeForm | None:
        """The service's referral form, if one was sent."""
        return self.form.form() if self.form else None


class RouteIn(BaseModel):
    """The provider a received referral goes to."""

    model_config = ConfigDict(extra="forbid")

    receiving_organization_id: uuid.UUID
    version: int | None = Field(None, ge=1, description="Instead of `If-Match`.")


class ReferralEventIn(BaseModel):
    """A step in the referral's closed loop, based on the version last read."""

    model_config = ConfigDict(extra="forbid")

    event: ReferralEvent
    reason: Annotated[str, bounded(200)] | None = Field(
        None, description="Required to decline or to close before services were received."
    )
    version: int | None = Field(None, ge=1, description="Instead of `If-Match`.")


class ReferralOut(BaseModel):
    """A referral and where it is in its closed loop."""

    id: uuid.UUID
    member_id: uuid.UUID
    program_id: str
    referring_organization_id: uuid.UUID
    receiving_organization_id: uuid.UUID | None
    source_kind: ReferralSource
    status: ReferralStatus
    reason_codes: str | None
    decline_reason: str | None
    closure_reason: str | None
    received_at: UtcDateTime
    updated_at: UtcDateTime
    version: int = Field(description="Send it back in `If-Match` to act on the referral.")
    allowed_events: list[ReferralEvent] = Field(description="The steps allowed from here.")


class PartyOut(BaseModel):
    """An organization in the referral's loop: who referred, who receives."""

    role: Literal["referrer", "receiver"]
    organization_id: uuid.UUID
    name: str


class StepOut(BaseModel):
    """One dated step of the closed loop."""

    at: UtcDateTime
    from_status: ReferralStatus | None = Field(description="None for the creation step.")
    to_status: ReferralStatus
    reason: str | None


class ReferralDetailOut(ReferralOut):
    """One referral with its parties and its closed-loop history (what the web page shows)."""

    parties: list[PartyOut]
    history: list[StepOut] = Field(description="Oldest first, in closed-loop order.")


class DeterminationOut(BaseModel):
    """One of the member's latest engine determinations, as far as the caller may see."""

    program_id: str
    as_of: dt.date
    eligible: bool
    offered: bool | None
    status: str


class IntakeOut(ReferralOut):
    """The referral an intake opened or joined, with the member's determinations."""

    joined: bool = Field(description="A duplicate that added your organization to the loop.")
    determinations: list[DeterminationOut]


def referral_out(referral: Referral) -> ReferralOut:
    """The response body of a referral."""
    status = ReferralStatus(referral.status)
    return ReferralOut(
        id=referral.id,
        member_id=referral.member_id,
        program_id=referral.program_id,
        referring_organization_id=referral.referring_organization_id,
        receiving_organization_id=referral.receiving_organization_id,
        source_kind=ReferralSource(referral.source_kind),
        status=status,
        reason_codes=referral.reason_codes,
        decline_reason=referral.decline_reason,
        closure_reason=referral.closure_reason,
        received_at=referral.received_at,
        updated_at=referral.updated_at,
        version=referral.version,
        allowed_events=allowed_events(status),
    )


def intake_out(
    referral: Referral, joined: bool, determinations: tuple[MemberDetermination, ...]
) -> IntakeOut:
    """The response body of an intake."""
    return IntakeOut(
        **referral_out(referral).model_dump(),
        joined=joined,
        determinations=[
            DeterminationOut(
                program_id=row.program_id,
                as_of=row.as_of,
                eligible=row.eligible,
                offered=row.offered,
                status=row.status,
            )
            for row in determinations
        ],
    )


def referral_detail_out(
    referral: Referral,
    names: dict[uuid.UUID, str],
    history: list[ReferralTransition],
) -> ReferralDetailOut:
    """The response body of one referral, with parties (named) and its ordered history."""
    parties = [PartyOut(role="referrer", organization_id=referral.referring_organization_id,
                        name=names.get(referral.referring_organization_id, ""))]  # fmt: skip
    if referral.receiving_organization_id is not None:
        receiver = referral.receiving_organization_id
        parties.append(PartyOut(role="receiver", organization_id=receiver, name=names[receiver]))
    steps = [
        StepOut(
            at=step.at,
            from_status=ReferralStatus(step.from_status) if step.from_status else None,
            to_status=ReferralStatus(step.to_status),
            reason=step.reason,
        )
        for step in history
    ]
    base = referral_out(referral).model_dump()
    return ReferralDetailOut(**base, parties=parties, history=steps)
