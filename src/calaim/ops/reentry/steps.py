"""The rules of single reentry steps: who takes them, window checks, date changes, notices."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.calendar.business_days import local_zone
from calaim.ops.errors import Conflict, Forbidden, InvalidRequest
from calaim.ops.models import (
    Notice,
    NoticeChannel,
    NoticeKind,
    NoticeRecipient,
    ReentryCase,
    ReentryEventKind,
    User,
)
from calaim.ops.reentry.terms import release_dates


class Who(Enum):
    """Which parties of a case take a step."""

    FACILITY = "the facility"
    COORDINATORS = "the facility, the member's plan or the in-reach provider"
    CARE_TEAM = "the in-reach care manager or the facility"
    HANDOFF = "the facility or the pre- or post-release provider"


FACILITY, COORDINATORS, CARE_TEAM, HANDOFF = (
    Who.FACILITY,
    Who.COORDINATORS,
    Who.CARE_TEAM,
    Who.HANDOFF,
)


def parties(case: ReentryCase, who: Who) -> set[uuid.UUID | None]:
    """The organizations that may take a step of `who`."""
    found: set[uuid.UUID | None] = {case.facility_organization_id}
    if who == Who.COORDINATORS:
        found |= {case.plan_organization_id, case.pre_release_provider_id}
    if who in (Who.CARE_TEAM, Who.HANDOFF):
        found.add(case.pre_release_provider_id)
    if who == Who.HANDOFF:
        found.add(case.post_release_provider_id)
    return found - {None}


def require_party(actor: User, case: ReentryCase, who: Who) -> None:
    """Raise unless the actor's organization takes this step."""
    if actor.organization_id not in parties(case, who):
        raise Forbidden(f"only {who.value} may take this step of the reentry case")


def local_day(now: dt.datetime) -> dt.date:
    """The California date of a moment."""
    return now.astimezone(local_zone()).date()


def check_in_window(case: ReentryCase, day: dt.date, field: str) -> None:
    """Pre-release services happen inside the window before the expected release."""
    assert case.expected_release_on is not None
    dates = release_dates(case.expected_release_on)
    if not dates.in_window(day):
        raise InvalidRequest(
            f"{field} {day} is outside the pre-release window "
            f"({dates.window_opens_on} to the release on {dates.release_on})",
            field=field,
        )


def clean_needs(items: list[str], field: str = "needs") -> list[str]:
    """Trimmed, non-empty, distinct entries in their order."""
    cleaned = [item.strip() for item in items if item and item.strip()]
    if any(len(item) > 200 for item in cleaned):
        raise InvalidRequest(f"each entry of {field} is at most 200 characters", field=field)
    return list(dict.fromkeys(cleaned))


def check_supply(case: ReentryCase, medication_days: int, note: str | None) -> None:
    """At least the policy's days of medication, or a clinical reason for fewer."""
    if medication_days < 0:
        raise InvalidRequest("medication_days cannot be negative", field="medication_days")
    assert case.expected_release_on is not None
    wanted = release_dates(case.released_on or case.expected_release_on).medication_days
    if medication_days < wanted and not (note or "").strip():
        raise InvalidRequest(
            f"fewer than {wanted} days of medication needs the clinical reason in note",
            field="note",
        )


def date_change(before: dt.date | None, new_date: dt.date | None, cancel: bool) -> ReentryEventKind:
    """Which kind of change this is: earlier, later or cancelled."""
    if cancel == (new_date is not None):
        raise InvalidRequest(
            "give the new expected release date, or cancel the release", field="expected_release_on"
        )
    if cancel:
        return ReentryEventKind.CANCELLED
    if new_date == before:
        raise Conflict(f"the release is already expected on {new_date}")
    assert new_date is not None
    assert before is not None
    return ReentryEventKind.DATE_EARLY if new_date < before else ReentryEventKind.DATE_LATE


def notify(
    session: Session, case: ReentryCase, kind: NoticeKind, now: dt.datetime, content: dict[str, Any]
) -> None:
    """Electronic notices to the providers on the case (and the plan for dates and release)."""
    recipients = [case.post_release_provider_id, case.pre_release_provider_id]
    if kind != NoticeKind.REENTRY_HANDOFF:
        recipients.append(case.plan_organization_id)
    for organization_id in dict.fromkeys(r for r in recipients if r is not None):
        session.add(
            Notice(
                member_id=case.member_id,
                kind=kind.value,
                recipient=NoticeRecipient.ORGANIZATION.value,
                recipient_organization_id=organization_id,
                channel=NoticeChannel.ELECTRONIC.value,
                subject_type="reentry_case",
                subject_id=case.id,
                created_at=now,
                content={k: v for k, v in content.items() if v is not None},
            )
        )
