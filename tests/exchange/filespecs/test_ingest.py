"""Ingest: the whole file or nothing, through the state rules, audited, idempotent."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.exchange.filespecs.errors import FileRejected
from calaim.exchange.filespecs.service import ingest_file
from calaim.exchange.filespecs.values import Value
from calaim.exchange.filespecs.writer import write_rows
from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import (
    AuditEvent,
    Authorization,
    Member,
    MemberContactChange,
    OrganizationKind,
    OutreachAttempt,
    ReferralTransition,
    Role,
    StatusChange,
)
from calaim.ops.models.exchange_file import ExchangeFile
from ops import factories

from .world import ECM_NPI, PERIOD, RECEIVED_AT, World, build

Rows = list[dict[str, Value]]


def _file(layout: str, rows: Rows, variant: str | None = None, file_format: str = "csv") -> bytes:
    stream = io.BytesIO()
    write_rows(layout, rows, stream, file_format, variant)  # type: ignore[arg-type]
    return stream.getvalue()


def _good_rtf(world: World) -> bytes:
    rows = [
        {**row, "member_cin": world.members[index].cin}
        for index, row in [
            (0, {"ecm_status": "outreach"}),
            (
                1,
                {
                    "ecm_status": "enrolled",
                    "enrollment_start": dt.date(2025, 9, 10),
                    "acuity": "high",
                    "assessment_started": dt.date(2025, 9, 12),
                },
            ),
            (
                2,
                {
                    "ecm_status": "discontinued",
                    "discontinued_on": dt.date(2025, 9, 20),
                    "discontinuation_code": "goals_met",
                    "new_phone": True,
                    "phone": "3105550199",
                    "new_address": True,
                    "address_line": "9 NEW RD",
                    "city": "LOS ANGELES",
                    "zip_code": "90013",
                },
            ),
            (4, {"ecm_status": "outreach", "loop_closure_reason": "declined"}),
        ]
    ]
    base = {
        "mcp_id": "LACARE",
        "provider_npi": ECM_NPI,
        "reporting_period": PERIOD,
        "production_date": dt.date(2025, 10, 1),
    }
    return _file("rtf", [{**base, **row} for row in rows], "kaiser", "xlsx")


def test_rtf_applies_through_the_state_rules_and_is_idempotent(session: Session) -> None:
    world = build(session)
    data = _good_rtf(world)
    result = ingest_file(
        session, world.plan_user, "rtf", "rtf-2025-09.xlsx", data, variant="kaiser", now=RECEIVED_AT
    )
    assert result.applied
    assert result.summary == {
        "to_outreach": 1,
        "to_enrolled": 1,
        "acuity_changed": 1,
        "discontinued": 1,
        "care_plans_updated": 1,
        "loops_closed": 1,
        "contacts_changed": 1,
    }
    statuses = [e.status for e in world.enrollments[:5]]
    assert statuses == ["outreach", "enrolled", "discontinued", "discontinued", "outreach"]
    assert world.enrollments[1].acuity == "high"
    assert world.referral.status == "closed"
    assert world.referral.closure_reason == "Member declined or opted out"
    member = session.get(Member, world.members[2].id)
    assert member is not None
    assert (member.phone, member.address_line) == ("3105550199", "9 NEW RD")
    changes = session.scalars(
        select(MemberContactChange).where(MemberContactChange.source == "rtf:rtf-2025-09.xlsx")
    ).all()
    assert sorted(c.field for c in changes) == ["address", "phone"]
    assert all(c.effective_on == dt.date(2025, 9, 30) for c in changes)
    audited = session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.actor_user_id == world.plan_user.id)
    )
    again = ingest_file(
        session, world.plan_user, "rtf", "renamed.xlsx", data, variant="kaiser", now=RECEIVED_AT
    )
    assert again.already_applied
    assert not again.applied
    assert again.file_id == result.file_id
    assert session.scalar(select(func.count()).select_from(ExchangeFile)) == 1
    assert (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.actor_user_id == world.plan_user.id)
        )
        == audited
    )


def _as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive UTC times."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def test_what_a_file_writes_is_dated_when_the_file_was_received(session: Session) -> None:
    world = build(session)
    ingest_file(
        session,
        world.plan_user,
        "rtf",
        "rtf.xlsx",
        _good_rtf(world),
        variant="kaiser",
        now=RECEIVED_AT,
    )
    otf = _otf(world, [(4, dt.date(2025, 9, 12))])
    ingest_file(
        session, world.plan_user, "otf", "otf.csv", otf, variant="healthnet", now=RECEIVED_AT
    )
    session.flush()
    changes = session.scalars(
        select(StatusChange).where(
            StatusChange.reason.like("rtf:%") | StatusChange.reason.like("otf:%")
        )
    ).all()
    closure = session.scalars(
        select(ReferralTransition).where(ReferralTransition.to_status == "closed")
    ).one()
    attempt = session.scalars(
        select(OutreachAttempt).where(OutreachAttempt.note == "otf:otf.csv")
    ).one()
    stamped = [c.at for c in changes] + [closure.at, attempt.recorded_at]
    stamped += [e.updated_at for e in world.enrollments[:2]]
    assert len(changes) >= 2
    assert {_as_utc(moment) for moment in stamped} == {RECEIVED_AT}


def test_a_row_breaking_a_state_rule_rejects_the_whole_file(session: Session) -> None:
    world = build(session)
    bad = [
        {
            "mcp_id": "LACARE",
            "provider_npi": ECM_NPI,
            "reporting_period": PERIOD,
            "production_date": dt.date(2025, 10, 1),
            "member_cin": world.members[i].cin,
            "ecm_status": "enrolled",
            "enrollment_start": dt.date(2025, 9, 10),
        }
        for i in (1, 0)
    ]
    with pytest.raises(FileRejected) as caught:
        ingest_file(session, world.plan_user, "rtf", "rtf.csv", _file("rtf", bad), now=RECEIVED_AT)
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.column) == ("rtf.csv", 3, "Member ECM Status")
    assert "record an outreach attempt first" in problem.problem
    assert world.enrollments[1].status == "outreach", "the valid first row was rolled back too"
    assert session.scalar(select(func.count()).select_from(ExchangeFile)) == 0
    assert caught.value.details["problem_count"] == 1


def test_unknown_members_and_future_dates_are_located(session: Session) -> None:
    world = build(session)
    rows: Rows = [
        {
            "mcp_id": "LACARE",
            "provider_npi": ECM_NPI,
            "reporting_period": PERIOD,
            "production_date": dt.date(2025, 10, 1),
            "member_cin": "NOPE",
            "ecm_status": "assigned",
        },
        {
            "mcp_id": "LACARE",
            "provider_npi": ECM_NPI,
            "reporting_period": PERIOD,
            "production_date": dt.date(2025, 10, 1),
            "member_cin": world.members[5].cin,
            "ecm_status": "enrolled",
        },
        {
            "mcp_id": "LACARE",
            "provider_npi": ECM_NPI,
            "reporting_period": PERIOD,
            "production_date": dt.date(2025, 10, 1),
            "member_cin": world.members[1].cin,
            "ecm_status": "enrolled",
            "enrollment_start": dt.date(2026, 1, 1),
        },
    ]
    with pytest.raises(FileRejected) as caught:
        ingest_file(session, world.plan_user, "rtf", "rtf.csv", _file("rtf", rows), now=RECEIVED_AT)
    located = [(p.row, p.column) for p in caught.value.problems]
    assert located == [
        (2, "Member Client Index Number (CIN)"),
        (3, "Member Client Index Number (CIN)"),
        (4, "ECM Enrollment Start Date"),
    ]


def test_dry_run_checks_everything_and_changes_nothing(session: Session) -> None:
    world = build(session)
    result = ingest_file(
        session,
        world.plan_user,
        "rtf",
        "r.xlsx",
        _good_rtf(world),
        variant="kaiser",
        dry_run=True,
        now=RECEIVED_AT,
    )
    assert result.summary["to_enrolled"] == 1
    assert not result.applied
    assert [e.status for e in world.enrollments[:3]] == ["assigned", "outreach", "enrolled"]
    assert session.scalar(select(func.count()).select_from(ExchangeFile)) == 0


def _otf(world: World, attempts: list[tuple[int, dt.date]]) -> bytes:
    rows: Rows = [
        {
            "mcp_id": "LACARE",
            "provider_npi": ECM_NPI,
            "member_cin": world.members[i].cin,
            "attempted_on": day,
            "method": "phone",
            "successful": False,
            "minutes": 15,
        }
        for i, day in attempts
    ]
    return _file("otf", rows, "healthnet")


def test_overlapping_otf_files_never_count_an_attempt_twice(session: Session) -> None:
    world = build(session)
    first = ingest_file(
        session,
        world.plan_user,
        "otf",
        "a.csv",
        _otf(world, [(0, dt.date(2025, 9, 2)), (0, dt.date(2025, 9, 2)), (1, dt.date(2025, 9, 3))]),
        variant="healthnet",
        now=RECEIVED_AT,
    )
    assert first.summary == {"attempts_added": 2, "duplicates_skipped": 1}
    assert world.enrollments[0].status == "outreach"
    second = ingest_file(
        session,
        world.plan_user,
        "otf",
        "b.csv",
        _otf(world, [(1, dt.date(2025, 9, 3)), (1, dt.date(2025, 9, 9))]),
        variant="healthnet",
        now=RECEIVED_AT,
    )
    assert second.summary == {"attempts_added": 1, "duplicates_skipped": 1}
    total = session.scalar(select(func.count()).select_from(OutreachAttempt))
    assert total == 4, "one from the world, three from the files"
    with pytest.raises(FileRejected, match="after the member was enrolled"):
        ingest_file(
            session,
            world.plan_user,
            "otf",
            "c.csv",
            _otf(world, [(2, dt.date(2025, 9, 9))]),
            variant="healthnet",
            now=RECEIVED_AT,
        )


def test_cs_invoice_lines_are_checked(session: Session) -> None:
    world = build(session)
    line: dict[str, Value] = {
        "invoice_number": "INV-1",
        "invoice_date": dt.date(2025, 10, 2),
        "provider_legal_name": "Harbor",
        "provider_npi": "1245319599",
        "provider_tin": "987654321",
        "mcp_name": "L.A. Care",
        "member_last_name": "M",
        "member_first_name": "A",
        "member_cin": world.members[0].cin,
        "member_birth_date": dt.date(1970, 5, 17),
        "authorization_number": str(world.authorization.id),
        "cs_type": "cs.recuperative_care",
        "hcpcs_code": "T2033",
        "service_from": dt.date(2025, 9, 5),
        "service_to": dt.date(2025, 9, 6),
        "units": Decimal(2),
        "unit_rate": Decimal("150.25"),
        "billed_amount": Decimal("300.50"),
    }
    result = ingest_file(
        session,
        world.plan_user,
        "cs_invoice",
        "inv.csv",
        _file("cs_invoice", [line]),
        now=RECEIVED_AT,
    )
    assert result.summary == {"invoice_lines": 1, "billed_cents": 30050}
    wrong = {**line, "billed_amount": Decimal("301"), "cs_type": "cs.respite"}
    with pytest.raises(FileRejected) as caught:
        ingest_file(
            session,
            world.plan_user,
            "cs_invoice",
            "inv2.csv",
            _file("cs_invoice", [wrong]),
            now=RECEIVED_AT,
        )
    assert [p.column for p in caught.value.problems] == ["Community Supports Type", "Billed Amount"]


def test_provider_side_files_are_checked_and_recorded(session: Session) -> None:
    world = build(session)
    from calaim.exchange.filespecs.service import ExportRequest, export_file

    mif, status = io.BytesIO(), io.BytesIO()
    export_file(session, world.plan_user, ExportRequest("mif", PERIOD, variant="lacare"), mif)
    export_file(session, world.plan_user, ExportRequest("cs_authorization_status", PERIOD), status)
    got = ingest_file(
        session, world.ecm_user, "mif", "mif.csv", mif.getvalue(), variant="lacare", now=RECEIVED_AT
    )
    assert got.summary == {"members_matched": 5, "members_not_shown_to_you": 0}
    got = ingest_file(
        session,
        world.cs_user,
        "cs_authorization_status",
        "s.csv",
        status.getvalue(),
        now=RECEIVED_AT,
    )
    assert got.summary == {"status_matches": 1}
    other_cs = factories.organization(session, OrganizationKind.CS_PROVIDER)
    with pytest.raises(FileRejected, match="not your NPI"):
        ingest_file(
            session,
            factories.user(session, other_cs, Role.CS_PROVIDER_STAFF),
            "cs_authorization_status",
            "s.csv",
            status.getvalue(),
            now=RECEIVED_AT,
        )


def test_wrong_side_and_roles_are_refused(session: Session) -> None:
    world = build(session)
    with pytest.raises(InvalidRequest, match="only a plan receives"):
        ingest_file(session, world.ecm_user, "rtf", "r.csv", b"", now=RECEIVED_AT)
    analyst = factories.user(session, world.plan, Role.STATE_ANALYST)
    with pytest.raises(PermissionDenied):
        ingest_file(session, analyst, "rtf", "r.csv", b"", now=RECEIVED_AT)


@pytest.mark.parametrize("with_acuity", [False, True], ids=["status-only row", "row with acuity"])
def test_an_rtf_cannot_enroll_a_member_without_an_ecm_authorization(
    session: Session, with_acuity: bool
) -> None:
    # Status-only rows take the plain path (rtf_plain.py), others the ORM path: both check.
    world = build(session)
    member = world.members[1]
    for authorization in session.scalars(
        select(Authorization).where(
            Authorization.member_id == member.id, Authorization.program_id == "ecm"
        )
    ):
        authorization.status = "denied"
    session.flush()
    row: dict[str, Value] = {
        "mcp_id": "LACARE",
        "provider_npi": ECM_NPI,
        "reporting_period": PERIOD,
        "production_date": dt.date(2025, 10, 1),
        "member_cin": member.cin,
        "ecm_status": "enrolled",
        "enrollment_start": dt.date(2025, 9, 10),
        **({"acuity": "high"} if with_acuity else {}),
    }
    with pytest.raises(FileRejected) as caught:
        ingest_file(
            session, world.plan_user, "rtf", "rtf.csv", _file("rtf", [row]), now=RECEIVED_AT
        )
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "Member ECM Status")
    assert "No approved or presumptive ECM authorization covers 2025-09-10" in problem.problem
    assert world.enrollments[1].status == "outreach"

    # The plan's recorded override lets the same file through.
    world.enrollments[1].authorization_override_reason = "Enrolled on the county's referral."
    session.flush()
    result = ingest_file(
        session, world.plan_user, "rtf", "rtf.csv", _file("rtf", [row]), now=RECEIVED_AT
    )
    assert result.summary["to_enrolled"] == 1
    session.refresh(world.enrollments[1])
    assert world.enrollments[1].status == "enrolled"
