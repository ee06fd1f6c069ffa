"""ECM needs an authorization: assignment, enrollment and a first care plan are refused unless
an approved (or presumptive, in its window) ECM authorization covers the day, or the plan
records an override with a reason.

The engine's finding counts too: when the member's latest ECM determination on or before the
day says not eligible, only a reviewer's approval or the plan's override lets ECM go ahead
(an automatic or presumptive authorization does not outweigh the engine).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.models import (
    Authorization,
    DecisionBasis,
    Enrollment,
    MemberDetermination,
    User,
)

ECM = "ecm"
OVERRIDE_FIELD = "authorization_override_reason"


class AuthorizationRequired(Conflict):
    """No ECM authorization covers the day (or the engine says not eligible), and no override."""

    field = OVERRIDE_FIELD


class AuthorizationNotInForce(InvalidRequest):
    """The named authorization does not cover the day (pending, denied, ended...)."""


@dataclass(frozen=True)
class Coverage:
    """What lets ECM go ahead on a day: the authorization in force, or the override's reason."""

    authorization: Authorization | None
    problems: tuple[str, ...]
    override_reason: str | None

    @property
    def overridden(self) -> bool:
        """Whether ECM goes ahead on the plan's override rather than on an authorization."""
        return bool(self.problems)


def in_force(authorization: Authorization, on: dt.date) -> bool:
    """Whether an ECM authorization covers `on` (approved in its dates, presumptive window)."""
    start = authorization.start_date
    if start is None or on < start:
        return False
    if authorization.status == "approved":
        return authorization.end_date is None or on <= authorization.end_date
    if authorization.status == "presumptive":
        until = authorization.presumptive_until
        return until is not None and on <= until
    return False


def authorization_in_force(
    session: Session, member_id: uuid.UUID, on: dt.date
) -> Authorization | None:
    """The member's ECM authorization covering `on` (approved first, then presumptive)."""
    statement = (
        select(Authorization)
        .where(
            Authorization.member_id == member_id,
            Authorization.program_id == ECM,
            Authorization.start_date <= on,
            or_(
                and_(
                    Authorization.status == "approved",
                    or_(Authorization.end_date.is_(None), Authorization.end_date >= on),
                ),
                and_(Authorization.status == "presumptive", Authorization.presumptive_until >= on),
            ),
        )
        .order_by(Authorization.status, Authorization.start_date.desc(), Authorization.id)
    )
    return session.scalars(statement).unique().first()


def engine_finding(session: Session, member_id: uuid.UUID, on: dt.date) -> str | None:
    """A problem when the member's latest ECM determination on or before `on` is not eligible."""
    statement = (
        select(MemberDetermination)
        .where(
            MemberDetermination.member_id == member_id,
            MemberDetermination.program_id == ECM,
            MemberDetermination.as_of <= on,
        )
        .order_by(MemberDetermination.as_of.desc())
        .limit(1)
    )
    found = session.scalars(statement).first()
    if found is None or found.eligible:
        return None
    return f"the eligibility engine found the member not eligible for ECM on {found.as_of}"


def check_coverage(
    session: Session,
    member_id: uuid.UUID,
    on: dt.date,
    *,
    named: Authorization | None = None,
    override_reason: str | None = None,
) -> Coverage:
    """What lets ECM go ahead on `on`, or `AuthorizationRequired` saying what is missing."""
    if named is not None and not in_force(named, on) and not _text(override_reason):
        raise AuthorizationNotInForce(
            f"the ECM authorization named is {named.status} and does not cover {on}; name an "
            "approved or presumptive one, or record an override with a reason",
            field="authorization_id",
        )
    authorization = named if named is not None and in_force(named, on) else None
    authorization = authorization or authorization_in_force(session, member_id, on)
    problems: list[str] = []
    if authorization is None:
        problems.append(f"no approved or presumptive ECM authorization covers {on}")
    finding = engine_finding(session, member_id, on)
    reviewed = authorization is not None and (
        authorization.decision_basis == DecisionBasis.REVIEWER.value
    )
    if finding and not reviewed:
        problems.append(finding)
    reason = _text(override_reason)
    if problems and reason is None:
        said = "; ".join(problems)
        raise AuthorizationRequired(
            f"{said[:1].upper()}{said[1:]}. Request an ECM authorization (or have a reviewer "
            "approve one), or record an override with the reason"
        )
    return Coverage(authorization, tuple(problems), reason if problems else None)


def record_override(
    enrollment: Enrollment, coverage: Coverage, actor: User, now: dt.datetime
) -> None:
    """Store the plan's override on the enrollment (who, when, why), when one was needed."""
    if not coverage.overridden:
        return
    enrollment.authorization_override_reason = coverage.override_reason
    enrollment.authorization_override_by_user_id = actor.id
    enrollment.authorization_override_at = now


def _text(value: str | None) -> str | None:
    stripped = (value or "").strip()
    return stripped or None
