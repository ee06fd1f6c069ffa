"""Building claims for a period: payment models, prices, nothing billed twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.billing.build import BillingService
from calaim.ops.billing.contracts import NoContractTerms
from calaim.ops.billing.period import BillingPeriod
from calaim.ops.errors import Forbidden, InvalidRequest
from calaim.ops.models import AuditEvent
from calaim.ops.models.billing import Claim, ClaimLine

from .world import NOW, build_world, deliver, encounter, outreach

SEPT = BillingPeriod.parse("2025-09")


def test_cs_days_are_billed_at_the_contract_unit_fee_with_their_authorization(
    session: Session,
) -> None:
    world = build_world(session)
    for day in (2, 3, 30):
        deliver(session, world, dt.date(2025, 9, day))
    deliver(session, world, dt.date(2025, 10, 1))  # next period
    run = BillingService(session, world.cs_staff).build(SEPT, now=NOW)
    (claim,) = run.claims
    assert claim.authorization_id == world.episode.authorization_id
    assert [(line.procedure_code, line.modifiers, line.units) for line in claim.lines] == [
        ("T2033", "U6", Decimal("1.00"))
    ] * 3
    assert claim.expected_amount == Decimal("600.00")  # LACARE recuperative care: 200.00/day
    assert isinstance(claim.expected_amount, Decimal)


def test_rerunning_a_period_bills_only_what_is_new(session: Session) -> None:
    world = build_world(session)
    deliver(session, world, dt.date(2025, 9, 2))
    service = BillingService(session, world.cs_staff)
    assert len(service.build(SEPT, now=NOW).claims) == 1
    again = service.build(SEPT, now=NOW)
    assert (again.claims, again.already_billed) == ([], 1)
    deliver(session, world, dt.date(2025, 9, 3))
    third = service.build(SEPT, now=NOW)
    assert third.line_count == 1
    assert third.already_billed == 1
    assert session.scalar(select(func.count()).select_from(ClaimLine)) == 2


def test_dry_run_writes_no_claim_but_says_what_would_be_billed(session: Session) -> None:
    world = build_world(session)
    deliver(session, world, dt.date(2025, 9, 2))
    run = BillingService(session, world.cs_staff).build(SEPT, now=NOW, dry_run=True)
    assert (run.line_count, run.expected) == (1, Decimal("200.00"))
    assert session.scalar(select(func.count()).select_from(Claim)) == 0
    actions = session.scalars(select(AuditEvent.action)).all()
    assert "claim.preview" in actions


def test_pmpm_bills_one_line_per_member_month_and_never_the_encounters(session: Session) -> None:
    world = build_world(session)  # LACARE: per member per month 400.00, outreach 25.00
    for day in (12, 15, 20):
        encounter(session, world, dt.date(2025, 9, day))
    outreach(session, world, dt.date(2025, 9, 5), "phone")
    outreach(session, world, dt.date(2025, 9, 8), "in_person")
    run = BillingService(session, world.supervisor).build(SEPT, now=NOW)
    lines = sorted(
        (line.program_id, line.procedure_code, line.modifiers, line.charge)
        for claim in run.claims
        for line in claim.lines
    )
    assert lines == [
        ("ecm", "G9012", "U2", Decimal("400.00")),
        ("ecm.outreach", "G9012", "U8", Decimal("25.00")),
        ("ecm.outreach", "G9012", "U8:GQ", Decimal("25.00")),
    ]
    month = next(line for claim in run.claims for line in claim.lines if line.program_id == "ecm")
    assert (month.service_date, month.service_date_end) == (
        dt.date(2025, 9, 10),
        dt.date(2025, 9, 30),
    )
    encounter(session, world, dt.date(2025, 9, 25))
    assert BillingService(session, world.supervisor).build(SEPT, now=NOW).line_count == 0


def test_per_encounter_terms_bill_each_encounter_by_mode_and_staff(session: Session) -> None:
    world = build_world(session, "HEALTHNET")  # per encounter 60.00 until 2026; no outreach
    encounter(session, world, dt.date(2025, 9, 12), "in_person", "clinical")
    encounter(session, world, dt.date(2025, 9, 13), "telephonic", "non_clinical")
    outreach(session, world, dt.date(2025, 9, 5), "phone")
    run = BillingService(session, world.supervisor).build(SEPT, now=NOW)
    (claim,) = run.claims
    assert [(line.procedure_code, line.modifiers) for line in claim.lines] == [
        ("G9008", "U1"),
        ("G9012", "U2:GQ"),
    ]
    assert claim.expected_amount == Decimal("120.00")


def test_more_than_50_lines_split_into_claims(session: Session) -> None:
    world = build_world(session)
    world.episode.program_id = "cs.medically_tailored_meals"
    for day in range(1, 31):
        for _ in range(2):
            deliver(
                session, world, dt.date(2025, 9, day)
            ).program_id = "cs.medically_tailored_meals"
    session.flush()
    run = BillingService(session, world.cs_staff).build(SEPT, now=NOW)
    assert sorted(len(claim.lines) for claim in run.claims) == [10, 50]


def test_only_providers_with_billing_permission_build(session: Session) -> None:
    world = build_world(session)
    with pytest.raises(PermissionDenied):
        BillingService(session, world.lcm).build(SEPT, now=NOW)
    with pytest.raises(Forbidden, match="provider"):
        BillingService(session, world.plan_admin).build(SEPT, now=NOW)


def test_missing_contract_terms_name_the_file_to_add(session: Session) -> None:
    world = build_world(session, "KAISER")
    deliver(session, world, dt.date(2025, 9, 2))
    with pytest.raises(NoContractTerms, match=r"policy/contracts/KAISER\.yaml"):
        BillingService(session, world.cs_staff).build(SEPT, now=NOW)


def test_period_must_be_a_month() -> None:
    with pytest.raises(InvalidRequest, match="YYYY-MM"):
        BillingPeriod.parse("2025-13")
    assert BillingPeriod.parse("2024-02").end == dt.date(2024, 2, 29)
