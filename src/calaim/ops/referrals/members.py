"""Resolving who a referral is about and who receives it, with failed look-ups audited."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from calaim.ops.access.scopes import visible_members
from calaim.ops.audit.service import record
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import Member, Organization, OrganizationKind, User
from calaim.ops.referrals.intake import MemberLookup, MemberNotMatched, find_member
from calaim.ops.referrals.programs import COUNTY_PROGRAMS


def resolve_member(
    session: Session, actor: User, member_id: uuid.UUID | None, lookup: MemberLookup | None
) -> Member:
    """The referred member, named by id (in the actor's scope) or by a look-up (across plans)."""
    if (member_id is None) == (lookup is None):
        raise InvalidRequest(
            "name the member either by member_id or by CIN (or name) and birth date",
            field="member",
        )
    try:
        if lookup is not None:
            return find_member(session, actor, lookup)
        statement = visible_members(actor).where(Member.id == member_id)
        found = session.scalars(statement).first()
        if found is None:
            # Referrers see no member rows, so they never refer by id.
            raise MemberNotMatched(
                f"member {member_id} not found; name the member by CIN and birth date"
            )
        return found
    except MemberNotMatched:
        # Failed look-ups leave a trail (which kind of identifiers, not their values).
        record(
            session,
            actor,
            "referral.member_not_matched",
            None,
            entity_type="member",
            entity_id=str(member_id) if member_id else None,
            details={"by": lookup.by() if lookup else "id"},
        )
        session.flush()
        raise


def receiver(session: Session, organization_id: uuid.UUID, program_id: str) -> Organization:
    """The receiving provider, which must be the kind of provider the program needs."""
    wanted = COUNTY_PROGRAMS.get(program_id) or (
        OrganizationKind.ECM_PROVIDER if program_id == "ecm" else OrganizationKind.CS_PROVIDER
    )
    provider = session.get(Organization, organization_id)
    if provider is None or provider.kind != wanted:
        raise InvalidRequest(
            f"receiving_organization_id {organization_id} is not a known {wanted.value} "
            f"organization; {program_id} referrals go to one",
            field="receiving_organization_id",
        )
    return provider
