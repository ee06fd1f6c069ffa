"""Closed-loop compliance: opened, closed, late against the CLR windows, notices, scoping."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import (
    Notice,
    Organization,
    OrganizationKind,
    Referral,
    ReferralTransition,
    Role,
    User,
)
from calaim.ops.policy import shipped_policy
from calaim.reports.clr import ClrReport, Tally, clr_report
from calaim.reports.clr_export import LOOP_COLUMNS, MEASURES, clr_csv, clr_xlsx, loops_csv
from calaim.reports.provenance import Provenance
from calaim.reports.quarterly import period_text
from ops.factories import organization, user

from .world import member, plan, provider, referral

POLICY = shipped_policy()
PERIOD = period_text("2025-07-01:2025-09-30")
NOW = dt.datetime(2025, 10, 15, tzinfo=dt.UTC)
K, R = OrganizationKind, Role
CS = "cs.recuperative_care"


def at(month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=dt.UTC)


def loop(
    session: Session,
    owner: Organization,
    referrer: Organization,
    steps: list[tuple[str | None, str, dt.datetime]],
    to: Organization | None = None,
    reason: str | None = None,
) -> Referral:
    """A referral of a new member of `owner` with its transitions (from, to, when)."""
    who = member(session, owner)
    found = referral(session, who, CS, referrer, status=steps[-1][1], to=to, received=steps[0][2])
    found.closure_reason = reason if steps[-1][1] == "closed" else None
    found.decline_reason = reason if steps[-1][1] == "declined" else None
    for before, after, moment in steps:
        session.add(ReferralTransition(referral_id=found.id, from_status=before, to_status=after,
                                       at=moment))  # fmt: skip
    session.flush()
    return found


class World:
    def __init__(self, session: Session) -> None:
        self.owner = plan(session)
        self.other = plan(session)
        self.referrer = organization(session, K.REFERRER)
        self.cs = provider(session, K.CS_PROVIDER, [CS], [self.owner.plan_code or ""], 20)
        self.actor = user(session, self.owner, R.PLAN_CARE_COORDINATION)
        rc = "received"
        # A: routed in time, accepted 7 days after routing (window 5: late by 2), then closed.
        self.a = loop(session, self.owner, self.referrer, [
            (None, rc, at(7, 1)), (rc, rc, at(7, 3)), (rc, "accepted", at(7, 10)),
            ("accepted", "in_progress", at(7, 15)),
            ("in_progress", "services_received", at(7, 20)),
            ("services_received", "closed", at(7, 25))], to=self.cs)  # fmt: skip
        # B: on time, closed early because the member declined.
        loop(session, self.owner, self.referrer, [
            (None, rc, at(8, 1)), (rc, rc, at(8, 2)), (rc, "accepted", at(8, 4)),
            ("accepted", "closed", at(8, 10))], to=self.cs, reason="member declined")  # fmt: skip
        # C: never routed; the 5-day routing window ended on 25 September: late.
        loop(session, self.owner, self.referrer, [(None, rc, at(9, 20))])
        # D: never routed but only received on 29 September: not late by the period's end.
        loop(session, self.owner, self.referrer, [(None, rc, at(9, 29))])
        # E: accepted exactly at its due instant (late only strictly after): on time, open.
        loop(session, self.owner, self.referrer, [
            (None, rc, at(9, 1)), (rc, rc, at(9, 1)), (rc, "accepted", at(9, 6))],
            to=self.cs)  # fmt: skip
        # F: declined by the provider.
        loop(session, self.owner, self.referrer, [
            (None, rc, at(7, 5)), (rc, rc, at(7, 5)), (rc, "declined", at(7, 6))],
            to=self.cs, reason="no capacity")  # fmt: skip
        # Another plan's late loop: never counted.
        loop(session, self.other, self.referrer, [(None, rc, at(7, 1))])
        for recipient, org in (("member", None), ("organization", self.referrer.id),
                               ("organization", self.referrer.id)):  # fmt: skip
            session.add(Notice(member_id=self.a.member_id, kind="referral_received",
                               recipient=recipient, recipient_organization_id=org,
                               channel="electronic", subject_type="referral",
                               subject_id=self.a.id, created_at=at(7, 1), content={}))  # fmt: skip
        session.flush()

    def report(self, session: Session, actor: User | None = None) -> ClrReport:
        return clr_report(session, actor or self.actor, POLICY, PERIOD, NOW)


def test_counts_match_the_hand_computed_loops(session: Session) -> None:
    world = World(session)
    report = world.report(session)
    counts = report.plan_total.counts
    assert [counts[m] for m in MEASURES] == [6, 2, 1, 2, 3, 1, 2]
    assert report.plan_total.reasons == {"services received": 1, "member declined": 1,
                                         "no capacity": 1}  # fmt: skip
    assert report.by_month["2025-07"].counts["late"] == 1
    assert report.by_month["2025-09"].counts["late"] == 1
    assert report.by_quarter["2025Q3"].counts["opened"] == 6
    assert report.by_provider["(not yet routed)"].counts["late"] == 1
    a = next(loop for loop in report.loops if loop.referral_id == world.a.id)
    assert (a.late_step, a.late_due, a.late_days) == ("accept_or_decline", at(7, 8), 2)


def test_another_plans_loops_are_never_counted(session: Session) -> None:
    world = World(session)
    other_actor = user(session, world.other, R.PLAN_CARE_COORDINATION)
    theirs = world.report(session, other_actor)
    assert theirs.plan_total.counts["opened"] == 1
    assert {loop.person_id for loop in theirs.loops}.isdisjoint(
        {loop.person_id for loop in world.report(session).loops}
    )


def test_only_plans_read_it(session: Session) -> None:
    world = World(session)
    with pytest.raises(PermissionDenied):
        world.report(session, user(session, world.cs, R.CS_PROVIDER_STAFF))


def test_workbook_and_csv_carry_the_numbers_and_provenance(session: Session) -> None:
    report = World(session).report(session)
    book = load_workbook(io.BytesIO(clr_xlsx(report)))
    assert book.sheetnames == ["About", "Summary", "By month", "By quarter", "Closure reasons",
                               "Loops"]  # fmt: skip
    about = {row[0]: row[1] for row in book["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Period"] == "2025-07-01 to 2025-09-30"
    assert about["Policy hash"] == POLICY.resolve(PERIOD.end).policy_hash
    assert about["Input fingerprint"] == report.provenance.input_fingerprint
    assert [c.value for c in book["Summary"][3]][1:] == [6, 2, 1, 2, 3, 1, 2]
    loops = list(book["Loops"].iter_rows(min_row=3, values_only=True))
    assert len(loops) == 6
    assert book["Loops"].cell(2, 10).value == "late_step"
    rows = list(csv.reader(io.StringIO(clr_csv(report))))
    assert ["plan", report.plan, "late", "2"] in rows
    assert len(list(csv.reader(io.StringIO(loops_csv(report))))) == 7
    assert LOOP_COLUMNS[9] == "late_step"


def tally(reasons: dict[str, int] | None = None, **counts: int) -> Tally:
    found = Tally()
    found.counts.update(counts)
    found.reasons.update(reasons or {})
    return found


def test_the_dhcs_copy_suppresses_small_cells_and_their_complements() -> None:
    facts = Provenance(PERIOD, PERIOD.end, "hash", "print", 55)
    report = ClrReport(
        "BIG", facts, tally({"no capacity": 3, "services received": 40, "declined": 12},
                            opened=55, closed=40, late=7),
        {"A": tally(opened=30, closed=40, late=7), "B": tally(opened=5), "C": tally(opened=20)},
        {"2025-07": tally(opened=50, closed=40), "2025-08": tally(opened=5, late=7)},
        {"2025Q3": tally(opened=55, closed=40, late=7)}, (),
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(clr_csv(report, for_dhcs=True))))
    shown = {(r["section"], r["group"], r["measure"]): r["value"] for r in rows}
    # B's 5 would follow from 55 - 30 - 20, so C's 20 (the smallest other) is hidden too.
    assert [shown["provider", k, "opened"] for k in "ABC"] == ["30", "<11", "<11"]
    assert shown["plan", "BIG", "opened"] == "55"
    assert shown["plan", "BIG", "late"] == shown["provider", "A", "late"] == "<11"
    assert [shown["month", m, "opened"] for m in ("2025-07", "2025-08")] == ["<11", "<11"]
    assert shown["quarter", "2025Q3", "closed"] == "40"
    reasons = [(r["measure"], r["value"]) for r in rows if r["section"] == "closure_reason"]
    assert reasons == [("services received", "40"), ("declined", "<11"), ("no capacity", "<11"),
                       ("All reasons", "55")]  # fmt: skip
    plain = list(csv.DictReader(io.StringIO(clr_csv(report))))
    assert {"section": "provider", "group": "B", "measure": "opened", "value": "5"} in plain


def test_the_dhcs_workbook_has_no_loops_and_hides_the_small_plan(session: Session) -> None:
    report = World(session).report(session)
    book = load_workbook(io.BytesIO(clr_xlsx(report, for_dhcs=True)))
    assert "Loops" not in book.sheetnames
    assert [c.value for c in book["Summary"][3]][1:] == ["<11", "<11", "<11", "<11", "<11",
                                                         "<11", "<11"]  # fmt: skip
    cells = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
    assert not any(isinstance(v, int) and 0 < v < 11 for v in cells)
    assert not {loop.person_id for loop in report.loops} & cells


def test_reading_it_is_audited_per_loop(session: Session) -> None:
    from sqlalchemy import func, select

    from calaim.ops.models import AuditEvent

    world = World(session)
    world.report(session)
    mine = AuditEvent.actor_user_id == world.actor.id
    statement = select(func.count()).select_from(AuditEvent)
    read = session.scalar(statement.where(AuditEvent.action == "referral.report", mine))
    assert read == 6


def test_fingerprint_changes_when_a_counted_loop_changes(session: Session) -> None:
    world = World(session)
    before = world.report(session).provenance.input_fingerprint
    assert world.report(session).provenance.input_fingerprint == before
    world.a.closure_reason = "corrected"
    session.flush()
    assert world.report(session).provenance.input_fingerprint != before


@pytest.mark.parametrize("text", ["2025-07-01", "2025-09-30:2025-07-01", "July", "2025Q5"])
def test_bad_periods_are_refused_by_name(text: str) -> None:
    with pytest.raises(InvalidRequest) as error:
        period_text(text)
    assert error.value.field == "period" or "quarter" in str(error.value)
