"""What every file applier shares: the actor, the file, its period, and located row problems."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlalchemy.orm import Session

from calaim.exchange.filespecs.adapters import Variant, file_columns
from calaim.exchange.filespecs.errors import FileProblem
from calaim.exchange.filespecs.layout import Layout
from calaim.exchange.filespecs.period import Period, parse_period
from calaim.exchange.filespecs.status_batch import StatusBatch
from calaim.exchange.filespecs.values import Value
from calaim.ops.access.scopes import visible_members
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import Member, User

Row = dict[str, Value]


@dataclass
class IngestContext:
    """One file being applied by one actor; appliers add row problems here."""

    session: Session
    actor: User
    layout: Layout
    variant: Variant
    file_name: str
    # When the file was received: the time its records are stamped with.
    received_at: dt.datetime
    problems: list[FileProblem] = field(default_factory=list)
    period: Period | None = None
    summary: dict[str, int] = field(default_factory=dict)
    # Set by appliers that batch plain status moves (apply_rtf); None: every write via the ORM.
    status_batch: StatusBatch | None = None

    def header(self, column_id: str) -> str:
        """The column's header as the file spells it (for located problems)."""
        for column in file_columns(self.layout, self.variant):
            if column.column is not None and column.column.id == column_id:
                return column.header
        return column_id

    def problem(self, row: int, column_id: str, value: Value, problem: str, action: str) -> None:
        """Add a located problem about one row."""
        shown = "" if value is None else str(value)
        self.problems.append(
            FileProblem(self.file_name, row, self.header(column_id), shown, problem, action)
        )

    def count(self, what: str, by: int = 1) -> None:
        """Add to the summary's count of `what`."""
        self.summary[what] = self.summary.get(what, 0) + by

    @property
    def as_of(self) -> dt.date:
        """The date nothing in the file may be after: the day after its reporting period."""
        assert self.period is not None
        return self.period.production_date


def check_period(context: IngestContext, rows: list[tuple[int, Row]]) -> None:
    """Every row names the same valid reporting period; the context takes it."""
    for number, row in rows:
        text = str(row.get("reporting_period") or "")
        try:
            period = parse_period(text, field="reporting_period")
        except InvalidRequest as error:
            context.problem(number, "reporting_period", text, str(error), "write YYYY-MM")
            continue
        if context.period is None:
            context.period = period
        elif period != context.period:
            context.problem(
                number,
                "reporting_period",
                text,
                f"differs from the file's period {context.period.text}",
                "send one file per reporting period",
            )


def check_plan(context: IngestContext, rows: list[tuple[int, Row]], plan_code: str) -> None:
    """Every row names the expected plan (Primary Payer (MCP) Identifier)."""
    for number, row in rows:
        if row.get("mcp_id") != plan_code:
            context.problem(
                number,
                "mcp_id",
                row.get("mcp_id"),
                f"this file is for plan {plan_code}",
                "send each plan only its own members' rows",
            )


def members_by_cin(session: Session, actor: User, cins: Iterable[str]) -> dict[str, Member]:
    """Visible members by CIN (or by person id, which calaim writes when a CIN is unknown)."""
    wanted = sorted(set(cins))
    found: dict[str, Member] = {}
    for start in range(0, len(wanted), 2000):
        chunk = wanted[start : start + 2000]
        query = visible_members(actor).where(
            or_(Member.cin.in_(chunk), Member.person_id.in_(chunk))
        )
        for member in session.scalars(query):
            found[member.person_id] = member
            if member.cin:
                found[member.cin] = member
    return found


def ids(members: Iterable[Member]) -> list[uuid.UUID]:
    """Distinct member ids."""
    return sorted({member.id for member in members})
