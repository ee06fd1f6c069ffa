"""The plan's program view: funnel by month with rates, CS spend and pricing, ECM capacity,
the eligible-but-not-enrolled list, and the suppressed files (real SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.engine.loading.errors import PolicyError
from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.models import AuditEvent, Member, Organization, OrganizationKind, Role, User
from calaim.ops.models.billing import Claim, ClaimLine
from calaim.ops.policy import shipped_policy
from calaim.reports.filters import Filters, Period
from calaim.reports.outreach_export import outreach_csv, outreach_xlsx
from calaim.reports.outreach_list import OutreachList, outreach_list, read_tiers
from calaim.reports.pricing import load_guidance
from calaim.reports.program import ProgramView, program_view
from calaim.reports.program_export import program_csv, program_xlsx
from ops.factories import user

from .world import authorization, determination, enrollment, member, plan, provider

POLICY = shipped_policy()
Q3 = Period(dt.date(2025, 7, 1), dt.date(2025, 9, 30))
NOW = dt.datetime(2025, 10, 2, 17, tzinfo=dt.UTC)
HOMELESS, AVOIDABLE = "ecm.homeless_adult", "ecm.avoidable_utilization"
RECUP, MEALS, ASTHMA = (
    "cs.recuperative_care",
    "cs.medically_tailored_meals",
    "cs.asthma_remediation",
)
K = OrganizationKind


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2025, month, day, 12, tzinfo=dt.UTC)


def eligible(
    session: Session, owner: Organization, n: int, county: str, on: dt.date
) -> list[Member]:
    found = [member(session, owner, county) for _ in range(n)]
    for who in found:
        determination(session, who, HOMELESS, as_of=on)
    return found


def paid_line(
    session: Session,
    who: Member,
    cs: Organization,
    program: str,
    units: str,
    rate: str,
    paid: str,
    day: dt.date,
) -> None:
    claim = Claim(
        number=uuid.uuid4().hex[:20], provider_organization_id=cs.id,
        plan_organization_id=who.plan_organization_id, member_id=who.id, period_start=day,
        period_end=day, status="paid", expected_amount=Decimal(paid), paid_amount=Decimal(paid),
    )  # fmt: skip
    session.add(claim)
    session.flush()
    session.add(ClaimLine(
        claim_id=claim.id, line_number=1, source_key=f"test:{uuid.uuid4()}", program_id=program,
        service_date=day, service_date_end=day, procedure_code="T2033", modifiers="",
        unit="day", units=Decimal(units), unit_rate=Decimal(rate),
        charge=Decimal(units) * Decimal(rate), status="paid", paid_amount=Decimal(paid),
    ))  # fmt: skip
    session.flush()


class World:
    """A: 12 eligible from Jul 15 (11 enrolled in Aug, 1 dropped); C: 3 in Orange from Aug 10;
    B: 15 from Sep 1 (2 assigned, one also avoidable-utilization)."""

    def __init__(self, session: Session) -> None:
        self.owner = plan(session)
        code = self.owner.plan_code or ""
        self.ecm = provider(session, K.ECM_PROVIDER, [HOMELESS], [code], 50)
        cs = provider(session, K.CS_PROVIDER, [RECUP], [code], 20)
        self.a = eligible(session, self.owner, 12, "Los Angeles", dt.date(2025, 7, 15))
        self.c = eligible(session, self.owner, 3, "Orange", dt.date(2025, 8, 10))
        self.b = eligible(session, self.owner, 15, "Los Angeles", dt.date(2025, 9, 1))
        determination(session, self.b[5], AVOIDABLE, as_of=dt.date(2025, 9, 1))
        for who in self.a[:11]:
            enrollment(session, who, self.ecm, assigned=dt.date(2025, 7, 20),
                       outreach=dt.date(2025, 7, 25), enrolled=dt.date(2025, 8, 5))  # fmt: skip
        gone = enrollment(session, self.a[11], self.ecm, assigned=dt.date(2025, 7, 20))
        gone.discontinued_on = dt.date(2025, 8, 20)
        for who in self.b[:2]:
            enrollment(session, who, self.ecm, assigned=dt.date(2025, 9, 5))
        for who in self.a:
            authorization(session, who, RECUP, requested=at(7, 1), due=at(7, 8),
                          decided=at(7, 3), status="approved")  # fmt: skip
        authorization(session, self.a[0], MEALS, requested=at(8, 1), due=at(8, 8),
                      decided=at(8, 4), status="denied")  # fmt: skip
        for who in self.a[:3]:
            paid_line(session, who, cs, RECUP, "5", "200.00", "1000.00", dt.date(2025, 8, 1))
        paid_line(session, self.a[3], cs, ASTHMA, "1", "7500.00", "7500.00", dt.date(2025, 8, 2))
        paid_line(session, self.a[4], cs, ASTHMA, "1", "6500.00", "6500.00", dt.date(2025, 8, 2))
        other = plan(session)  # another plan's members and claims: never counted
        for who in eligible(session, other, 20, "Los Angeles", dt.date(2025, 7, 15)):
            enrollment(session, who, self.ecm, assigned=dt.date(2025, 7, 10),
                       enrolled=dt.date(2025, 7, 11))  # fmt: skip
            paid_line(session, who, cs, RECUP, "1", "999.00", "999.00", dt.date(2025, 8, 1))
        self.actor: User = user(session, self.owner, Role.PLAN_CARE_COORDINATION)

    def view(self, session: Session) -> ProgramView:
        return program_view(session, self.actor, POLICY, Q3, Filters(), NOW)


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def test_months_count_the_funnel_with_changes_and_rates(session: Session, world: World) -> None:
    view = world.view(session)
    months = {m.month: m for m in view.months}
    assert list(months) == ["2025-07", "2025-08", "2025-09"]
    assert months["2025-07"].counts == {"eligible": 12, "assigned": 12, "outreached": 11,
                                        "enrolled": 0}  # fmt: skip
    assert months["2025-08"].counts == {"eligible": 15, "assigned": 12, "outreached": 11,
                                        "enrolled": 11}  # fmt: skip
    # The dropped member's episode ended in August; two of B were assigned in September.
    assert months["2025-09"].counts == {"eligible": 30, "assigned": 13, "outreached": 11,
                                        "enrolled": 11}  # fmt: skip
    assert months["2025-09"].change == {"eligible": 15, "assigned": 1, "outreached": 0,
                                        "enrolled": 0}  # fmt: skip
    assert months["2025-07"].change["eligible"] is None
    assert months["2025-09"].by_population[AVOIDABLE]["eligible"] == 1
    assert view.funnel.totals["eligible"] == 30
    assert view.plan == world.owner.plan_code


def test_cs_spend_pricing_and_caps(session: Session, world: World) -> None:
    services = {s.program: s for s in world.view(session).services}
    recup = services[RECUP]
    assert recup.activity["requested"] == 12
    assert recup.activity["approved"] == 12
    assert recup.activity["on_time"] == 12
    assert services[MEALS].activity["denied"] == 1
    assert (recup.members_paid, recup.units) == (3, Decimal("15"))
    assert recup.paid == Decimal("3000.00")
    assert isinstance(recup.paid, Decimal)
    assert recup.paid_per_unit == Decimal("200.00")
    assert recup.guidance is not None
    assert recup.guidance.confidence == "assumption"
    assert recup.guidance_position == "within"
    asthma = services[ASTHMA]
    assert asthma.cap == Decimal("7500.00")
    assert (asthma.members_at_cap, asthma.members_near_cap) == (1, 1)
    assert asthma.guidance_position == "no_guidance"


def test_ecm_capacity_counts_only_the_plans_active_members(session: Session, world: World) -> None:
    (load,) = [p for p in world.view(session).providers if p.organization_id == world.ecm.id]
    assert (load.capacity, load.active) == (50, 13)


def test_the_view_is_for_plans_and_is_audited(session: Session, world: World) -> None:
    world.view(session)
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.actor_user_id == world.actor.id,
                                 AuditEvent.action == "report.program_view")
    ).all()  # fmt: skip
    assert len(events) == 1
    assert len(events[0].details["fingerprint"]) == 32
    cs_user = user(session, world.ecm, Role.LEAD_CARE_MANAGER)
    with pytest.raises(PermissionDenied):
        program_view(session, cs_user, POLICY, Q3, Filters(), NOW)


def test_the_fingerprint_changes_when_a_counted_record_does(session: Session, world: World) -> None:
    first = world.view(session).provenance
    assert world.view(session).provenance.input_fingerprint == first.input_fingerprint
    enrollment(session, world.b[3], world.ecm, assigned=dt.date(2025, 9, 20))
    assert world.view(session).provenance.input_fingerprint != first.input_fingerprint
    assert first.as_of == Q3.end
    assert len(first.policy_hash) > 8


def _sheet(data: bytes, name: str) -> list[list[object]]:
    book = load_workbook(io.BytesIO(data))
    return [list(row) for row in book[name].iter_rows(values_only=True)]


def test_the_file_suppresses_small_cells_rates_and_money(session: Session, world: World) -> None:
    data = program_xlsx(world.view(session))
    about = {row[0]: row[1] for row in _sheet(data, "About") if row[0]}
    assert about["Period"] == "2025-07-01 to 2025-09-30"
    assert "Input fingerprint" in about
    funnel = _sheet(data, "Funnel")
    header = funnel[1]
    orange = next(r for r in funnel if r[1] == "Orange")
    assert orange[header.index("Eligible")] == "<11"
    assert orange[header.index("% enrolled")] == "<11"
    la = next(r for r in funnel if r[1] == "Los Angeles" and r[header.index("Eligible")] == 27)
    assert la[header.index("Enrolled")] == 11
    assert la[header.index("% enrolled")] == 40.7
    months = _sheet(data, "By month")
    july = next(r for r in months if r[0] == "2025-07")
    assert july[months[1].index("Enrolled")] == 0  # zero is not a small cell
    services = _sheet(data, "Community Supports")
    head = services[1]
    recup = next(r for r in services if r[0] == "Recuperative Care (Medical Respite)")
    meals = next(r for r in services if r[0] and str(r[0]).startswith("Medically Tailored"))
    # Meals' 1 request is hidden; recuperative care's 12 too, or the total would give it back.
    assert meals[head.index("Requested")] == "<11"
    assert recup[head.index("Requested")] == "<11"
    assert services[-1][head.index("Requested")] == 13
    # Three members paid for: their dollars are withheld with their count.
    assert recup[head.index("Members paid for")] == "<11"
    assert recup[head.index("Paid ($)")] == "<11"


def test_the_csv_is_long_form_with_provenance(session: Session, world: World) -> None:
    view = world.view(session)
    rows = list(csv.reader(io.StringIO(program_csv(view))))
    assert rows[0] == ["section", "group", "measure", "value"]
    about = {r[2]: r[3] for r in rows if r[0] == "about"}
    assert about["Input fingerprint"] == view.provenance.input_fingerprint
    assert ["By month", "2025-09", "Eligible", "30"] in rows
    assert ["By month", "2025-09", "Change in eligible", "15"] in rows


def _listed(session: Session, world: World, tiers: Path | None = None) -> OutreachList:
    found = read_tiers(tiers) if tiers else None
    return outreach_list(session, world.actor, POLICY, Q3, Filters(), NOW, found)


def test_not_enrolled_list_in_priority_order(session: Session, world: World) -> None:
    found = _listed(session, world)
    people = [c.person_id for c in found.candidates]
    assert len(people) == 19  # 30 eligible, 11 enrolled
    assert people[0] == world.b[5].person_id  # two Populations of Focus
    assert people[1] == world.a[11].person_id  # waiting since July 15
    assert set(people[2:5]) == {m.person_id for m in world.c}  # since August 10
    first = found.candidates[1]
    assert (first.stage, first.days_waiting, first.rank) == ("discontinued", 77, 2)
    assigned = next(c for c in found.candidates if c.person_id == world.b[0].person_id)
    assert assigned.stage == "assigned"
    assert assigned.provider == world.ecm.name
    audited = session.scalars(
        select(AuditEvent.member_person_id).where(AuditEvent.actor_user_id == world.actor.id,
                                                  AuditEvent.action == "member.report")
    ).all()  # fmt: skip
    assert set(audited) == set(people)


def test_a_tiers_file_puts_risk_first(session: Session, world: World, tmp_path: Path) -> None:
    tiers = tmp_path / "tiers.csv"
    last = world.b[14].person_id
    tiers.write_text(f"person_id,tier,score,ed_visits__value\n{last},high,9,4\n"
                     f"{world.b[13].person_id},rising,3,1\n")  # fmt: skip
    found = _listed(session, world, tiers)
    assert [c.person_id for c in found.candidates[:2]] == [last, world.b[13].person_id]
    assert found.candidates[0].tier is not None
    assert found.candidates[0].tier.utilization == 4
    text = outreach_csv(found)
    lines = list(csv.DictReader(io.StringIO(text)))
    assert lines[0]["phm_tier"] == "high"
    assert lines[0]["rank"] == "1"
    assert lines[0]["input_fingerprint"] == found.provenance.input_fingerprint
    members = _sheet(outreach_xlsx(found), "Members")
    assert members[2][1] == last


def test_a_tiers_file_without_its_columns_is_refused(session: Session, tmp_path: Path) -> None:
    bad = tmp_path / "tiers.csv"
    bad.write_text("person,level\nP1,high\n")
    with pytest.raises(Exception, match=r"tiers.csv: missing column\(s\) \['person_id'"):
        read_tiers(bad)


def test_pricing_guidance_is_checked(tmp_path: Path) -> None:
    programs = {RECUP}
    good = tmp_path / "cs_pricing.yaml"
    good.write_text(
        "services:\n  cs.recuperative_care:\n    unit: day\n    ranges:\n"
        "      - {from: 2022-01-01, low: '1.00', high: '2.00', confidence: recalled}\n"
        "      - {from: 2025-09-30, low: '3.00', high: '4.00', confidence: assumption}\n"
    )
    book = load_guidance(good, programs)
    before = book.on(RECUP, dt.date(2025, 9, 29))
    on = book.on(RECUP, dt.date(2025, 9, 30))
    assert before is not None
    assert before.low == Decimal("1.00")
    assert before.confidence == "recalled"
    assert on is not None
    assert on.high == Decimal("4.00")
    assert book.on(RECUP, dt.date(2021, 12, 31)) is None
    bad = tmp_path / "bad.yaml"
    bad.write_text("services:\n  cs.recuperative_care:\n    ranges: [{from: 2022-01-01, low: '5', "
                   "high: '2', confidence: assumption}]\n")  # fmt: skip
    with pytest.raises(PolicyError, match=r"bad.yaml: cs.recuperative_care.*low must be"):
        load_guidance(bad, programs)


def test_a_limited_list_audits_only_the_members_it_returns(session: Session, world: World) -> None:
    found = outreach_list(session, world.actor, POLICY, Q3, Filters(), NOW, limit=2)
    assert (len(found.candidates), found.total) == (2, 19)
    audited = session.scalars(
        select(AuditEvent.member_person_id).where(
            AuditEvent.actor_user_id == world.actor.id, AuditEvent.action == "member.report"
        )
    ).all()
    assert sorted(audited) == sorted(c.person_id for c in found.candidates)
