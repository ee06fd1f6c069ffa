"""HTTP endpoints of the plan's program view and its eligible-but-not-enrolled list.

Registered on the reports router. A plan's users only (others 403); `format=xlsx|csv` gives
the file: the view's files are suppressed for publication, the list is member data for the
plan's own outreach (audited per member).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query

from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.routing import DomainRouter
from calaim.ops.policy import shipped_policy
from calaim.reports import filters as check
from calaim.reports.filters import Filters
from calaim.reports.outreach_export import outreach_csv, outreach_xlsx
from calaim.reports.outreach_list import OutreachList, outreach_list
from calaim.reports.params import Window, WindowDep
from calaim.reports.program import ProgramView, program_view
from calaim.reports.program_export import program_csv, program_xlsx
from calaim.reports.submissions import FILE_RESPONSES, XLSX, _download

FileFormat = Annotated[
    Literal["json", "csv", "xlsx"], Query(description="`xlsx` or `csv` for a download")
]


def _checked(window: Window) -> Window:
    """Only a Population of Focus narrows the program view."""
    program = check.program(shipped_policy(), window.filters.program, ("ecm_pof",))
    return Window(window.period, Filters(county=window.filters.county, program=program))


def register(router: DomainRouter) -> None:
    """Add the program view endpoints to the reports router."""

    @router.get("/program", response_model=ProgramView, responses=FILE_RESPONSES)
    def get_program(
        actor: ActorDep, session: SessionDep, now: NowDep, window: WindowDep,
        format: FileFormat = "json",
    ) -> Any:  # fmt: skip
        """The plan's program view: the ECM funnel with rates and monthly trends, Community
        Supports requests, decisions, spend against caps and pricing guidance, ECM provider
        capacity. Files (`format=xlsx|csv`) suppress counts of 1 to 10 members."""
        w = _checked(window)
        view = program_view(session, actor, shipped_policy(), w.period, w.filters, now)
        stem = f"program-{view.plan}-{w.period.start}-{w.period.end}"
        if format == "xlsx":
            return _download(program_xlsx(view), XLSX, f"{stem}.xlsx")
        if format == "csv":
            return _download(program_csv(view), "text/csv; charset=utf-8", f"{stem}.csv")
        return view

    @router.get("/program/not-enrolled", response_model=OutreachList, responses=FILE_RESPONSES)
    def get_not_enrolled(
        actor: ActorDep, session: SessionDep, now: NowDep, window: WindowDep,
        format: FileFormat = "json",
    ) -> Any:  # fmt: skip
        """The plan's members eligible for ECM on `to` and not enrolled, in priority order, for
        outreach (member data: the plan's own use; each listed member is audited)."""
        w = _checked(window)
        found = outreach_list(session, actor, shipped_policy(), w.period, w.filters, now)
        stem = f"not-enrolled-{found.plan}-{w.period.end}"
        if format == "xlsx":
            return _download(outreach_xlsx(found), XLSX, f"{stem}.xlsx")
        if format == "csv":
            return _download(outreach_csv(found), "text/csv; charset=utf-8", f"{stem}.csv")
        return found
