"""Reentry cases: open, Medi-Cal, care manager and providers, assessment, care plan, warm
handoff, release supply, release date changes and the release itself.

Every step is dated by the caller's clock, attributed (a `ReentryEvent`), audited and
version-checked. Who may take which step: the facility runs the case; the in-reach
(pre-release) ECM provider assesses, plans and hands off; the member's plan names providers;
the post-release provider joins the handoff. The deadlines are tasks (`ops/tasks`, counted
from `expected_release_on`), so a moved release date moves them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import is_facility
from calaim.ops.errors import Conflict, Forbidden, InvalidRequest, StaleVersion
from calaim.ops.models import (
    MediCalStatus,
    NoticeKind,
    ReentryCase,
    ReentryEvent,
    ReentryEventKind,
    ReentryStatus,
    User,
)
from calaim.ops.reentry import steps
from calaim.ops.reentry.repository import ReentryRepository
from calaim.ops.reentry.terms import release_dates
from calaim.ops.referrals.intake import MemberLookup
from calaim.ops.referrals.members import resolve_member

E = ReentryEventKind


class StaleCase(StaleVersion):
    """The case changed since the caller read it."""


class NotYourStep(Forbidden):
    """The actor's organization does not take this step of the case."""


class CaseClosed(Conflict):
    """The case is released or cancelled; the step no longer applies."""


