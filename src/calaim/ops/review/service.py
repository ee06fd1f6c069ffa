"""The reviewer's steps on the desk. Each one checks the engine's answer (an approval against
it needs a written reason, kept and audited), changes the request through the authorization
service or the pend clock, records who did what and when (`AuthorizationReview`), writes the
Notice of Action letter in the member's language and names it in the notices to the member and
the provider, and closes the desk's task for the request."""

from __future__ import annotations

import datetime as dt
import uuid

from calaim.ops.access.permissions import Permission, require
from calaim.ops.authorizations import terms
from calaim.ops.authorizations.notices import decision_notices
from calaim.ops.authorizations.service import AuthorizationService, local_date
from calaim.ops.authorizations.steps import AuthorizationSteps
from calaim.ops.calendar.business_days import local_zone
from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.letters.service import LetterService
from calaim.ops.models import Authorization, AuthorizationStatus, NoticeKind
from calaim.ops.models.letter import AuthorizationReview, LetterKind, ReviewAction
from calaim.ops.review.clock import pend_clock
from calaim.ops.review.engine import EngineView, engine_view
from calaim.ops.review.repository import ReviewRepository
from calaim.ops.review.schemas import ApprovalTerms, Denial, Extension, Pend
from calaim.ops.tasks.service import TaskService

S = AuthorizationStatus
UNDECIDED = {S.PENDING.value, S.PRESUMPTIVE.value}
# An extension longer than this is a reauthorization (a new request), not an extension.
LONGEST_EXTENSION_MONTHS = 12


class OverrideReasonRequired(InvalidRequest):
    """The engine does not support the approval: the reviewer must say why they approve."""


