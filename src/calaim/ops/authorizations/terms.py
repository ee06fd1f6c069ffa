"""Authorization terms in force on a date: the plan's configuration first, statewide dated
parameters as defaults, and calaim's denial reason codes (data, not code)."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import Any

from calaim.engine.loading.plans import AuthorizationTerms
from calaim.engine.loading.policy import default_policy_dir
from calaim.ops.calendar.business_days import Timelines
from calaim.ops.errors import InvalidRequest
from calaim.ops.policy import shipped_policy


@cache
def denial_reasons() -> dict[str, str]:
    """calaim's denial reason codes (code → label) from `policy/reference`."""
    path = default_policy_dir() / "reference" / "authorization_denial_reasons.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["code"]: row["label"] for row in csv.DictReader(handle)}


class NoAuthorizationLength(InvalidRequest):
    """Neither the plan nor a statewide parameter says how long the authorization lasts."""


def parameter(path: str, as_of: dt.date) -> Any | None:
    """The value of a dated parameter on `as_of`, or None when none is in force."""
    found = shipped_policy().parameters[path].value_at(as_of)
    return None if found is None else found[1]


def timelines(as_of: dt.date) -> Timelines:
    """The decision clock's numbers in force on `as_of`."""
    return Timelines.at(shipped_policy(), as_of)


def plan_terms(plan_code: str | None, as_of: dt.date) -> AuthorizationTerms | None:
    """The plan's authorization terms in force on `as_of`, if it configures any."""
    plan = shipped_policy().plans.get((plan_code or "").upper())
    if plan is None:
        return None
    return next((t for t in plan.authorization if t.period.covers(as_of)), None)


def program_terms(terms: AuthorizationTerms | None, program_id: str) -> Mapping[str, Any]:
    """The plan's entry for ECM or one Community Support (falling back to its CS `default`)."""
    if terms is None:
        return {}
    if program_id == "ecm":
        return terms.ecm
    supports = terms.community_supports
    return supports.get(program_id) or supports.get("default") or {}


def presumptive_days(plan_code: str | None, program_id: str, as_of: dt.date) -> int:
    """Days of presumptive authorization the plan allows on `as_of` (0 = none)."""
    terms = plan_terms(plan_code, as_of)
    if terms is not None:
        return int(program_terms(terms, program_id).get("presumptive_days") or 0)
    # No plan configuration: the statewide (RECALLED) defaults.
    if program_id == "ecm":
        return int(parameter("authorization.ecm.presumptive_days", as_of) or 0)
    if program_id == "cs.recuperative_care":
        return int(parameter("authorization.cs.recuperative_care_presumptive_days", as_of) or 0)
    return 0


MAX_AGE_TERM = "determination_max_age_days"
MAX_AGE_DEFAULT = "authorization.determinations.max_age_days"


def determination_max_age_days(plan_code: str | None, program_id: str, as_of: dt.date) -> int:
    """How many days old an engine determination may be for an automatic approval on `as_of`.

    The plan's entry for the program wins, then its Community Supports `default`, then the
    statewide default parameter.
    """
    terms = plan_terms(plan_code, as_of)
    entries = [program_terms(terms, program_id)]
    if terms is not None and program_id != "ecm":
        entries.append(terms.community_supports.get("default") or {})
    for entry in entries:
        if entry.get(MAX_AGE_TERM) is not None:
            return int(entry[MAX_AGE_TERM])
    value = parameter(MAX_AGE_DEFAULT, as_of)
    if value is None:
        raise LookupError(f"{MAX_AGE_DEFAULT} has no value on {as_of.isoformat()}")
    return int(value)


def authorization_months(
    plan_code: str | None, program_id: str, as_of: dt.date, *, reauthorization: bool
) -> int:
    """Months an approval lasts: the plan's initial or reauthorization months, else statewide."""
    entry = program_terms(plan_terms(plan_code, as_of), program_id)
    keys = ("reauthorization_months", "initial_months") if reauthorization else ("initial_months",)
    for key in keys:
        if entry.get(key):
            return int(entry[key])
    kind = "ecm" if program_id == "ecm" else "cs"
    for key in keys:
        value = parameter(f"authorization.{kind}.{key}", as_of) if _has(kind, key) else None
        if value:
            return int(value)
    raise NoAuthorizationLength(
        f"no authorization length is configured for {program_id} on {as_of}; "
        "give an end_date, or add initial_months to the plan's authorization terms",
        field="end_date",
    )


def _has(kind: str, key: str) -> bool:
    return f"authorization.{kind}.{key}" in shipped_policy().parameters


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months` calendar months (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def period_end(start: dt.date, months: int) -> dt.date:
    """The last day of a period of `months` months starting on `start` (inclusive)."""
    return add_months(start, months) - dt.timedelta(days=1)
