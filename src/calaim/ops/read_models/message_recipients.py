"""Which organizations a new message concerns: whom its inbox item goes to.

A referral's message goes to the referral's other parties (the referrer, the receiver and any
organization that joined the loop); a member's message to the member's plan and the providers
connected to the member (the same connections `ops.access.scopes` lets see the member). A
message marked Part 2 goes only to the member's plan and to organizations with the member's
active consent on the day it was sent, so the item itself reveals nothing to anyone else.
The sender's own organization is never told of its own message.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.part2 import organization_has_part2_consent
from calaim.ops.models import (
    Authorization,
    Enrollment,
    Member,
    Message,
    Referral,
    ReferralParty,
    ServiceEpisode,
)


def message_recipients(session: Session, message: Message) -> set[uuid.UUID]:
    """The organizations to tell about `message` (never the sender's own)."""
    member = session.get(Member, message.member_id)
    if member is None:
        return set()
    if message.referral_id is not None:
        found = _referral_parties(session, message.referral_id)
    else:
        found = _member_organizations(session, member)
    found.discard(message.organization_id)
    if message.part2:
        day = message.sent_at.date()
        found = {
            organization
            for organization in found
            if organization == member.plan_organization_id
            or organization_has_part2_consent(session, member.id, organization, day)
        }
    return found


def _referral_parties(session: Session, referral_id: uuid.UUID) -> set[uuid.UUID]:
    referral = session.get(Referral, referral_id)
    if referral is None:
        return set()
    joined = select(ReferralParty.organization_id).where(ReferralParty.referral_id == referral_id)
    parties = {referral.referring_organization_id, *session.scalars(joined)}
    if referral.receiving_organization_id is not None:
        parties.add(referral.receiving_organization_id)
    return parties


def _member_organizations(session: Session, member: Member) -> set[uuid.UUID]:
    connected = (
        select(Enrollment.provider_organization_id)
        .where(Enrollment.member_id == member.id)
        .union(
            select(Referral.receiving_organization_id).where(Referral.member_id == member.id),
            select(Authorization.provider_organization_id).where(
                Authorization.member_id == member.id
            ),
            select(ServiceEpisode.provider_organization_id).where(
                ServiceEpisode.member_id == member.id
            ),
        )
    )
    found = {organization for organization in session.scalars(connected) if organization}
    found.add(member.plan_organization_id)
    return found
