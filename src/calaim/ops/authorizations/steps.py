"""The recorded steps shared by authorization decisions: a transition with its `StatusChange`
row and audit event, approval with notices, version checks and the default period."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from calaim.ops.authorizations import terms
from calaim.ops.authorizations.notices import decision_notices
from calaim.ops.authorizations.repository import AuthorizationRepository
from calaim.ops.authorizations.state import AuthorizationEvent, next_status
from calaim.ops.authorizations.validation import StaleAuthorization
from calaim.ops.models import Authorization, DecisionBasis, NoticeKind, StatusChange, User
from calaim.ops.models.authorization import AuthorizationStatus

S = AuthorizationStatus
E = AuthorizationEvent


class AuthorizationSteps:
    """Recorded state changes of authorizations on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = AuthorizationRepository(session, actor)

    def _approve(
        self,
        authorization: Authorization,
        start: dt.date,
        end: dt.date,
        basis: DecisionBasis,
        now: dt.datetime,
        reason: str | None,
    ) -> None:
        reviewer = basis == DecisionBasis.REVIEWER
        self._apply(authorization, E.APPROVE, now, reason=reason, automatic=not reviewer)
        authorization.start_date = start
        authorization.end_date = end
        authorization.decision_basis = basis.value
        authorization.decided_by_user_id = self.actor.id if reviewer else None
        decision_notices(self.session, authorization, NoticeKind.AUTHORIZATION_APPROVED, now)

    def _apply(
        self,
        authorization: Authorization,
        event: AuthorizationEvent,
        now: dt.datetime,
        *,
        reason: str | None,
        automatic: bool = False,
    ) -> None:
        current = S(authorization.status)
        target = next_status(current, event)
        authorization.status = target.value
        if target != S.PRESUMPTIVE:
            authorization.decided_at = now
        # Automatic steps (engine approval, presumption) are attributed to no user.
        attributed = None if automatic else self.actor
        self._history(authorization, current, target, now, attributed, reason)
        self.repository.audit(
            f"authorization.{event.value}",
            authorization,
            {
                "from": current.value,
                "to": target.value,
                "reason": reason,
                "automatic": attributed is None,
            },
        )

    def _history(
        self,
        authorization: Authorization,
        from_status: AuthorizationStatus | None,
        to_status: AuthorizationStatus,
        now: dt.datetime,
        actor: User | None,
        reason: str | None,
    ) -> None:
        self.session.add(
            StatusChange(
                entity_type="authorization",
                entity_id=authorization.id,
                from_status=from_status.value if from_status else None,
                to_status=to_status.value,
                at=now,
                actor_user_id=actor.id if actor else None,
                reason=reason,
            )
        )

    def _for_update(self, authorization_id: uuid.UUID, expected_version: int) -> Authorization:
        authorization = self.repository.get(
            authorization_id, action="authorization.read_for_update"
        )
        if authorization.version != expected_version:
            raise StaleAuthorization.of(authorization_id, expected_version, authorization.version)
        return authorization

    def _flush(self, authorization: Authorization, expected_version: int) -> Authorization:
        # Read before flushing: a failed flush expires the row, and reading it then fails.
        authorization_id = authorization.id
        try:
            self.session.flush()
        except StaleDataError as error:
            # Someone else updated the row between our read and our write.
            raise StaleAuthorization.of(authorization_id, expected_version, None) from error
        return authorization

    def _default_end(self, authorization: Authorization, start: dt.date) -> dt.date:
        months = terms.authorization_months(
            self._plan_code(authorization),
            authorization.program_id,
            start,
            reauthorization=authorization.previous_authorization_id is not None,
        )
        return terms.period_end(start, months)

    def _plan_code(self, authorization: Authorization) -> str | None:
        # The member's payer is the engine's plan code (organizations carry it too).
        return authorization.member.payer
