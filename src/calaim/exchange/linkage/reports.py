"""Stored reconciliation reports: one by id and a page of them, scoped to the caller's
organization (`scopes.roster_report_visible`) and audited, failed look-ups included."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import roster_report_visible
from calaim.ops.audit.service import record
from calaim.ops.errors import NotFound
from calaim.ops.models import RosterReport, User
from calaim.ops.paging import PageRequest, PageResult, fetch_page


class RosterReportNotFound(NotFound):
    """No report with that id is visible to the caller (it may not exist at all)."""


def get_report(session: Session, actor: User, report_id: uuid.UUID, action: str) -> RosterReport:
    """One visible report (audited as `action`), or `RosterReportNotFound`."""
    require(actor, Permission.ROSTER_RECONCILE)
    statement = select(RosterReport).where(
        roster_report_visible(actor), RosterReport.id == report_id
    )
    report = session.scalars(statement).first()
    if report is None:
        record(
            session,
            actor,
            "roster_report.not_found",
            entity_type="roster_report",
            entity_id=str(report_id),
        )
        session.flush()
        raise RosterReportNotFound(f"roster report {report_id} not found")
    record(session, actor, action, report)
    session.flush()
    return report


def list_reports(session: Session, actor: User, page: PageRequest) -> PageResult[RosterReport]:
    """The organization's reports, newest first (the list itself is audited)."""
    require(actor, Permission.ROSTER_RECONCILE)
    statement = select(RosterReport).where(roster_report_visible(actor))
    result = fetch_page(session, statement, page, RosterReport.created_at.desc(), RosterReport.id)
    details = {"ids": [str(report.id) for report in result.items]}
    record(session, actor, "roster_report.list", entity_type="roster_report", details=details)
    session.flush()
    return result
