"""What the navigator's "Start a referral" fills in: the member, the program, the provider.

Each is checked again with the viewer's scope: a member the viewer may not see, a program that
cannot be referred, or a provider that does not offer the program is simply left for the
viewer to choose (never an error page, never a hint that the member exists).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.errors import NotFound
from calaim.ops.members.repository import MemberRepository
from calaim.ops.models import Member, Organization, ProviderProfile, User
from calaim.ops.referrals.programs import COUNTY_PROGRAMS, referable_programs


@dataclass(frozen=True)
class Prefill:
    """What is already chosen on the referral form."""

    member: Member | None = None
    program_id: str | None = None
    provider_id: uuid.UUID | None = None
    provider_name: str | None = None


def _uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def prefill(
    session: Session,
    actor: User,
    member_id: str | None,
    program_id: str | None,
    provider_id: str | None,
) -> Prefill:
    """The member, program and provider to fill in, each only if valid for the viewer."""
    member = None
    wanted = _uuid(member_id)
    if wanted is not None and allowed(actor, Permission.MEMBER_READ):
        try:
            member = MemberRepository(session, actor).get(wanted)
        except NotFound:
            member = None
    program = program_id if program_id in referable_programs() else None
    provider = _provider(session, _uuid(provider_id), program)
    return Prefill(
        member=member,
        program_id=program,
        provider_id=provider.id if provider else None,
        provider_name=provider.name if provider else None,
    )


def _provider(
    session: Session, organization_id: uuid.UUID | None, program_id: str | None
) -> Organization | None:
    if organization_id is None or program_id is None:
        return None
    if program_id in COUNTY_PROGRAMS:  # a county service goes to a county of that kind
        county = session.get(Organization, organization_id)
        return county if county and county.kind == COUNTY_PROGRAMS[program_id] else None
    profile = session.get(ProviderProfile, organization_id)
    if profile is None or program_id not in (profile.programs_served or []):
        return None
    return session.get(Organization, organization_id)