class ReviewService(AuthorizationSteps):
    """The utilization-review desk on behalf of one reviewer."""

    def engine(self, authorization: Authorization, now: dt.datetime) -> EngineView:
        """The engine's answer for the request, read on the request's local day."""
        return engine_view(self.session, self.actor, authorization, local_date(now))

    def steps(self, authorization_id: uuid.UUID) -> list[AuthorizationReview]:
        """Who did what on the request, oldest first."""
        require(self.actor, Permission.AUTHORIZATION_READ)
        return ReviewRepository(self.session, self.actor).for_authorization(authorization_id)

    def approve(
        self,
        authorization_id: uuid.UUID,
        terms_: ApprovalTerms,
        *,
        expected_version: int,
        now: dt.datetime,
    ) -> Authorization:
        """Approve with a period (and units per frequency); against the engine, with a reason."""
        require(self.actor, Permission.AUTHORIZATION_DECIDE)
        authorization = self.repository.get(authorization_id)
        view = self._confirmed(authorization, now, terms_.override_reason)
        self._units_need_frequency(terms_.units, terms_.frequency)
        AuthorizationService(self.session, self.actor).approve(
            authorization_id,
            expected_version=expected_version,
            now=now,
            start_date=terms_.start_date,
            end_date=terms_.end_date,
            units_authorized=terms_.units,
        )
        frequency = terms_.frequency.value if terms_.frequency else None
        letter = LetterService(self.session, self.actor).send(
            authorization, LetterKind.APPROVAL, now, units=terms_.units, frequency=frequency
        )
        return self._recorded(
            authorization,
            ReviewAction.APPROVE,
            now,
            view,
            letter.id,
            start_date=authorization.start_date,
            end_date=authorization.end_date,
            units=terms_.units,
            frequency=frequency,
            override_reason=terms_.override_reason,
        )

    def deny(
        self,
        authorization_id: uuid.UUID,
        denial: Denial,
        *,
        expected_version: int,
        now: dt.datetime,
    ) -> Authorization:
        """Deny with a reason code and the member's text."""
        require(self.actor, Permission.AUTHORIZATION_DECIDE)
        authorization = AuthorizationService(self.session, self.actor).deny(
            authorization_id,
            expected_version=expected_version,
            now=now,
            reason_code=denial.reason_code,
            reason=denial.reason,
        )
        view = self.engine(authorization, now)
        letter = LetterService(self.session, self.actor).send(
            authorization,
            LetterKind.DENIAL,
            now,
            reason_code=denial.reason_code,
            reason_text=denial.reason,
        )
        return self._recorded(
            authorization,
            ReviewAction.DENY,
            now,
            view,
            letter.id,
            reason_code=denial.reason_code,
            reason=denial.reason,
        )

    def pend(
        self, authorization_id: uuid.UUID, pend: Pend, *, expected_version: int, now: dt.datetime
    ) -> Authorization:
        """Ask for more information: the deadline is extended once, the member and provider
        are told (delay notice and letter), and a task follows up the information."""
        require(self.actor, Permission.AUTHORIZATION_DECIDE)
        authorization = self._for_update(authorization_id, expected_version)
        if authorization.status not in UNDECIDED:
            raise Conflict(f"this request is {authorization.status}; only an undecided one pends")
        pended = ReviewRepository(self.session, self.actor).was_pended(authorization.id)
        clock = pend_clock(authorization, now, pended_before=pended)
        before = authorization.decision_due_at
        authorization.decision_due_at = clock.decision_due_at
        self.repository.audit(
            "authorization.pend",
            authorization,
            {
                "decision_due_before": before.isoformat(),
                "decision_due_after": clock.decision_due_at.isoformat(),
                "information_due_at": clock.information_due_at.isoformat(),
            },
        )
        self._flush(authorization, expected_version)
        decision_notices(self.session, authorization, NoticeKind.AUTHORIZATION_DELAYED, now)
        view = self.engine(authorization, now)
        letter = LetterService(self.session, self.actor).send(
            authorization,
            LetterKind.DELAY,
            now,
            information=pend.information,
            decide_by=clock.decision_due_at.astimezone(local_zone()).date(),
        )
        TaskService(self.session, self.actor).information_requested(
            authorization, clock.information_due_at, now
        )
        return self._recorded(
            authorization,
            ReviewAction.PEND,
            now,
            view,
            letter.id,
            information_requested=pend.information,
            decision_due_before=before,
            decision_due_after=clock.decision_due_at,
            close_tasks=False,
        )

    def extend(
        self,
        authorization_id: uuid.UUID,
        extension: Extension,
        *,
        expected_version: int,
        now: dt.datetime,
    ) -> Authorization:
        """An approved request runs to a later end date; against the engine, with a reason."""
        require(self.actor, Permission.AUTHORIZATION_DECIDE)
        authorization = self._for_update(authorization_id, expected_version)
        if authorization.status != S.APPROVED.value or authorization.end_date is None:
            raise Conflict(
                f"this request is {authorization.status}; only an approved one with an end "
                "date can be extended"
            )
        self._check_extension(authorization, extension)
        view = self._confirmed(authorization, now, extension.override_reason)
        self._units_need_frequency(extension.units, extension.frequency)
        before = authorization.end_date
        authorization.end_date = extension.end_date
        if extension.units is not None:
            authorization.units_authorized = extension.units
        self.repository.audit(
            "authorization.extend",
            authorization,
            {
                "end_before": before.isoformat(),
                "end_after": extension.end_date.isoformat(),
                "override": bool(extension.override_reason),
            },
        )
        self._flush(authorization, expected_version)
        decision_notices(self.session, authorization, NoticeKind.AUTHORIZATION_APPROVED, now)
        frequency = extension.frequency.value if extension.frequency else None
        letter = LetterService(self.session, self.actor).send(
            authorization,
            LetterKind.EXTENSION,
            now,
            units=extension.units,
            frequency=frequency,
            reason_text=extension.reason,
        )
        return self._recorded(
            authorization,
            ReviewAction.EXTEND,
            now,
            view,
            letter.id,
            start_date=authorization.start_date,
            end_date=extension.end_date,
            units=extension.units,
            frequency=frequency,
            reason=extension.reason,
            override_reason=extension.override_reason,
        )

    # -- internals ---------------------------------------------------------------------------

    def _confirmed(
        self, authorization: Authorization, now: dt.datetime, override_reason: str | None
    ) -> EngineView:
        view = self.engine(authorization, now)
        if view.needs_override and not (override_reason or "").strip():
            raise OverrideRequired(view)
        if view.needs_override:
            self.repository.audit(
                "authorization.override",
                authorization,
                {
                    "warnings": list(view.warnings),
                    "reason": override_reason,
                },
            )
        return view

    def _check_extension(self, authorization: Authorization, extension: Extension) -> None:
        assert authorization.end_date is not None
        if extension.end_date <= authorization.end_date:
            raise InvalidRequest(
                f"the new end date must be after the current one ({authorization.end_date})",
                field="end_date",
            )
        latest = terms.add_months(authorization.end_date, LONGEST_EXTENSION_MONTHS)
        if extension.end_date > latest:
            raise InvalidRequest(
                f"an extension runs at most {LONGEST_EXTENSION_MONTHS} months past the current "
                f"end ({latest}); request a reauthorization for a longer period",
                field="end_date",
            )

    @staticmethod
    def _units_need_frequency(units: object, frequency: object) -> None:
        if units is not None and frequency is None:
            raise InvalidRequest("say how often the units are given", field="frequency")

    def _recorded(
        self,
        authorization: Authorization,
        action: ReviewAction,
        now: dt.datetime,
        view: EngineView,
        letter_id: uuid.UUID,
        *,
        close_tasks: bool = True,
        **fields: object,
    ) -> Authorization:
        row = view.determination
        ReviewRepository(self.session, self.actor).add(
            AuthorizationReview(
                authorization_id=authorization.id,
                action=action.value,
                at=now,
                by_user_id=self.actor.id,
                letter_id=letter_id,
                engine_status=row.status if row else None,
                engine_as_of=row.as_of if row else None,
                **fields,
            )
        )
        if close_tasks:
            TaskService(self.session, self.actor).finish_for(
                authorization.id, now, f"{action.value} on the review desk"
            )
        return authorization


class OverrideRequired(OverrideReasonRequired):
    """Raised with the engine's answer, so the desk can show the warning again."""

    def __init__(self, view: EngineView) -> None:
        super().__init__(
            "the engine does not support this approval ("
            + ", ".join(w.replace("_", " ") for w in view.warnings)
            + "); confirm it by writing why you approve anyway",
            field="override_reason",
        )
        self.view = view
