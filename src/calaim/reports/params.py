"""Query parameters shared by the report endpoints, checked into a period and filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from fastapi.responses import Response

from calaim.ops.http.deps import NowDep, SessionDep
from calaim.ops.policy import shipped_policy
from calaim.reports import filters as check
from calaim.reports.filters import Filters, Period

Format = Literal["json", "csv"]
FormatQuery = Annotated[Format, Query(description="`csv` for a download of the same numbers")]
DateQuery = Annotated[dt.date | None, Query(description="Default: today (the app's clock)")]
Text = Annotated[str | None, Query(max_length=60)]
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "The report"}
}


@dataclass(frozen=True)
class Window:
    """A checked period and filters."""

    period: Period
    filters: Filters


def window(
    session: SessionDep,
    now: NowDep,
    start: Annotated[dt.date | None, Query(alias="from", description="Default: 90 days")] = None,
    end: Annotated[dt.date | None, Query(alias="to", description="Default: today")] = None,
    county: Text = None,
    plan: Text = None,
    program: Text = None,
) -> Window:
    """The period ending `to` (default today) and the filters, each checked."""
    policy = shipped_policy()
    return Window(
        check.period(start, end or check.local_today(now)),
        Filters(
            county=check.county(policy, county),
            plan=check.plan(session, plan),
            program=check.program(policy, program, ("ecm", "ecm_pof", "cs")),
        ),
    )


WindowDep = Annotated[Window, Depends(window)]


def csv_response(text: str, name: str) -> Response:
    """A CSV download."""
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
