"""Shared steps of the authorization tests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.models import Authorization, Referral, ReferralSource, Urgency, User

from .conftest import Parties


def referral_to(session: Session, parties: Parties, provider: User, program_id: str) -> Referral:
    """A referral of the plan's member to the provider (which connects them), added directly."""
    existing = session.scalars(
        select(Referral).where(
            Referral.member_id == parties.member.id, Referral.program_id == program_id
        )
    ).first()
    if existing is not None:
        return existing  # one open referral per member and program
    referral = Referral(
        member_id=parties.member.id,
        program_id=program_id,
        referring_organization_id=parties.referrer.organization_id,
        receiving_organization_id=provider.organization_id,
        source_kind=ReferralSource.HOSPITAL.value,
        status="accepted",
    )
    session.add(referral)
    session.flush()
    return referral


def provider_request(
    session: Session,
    parties: Parties,
    provider: User,
    program_id: str,
    now: dt.datetime,
    urgency: Urgency = Urgency.ROUTINE,
) -> Authorization:
    """A provider's request for the plan's member, from a referral to it."""
    referral = referral_to(session, parties, provider, program_id)
    return AuthorizationService(session, provider).request(
        member_id=parties.member.id,
        program_id=program_id,
        now=now,
        urgency=urgency,
        referral_id=referral.id,
    )


def plan_request(
    session: Session, parties: Parties, program_id: str, now: dt.datetime
) -> Authorization:
    """A plan care coordinator's request naming no provider."""
    return AuthorizationService(session, parties.care_coordinator).request(
        member_id=parties.member.id, program_id=program_id, now=now
    )
