"""HTTP endpoints: rosters. Upload a roster (multipart) to reconcile it, read a stored report
(JSON or CSV) and list the organization's reports. Thin: `service.reconcile` does the work;
a bad file is a 422 whose `details.problems` name file, row and column, and changes nothing."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from calaim.exchange.linkage.export import report_csv
from calaim.exchange.linkage.reports import get_report, list_reports
from calaim.exchange.linkage.schemas import ReportOut, ReportSummaryOut, report_out, summary_out
from calaim.exchange.linkage.service import RosterUpload, reconcile
from calaim.exchange.linkage.upload import REQUEST_BODY, UploadForm, file_name, read_form, spool
from calaim.ops.access.permissions import Permission, require
from calaim.ops.http.deps import ActorDep, SessionDep
from calaim.ops.http.pagination import Page, PageDep, page_of
from calaim.ops.http.routing import DomainRouter
from calaim.ops.models import User

router = DomainRouter(
    prefix="/exchange/rosters",
    tag="rosters",
    description=(
        "Roster reconciliation: an incoming member file or provider roster linked to known members."
    ),
)
CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}


@router.post("", response_model=ReportSummaryOut, status_code=201, openapi_extra=REQUEST_BODY)
async def upload_roster(request: Request, actor: ActorDep, session: SessionDep) -> ReportSummaryOut:
    """Reconcile a roster (multipart: `file` .csv, .parquet or .xlsx; `kind`; `as_of`;
    `dry_run`); the stored report's id and summary. A bad file: 422 naming row and column."""
    require(actor, Permission.ROSTER_RECONCILE)
    upload, form = await read_form(request)
    return await run_in_threadpool(_reconcile, session, actor, upload, form)


def _reconcile(
    session: Session, actor: User, upload: UploadFile, form: UploadForm
) -> ReportSummaryOut:
    name = file_name(upload)
    with tempfile.TemporaryDirectory(prefix="calaim-roster-") as folder:
        path = spool(upload, name, Path(folder))
        job = RosterUpload(path, name, form.kind, form.as_of, form.dry_run, form.full_roster)
        return summary_out(reconcile(session, actor, job))


@router.get("", response_model=Page[ReportSummaryOut])
def list_roster_reports(
    actor: ActorDep, session: SessionDep, page: PageDep
) -> Page[ReportSummaryOut]:
    """The organization's reconciliation reports, newest first."""
    return page_of(list_reports(session, actor, page), page, summary_out)


@router.get("/{report_id}", response_model=ReportOut)
def get_roster_report(
    report_id: uuid.UUID, actor: ActorDep, session: SessionDep, page: PageDep
) -> ReportOut:
    """One report with a page of its findings; another organization's is 404, like a missing one."""
    report = get_report(session, actor, report_id, "roster_report.read")
    return report_out(report, page.limit, page.offset)


@router.get("/{report_id}/csv", response_class=Response, responses=CSV)
def download_roster_report(report_id: uuid.UUID, actor: ActorDep, session: SessionDep) -> Response:
    """The whole report as CSV (one line per finding)."""
    report = get_report(session, actor, report_id, "roster_report.download")
    return Response(
        report_csv(list(report.rows or [])),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="roster-report-{report.id}.csv"'},
    )
