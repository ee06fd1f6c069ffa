"""Roster reconciliation: read and check the file, link it (Splink on DuckDB) against the
members the organization may see and its earlier rosters, report, and apply (unless a dry
run). One call is one transaction of the caller's session: all or nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.exchange.linkage.apply import (
    apply_contact_change,
    disenrolled_member_ids,
    enrollments_elsewhere,
    mark_disenrolled,
)
from calaim.exchange.linkage.checks import check_and_normalize
from calaim.exchange.linkage.core import LINKED, run_linkage
from calaim.exchange.linkage.findings import CATEGORIES, ReportRow
from calaim.exchange.linkage.known import load_known
from calaim.exchange.linkage.model import linkage_model
from calaim.exchange.linkage.persons import PersonResolver, save_people
from calaim.exchange.linkage.reader import read_roster
from calaim.exchange.linkage.rows import classify
from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import enrollment_visible, is_plan, is_provider, visible_members
from calaim.ops.audit.service import record
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import Enrollment, EnrollmentStatus, Member, RosterKind, RosterReport, User

Stage = Callable[[str], None]
ACTIVE = (EnrollmentStatus.ASSIGNED, EnrollmentStatus.OUTREACH, EnrollmentStatus.ENROLLED)


@dataclass(frozen=True)
class RosterUpload:
    """A roster to reconcile: the file, its kind, the as-of date, and whether to apply."""

    path: Path
    file_name: str
    kind: RosterKind
    as_of: dt.date
    dry_run: bool = False
    # The file lists every member (a plan's full member file): members missing from it are
    # disenrolled. False (the default): a partial file, nobody is disenrolled; the report says
    # how many would have been.
    full_roster: bool = False


def _noop(_stage: str) -> None:
    return None


def _check_kind(actor: User, kind: RosterKind) -> None:
    if kind == RosterKind.MEMBER_FILE and not is_plan(actor):
        raise InvalidRequest("only a plan sends member files; send a provider-roster", field="kind")
    if kind == RosterKind.PROVIDER_ROSTER and not is_provider(actor):
        raise InvalidRequest(
            "only a provider sends provider rosters; send a member-file", field="kind"
        )


def reconcile(
    session: Session, actor: User, upload: RosterUpload, stage: Stage = _noop
) -> RosterReport:
    """Reconcile one roster for the actor's organization; return the stored report."""
    require(actor, Permission.ROSTER_RECONCILE)
    _check_kind(actor, upload.kind)
    con = duckdb.connect()
    try:
        stage("read")
        headers = read_roster(con, upload.path, upload.file_name)
        count = check_and_normalize(con, upload.file_name, headers, upload.as_of)
        members = load_known(con, session, actor)
        counts = run_linkage(con, linkage_model(), stage)
        linked = con.sql(f"select * from {LINKED} order by row_number")
        rows = [dict(zip(linked.columns, values, strict=True)) for values in linked.fetchall()]
    finally:
        con.close()
    stage("apply")
    report_rows, left_out = _apply(session, actor, upload, rows, members)
    summary: dict[str, Any] = {c: sum(r.category == c for r in report_rows) for c in CATEGORIES}
    summary |= {"rows": count, "pairs_scored": counts.pairs_scored, "people": counts.clusters}
    # A partial member file disenrolls nobody: how many a full roster would have disenrolled.
    summary["would_disenroll"] = left_out
    return _store(session, actor, upload, count, summary, report_rows)


def _apply(
    session: Session,
    actor: User,
    upload: RosterUpload,
    rows: list[dict[str, Any]],
    members: dict[str, Member],
) -> tuple[list[ReportRow], int]:
    """The report's rows, and how many members a full roster would have disenrolled."""
    resolver = PersonResolver(session, actor, upload.as_of)
    result = classify(rows, members, resolver, linkage_model(), upload.as_of)
    source = f"roster:{upload.file_name}"[:200]
    matched_ids = {member.id for member in result.matched.values()}
    report = result.rows + _elsewhere(session, actor, result.matched, rows)
    missing = _missing(session, actor, upload.kind, matched_ids)
    left_out = 0
    if upload.kind == RosterKind.MEMBER_FILE and not upload.full_roster:
        # Only a file declared full may disenroll those it leaves out (a partial one once
        # disenrolled 83 of 95 members): report the number, change nobody.
        left_out, missing = len(missing), []
    report += [
        ReportRow(
            "disenrolled",
            None,
            None,
            m.person_id,
            f"{m.last_name}, {m.first_name}",
            detail=f"not in this {upload.kind}",
        )
        for m in missing
    ]
    if upload.dry_run:
        return report, left_out
    save_people(session, resolver, result.people, source)
    for member, changes in result.changes:
        apply_contact_change(
            session, actor, member, changes, source=source, effective_on=upload.as_of
        )
    if upload.kind == RosterKind.MEMBER_FILE:
        ended = [m.id for m in missing] + [members[k].id for k in result.ended]
        mark_disenrolled(session, actor, ended, upload.as_of)
    for member in result.matched.values():
        record(session, actor, "roster.match", member, details={"source": source})
    return report, left_out


def _elsewhere(
    session: Session, actor: User, matched: dict[int, Member], rows: list[dict[str, Any]]
) -> list[ReportRow]:
    """Matched members with an active ECM episode at another provider."""
    found = enrollments_elsewhere(session, actor, {m.id for m in matched.values()})
    by_row = {row["row_number"]: row for row in rows}
    out = []
    for row_number, member in matched.items():
        provider = found.get(member.id)
        if provider is None:
            continue
        named = (by_row[row_number].get("assigned_provider") or "").strip().lower()
        if is_plan(actor):
            if not named or named == provider.name.lower():
                continue
            detail = f"assigned to {provider.name}, not {by_row[row_number]['assigned_provider']}"
        else:
            detail = "assigned to another provider"  # which one is not the provider's business
        name = f"{member.last_name}, {member.first_name}"
        out.append(
            ReportRow("assigned_elsewhere", row_number, None, member.person_id, name, detail=detail)
        )
    return out


def _missing(
    session: Session, actor: User, kind: RosterKind, matched: set[uuid.UUID]
) -> list[Member]:
    """Known active members the file leaves out (a plan's full file; a provider's roster)."""
    if kind == RosterKind.MEMBER_FILE:
        already = disenrolled_member_ids(session, actor)
        candidates = list(session.scalars(visible_members(actor)))
        return [m for m in candidates if m.id not in matched and m.id not in already]
    statement = (
        select(Member)
        .join(Enrollment, Enrollment.member_id == Member.id)
        .where(
            enrollment_visible(actor),
            Enrollment.provider_organization_id == actor.organization_id,
            Enrollment.status.in_(ACTIVE),
        )
    )
    return [m for m in session.scalars(statement).unique() if m.id not in matched]


def _store(
    session: Session,
    actor: User,
    upload: RosterUpload,
    count: int,
    summary: dict[str, Any],
    rows: list[ReportRow],
) -> RosterReport:
    report = RosterReport(
        organization_id=actor.organization_id,
        actor_user_id=actor.id,
        file_name=upload.file_name[:200],
        kind=upload.kind.value,
        as_of=upload.as_of,
        dry_run=upload.dry_run,
        row_count=count,
        summary=summary,
        rows=[row.as_dict() for row in rows],
    )
    session.add(report)
    session.flush()
    record(session, actor, "roster.reconcile", report, details=summary)
    session.flush()
    return report
