"""The dashboards' and navigator's GET parameters, read and checked for a page.

Each problem is kept next to its field (`FormErrors`), so the page shows it there; the report
services raise the same `InvalidRequest`s as the API does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

from calaim.engine.loading.policy import Policy
from calaim.ops.errors import InvalidRequest
from calaim.reports import filters as check
from calaim.reports.filters import Filters, Period
from calaim.web.forms import FormErrors
from calaim.web.i18n import N_
from calaim.web.refusals import plain

T = TypeVar("T")


@dataclass(frozen=True)
class Query:
    """The checked parameters, the raw values (to refill the form) and the problems."""

    period: Period
    filters: Filters
    values: dict[str, str]
    errors: FormErrors


def _checked(errors: FormErrors, field: str, read: Callable[[], T], fallback: T) -> T:
    try:
        return read()
    except InvalidRequest as error:
        errors.add(field, plain(error))
        return fallback


def date_param(params: QueryParams, name: str, errors: FormErrors) -> dt.date | None:
    """A YYYY-MM-DD parameter (None when empty or wrong, the wrong one noted)."""
    raw = (params.get(name) or "").strip()[:20]
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.add(name, N_("Enter a date as year-month-day, for example 2025-10-01."))
        return None


def dashboard_query(params: QueryParams, session: Session, policy: Policy, today: dt.date) -> Query:
    """Period (default: the 90 days to `today`) and filters from the query string."""
    errors = FormErrors()
    values = {k: params.get(k, "")[:60] for k in ("from", "to", "county", "plan", "program")}
    start, end = date_param(params, "from", errors), date_param(params, "to", errors)
    end = end or today
    period = _checked(errors, "from", lambda: check.period(start, end), Period.ending(end))
    kinds = ("ecm", "ecm_pof", "cs")
    filters = Filters(
        county=_checked(errors, "county", lambda: check.county(policy, values["county"]), None),
        plan=_checked(errors, "plan", lambda: check.plan(session, values["plan"]), None),
        program=_checked(
            errors, "program", lambda: check.program(policy, values["program"], kinds), None
        ),
    )
    values |= {"from": period.start.isoformat(), "to": period.end.isoformat()}
    return Query(period, filters, values, errors)


def county_param(policy: Policy, raw: str, errors: FormErrors) -> str | None:
    """A county name from the navigator's form (noted next to the field when unknown)."""
    return _checked(errors, "county", lambda: check.county(policy, raw), None)