class ReentryService:
    """Reentry rules and steps on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = ReentryRepository(session, actor)

    def open(
        self,
        member: MemberLookup | None,
        expected_release_on: dt.date,
        now: dt.datetime,
        member_id: uuid.UUID | None = None,
    ) -> ReentryCase:
        """A facility opens a case for a resident it expects to release (named by card
        details, or by id when the facility already sees the member)."""
        require(self.actor, Permission.REENTRY_WRITE)
        if not is_facility(self.actor):
            raise NotYourStep("only a correctional facility opens reentry cases")
        found = resolve_member(self.session, self.actor, member_id, member)
        if self.repository.open_case_of(found.id, self.actor.organization_id):
            raise Conflict("this person already has an open reentry case here; update it")
        case = ReentryCase(
            member_id=found.id,
            facility_organization_id=self.actor.organization_id,
            plan_organization_id=found.plan_organization_id,
            status=ReentryStatus.PRE_RELEASE.value,
            expected_release_on=expected_release_on,
            medi_cal_status=MediCalStatus.NOT_STARTED.value,
            needs=[],
            care_plan=[],
            equipment=[],
            created_at=now,
            updated_at=now,
        )
        self.repository.add(case)
        self._event(case, E.OPENED, now, summary=f"release expected {expected_release_on}")
        return case

    def get(self, case_id: uuid.UUID) -> ReentryCase:
        """One visible case (audited), or `ReentryCaseNotFound`."""
        require(self.actor, Permission.REENTRY_READ)
        return self.repository.get(case_id)

    def history(self, case: ReentryCase) -> list[ReentryEvent]:
        """The case's steps, oldest first."""
        return self.repository.history(case)

    def medi_cal(
        self,
        case_id: uuid.UUID,
        expected_version: int,
        status: MediCalStatus,
        applied_on: dt.date | None,
        now: dt.datetime,
    ) -> ReentryCase:
        """Record the pre-release Medi-Cal application or its status (the facility)."""
        case = self._for_update(case_id, expected_version, steps.FACILITY)
        if status != MediCalStatus.NOT_STARTED and applied_on is None:
            raise InvalidRequest("give the day the application was submitted", field="applied_on")
        case.medi_cal_status = status.value
        case.medi_cal_applied_on = applied_on
        return self._saved(case, E.MEDI_CAL, now, summary=status.value)

    def providers(
        self,
        case_id: uuid.UUID,
        expected_version: int,
        now: dt.datetime,
        *,
        pre_release_provider_id: uuid.UUID | None = None,
        care_manager_user_id: uuid.UUID | None = None,
        post_release_provider_id: uuid.UUID | None = None,
    ) -> ReentryCase:
        """Name the in-reach provider and care manager, and the post-release provider."""
        case = self._for_update(case_id, expected_version, steps.COORDINATORS)
        if pre_release_provider_id is not None:
            case.pre_release_provider_id = self._ecm(pre_release_provider_id, "pre_release")
            case.care_manager_user_id = None
            if case.post_release_provider_id is None:
                # DHCS prefers the same care manager before and after release (RECALLED).
                case.post_release_provider_id = case.pre_release_provider_id
        if post_release_provider_id is not None:
            case.post_release_provider_id = self._ecm(post_release_provider_id, "post_release")
        if care_manager_user_id is not None:
            case.care_manager_user_id = self._care_manager(case, care_manager_user_id)
        summary = "providers named"
        return self._saved(case, E.CARE_MANAGER, now, summary=summary)

    def assess(
        self,
        case_id: uuid.UUID,
        expected_version: int,
        assessed_on: dt.date,
        needs: list[str],
        now: dt.datetime,
    ) -> ReentryCase:
        """The needs assessment, inside the pre-release window."""
        case = self._for_update(case_id, expected_version, steps.CARE_TEAM)
        steps.check_in_window(case, assessed_on, "assessed_on")
        case.assessed_on = assessed_on
        case.needs = steps.clean_needs(needs)
        return self._saved(case, E.ASSESSMENT, now, summary=", ".join(case.needs))

    def plan(
        self,
        case_id: uuid.UUID,
        expected_version: int,
        written_on: dt.date,
        goals: list[dict[str, Any]],
        now: dt.datetime,
    ) -> ReentryCase:
        """The reentry care plan: its goals, after the assessment."""
        case = self._for_update(case_id, expected_version, steps.CARE_TEAM)
        if case.assessed_on is None:
            raise Conflict("record the needs assessment before the reentry care plan")
        steps.check_in_window(case, written_on, "written_on")
        if not goals:
            raise InvalidRequest("a reentry care plan needs at least one goal", field="goals")
        case.care_plan_on = written_on
        case.care_plan = goals
        return self._saved(case, E.CARE_PLAN, now, summary=f"{len(goals)} goal(s)")

    def handoff(
        self,
        case_id: uuid.UUID,
        expected_version: int,
        now: dt.datetime,
        *,
        meeting_at: dt.datetime | None = None,
        held_on: dt.date | None = None,
    ) -> ReentryCase:
        """Schedule the warm handoff meeting with the post-release provider, or record it held."""
        case = self._for_update(case_id, expected_version, steps.HANDOFF)
        if case.post_release_provider_id is None:
            raise Conflict("name the post-release ECM provider before the warm handoff")
        if (meeting_at is None) == (held_on is None):
            raise InvalidRequest(
                "give the meeting time, or the day it was held", field="meeting_at"
            )
        if meeting_at is not None:
            case.handoff_at = meeting_at
            self._notify(case, NoticeKind.REENTRY_HANDOFF, now, meeting_at=meeting_at.isoformat())
            return self._saved(case, E.HANDOFF_SCHEDULED, now, summary=meeting_at.isoformat())
        assert held_on is not None
        steps.check_in_window(case, held_on, "held_on")
        case.handoff_held_on = held_on
        return self._saved(case, E.HANDOFF_HELD, now, summary=str(held_on))

    def release_supply(
        self,
        case_id: uuid.UUID,
        expected_version: int,
        medication_days: int,
        equipment: list[str],
        note: str | None,
        now: dt.datetime,
    ) -> ReentryCase:
        """The medications (days' supply) and equipment given at release (the facility)."""
        case = self._for_update(case_id, expected_version, steps.FACILITY, after_release=True)
        steps.check_supply(case, medication_days, note)
        case.medication_days = medication_days
        case.medication_note = (note or "").strip() or None
        case.equipment = steps.clean_needs(equipment, field="equipment")
        case.supply_recorded_on = steps.local_day(now)
        summary = f"{medication_days} days of medication; {len(case.equipment)} item(s)"
        return self._saved(case, E.RELEASE_SUPPLY, now, summary=summary)

    def change_release(
        self,
        case_id: uuid.UUID,
        expected_version: int,
        reason: str,
        now: dt.datetime,
        *,
        new_date: dt.date | None = None,
        cancel: bool = False,
    ) -> ReentryCase:
        """An earlier or later release date, or no release (cancelled); deadlines move."""
        case = self._for_update(case_id, expected_version, steps.FACILITY)
        if not reason.strip():
            raise InvalidRequest("say why the release date changed", field="reason")
        before = case.expected_release_on
        kind = steps.date_change(before, new_date, cancel)
        if cancel:
            case.status = ReentryStatus.CANCELLED.value
        else:
            case.expected_release_on = new_date
        summary = f"{before} → {'no release' if cancel else new_date}"
        self._notify(case, NoticeKind.REENTRY_DATE_CHANGE, now, change=kind.value,
                     expected_release_on=str(new_date) if new_date else None)  # fmt: skip
        return self._saved(case, kind, now, summary=summary, reason=reason.strip())

    def release(
        self, case_id: uuid.UUID, expected_version: int, released_on: dt.date, now: dt.datetime
    ) -> ReentryCase:
        """The member was released: the post-release provider and the plan are told."""
        case = self._for_update(case_id, expected_version, steps.FACILITY)
        if released_on > steps.local_day(now):
            raise InvalidRequest("a release is recorded on or after its day", field="released_on")
        case.status = ReentryStatus.RELEASED.value
        case.released_on = released_on
        self._notify(case, NoticeKind.REENTRY_RELEASE, now, released_on=str(released_on),
                     medication_days=case.medication_days)  # fmt: skip
        return self._saved(case, E.RELEASED, now, summary=str(released_on))

    def dates(self, case: ReentryCase) -> Any:
        """The window and deadlines of the case's expected release (None when cancelled)."""
        release_on = case.released_on or case.expected_release_on
        return release_dates(release_on) if release_on else None

    def _for_update(
        self, case_id: uuid.UUID, expected_version: int, who: steps.Who, after_release: bool = False
    ) -> ReentryCase:
        require(self.actor, Permission.REENTRY_WRITE)
        case = self.repository.get_visible(case_id)
        steps.require_party(self.actor, case, who)
        if case.version != expected_version:
            raise StaleCase(
                f"reentry case {case_id} changed since you read it (you sent version "
                f"{expected_version}, it is now {case.version}); read it again and retry"
            )
        open_states = {ReentryStatus.PRE_RELEASE.value}
        if after_release:
            open_states.add(ReentryStatus.RELEASED.value)
        if case.status not in open_states:
            raise CaseClosed(f"this case is {case.status}; the step no longer applies")
        return case

    def _ecm(self, organization_id: uuid.UUID, field: str) -> uuid.UUID:
        if self.repository.ecm_provider(organization_id) is None:
            raise InvalidRequest(
                f"{field}_provider_id {organization_id} is not a known ECM provider",
                field=f"{field}_provider_id",
            )
        return organization_id

    def _care_manager(self, case: ReentryCase, user_id: uuid.UUID) -> uuid.UUID:
        provider = case.pre_release_provider_id
        if provider is None or self.repository.staff_of(provider, user_id) is None:
            raise InvalidRequest(
                "the care manager must work for the pre-release (in-reach) provider; "
                "name that provider first",
                field="care_manager_user_id",
            )
        return user_id

    def _notify(
        self, case: ReentryCase, kind: NoticeKind, now: dt.datetime, **content: Any
    ) -> None:
        steps.notify(self.session, case, kind, now, content)

    def _saved(
        self,
        case: ReentryCase,
        kind: ReentryEventKind,
        now: dt.datetime,
        *,
        summary: str | None = None,
        reason: str | None = None,
    ) -> ReentryCase:
        case.updated_at = now
        self.session.flush()
        self._event(case, kind, now, summary=summary, reason=reason)
        return case

    def _event(
        self,
        case: ReentryCase,
        kind: ReentryEventKind,
        now: dt.datetime,
        *,
        summary: str | None = None,
        reason: str | None = None,
    ) -> None:
        event = ReentryEvent(case_id=case.id, kind=kind.value, at=now, user_id=self.actor.id)
        event.seq = self.repository.next_seq(case)
        event.reason, event.details = reason, {}
        event.summary = (summary or "")[:200] or None
        self.session.add(event)
        self.repository.audit(f"reentry.{kind.value}", case, {"summary": summary})
        self.session.flush()
