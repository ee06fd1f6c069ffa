"""The referral and authorization an assignment answers, checked against the member."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import member_id_visible
from calaim.ops.audit.service import record
from calaim.ops.errors import InvalidRequest, NotFound
from calaim.ops.models import Authorization, Member, Referral, User
from calaim.ops.referrals.repository import ReferralRepository
from calaim.ops.repository_base import Missing, first_visible

ECM = "ecm"


class AuthorizationNotFound(NotFound):
    """No authorization with that id is visible to the actor."""


class LinkMismatch(InvalidRequest):
    """The referral or authorization is about another member or another program."""


@dataclass(frozen=True)
class Links:
    """The referral and authorization (each optional) behind one assignment."""

    referral: Referral | None
    authorization: Authorization | None

    def record_assignment(
        self, session: Session, actor: User, provider_id: uuid.UUID, now: dt.datetime
    ) -> None:
        """Name the assigned provider as the referral's receiver when none was named yet."""
        referral = self.referral
        if referral is None or referral.receiving_organization_id is not None:
            return
        # The referral model leaves the receiver empty "until the plan assigns a provider".
        referral.receiving_organization_id = provider_id
        referral.updated_at = now
        event = record(
            session,
            actor,
            "referral.provider_assigned",
            referral,
            details={"receiving_organization_id": str(provider_id)},
        )
        event.member_person_id = referral.member.person_id


def resolve_links(
    session: Session,
    actor: User,
    member: Member,
    referral_id: uuid.UUID | None,
    authorization_id: uuid.UUID | None,
) -> Links:
    """Read the named referral and authorization (scoped) and check they fit the member."""
    referral = None
    if referral_id is not None:
        referral = ReferralRepository(session, actor).get(referral_id)
        _check(referral.member_id, referral.program_id, member, "referral_id")
    authorization = None
    if authorization_id is not None:
        authorization = _authorization(session, actor, authorization_id)
        _check(authorization.member_id, authorization.program_id, member, "authorization_id")
    return Links(referral, authorization)


def _authorization(session: Session, actor: User, authorization_id: uuid.UUID) -> Authorization:
    statement = select(Authorization).where(
        Authorization.id == authorization_id,
        member_id_visible(actor, Authorization.member_id),
    )
    missing = Missing("authorization", AuthorizationNotFound)
    authorization: Authorization = first_visible(
        session, actor, statement, authorization_id, missing
    )
    record(
        session,
        actor,
        "authorization.read",
        entity_type="authorization",
        entity_id=str(authorization_id),
    )
    session.flush()
    return authorization


def _check(member_id: uuid.UUID, program_id: str, member: Member, field: str) -> None:
    if member_id != member.id or program_id != ECM:
        raise LinkMismatch(
            f"{field} names a {program_id!r} record of another member or program; "
            f"name the member's ECM {field.removesuffix('_id')}",
            field=field,
        )
