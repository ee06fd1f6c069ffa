"""Open loops past their window: which step is late, since when, and by how much.

Each open status waits for one step with a dated window (`closed_loop.windows.*`): a received
referral with no receiver waits for the plan to route it; with a receiver, for the provider to
accept or decline; an accepted one, for services to start; services received, for the loop to
close. In-progress loops have no window. The clock starts at the referral's latest
transition (its entry into the current status, or its latest routing), and a loop is late
only strictly after its due instant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from calaim.ops.models import Referral, ReferralTransition
from calaim.ops.referrals.policy import LoopStep, window
from calaim.ops.referrals.repository import ReferralRepository
from calaim.ops.referrals.state import ReferralStatus

S = ReferralStatus


@dataclass(frozen=True)
class OverdueLoop:
    """One open loop whose current step is late."""

    referral: Referral
    step: LoopStep
    since: dt.datetime
    due: dt.datetime
    late_by: dt.timedelta


def step_of(referral: Referral) -> LoopStep | None:
    """The step an open referral is waiting for (None: no window applies)."""
    status = ReferralStatus(referral.status)
    if status == S.RECEIVED:
        return (
            LoopStep.ROUTE
            if referral.receiving_organization_id is None
            else (LoopStep.ACCEPT_OR_DECLINE)
        )
    return {S.ACCEPTED: LoopStep.START, S.SERVICES_RECEIVED: LoopStep.CLOSE}.get(status)


def overdue_loops(repository: ReferralRepository, now: dt.datetime) -> list[OverdueLoop]:
    """Visible open loops whose step is past its window at `now`, the latest due first."""
    waiting = [S.RECEIVED.value, S.ACCEPTED.value, S.SERVICES_RECEIVED.value]
    last_step = (
        select(ReferralTransition.referral_id, func.max(ReferralTransition.at).label("at"))
        .group_by(ReferralTransition.referral_id)
        .subquery()
    )
    statement = (
        repository.readable()
        .add_columns(last_step.c.at)
        .join(last_step, last_step.c.referral_id == Referral.id)
        .where(Referral.status.in_(waiting))
    )
    late = []
    for referral, since in repository.session.execute(statement).unique():
        step = step_of(referral)
        if step is None:
            continue
        since = _aware(since)
        due = since + window(step, since.date())
        if now > due:
            late.append(OverdueLoop(referral, step, since, due, now - due))
    late.sort(key=lambda loop: (loop.due, str(loop.referral.id)))
    for loop in late:
        repository.audit("referral.overdue", loop.referral, {"step": loop.step.value})
    repository.session.flush()
    return late


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes for stored UTC values; read them as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
