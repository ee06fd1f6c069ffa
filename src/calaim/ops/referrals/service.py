"""Referral intake (with duplicate detection) and lifecycle transitions.

Every step is dated, attributed (a `ReferralTransition` row) and audited. Updates carry the
version the caller last read, so two people acting on the same referral cannot overwrite each
other's work unknowingly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from calaim.engine.loading.policy import default_policy_dir
from calaim.engine.loading.rules import load_programs
from calaim.ops.errors import InvalidRequest, StaleVersion
from calaim.ops.models import OrganizationKind, Referral, ReferralSource, ReferralTransition, User
from calaim.ops.models.base import utc_now
from calaim.ops.referrals.repository import ReferralNotFound, ReferralRepository
from calaim.ops.referrals.state import ReferralEvent, ReferralStatus, next_status


class UnknownProgram(InvalidRequest):
    """The referral names no ECM or Community Support in the program registry."""


@cache
def referable_programs() -> frozenset[str]:
    """Registry ids a referral may name: `ecm` and each Community Support."""
    # Populations of focus (`ecm.*`) are determined by the engine; a referral is to ECM itself.
    programs = load_programs(default_policy_dir() / "programs.yaml")
    return frozenset(pid for pid, program in programs.items() if program.kind in {"ecm", "cs"})


class StaleReferral(StaleVersion):
    """The referral changed since the caller read it; re-read it and try again."""


@dataclass(frozen=True)
class Intake:
    """The result of a referral intake: the referral, and whether it is new."""

    referral: Referral
    created: bool


class ReferralService:
    """Referral rules and state transitions on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = ReferralRepository(session, actor)

    def create(
        self,
        *,
        member_id: uuid.UUID,
        program_id: str,
        source_kind: ReferralSource,
        receiving_organization_id: uuid.UUID | None = None,
        reason_codes: str | None = None,
    ) -> Intake:
        """Receive a referral from the actor's organization, or return the open duplicate."""
        if program_id not in referable_programs():
            raise UnknownProgram(
                f"program_id {program_id!r} is not a referable program; "
                "use 'ecm' or a Community Support id such as 'cs.recuperative_care'",
                field="program_id",
            )
        member = self.repository.find_member(member_id)
        if member is None or self.actor.organization.kind == OrganizationKind.STATE:
            raise ReferralNotFound(f"member {member_id} not found")
        existing = self.repository.find_open(member_id, program_id)
        if existing is not None:
            # One open loop per member and program: a second referral joins the first.
            self.repository.audit(
                "referral.duplicate",
                existing,
                {"source_kind": source_kind.value, "reason_codes": reason_codes},
            )
            self.session.flush()
            return Intake(existing, created=False)
        now = utc_now()
        referral = self.repository.add(
            Referral(
                member_id=member.id,
                program_id=program_id,
                # The referrer is always the actor's organization, never taken from the caller.
                referring_organization_id=self.actor.organization_id,
                receiving_organization_id=receiving_organization_id,
                source_kind=source_kind.value,
                status=ReferralStatus.RECEIVED.value,
                reason_codes=reason_codes,
                received_at=now,
                updated_at=now,
            )
        )
        self._history(referral, None, ReferralStatus.RECEIVED, reason_codes)
        self.repository.audit("referral.create", referral, {"program_id": program_id})
        self.session.flush()
        return Intake(referral, created=True)

    def get(self, referral_id: uuid.UUID) -> Referral:
        """One visible referral (audited), or `ReferralNotFound`."""
        return self.repository.get(referral_id)

    def transition(
        self,
        referral_id: uuid.UUID,
        event: ReferralEvent,
        *,
        expected_version: int,
        reason: str | None = None,
    ) -> Referral:
        """Apply `event` to a visible referral last read at `expected_version`."""
        referral = self.repository.get(referral_id, action="referral.read_for_update")
        if referral.version != expected_version:
            raise StaleReferral(_stale_message(referral_id, expected_version, referral.version))
        current = ReferralStatus(referral.status)
        target = next_status(current, event, reason)
        referral.status = target.value
        referral.updated_at = utc_now()
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
        try:
            self.session.flush()
        except StaleDataError as error:
            # Someone else updated the row between our read and our write.
            raise StaleReferral(_stale_message(referral_id, expected_version, None)) from error
        return referral

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


def _stale_message(referral_id: uuid.UUID, expected: int, current: int | None) -> str:
    """Say the referral changed and what to do about it."""
    now = f" (it is now at version {current})" if current is not None else ""
    return (
        f"referral {referral_id} was changed by someone else since version {expected}{now}; "
        "read it again and retry"
    )
