"""Authorizations by status and timeliness against the DHCS decision clock.

Counted: authorizations requested in the period. A decision is *on time* when made at or
before its `decision_due_at` (the deadline the workflow computed from dated parameters on the
business-day calendar: 5 business days routine, 72 hours expedited) and *late* after it; an
undecided request (pending or presumptive) is *overdue* once its deadline has passed at `now`,
else *open*. `overdue_now` counts every undecided request past due at `now`, whenever it was
made: the plan's work queue, as a number.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.engine.loading.policy import Policy
from calaim.ops.models import AuthorizationStatus, User
from calaim.ops.read_models.authorization_clock import (
    UNDECIDED_VALUES,
    Narrowing,
    overdue_at,
    requested_between,
)
from calaim.reports.filters import Filters, Period, details
from calaim.reports.scope import audit, cell, require_dashboards, suppressed_below
from calaim.reports.suppression import withheld

STATUSES = tuple(status.value for status in AuthorizationStatus)
TIMELINESS = ("on_time", "late", "overdue", "open", "withdrawn")
COLUMNS = STATUSES + TIMELINESS
DECIDED = frozenset({AuthorizationStatus.APPROVED.value, AuthorizationStatus.DENIED.value})


@dataclass(frozen=True)
class TimelinessRow:
    """One program in one county: counts by status and by timeliness (None = suppressed)."""

    program: str
    program_name: str
    county: str
    counts: dict[str, int | None]


@dataclass(frozen=True)
class Timeliness:
    """The rows, totals (None when withheld: see `_suppressed`) and overdue now."""

    period: Period
    filters: Filters
    now: dt.datetime
    suppressed_below: int | None
    rows: tuple[TimelinessRow, ...]
    totals: dict[str, int | None]
    overdue_now: int | None


def timeliness(
    session: Session,
    actor: User,
    policy: Policy,
    period: Period,
    filters: Filters,
    now: dt.datetime,
) -> Timeliness:
    """Authorizations requested in `period`, by status and timeliness at `now`; audited."""
    require_dashboards(actor)
    narrowing = Narrowing(filters.program, filters.county, filters.plan)
    found = requested_between(
        session, actor, period.start_instant(), period.end_instant(), narrowing
    )
    counts: dict[tuple[str, str], Counter[str]] = {}
    for row in found:
        tally = counts.setdefault((row.program_id, row.county), Counter())
        tally[row.status] += 1
        decided = row.decided_at and _aware(row.decided_at)
        tally[classify(row.status, _aware(row.decision_due_at), decided, now)] += 1
    keys = sorted(counts)
    columns, totals = _suppressed(actor, [counts[key] for key in keys])
    rows = tuple(
        TimelinessRow(p, _name(policy, p), c, {k: columns[k][i] for k in COLUMNS})
        for i, (p, c) in enumerate(keys)
    )
    overdue = cell(actor, overdue_at(session, actor, now, narrowing))
    audit(session, actor, "authorization_timeliness", details(period, filters))
    return Timeliness(period, filters, now, suppressed_below(actor), rows, totals, overdue)


def classify(status: str, due: dt.datetime, decided: dt.datetime | None, now: dt.datetime) -> str:
    """On time, late, overdue, open or withdrawn; a decision exactly at the deadline is on time."""
    if status in DECIDED and decided is not None:
        return "on_time" if decided <= due else "late"
    if status in UNDECIDED_VALUES:
        return "overdue" if due < now else "open"
    return "withdrawn"


def _suppressed(
    actor: User, tallies: list[Counter[str]]
) -> tuple[dict[str, list[int | None]], dict[str, int | None]]:
    """Each column's cells and total as the actor may see them: for the state, the project's
    small-cell rule (`reports/suppression.py`: a lone small cell withholds its column's next
    smallest, so the total, shown unless itself 1 to 10, can't reveal it); others see all."""
    columns: dict[str, list[int | None]] = {}
    totals: dict[str, int | None] = {}
    for column in COLUMNS:
        counts = [tally[column] for tally in tallies]
        if suppressed_below(actor) is None:
            columns[column], totals[column] = list(counts), sum(counts)
        else:
            columns[column], totals[column] = withheld(counts, sum(counts))
    return columns, totals


def _name(policy: Policy, program_id: str) -> str:
    program = policy.programs.get(program_id)
    return program.name if program else program_id


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; every stored instant is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
