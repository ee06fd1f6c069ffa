"""Referral intake (with duplicate detection) and lifecycle transitions.

Every step is dated, attributed (a `ReferralTransition` row) and audited. Updates carry the
version the caller last read, so two people acting on the same referral cannot overwrite each
other's work unknowingly. Who may take which step is decided in
`calaim.ops.access.referral_rules`; the closed-loop notices are created in `notices.py`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from calaim.ops.access.part2 import Shown, require_disclosure_consent
from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.referral_rules import require_may_act, require_may_route
from calaim.ops.errors import Conflict, StaleVersion
from calaim.ops.models import (
    NoticeKind,
    Referral,
    ReferralSource,
    ReferralTransition,
    User,
)
from calaim.ops.referrals import notices
from calaim.ops.referrals.attached import determinations_for
from calaim.ops.referrals.intake import IntakeForm, MemberLookup, MemberNotMatched
from calaim.ops.referrals.members import receiver, resolve_member
from calaim.ops.referrals.overdue import OverdueLoop, overdue_loops
from calaim.ops.referrals.programs import UnknownProgram, check_program, referable_programs
from calaim.ops.referrals.repository import ReferralNotFound, ReferralRepository
from calaim.ops.referrals.state import ReferralEvent, ReferralStatus, next_status
from calaim.ops.referrals.timeline import in_step_order
from calaim.ops.referrals.writes import save_form, stale_message

__all__ = [
    "Intake",
    "IntakeForm",
    "MemberLookup",
    "MemberNotMatched",
    "ReferralNotFound",
    "ReferralService",
    "RouteRefused",
    "StaleReferral",
    "UnknownProgram",
    "referable_programs",
]


class RouteRefused(Conflict):
    """The referral cannot be routed: it was already acted on, or the provider is unsuitable."""


class StaleReferral(StaleVersion):
    """The referral changed since the caller read it; re-read it and try again."""


@dataclass(frozen=True)
class Intake:
    """The result of a referral intake: the referral, whether it is new, what it carries."""

    referral: Referral
    created: bool
    # True when a duplicate added the actor's organization to the open loop as a party.
    joined: bool = False
    # The member's latest determinations for the program (ECM: and its PoFs), as far as the
    # actor may see them: none for referrers, Part 2 rows only with the right to see them.
    determinations: tuple[Shown, ...] = ()


class ReferralService:
    """Referral rules and state transitions on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = ReferralRepository(session, actor)

    def create(
        self,
        *,
        member_id: uuid.UUID | None = None,
        program_id: str,
        source_kind: ReferralSource,
        receiving_organization_id: uuid.UUID | None = None,
        reason_codes: str | None = None,
        member: MemberLookup | None = None,
        form: IntakeForm | None = None,
        now: dt.datetime,
    ) -> Intake:
        """Receive a referral from the actor's organization, or join the open duplicate.

        Name the member by `member_id` (plans and providers serving the member) or by a
        `member` look-up (CIN or names, with the birth date; anyone who may refer).
        """
        require(self.actor, Permission.REFERRAL_CREATE)
        check_program(program_id)
        if form is not None:
            form.check()
        found = resolve_member(self.session, self.actor, member_id, member)
        if receiving_organization_id is not None:
            receiver(self.session, receiving_organization_id, program_id)
            require_disclosure_consent(self.session, self.actor.organization.kind, found,
                                       receiving_organization_id, now.date())  # fmt: skip
        existing = self.repository.find_open(found.id, program_id)
        if existing is None:
            referral = self.repository.add(
                Referral(
                    member_id=found.id,
                    program_id=program_id,
                    # The referrer is always the actor's organization, never the caller's word.
                    referring_organization_id=self.actor.organization_id,
                    receiving_organization_id=receiving_organization_id,
                    source_kind=source_kind.value,
                    status=ReferralStatus.RECEIVED.value,
                    reason_codes=reason_codes,
                    received_at=now,
                    updated_at=now,
                )
            )
            if referral is not None:
                return self._opened(referral, form, now)
            existing = self.repository.find_open(found.id, program_id)
        assert existing is not None  # add() returns None only when the open loop exists
        return self._joined(existing, source_kind, reason_codes, form, now)

    def get(self, referral_id: uuid.UUID) -> Referral:
        """One visible referral (audited), or `ReferralNotFound`."""
        return self.repository.get(referral_id)

    def detail(
        self, referral_id: uuid.UUID
    ) -> tuple[Referral, dict[uuid.UUID, str], list[ReferralTransition]]:
        """A visible referral, its parties' names and its steps in closed-loop order."""
        history = in_step_order(self.repository.history(referral_id))
        referral = self.repository.get(referral_id)
        parties = {referral.referring_organization_id}
        if referral.receiving_organization_id is not None:
            parties.add(referral.receiving_organization_id)
        return referral, self.repository.organization_names(parties), history

    def determinations_for(
        self, referral: Referral, *, today: dt.date | None = None
    ) -> tuple[Shown, ...]:
        """The member's latest determinations for the referral's program, as the actor may see."""
        return determinations_for(self.session, self.actor, referral, today=today)

    def overdue(self, now: dt.datetime) -> list[OverdueLoop]:
        """Open loops visible to the actor whose current step is past its window at `now`."""
        return overdue_loops(self.repository, now)

    def transition(
        self,
        referral_id: uuid.UUID,
        event: ReferralEvent,
        *,
        expected_version: int,
        reason: str | None = None,
        now: dt.datetime,
    ) -> Referral:
        """Apply `event` to a visible referral last read at `expected_version`."""
        referral = self._for_update(referral_id, expected_version)
        current = ReferralStatus(referral.status)
        target = next_status(current, event, reason)
        require_may_act(self.actor, referral, event)
        referral.status = target.value
        referral.updated_at = now
        if target == ReferralStatus.DECLINED:
            referral.decline_reason = reason
        elif target == ReferralStatus.CLOSED:
            referral.closure_reason = reason or "services received"
        self._history(referral, current, target, reason)
        self.repository.audit(
            f"referral.{event.value}",
            referral,
            {"from": current.value, "to": target.value, "reason": reason},
        )
        self._flush(referral_id, expected_version)
        if target in notices.ON_STATUS:
            kind = notices.ON_STATUS[target]
            self._notify(referral, kind, referral.updated_at, {"reason": reason})
        return referral

    def route(
        self,
        referral_id: uuid.UUID,
        receiving_organization_id: uuid.UUID,
        *,
        expected_version: int,
        now: dt.datetime,
    ) -> Referral:
        """Set or replace the receiving provider of a referral nobody has accepted yet."""
        referral = self._for_update(referral_id, expected_version)
        require_may_route(self.actor, referral)
        if referral.status != ReferralStatus.RECEIVED:
            raise RouteRefused(
                f"referral {referral_id} is {referral.status}; only a received referral can be "
                "routed (a provider that accepted must decline or close it first)"
            )
        provider = receiver(self.session, receiving_organization_id, referral.program_id)
        source = self.repository.organization_kind(referral.referring_organization_id)
        require_disclosure_consent(self.session, source, referral.member, provider.id, now.date())
        previous = referral.receiving_organization_id
        referral.receiving_organization_id = provider.id
        referral.updated_at = now
        # The routing is a dated step of the loop; it restarts the accept-or-decline clock.
        self._history(
            referral, ReferralStatus.RECEIVED, ReferralStatus.RECEIVED, f"routed to {provider.name}"
        )
        self.repository.audit(
            "referral.route",
            referral,
            {"from": str(previous) if previous else None, "to": str(provider.id)},
        )
        self._flush(referral_id, expected_version)
        if referral.program_id.startswith("cs."):
            # ECM assignment notices come with the enrollment (ops/assignments).
            contact = notices.provider_contact(self.session, provider.id)
            for kind in (NoticeKind.ASSIGNMENT_TO_MEMBER, NoticeKind.ASSIGNMENT_TO_REFERRER):
                self._notify(referral, kind, referral.updated_at, contact)
        return referral

    def _opened(self, referral: Referral, form: IntakeForm | None, now: dt.datetime) -> Intake:
        """Finish a new loop: history, form, audit, the member's notice, determinations."""
        self._history(referral, None, ReferralStatus.RECEIVED, referral.reason_codes)
        save_form(self.session, self.actor, referral, form, referral.source_kind, now)
        self.repository.audit("referral.create", referral, {"program_id": referral.program_id})
        self.session.flush()
        contact = (
            notices.provider_contact(self.session, referral.receiving_organization_id)
            if referral.receiving_organization_id
            else {}
        )
        self._notify(referral, NoticeKind.REFERRAL_RECEIVED, now, contact)
        return Intake(referral, created=True, determinations=self._attached(referral, now))

    def _joined(
        self,
        referral: Referral,
        source_kind: ReferralSource,
        reason_codes: str | None,
        form: IntakeForm | None,
        now: dt.datetime,
    ) -> Intake:
        """A duplicate: one open loop per member and program, so the referrer joins it."""
        joined = self.repository.join(referral, source_kind.value, now)
        if joined:
            save_form(self.session, self.actor, referral, form, source_kind.value, now)
        self.repository.audit(
            "referral.duplicate",
            referral,
            {"source_kind": source_kind.value, "reason_codes": reason_codes, "joined": joined},
        )
        self.session.flush()
        return Intake(
            referral, created=False, joined=joined, determinations=self._attached(referral, now)
        )

    def _attached(self, referral: Referral, now: dt.datetime) -> tuple[Shown, ...]:
        return determinations_for(self.session, self.actor, referral, today=now.date())

    def _for_update(self, referral_id: uuid.UUID, expected_version: int) -> Referral:
        referral = self.repository.get(referral_id, action="referral.read_for_update")
        if referral.version != expected_version:
            raise StaleReferral(stale_message(referral_id, expected_version, referral.version))
        return referral

    def _flush(self, referral_id: uuid.UUID, expected_version: int) -> None:
        try:
            self.session.flush()
        except StaleDataError as error:
            # Someone else updated the row between our read and our write.
            raise StaleReferral(stale_message(referral_id, expected_version, None)) from error

    def _notify(
        self, referral: Referral, kind: NoticeKind, now: dt.datetime, content: dict[str, Any]
    ) -> None:
        notices.notify(self.repository, referral, kind, now, content)

    def _history(
        self,
        referral: Referral,
        from_status: ReferralStatus | None,
        to_status: ReferralStatus,
        reason: str | None,
    ) -> None:
        """Add the dated, attributed transition row."""
        self.session.add(
            ReferralTransition(
                referral_id=referral.id,
                from_status=from_status.value if from_status else None,
                to_status=to_status.value,
                at=referral.updated_at,
                actor_user_id=self.actor.id,
                reason=reason,
            )
        )
