"""Closed-loop referral compliance: loops opened, closed and late, notices, closure reasons.

A plan's report counts the loops of its own members (never another plan's) that were open at
some time in the period. Lateness reuses the DHCS CLR clocks of `calaim.ops.referrals`: each
waiting status waits for one step (`overdue.step_of`) whose window is the dated parameter
`policy.window(step, day)`, starting at the transition that entered it; a step is late when the
next transition came strictly after its due instant, or, still waiting, when the period ended
after it. Late loops are counted in the month their first late step fell due.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from calaim.engine.loading.policy import Policy
from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.access.scopes import is_plan
from calaim.ops.audit.service import record
from calaim.ops.models import Referral, ReferralTransition, User
from calaim.ops.read_models.clr import (
    loops_open_in,
    notices_of,
    organization_names,
    transitions_of,
)
from calaim.ops.referrals.overdue import step_of
from calaim.ops.referrals.policy import LoopStep, window
from calaim.ops.referrals.state import TERMINAL_STATUSES, ReferralStatus
from calaim.reports.filters import Period
from calaim.reports.provenance import Provenance, provenance
from calaim.reports.scope import audit

S = ReferralStatus
NOT_ROUTED = "(not yet routed)"
MEASURES = ("opened", "closed", "declined", "late", "open_at_end", "member_notices",
            "referrer_notices")  # fmt: skip


@dataclass(frozen=True)
class Loop:
    """One loop as the drill-down lists it (the plan's own use: not suppressed)."""

    referral_id: uuid.UUID
    person_id: str
    member_name: str
    program_id: str
    provider: str
    referrer: str
    received_at: dt.datetime
    status: str
    ended_at: dt.datetime | None
    late_step: str | None
    late_due: dt.datetime | None
    late_days: int | None
    member_notices: int
    referrer_notices: int
    closure_reason: str | None
    version: int


@dataclass
class Tally:
    """The measures of one group (a provider, a month, a quarter, the plan)."""

    counts: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class ClrReport:
    """The plan's closed-loop compliance over a period."""

    plan: str
    provenance: Provenance
    plan_total: Tally
    by_provider: dict[str, Tally]
    by_month: dict[str, Tally]
    by_quarter: dict[str, Tally]
    loops: tuple[Loop, ...]


def require_plan(actor: User) -> None:
    """Only a plan reads its compliance and quarterly submissions."""
    if not is_plan(actor):
        raise PermissionDenied("only a plan's users may produce its DHCS compliance reports")


def clr_report(
    session: Session, actor: User, policy: Policy, period: Period, now: dt.datetime
) -> ClrReport:
    """The actor's plan's closed-loop compliance over `period` (see the module docstring)."""
    require_plan(actor)
    ends = min(now, period.end_instant())
    starts = period.start_instant()
    referrals = loops_open_in(session, actor, starts, period.end_instant())
    ids = [r.id for r in referrals]
    history = transitions_of(session, ids)
    notices = notices_of(session, ids, starts, period.end_instant())
    names = organization_names(session, referrals)
    loops = tuple(_loop(r, history[r.id], notices, names, starts, ends) for r in referrals)
    report = _tally(actor, policy, period, now, loops)
    for referral in referrals:
        record(session, actor, "referral.report", referral, details={"report": "clr"})
    audit(session, actor, "clr", {"from": period.start.isoformat(), "to": period.end.isoformat(),
                                  "loops": len(loops), "fingerprint":
                                  report.provenance.input_fingerprint})  # fmt: skip
    return report


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _waiting_step(row: ReferralTransition, routed_at_intake: bool) -> LoopStep | None:
    """The step a transition starts the clock of (as `overdue.step_of` reads an open loop)."""
    status = S(row.to_status)
    if status == S.RECEIVED:
        routed = row.from_status == S.RECEIVED.value or routed_at_intake
        return LoopStep.ACCEPT_OR_DECLINE if routed else LoopStep.ROUTE
    return {S.ACCEPTED: LoopStep.START, S.SERVICES_RECEIVED: LoopStep.CLOSE}.get(status)


def first_late_step(
    referral: Referral, history: list[ReferralTransition], starts: dt.datetime, ends: dt.datetime
) -> tuple[LoopStep, dt.datetime, dt.datetime] | None:
    """The first step waiting in [starts, ends) that ran past its window by `ends`:
    (step, due, when it ended or `ends`)."""
    routed_at_intake = referral.receiving_organization_id is not None and not any(
        row.from_status == S.RECEIVED.value and row.to_status == S.RECEIVED.value for row in history
    )
    for index, row in enumerate(history):
        is_last = index == len(history) - 1
        current = is_last and S(referral.status) == S(row.to_status)
        # The open step is read exactly as the overdue list reads it.
        step = step_of(referral) if current else _waiting_step(row, routed_at_intake)
        since = _aware(row.at)
        if step is None or since >= ends:
            continue
        due = since + window(step, since.date())
        done = ends if is_last else min(_aware(history[index + 1].at), ends)
        if done > due and due < ends and done >= starts:
            return step, due, done
    return None


def _loop(
    referral: Referral,
    history: list[ReferralTransition],
    notices: dict[uuid.UUID, Counter[str]],
    names: dict[uuid.UUID, str],
    starts: dt.datetime,
    ends: dt.datetime,
) -> Loop:
    terminal = [row for row in history if S(row.to_status) in TERMINAL_STATUSES]
    ended_at = _aware(terminal[-1].at) if terminal and _aware(terminal[-1].at) < ends else None
    late = first_late_step(referral, history, starts, ends)
    sent = notices.get(referral.id, Counter())
    receiver = referral.receiving_organization_id
    reason = referral.closure_reason or referral.decline_reason
    if ended_at is not None and reason is None and referral.status == S.CLOSED:
        reason = "services received"
    return Loop(
        referral.id, referral.member.person_id,
        f"{referral.member.first_name} {referral.member.last_name}", referral.program_id,
        names.get(receiver, NOT_ROUTED) if receiver else NOT_ROUTED,
        names.get(referral.referring_organization_id, ""), _aware(referral.received_at),
        referral.status if ended_at or not terminal else _status_at(history, ends),
        ended_at, late[0].value if late else None, late[1] if late else None,
        (late[2] - late[1]).days if late else None, sent["member"], sent["organization"],
        reason if ended_at else None, referral.version,
    )  # fmt: skip


def _status_at(history: list[ReferralTransition], ends: dt.datetime) -> str:
    before = [row for row in history if _aware(row.at) < ends]
    return before[-1].to_status if before else S.RECEIVED.value


def _month(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m")


def _quarter(moment: dt.datetime) -> str:
    return f"{moment.year}Q{(moment.month - 1) // 3 + 1}"


def _tally(
    actor: User, policy: Policy, period: Period, now: dt.datetime, loops: tuple[Loop, ...]
) -> ClrReport:
    start = period.start_instant()
    total = Tally()
    by_provider: dict[str, Tally] = defaultdict(Tally)
    by_month: dict[str, Tally] = defaultdict(Tally)
    by_quarter: dict[str, Tally] = defaultdict(Tally)
    for loop in loops:
        events = _events(loop, start)
        for measure, moment in events:
            for tally in (total, by_provider[loop.provider], by_month[_month(moment)],
                          by_quarter[_quarter(moment)]):  # fmt: skip
                tally.counts[measure] += 1
        if loop.ended_at is not None and loop.closure_reason:
            for tally in (total, by_provider[loop.provider]):
                tally.reasons[loop.closure_reason] += 1
        if loop.ended_at is None:
            total.counts["open_at_end"] += 1
            by_provider[loop.provider].counts["open_at_end"] += 1
        total.counts["member_notices"] += loop.member_notices
        total.counts["referrer_notices"] += loop.referrer_notices
        by_provider[loop.provider].counts["member_notices"] += loop.member_notices
        by_provider[loop.provider].counts["referrer_notices"] += loop.referrer_notices
    rows = [("referral", str(loop.referral_id), loop.version) for loop in loops]
    facts = provenance(policy, period, min(now.date(), period.end), rows)
    code = actor.organization.plan_code or actor.organization.name
    return ClrReport(code, facts, total, dict(by_provider), dict(sorted(by_month.items())),
                     dict(sorted(by_quarter.items())), loops)  # fmt: skip


def _events(loop: Loop, start: dt.datetime) -> list[tuple[str, dt.datetime]]:
    events = []
    if loop.received_at >= start:
        events.append(("opened", loop.received_at))
    if loop.ended_at is not None:
        events.append(("declined" if loop.status == S.DECLINED else "closed", loop.ended_at))
    if loop.late_due is not None:
        events.append(("late", max(loop.late_due, start)))
    return events
