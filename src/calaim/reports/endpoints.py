"""HTTP endpoints: reports (JSON, or CSV with `?format=csv` or a `.csv` path).

Thin: parse and check the query, call a report service, return its result or its CSV.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from fastapi.responses import Response

from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.routing import DomainRouter
from calaim.ops.policy import shipped_policy
from calaim.reports import csv_export
from calaim.reports import filters as check
from calaim.reports.capacity import Capacity, capacity
from calaim.reports.funnel import Funnel, funnel
from calaim.reports.navigator import CoverageReport, MemberCoverage, coverage, member_coverage
from calaim.reports.params import (
    CSV_RESPONSE,
    DateQuery,
    FormatQuery,
    Text,
    Window,
    WindowDep,
    csv_response,
)
from calaim.reports.program_endpoints import register as register_program
from calaim.reports.submissions import register as register_submissions
from calaim.reports.timeliness import Timeliness, timeliness

router = DomainRouter(
    prefix="/reports",
    tag="reports",
    description=(
        "Coverage navigator and dashboards: the ECM funnel, authorization "
        "timeliness, Community Supports capacity. Every dashboard takes `from`/`to` (default: "
        "the 90 days to today), `county`, `plan` and `program`; add `format=csv` (or use the "
        "`.csv` path) for the same numbers as a download. The state's counts of 1 to 10 "
        "members are suppressed (null in JSON, `<11` in CSV)."
    ),
)


@router.get("/coverage", response_model=CoverageReport, responses=CSV_RESPONSE)
def get_coverage(
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    county: Text = None,
    as_of: DateQuery = None,
    format: FormatQuery = "json",
) -> Any:
    """Which plans offer which Community Supports, from when, with their extra criteria (for
    one county, or every county a configured plan serves); policy data only."""
    policy = shipped_policy()
    day = as_of or check.local_today(now)
    report = coverage(session, actor, policy, check.county(policy, county), day)
    return csv_response(csv_export.coverage_csv(report), "coverage") if format == "csv" else report


@router.get("/coverage.csv", response_class=Response, responses=CSV_RESPONSE)
def get_coverage_csv(
    actor: ActorDep, session: SessionDep, now: NowDep, county: Text = None, as_of: DateQuery = None
) -> Response:
    """The coverage grid as CSV."""
    return get_coverage(actor, session, now, county, as_of, "csv")  # type: ignore[no-any-return]


@router.get("/coverage/members/{member_id}", response_model=MemberCoverage)
def get_member_coverage(
    member_id: uuid.UUID, actor: ActorDep, session: SessionDep, now: NowDep, as_of: DateQuery = None
) -> MemberCoverage:
    """What a member is eligible for (stored determinations, with reasons) and whom to refer
    them to; a member the caller may not see is 404, exactly like a missing one."""
    today = check.local_today(now)
    return member_coverage(
        session, actor, shipped_policy(), member_id, as_of=as_of or today, today=today
    )


def _narrowed(window: Window, kinds: tuple[str, ...]) -> Window:
    program = check.program(shipped_policy(), window.filters.program, kinds)
    return Window(window.period, dataclasses.replace(window.filters, program=program))


@router.get("/funnel", response_model=Funnel, responses=CSV_RESPONSE)
def get_funnel(
    actor: ActorDep, session: SessionDep, window: WindowDep, format: FormatQuery = "json"
) -> Any:
    """The ECM funnel (eligible, assigned, outreached, enrolled) by Population of Focus and
    county; `program` is a Population of Focus."""
    w = _narrowed(window, ("ecm_pof",))
    report = funnel(session, actor, shipped_policy(), w.period, w.filters)
    return csv_response(csv_export.funnel_csv(report), "ecm-funnel") if format == "csv" else report


@router.get("/funnel.csv", response_class=Response, responses=CSV_RESPONSE)
def get_funnel_csv(actor: ActorDep, session: SessionDep, window: WindowDep) -> Response:
    """The ECM funnel as CSV."""
    return get_funnel(actor, session, window, "csv")  # type: ignore[no-any-return]


@router.get("/authorizations", response_model=Timeliness, responses=CSV_RESPONSE)
def get_timeliness(
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    window: WindowDep,
    format: FormatQuery = "json",
) -> Any:
    """Authorizations requested in the period by status and timeliness against the decision
    clock (on time, late, overdue, open), and how many are overdue now."""
    w = _narrowed(window, ("ecm", "cs"))
    report = timeliness(session, actor, shipped_policy(), w.period, w.filters, now)
    if format == "csv":
        return csv_response(csv_export.timeliness_csv(report), "authorization-timeliness")
    return report


@router.get("/authorizations.csv", response_class=Response, responses=CSV_RESPONSE)
def get_timeliness_csv(
    actor: ActorDep, session: SessionDep, now: NowDep, window: WindowDep
) -> Response:
    """Authorization timeliness as CSV."""
    return get_timeliness(actor, session, now, window, "csv")  # type: ignore[no-any-return]


@router.get("/capacity", response_model=Capacity, responses=CSV_RESPONSE)
def get_capacity(
    actor: ActorDep, session: SessionDep, window: WindowDep, format: FormatQuery = "json"
) -> Any:
    """Community Supports capacity against demand by county on the period's last day (`to`)."""
    w = _narrowed(window, ("cs",))
    own = actor.organization.plan_code
    report = capacity(session, actor, w.period.end, w.filters, own)
    return (
        csv_response(csv_export.capacity_csv(report), "cs-capacity") if format == "csv" else report
    )


@router.get("/capacity.csv", response_class=Response, responses=CSV_RESPONSE)
def get_capacity_csv(actor: ActorDep, session: SessionDep, window: WindowDep) -> Response:
    """Community Supports capacity as CSV."""
    return get_capacity(actor, session, window, "csv")  # type: ignore[no-any-return]


# The plan's DHCS quarterly workbook and closed-loop compliance (XLSX/CSV downloads).
register_submissions(router)
# The plan's program view and its eligible-but-not-enrolled list.
register_program(router)
