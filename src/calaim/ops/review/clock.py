"""The clock rules of a pend (a request for more information) on the decision deadline.

RECALLED (APL 21-011, H&S Code 1367.01; policy-facts §7.1): a routine decision is due within 5
business days and no later than 14 calendar days from the request; when the plan needs more
information it may extend once, by up to `extension_calendar_days` (14) more calendar days,
telling the member and the provider (the delay notice). An expedited request's 72 hours may be
extended the same way. An extension is taken before the deadline passes, never after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from calaim.ops.authorizations.terms import parameter, timelines
from calaim.ops.calendar.business_days import local_zone
from calaim.ops.errors import Conflict
from calaim.ops.models import Authorization, Urgency

READING_TIME = dt.timedelta(days=2)


class PendRefused(Conflict):
    """The request cannot be pended now (already extended, or the deadline has passed)."""


@dataclass(frozen=True)
class PendClock:
    """The extended decision deadline and when the requested information is due."""

    decision_due_at: dt.datetime
    information_due_at: dt.datetime


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def pend_clock(authorization: Authorization, now: dt.datetime, *, pended_before: bool) -> PendClock:
    """The new deadlines if the request is pended at `now` (or `PendRefused`)."""
    if pended_before:
        raise PendRefused(
            "this request was already extended once for more information; decide it now "
            "(deny for incomplete information if it is still missing)"
        )
    due = _aware(authorization.decision_due_at)
    if now >= due:
        raise PendRefused(
            "the decision is already due; an extension must be taken before the deadline, "
            "so decide the request now"
        )
    requested = _aware(authorization.requested_at)
    day = requested.astimezone(local_zone()).date()
    clock = timelines(day)
    days = parameter("authorization.timelines.extension_calendar_days", day)
    extension = dt.timedelta(days=int(days or 0))
    if authorization.urgency == Urgency.EXPEDITED.value:
        limit = requested + dt.timedelta(hours=clock.expedited_hours)
    else:
        limit = requested + dt.timedelta(days=clock.routine_max_calendar_days)
    extended = max(due, limit + extension)
    window = int(parameter("authorization.timelines.information_request_days", day) or 0)
    # The information is due a little before the decision, so the reviewer has time to read it.
    information_due = min(now + dt.timedelta(days=window), extended - READING_TIME)
    if information_due <= now:
        information_due = extended
    return PendClock(extended.astimezone(dt.UTC), information_due.astimezone(dt.UTC))
