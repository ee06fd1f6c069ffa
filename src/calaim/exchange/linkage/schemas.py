"""Response bodies of the rosters API (Pydantic v2)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import BaseModel, Field

from calaim.ops.http.pagination import Page
from calaim.ops.models import RosterKind, RosterReport


class ReportSummaryOut(BaseModel):
    """What one reconciliation found, in counts (a report without its findings)."""

    id: uuid.UUID
    file_name: str
    kind: RosterKind
    as_of: dt.date
    dry_run: bool = Field(description="True: reported only, nothing was changed.")
    row_count: int
    created_at: dt.datetime
    summary: dict[str, int] = Field(
        description="Findings per category, and rows, pairs_scored and people."
    )


class FindingOut(BaseModel):
    """One line of a report (see docs/exchange/rosters.md for the categories)."""

    category: str
    row: int | None = Field(description="The file's row (the header is row 1).")
    person_id: str | None = Field(description="The stable person id.")
    member_person_id: str | None = None
    name: str | None = None
    probability: float | None = None
    evidence: dict[str, str] = Field(default_factory=dict)
    detail: str = ""


class ReportOut(ReportSummaryOut):
    """A report with one page of its findings (`limit`, `offset`)."""

    findings: Page[FindingOut]


def summary_out(report: RosterReport) -> ReportSummaryOut:
    """A stored report as its summary."""
    counts = {name: int(value) for name, value in (report.summary or {}).items()}
    return ReportSummaryOut(
        id=report.id,
        file_name=report.file_name,
        kind=RosterKind(report.kind),
        as_of=report.as_of,
        dry_run=report.dry_run,
        row_count=report.row_count,
        created_at=report.created_at,
        summary=counts,
    )


def report_out(report: RosterReport, limit: int, offset: int) -> ReportOut:
    """A stored report with the findings from `offset` (at most `limit`)."""
    rows: list[dict[str, Any]] = list(report.rows or [])
    shown = rows[offset : offset + limit]
    following = offset + len(shown)
    findings = Page[FindingOut](
        items=[FindingOut(**row) for row in shown],
        limit=limit,
        offset=offset,
        total=len(rows),
        next_offset=following if following < len(rows) else None,
    )
    return ReportOut(**summary_out(report).model_dump(), findings=findings)
