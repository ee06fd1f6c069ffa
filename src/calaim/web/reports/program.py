"""The plan's program view page (/app/program) and its downloads (thin: read the query, call
the report services in `calaim.reports.program` and `calaim.reports.outreach_list`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from calaim.ops.errors import InvalidRequest, NotFound
from calaim.ops.policy import shipped_policy
from calaim.reports.filters import Filters, local_today
from calaim.reports.funnel import STAGES
from calaim.reports.outreach_export import outreach_csv, outreach_xlsx
from calaim.reports.outreach_list import outreach_list
from calaim.reports.program import RATE_STAGES, ProgramView, program_view, rate
from calaim.reports.program_export import coverage_note, program_csv, program_xlsx
from calaim.reports.submissions import XLSX, _download
from calaim.web.i18n import N_, language_of
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, render, wants_fragment
from calaim.web.program_names import program_name
from calaim.web.reports.charts import bars
from calaim.web.reports.dashboards import STAGE_LABELS
from calaim.web.reports.query import Query, dashboard_query

router = page_router()
LIST_ROWS = 25  # the page shows the first members; the download has them all
POSITION_LABELS = {
    "below": N_("below the range"),
    "within": N_("within the range"),
    "above": N_("above the range"),
    "no_guidance": N_("no guidance on file"),
    "no_payments": N_("no payments yet"),
}
STAGE_WORDS = {
    "not_assigned": N_("not assigned"),
    "assigned": N_("assigned, not yet reached"),
    "outreach": N_("outreach under way"),
    "discontinued": N_("discontinued"),
}


def _query(request: Request, session: Session, now: dt.datetime) -> Query:
    return dashboard_query(request.query_params, session, shipped_policy(), local_today(now))


def _filters(query: Query) -> Filters:
    program = query.filters.program
    if program is not None and shipped_policy().programs[program].kind != "ecm_pof":
        raise InvalidRequest("choose a Population of Focus, or all", field="program")
    return Filters(county=query.filters.county, program=program)


def _context(view: ProgramView, language: str) -> dict[str, Any]:
    chart = bars([(m.month, m.counts[s]) for m in view.months for s in ("eligible", "enrolled")],
                 per_group=2)  # fmt: skip
    return {
        "view": view, "stages": STAGES, "rate_stages": RATE_STAGES, "stage_labels": STAGE_LABELS,
        "rate": rate, "month_chart": chart, "positions": POSITION_LABELS,
        "stage_words": STAGE_WORDS, "notes": coverage_note(view),
        "name_of": lambda pid: program_name(pid, language),
    }  # fmt: skip


@router.get("/app/program", response_class=HTMLResponse)
def program_page(
    request: Request, actor: PageActor, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """The plan's program view, filtered by the query (period, county, Population of Focus)."""
    query = _query(request, session, now)
    policy = shipped_policy()
    context: dict[str, Any] = {"values": query.values, "errors": query.errors}
    context["county_options"] = [(c, c) for c in sorted(policy.counties.values())]
    language = language_of(request)
    context["pof_options"] = [
        (pid, program_name(pid, language))
        for pid, p in policy.programs.items()
        if p.kind == "ecm_pof"
    ]
    context["file_query"] = request.url.query
    if not query.errors:
        try:
            filters = _filters(query)
        except InvalidRequest as error:
            query.errors.add("program", str(error))
        else:
            view = program_view(session, actor, policy, query.period, filters, now)
            listed = outreach_list(
                session, actor, policy, query.period, filters, now, limit=LIST_ROWS
            )
            context |= _context(view, language)
            context |= {"listed": listed.candidates, "listed_total": listed.total}
    status = 422 if query.errors else 200
    if wants_fragment(request) and not query.errors:
        fragment = render(request, "reports/program_results.html", context)
        fragment.headers["Vary"] = "HX-Request"
        return fragment
    page = render(request, "reports/program.html", context, status=status)
    page.headers["Vary"] = "HX-Request"
    return page


@router.get("/app/program/{name}")
def program_download(
    name: str, request: Request, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """The view (suppressed) or the not-enrolled list (member data), as XLSX or CSV."""
    stem, _, suffix = name.rpartition(".")
    if stem not in ("view", "not-enrolled") or suffix not in ("csv", "xlsx"):
        raise NotFound(f"there is no program view download called {name!r}")
    query = _query(request, session, now)
    if query.errors:
        field = query.errors.first() or "from"
        raise InvalidRequest(str(query.errors.get(field)), field=field)
    policy, filters = shipped_policy(), _filters(query)
    if stem == "view":
        view = program_view(session, actor, policy, query.period, filters, now)
        data: bytes | str = program_xlsx(view) if suffix == "xlsx" else program_csv(view)
    else:
        found = outreach_list(session, actor, policy, query.period, filters, now)
        data = outreach_xlsx(found) if suffix == "xlsx" else outreach_csv(found)
    media = XLSX if suffix == "xlsx" else "text/csv; charset=utf-8"
    return _download(data, media, f"program-{stem}-{query.period.end}.{suffix}")
