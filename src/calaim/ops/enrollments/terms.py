"""Dated policy numbers the enrollment workflow uses: the unable-to-reach window."""

from __future__ import annotations

import datetime as dt

from calaim.ops.policy import shipped_policy

DEFAULT_WINDOW = "authorization.outreach.unable_to_reach_days"
PLAN_TERM = "unable_to_reach_days"


def unable_to_reach_days(plan_code: str | None, today: dt.date) -> int:
    """Days without a successful outreach attempt after which a member is unreachable.

    The plan's `ecm` authorization terms in force on `today` win (`unable_to_reach_days`);
    otherwise the statewide default parameter applies.
    """
    loaded = shipped_policy()
    plan = loaded.plans.get((plan_code or "").upper())
    if plan is not None:
        for terms in plan.authorization:
            if terms.period.covers(today) and PLAN_TERM in terms.ecm:
                return int(terms.ecm[PLAN_TERM])
    value = loaded.parameters[DEFAULT_WINDOW].value_at(today)
    if value is None:
        raise LookupError(f"{DEFAULT_WINDOW} has no value on {today.isoformat()}")
    return int(value[1])
