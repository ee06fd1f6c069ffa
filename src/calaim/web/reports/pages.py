"""Pages: the coverage navigator and the dashboards (thin: read the query, call reports).

CSV downloads of the dashboards are page routes too (signed in by the session cookie), with
exactly the numbers of the API's `.csv` endpoints (same services, same CSV writer).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import sees_member_rows
from calaim.ops.errors import InvalidRequest, NotFound
from calaim.ops.models import User
from calaim.ops.policy import shipped_policy
from calaim.reports import csv_export
from calaim.reports.filters import local_today, plan_codes
from calaim.reports.navigator import coverage, lookup_member, member_coverage
from calaim.reports.params import csv_response
from calaim.web.forms import FormErrors
from calaim.web.i18n import N_
from calaim.web.pages import (
    NowDep,
    PageActor,
    SessionDep,
    page_router,
    render,
    wants_fragment,
)
from calaim.web.referred_lookup import referred_member
from calaim.web.refusals import plain
from calaim.web.reports.dashboards import REPORTS, dashboard_context, run_report
from calaim.web.reports.query import Query, county_param, dashboard_query, date_param

router = page_router()
DEFAULT_COUNTY = "Los Angeles"


@router.get("/app/coverage", response_class=HTMLResponse)
def coverage_page(
    request: Request, actor: PageActor, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """The county grid, and a member's eligibility and whom to refer them to."""
    policy, params, errors = shipped_policy(), request.query_params, FormErrors()
    as_of = date_param(params, "as_of", errors) or local_today(now)
    raw_county = (params.get("county") or _home_county(actor))[:60]
    county = county_param(policy, raw_county, errors)
    grid = coverage(session, actor, policy, county, as_of).grids[0] if county else None
    context: dict[str, Any] = {
        "grid": grid,
        "errors": errors,
        "values": {"county": raw_county, "as_of": as_of.isoformat(), **_member_value(params)},
        "counties": sorted(policy.counties.values()),
        "view": None,
        "referred": None,
    }
    if sees_member_rows(actor):
        context["view"] = _member_view(session, actor, params, as_of, local_today(now), errors)
    else:
        # Referrers see no member rows: they find the members they referred, by CIN or name.
        context["referred"] = referred_member(session, actor, params.get("member") or "", errors)
    return render(request, "reports/coverage.html", context, status=422 if errors else 200)


def _home_county(actor: User) -> str:
    served = actor.organization.counties_served or []
    return str(served[0]) if served else DEFAULT_COUNTY


def _member_value(params: Any) -> dict[str, str]:
    return {"member": (params.get("member") or "")[:64]}


def _member_view(
    session: Session, actor: User, params: Any, as_of: Any, today: Any, errors: FormErrors
) -> Any:
    key = (params.get("member") or "").strip()
    if not key:
        return None
    try:
        member_id = lookup_member(session, actor, key)
        return member_coverage(
            session, actor, shipped_policy(), member_id, as_of=as_of, today=today
        )
    except InvalidRequest as error:
        errors.add("member", plain(error))
    except NotFound:
        errors.add("member", N_("No member you may see has that CIN or person id."))
    return None


@router.get("/app/dashboards", response_class=HTMLResponse)
def dashboards_page(
    request: Request, actor: PageActor, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """The ECM funnel, authorization timeliness and CS capacity, filtered by the query."""
    query = _query(request, session, now)
    context = dashboard_context(session, actor, query, now)
    counties = sorted(shipped_policy().counties.values())
    context |= {
        "county_options": [(c, c) for c in counties],
        "plan_options": [(code, code) for code in plan_codes(session)],
        "csv_query": request.url.query,
    }
    if wants_fragment(request):
        if query.errors:
            # The messages belong next to the fields: have HTMX load the whole page instead.
            return HTMLResponse("", headers={"HX-Redirect": str(request.url), "Vary": "HX-Request"})
        fragment = render(request, "reports/dashboard_results.html", context)
        fragment.headers["Vary"] = "HX-Request"
        return fragment
    status = 422 if query.errors else 200
    page = render(request, "reports/dashboards.html", context, status=status)
    page.headers["Vary"] = "HX-Request"
    return page


@router.get("/app/dashboards/{report}.csv")
def dashboard_csv(
    report: str, request: Request, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """One dashboard's numbers as a CSV download."""
    if report not in REPORTS:
        raise NotFound(f"there is no dashboard called {report!r}")
    query = _query(request, session, now)
    if query.errors:
        field = query.errors.first() or "from"
        raise InvalidRequest(str(query.errors.get(field)), field=field)
    result = run_report(report, session, actor, query, now)
    writer = getattr(csv_export, f"{REPORTS[report]}_csv")
    return csv_response(writer(result), report)


def _query(request: Request, session: Session, now: Any) -> Query:
    return dashboard_query(request.query_params, session, shipped_policy(), local_today(now))
