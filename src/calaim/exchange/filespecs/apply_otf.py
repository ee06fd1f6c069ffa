"""Applying a provider's OTF on the plan side: outreach attempts, never counted twice.

An attempt already on record (same enrollment, date, method, success and minutes), from an
earlier file or earlier in this one, is skipped, so overlapping monthly files add nothing twice.
The first attempt moves an assigned member into outreach (ops/enrollments/state.py); attempts
dated after enrollment are refused (contacts with an enrolled member are ECM services).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from calaim.exchange.filespecs.apply_rtf import latest_enrollments
from calaim.exchange.filespecs.ingest_context import IngestContext, Row, check_plan, members_by_cin
from calaim.exchange.filespecs.lookups import organizations_by_npi
from calaim.exchange.filespecs.period import parse_period
from calaim.ops.enrollments.repository import EnrollmentRepository
from calaim.ops.enrollments.service import check_date
from calaim.ops.enrollments.state import EnrollmentEvent, next_status
from calaim.ops.errors import Conflict, OpsError
from calaim.ops.models import Enrollment, EnrollmentStatus, OutreachAttempt, OutreachMethod

Key = tuple[uuid.UUID, dt.date, str, bool, int]


def _existing(context: IngestContext, enrollment_ids: list[uuid.UUID]) -> set[Key]:
    keys: set[Key] = set()
    for start in range(0, len(enrollment_ids), 2000):
        query = select(OutreachAttempt).where(
            OutreachAttempt.enrollment_id.in_(enrollment_ids[start : start + 2000])
        )
        for attempt in context.session.scalars(query):
            keys.add(_key(attempt.enrollment_id, attempt))
    return keys


def _key(enrollment_id: uuid.UUID, attempt: OutreachAttempt | Row) -> Key:
    if isinstance(attempt, OutreachAttempt):
        return (
            enrollment_id,
            attempt.attempted_on,
            attempt.method,
            attempt.successful,
            attempt.minutes,
        )
    attempted_on = attempt["attempted_on"]
    assert isinstance(attempted_on, dt.date)
    return (
        enrollment_id,
        attempted_on,
        str(attempt["method"]),
        bool(attempt["successful"]),
        int(str(attempt["minutes"])),
    )


def apply_otf(context: IngestContext, rows: list[tuple[int, Row]]) -> None:
    """Add the file's outreach attempts not already on record."""
    check_plan(context, rows, str(context.actor.organization.plan_code))
    dates = [r["attempted_on"] for _, r in rows if isinstance(r["attempted_on"], dt.date)]
    latest = max(dates, default=None)
    if latest is not None:
        context.period = parse_period(latest.strftime("%Y-%m"))
    if context.problems:
        return
    members = members_by_cin(
        context.session, context.actor, (str(r["member_cin"]) for _, r in rows)
    )
    providers = organizations_by_npi(context.session)
    enrollments = latest_enrollments(context, sorted({m.id for m in members.values()}))
    seen = _existing(context, sorted({e.id for e in enrollments.values()}))
    for number, row in rows:
        member = members.get(str(row["member_cin"]))
        provider = providers.get(str(row["provider_npi"]))
        enrollment = enrollments.get((member.id, provider.id)) if member and provider else None
        if enrollment is None:
            context.problem(
                number,
                "member_cin",
                row["member_cin"],
                "no assignment of this member to the provider with this NPI",
                "check the CIN and the NPI against the MIF",
            )
            continue
        key = _key(enrollment.id, row)
        if key in seen:
            context.count("duplicates_skipped")
            continue
        try:
            _record(context, enrollment, row)
        except OpsError as error:
            context.problem(
                number, "attempted_on", row["attempted_on"], str(error), "correct the row"
            )
            continue
        seen.add(key)


def _record(context: IngestContext, enrollment: Enrollment, row: Row) -> None:
    attempted_on = row["attempted_on"]
    assert isinstance(attempted_on, dt.date)
    check_date(
        attempted_on, field="attempted_on", not_before=enrollment.assigned_on, today=context.as_of
    )
    current = EnrollmentStatus(enrollment.status)
    ended = enrollment.enrolled_on or enrollment.discontinued_on
    if ended is not None and attempted_on > ended:
        raise Conflict(
            f"the attempt is after the member was {current.value} on {ended}; "
            "contacts with an enrolled member are ECM services, not outreach"
        )
    context.session.add(
        OutreachAttempt(
            enrollment_id=enrollment.id,
            attempted_on=attempted_on,
            method=OutreachMethod(str(row["method"])).value,
            successful=bool(row["successful"]),
            minutes=int(str(row["minutes"])),
            note=f"otf:{context.file_name}"[:200],
            recorded_by_user_id=context.actor.id,
            recorded_at=context.received_at,
        )
    )
    repository = EnrollmentRepository(context.session, context.actor)
    if ended is None:
        target = next_status(current, EnrollmentEvent.RECORD_OUTREACH)
        if enrollment.outreach_started_on is None or attempted_on < enrollment.outreach_started_on:
            enrollment.outreach_started_on = attempted_on
        if target != current:
            enrollment.status = target.value
            source = f"otf:{context.file_name}"
            repository.history(enrollment, current, target, source, at=context.received_at)
    repository.audit(
        "enrollment.outreach_attempt",
        enrollment,
        {"attempted_on": attempted_on.isoformat(), "source": f"otf:{context.file_name}"},
    )
    context.count("attempts_added")
