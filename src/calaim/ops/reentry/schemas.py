"""Request and response bodies of the reentry API (Pydantic v2)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.http.fields import UtcDateTime, bounded
from calaim.ops.models import MediCalStatus, ReentryCase, ReentryEvent, ReentryStatus
from calaim.ops.reentry.terms import ReleaseDates, release_dates
from calaim.ops.referrals.schemas import MemberLookupIn

Text = Annotated[str, bounded(200)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(default=None, description="Or send If-Match.")


class CaseIn(BaseModel):
    """A facility opens a case: who (card details, or an id it sees) and the expected release."""

    model_config = ConfigDict(extra="forbid")

    member: MemberLookupIn | None = None
    member_id: uuid.UUID | None = None
    expected_release_on: dt.date


class MediCalIn(_In):
    """The pre-release Medi-Cal application, or the status of the member's Medi-Cal."""

    status: MediCalStatus
    applied_on: dt.date | None = None


class ProvidersIn(_In):
    """The in-reach (pre-release) provider and care manager, and the post-release provider."""

    pre_release_provider_id: uuid.UUID | None = None
    care_manager_user_id: uuid.UUID | None = None
    post_release_provider_id: uuid.UUID | None = None


class AssessmentIn(_In):
    """The needs assessment: its day and the needs found."""

    assessed_on: dt.date
    needs: list[Text] = Field(max_length=30)


class GoalIn(BaseModel):
    """One goal of the reentry care plan."""

    model_config = ConfigDict(extra="forbid")

    description: Text
    need: Annotated[str, bounded(100)] | None = None


class CarePlanIn(_In):
    """The reentry care plan."""

    written_on: dt.date
    goals: list[GoalIn] = Field(max_length=30)


class HandoffIn(_In):
    """The warm handoff meeting: schedule it (`meeting_at`) or record it held (`held_on`)."""

    meeting_at: dt.datetime | None = None
    held_on: dt.date | None = None


class SupplyIn(_In):
    """What the member left with: days of medication, equipment, why fewer days if so."""

    medication_days: int = Field(ge=0, le=365)
    equipment: list[Text] = Field(default_factory=list, max_length=20)
    note: Annotated[str, bounded(500)] | None = None


class ReleaseDateIn(_In):
    """A changed release date (earlier or later), or no release any more (`cancel`)."""

    expected_release_on: dt.date | None = None
    cancel: bool = False
    reason: Annotated[str, bounded(500)]


class ReleaseIn(_In):
    """The day the member was released."""

    released_on: dt.date


class DatesOut(BaseModel):
    """The pre-release window and the deadlines of the expected release."""

    window_opens_on: dt.date
    assessment_due_on: dt.date
    care_plan_due_on: dt.date
    handoff_due_on: dt.date
    release_on: dt.date
    medication_days: int


class EventOut(BaseModel):
    """One recorded step."""

    kind: str
    at: UtcDateTime
    summary: str | None
    reason: str | None


class CaseOut(BaseModel):
    """A reentry case."""

    id: uuid.UUID
    member_id: uuid.UUID
    member_name: str
    facility_organization_id: uuid.UUID
    status: ReentryStatus
    expected_release_on: dt.date | None
    released_on: dt.date | None
    medi_cal_status: MediCalStatus
    medi_cal_applied_on: dt.date | None
    pre_release_provider_id: uuid.UUID | None
    care_manager_user_id: uuid.UUID | None
    post_release_provider_id: uuid.UUID | None
    assessed_on: dt.date | None
    needs: list[str]
    care_plan_on: dt.date | None
    care_plan: list[GoalIn]
    handoff_at: UtcDateTime | None
    handoff_held_on: dt.date | None
    medication_days: int | None
    medication_note: str | None
    equipment: list[str]
    supply_recorded_on: dt.date | None
    dates: DatesOut | None
    history: list[EventOut] = Field(default_factory=list)
    version: int


def dates_out(dates: ReleaseDates | None) -> DatesOut | None:
    """The window and deadlines, or None."""
    if dates is None:
        return None
    return DatesOut(
        window_opens_on=dates.window_opens_on,
        assessment_due_on=dates.assessment_due_on,
        care_plan_due_on=dates.care_plan_due_on,
        handoff_due_on=dates.handoff_due_on,
        release_on=dates.release_on,
        medication_days=dates.medication_days,
    )


def case_out(case: ReentryCase, history: list[ReentryEvent] | None = None) -> CaseOut:
    """The response body of a case (with its history when given)."""
    release_on = case.released_on or case.expected_release_on
    member = case.member
    return CaseOut(
        **{name: getattr(case, name) for name in _PLAIN},
        member_name=f"{member.first_name} {member.last_name}".strip(),
        dates=dates_out(release_dates(release_on) if release_on else None),
        care_plan=[GoalIn(**goal) for goal in case.care_plan or []],
        history=[
            EventOut(kind=e.kind, at=e.at, summary=e.summary, reason=e.reason)
            for e in history or []
        ],
    )


_PLAIN = [
    "id",
    "member_id",
    "facility_organization_id",
    "status",
    "expected_release_on",
    "released_on",
    "medi_cal_status",
    "medi_cal_applied_on",
    "pre_release_provider_id",
    "care_manager_user_id",
    "post_release_provider_id",
    "assessed_on",
    "needs",
    "care_plan_on",
    "handoff_at",
    "handoff_held_on",
    "medication_days",
    "medication_note",
    "equipment",
    "supply_recorded_on",
    "version",
]
