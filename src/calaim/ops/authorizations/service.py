"""Authorization requests, automatic and presumptive decisions, reviewer decisions,
reauthorizations and the overdue work queue.

Every step is dated (times are passed in, never read from a clock here), attributed (a
`StatusChange` row) and audited. Decisions carry the version the caller last read.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from calaim.ops.access.permissions import Permission, allowed, require
from calaim.ops.access.scopes import is_provider
from calaim.ops.authorizations import terms
from calaim.ops.authorizations.notices import decision_notices
from calaim.ops.authorizations.state import AuthorizationEvent, next_status
from calaim.ops.authorizations.steps import AuthorizationSteps
from calaim.ops.authorizations.validation import (
    DuplicateAuthorization,
    NotReauthorizable,
    check_amounts,
    check_denial,
    check_program,
    check_referral,
)
from calaim.ops.calendar.business_days import decision_due_at, local_zone
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import (
    Authorization,
    DecisionBasis,
    MemberDetermination,
    NoticeKind,
    Urgency,
)
from calaim.ops.models.authorization import AuthorizationStatus

S = AuthorizationStatus
E = AuthorizationEvent


def local_date(moment: dt.datetime) -> dt.date:
    """The California date of a moment (terms and parameters are dated in local days)."""
    return moment.astimezone(local_zone()).date()


class AuthorizationService(AuthorizationSteps):
    """Authorization rules and state transitions on behalf of one user."""

    def request(
        self,
        *,
        member_id: uuid.UUID,
        program_id: str,
        now: dt.datetime,
        urgency: Urgency = Urgency.ROUTINE,
        referral_id: uuid.UUID | None = None,
        provider_organization_id: uuid.UUID | None = None,
    ) -> Authorization:
        """Request an authorization; approve or presume it at once where the rules allow."""
        require(self.actor, Permission.AUTHORIZATION_REQUEST)
        check_program(program_id)
        member = self.repository.member(member_id)
        if referral_id is not None:
            referral = check_referral(self.session, self.actor, referral_id, member_id, program_id)
            provider_organization_id = (
                provider_organization_id or referral.receiving_organization_id
            )
        if is_provider(self.actor):
            # A provider requests for itself: the provider is never taken from the caller.
            provider_organization_id = self.actor.organization_id
        authorization = self._new(
            member_id=member.id,
            program_id=program_id,
            plan_organization_id=member.plan_organization_id,
            referral_id=referral_id,
            provider_organization_id=provider_organization_id,
            urgency=urgency,
            now=now,
        )
        self._decide_automatically(authorization, now)
        return authorization

    def reauthorize(
        self, previous_id: uuid.UUID, *, now: dt.datetime, urgency: Urgency = Urgency.ROUTINE
    ) -> Authorization:
        """Request the next period of an approved authorization, from the day after it ends."""
        require(self.actor, Permission.AUTHORIZATION_REQUEST)
        previous = self.repository.get(previous_id)
        if previous.status != S.APPROVED.value or previous.end_date is None:
            raise NotReauthorizable(
                f"authorization {previous_id} is {previous.status}; only an approved "
                "authorization with an end date can be reauthorized (request a new one instead)"
            )
        authorization = self._new(
            member_id=previous.member_id,
            program_id=previous.program_id,
            plan_organization_id=previous.plan_organization_id,
            referral_id=previous.referral_id,
            provider_organization_id=previous.provider_organization_id,
            urgency=urgency,
            now=now,
            previous=previous,
        )
        self._decide_automatically(authorization, now)
        return authorization

    def approve(
        self,
        authorization_id: uuid.UUID,
        *,
        expected_version: int,
        now: dt.datetime,
        start_date: dt.date | None = None,
        end_date: dt.date | None = None,
        units_authorized: Decimal | None = None,
        amount_authorized: Decimal | None = None,
    ) -> Authorization:
        """A reviewer approves; the period defaults to the plan's initial or reauth months."""
        require(self.actor, Permission.AUTHORIZATION_DECIDE)
        authorization = self._for_update(authorization_id, expected_version)
        check_amounts(units_authorized, amount_authorized)
        next_status(S(authorization.status), E.APPROVE)
        start = start_date or authorization.start_date or local_date(now)
        end = end_date or self._default_end(authorization, start)
        if end < start:
            raise InvalidRequest(
                f"end_date {end} is before start_date {start}; give an end on or after the start",
                field="end_date",
            )
        authorization.units_authorized = units_authorized
        authorization.amount_authorized = amount_authorized
        self._approve(authorization, start, end, DecisionBasis.REVIEWER, now, None)
        return self._flush(authorization, expected_version)

    def deny(
        self,
        authorization_id: uuid.UUID,
        *,
        expected_version: int,
        now: dt.datetime,
        reason_code: str,
        reason: str,
    ) -> Authorization:
        """A reviewer denies with one of calaim's reason codes and a text; the member is told."""
        require(self.actor, Permission.AUTHORIZATION_DECIDE)
        check_denial(reason_code, reason)
        authorization = self._for_update(authorization_id, expected_version)
        current = S(authorization.status)
        self._apply(authorization, E.DENY, now, reason=f"{reason_code}: {reason}")
        authorization.decided_by_user_id = self.actor.id
        authorization.decision_basis = DecisionBasis.REVIEWER.value
        authorization.denial_reason_code = reason_code
        authorization.denial_reason = reason
        if current == S.PRESUMPTIVE and authorization.presumptive_until is not None:
            # Service delivered until the decision stays covered; nothing after it.
            authorization.presumptive_until = min(authorization.presumptive_until, local_date(now))
        decision_notices(self.session, authorization, NoticeKind.AUTHORIZATION_DENIED, now)
        return self._flush(authorization, expected_version)

    def withdraw(
        self,
        authorization_id: uuid.UUID,
        *,
        expected_version: int,
        now: dt.datetime,
        reason: str | None = None,
    ) -> Authorization:
        """The requester (or the plan) withdraws an undecided request."""
        if not (
            allowed(self.actor, Permission.AUTHORIZATION_REQUEST)
            or allowed(self.actor, Permission.AUTHORIZATION_DECIDE)
        ):
            require(self.actor, Permission.AUTHORIZATION_REQUEST)
        authorization = self._for_update(authorization_id, expected_version)
        self._apply(authorization, E.WITHDRAW, now, reason=reason)
        return self._flush(authorization, expected_version)

    def get(self, authorization_id: uuid.UUID) -> Authorization:
        """One visible authorization (audited)."""
        require(self.actor, Permission.AUTHORIZATION_READ)
        return self.repository.get(authorization_id)

    def overdue(self, now: dt.datetime, *, limit: int = 50, offset: int = 0) -> list[Authorization]:
        """The plan's work queue: undecided authorizations whose decision was due before `now`."""
        require(self.actor, Permission.AUTHORIZATION_DECIDE)
        return self.repository.overdue(now, limit=limit, offset=offset)

    # -- internals ---------------------------------------------------------------------------

    def _new(
        self,
        *,
        program_id: str,
        urgency: Urgency,
        now: dt.datetime,
        previous: Authorization | None = None,
        **fields: uuid.UUID | None,
    ) -> Authorization:
        member_id = fields["member_id"]
        assert member_id is not None
        existing = self.repository.open_for(member_id, program_id)
        if existing is not None:
            raise DuplicateAuthorization(
                f"the member already has an undecided {program_id} authorization "
                f"({existing.id}); wait for its decision or withdraw it first"
            )
        clock = terms.timelines(local_date(now))
        added = self.repository.add(
            Authorization(
                program_id=program_id,
                urgency=urgency.value,
                status=S.PENDING.value,
                requested_at=now,
                decision_due_at=decision_due_at(now, urgency == Urgency.EXPEDITED, clock),
                previous_authorization_id=previous.id if previous else None,
                start_date=previous.end_date + dt.timedelta(days=1)
                if previous and previous.end_date
                else None,
                **fields,
            )
        )
        if added is None:
            raise DuplicateAuthorization(
                f"a simultaneous request for the member's {program_id} authorization was "
                "saved first; it is undecided now: wait for its decision or withdraw it"
            )
        authorization = added
        self._history(authorization, None, S.PENDING, now, self.actor, None)
        self.repository.audit(
            "authorization.request",
            authorization,
            {
                "program_id": program_id,
                "urgency": urgency.value,
                "decision_due_at": authorization.decision_due_at.isoformat(),
                "previous_authorization_id": str(previous.id) if previous else None,
            },
        )
        self.session.flush()
        return authorization

    def _approvable_on(
        self,
        authorization: Authorization,
        determination: MemberDetermination | None,
        today: dt.date,
    ) -> bool:
        """Whether an engine determination is eligible and recent enough to approve on."""
        cs = authorization.program_id != "ecm"
        if (
            determination is None
            or determination.status != "eligible"
            or not determination.eligible
            or (cs and determination.offered is not True)
        ):
            return False
        plan_code = self._plan_code(authorization)
        max_age = terms.determination_max_age_days(plan_code, authorization.program_id, today)
        age = (today - determination.as_of).days
        if age <= max_age:
            return True
        # Too old to trust without a person: the request waits for a reviewer (audited why).
        self.repository.audit(
            "authorization.auto_approval_skipped",
            authorization,
            {
                "determination_as_of": determination.as_of.isoformat(),
                "age_days": age,
                "max_age_days": max_age,
            },
        )
        return False

    def _decide_automatically(self, authorization: Authorization, now: dt.datetime) -> None:
        """Approve on an eligible engine determination, else presume where the plan allows."""
        today = local_date(now)
        determination = self.repository.current_determination(
            authorization.member_id, authorization.program_id, today
        )
        if self._approvable_on(authorization, determination, today):
            assert determination is not None
            start = authorization.start_date or today
            try:
                end = self._default_end(authorization, start)
            except terms.NoAuthorizationLength:
                return  # no length configured: a reviewer decides (and sets the end date)
            why = f"engine determination {determination.status} as of {determination.as_of}"
            self._approve(authorization, start, end, DecisionBasis.ENGINE_ELIGIBLE, now, why)
            self.session.flush()
            return
        days = terms.presumptive_days(
            self._plan_code(authorization), authorization.program_id, today
        )
        if (
            days > 0
            and authorization.provider_organization_id
            and not authorization.previous_authorization_id
        ):
            authorization.start_date = today
            authorization.presumptive_until = today + dt.timedelta(days=days)
            self._apply(
                authorization,
                E.PRESUME,
                now,
                reason=f"plan allows {days} presumptive days",
                automatic=True,
            )
            self.session.flush()
