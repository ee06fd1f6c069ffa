"""HTTP endpoints of the plan's submissions: the DHCS quarterly workbook and CLR compliance.

Registered on the reports router; the caller must be a plan's user and sees only its members.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Query
from fastapi.responses import Response

from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.routing import DomainRouter
from calaim.ops.policy import shipped_policy
from calaim.reports.clr import clr_report
from calaim.reports.clr_export import clr_csv, clr_xlsx, loops_csv
from calaim.reports.filters import local_today, period
from calaim.reports.quarterly import quarter, quarterly
from calaim.reports.quarterly_export import quarterly_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX: {}, "text/csv": {}}, "description": "The report file"}
}


FromQuery = Annotated[dt.date | None, Query(alias="from", description="Default: 90 days")]
ToQuery = Annotated[dt.date | None, Query(alias="to", description="Default: today")]


def last_complete_quarter(today: dt.date) -> str:
    """The quarter before the one `today` falls in, e.g. `2025Q3` on 2025-11-02."""
    number = (today.month - 1) // 3  # 0 = the first quarter: the last one is last year's fourth
    return f"{today.year}Q{number}" if number else f"{today.year - 1}Q4"


def _download(content: bytes | str, media: str, name: str) -> Response:
    return Response(
        content, media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip


def register(router: DomainRouter) -> None:
    """Add the submission endpoints to the reports router."""

    @router.get("/dhcs-quarterly.xlsx", response_class=Response, responses=FILE_RESPONSES)
    def get_dhcs_quarterly(
        actor: ActorDep,
        session: SessionDep,
        now: NowDep,
        quarter_text: Annotated[
            str | None,
            Query(
                alias="quarter",
                max_length=8,
                description="e.g. 2025Q3; default: the last complete quarter",
            ),
        ] = None,
    ) -> Response:
        """The plan's DHCS quarterly ECM and Community Supports monitoring workbook (small
        cells suppressed; the About sheet gives the period, as-of, policy hash and input
        fingerprint)."""
        quarter_text = quarter_text or last_complete_quarter(local_today(now))
        window = quarter(quarter_text)
        report = quarterly(
            session, actor, shipped_policy(), window, min(local_today(now), window.end)
        )
        name = f"dhcs-quarterly-{report.plan}-{quarter_text.strip().upper()}.xlsx"
        return _download(quarterly_xlsx(report), XLSX, name)

    @router.get("/clr", response_class=Response, responses=FILE_RESPONSES)
    def get_clr(
        actor: ActorDep,
        session: SessionDep,
        now: NowDep,
        start: Annotated[
            dt.date | None, Query(alias="from", description="Default: 90 days")
        ] = None,
        end: Annotated[dt.date | None, Query(alias="to", description="Default: today")] = None,
        format: Literal["xlsx", "csv", "loops.csv", "dhcs.xlsx", "dhcs.csv"] = "xlsx",
    ) -> Response:
        """Closed-loop referral compliance of the plan's members: per plan and provider, by
        month and quarter, with closure reasons and (XLSX `Loops` sheet, or `loops.csv`) the
        loops themselves for the plan's own use. `dhcs.xlsx` and `dhcs.csv` are the copy that
        leaves the plan: counts of 1 to 10 suppressed (with complementary cells), no loops."""
        window = period(start, end or local_today(now))
        report = clr_report(session, actor, shipped_policy(), window, now)
        stem = f"clr-{report.plan}-{window.start}-{window.end}"
        if format.startswith("dhcs."):
            if format == "dhcs.csv":
                text = clr_csv(report, for_dhcs=True)
                return _download(text, "text/csv; charset=utf-8", f"{stem}-dhcs.csv")
            return _download(clr_xlsx(report, for_dhcs=True), XLSX, f"{stem}-dhcs.xlsx")
        if format == "csv":
            return _download(clr_csv(report), "text/csv; charset=utf-8", f"{stem}.csv")
        if format == "loops.csv":
            return _download(loops_csv(report), "text/csv; charset=utf-8", f"{stem}-loops.csv")
        return _download(clr_xlsx(report), XLSX, f"{stem}.xlsx")
