"""The demo database holds a record in every state of every workflow, seeded once per folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.db import make_engine, session_factory
from calaim.ops.demo import DEMO_AS_OF, DEMO_NOW, DEMO_PASSWORD, DemoWorld
from calaim.ops.enrollments.closure import UnreachableClosure
from calaim.ops.models import (
    Authorization,
    CarePlan,
    Enrollment,
    MemberDetermination,
    Notice,
    Organization,
    OutreachAttempt,
    Part2Consent,
    ReentryCase,
    Referral,
    ReferralParty,
    ServiceDelivery,
    ServiceEpisode,
    StatusChange,
    User,
)
from calaim.ops.models.billing import Claim
from calaim.ops.models.network import NetworkRoute
from calaim.ops.models.task import Task
from calaim.ops.network.service import NetworkService
from calaim.ops.providers.applications import ApplicationService
from calaim.ops.referrals.overdue import overdue_loops
from calaim.ops.referrals.repository import ReferralRepository
from calaim.ops.referrals.service import ReferralService
from calaim.ops.server.serve import demo_banner, demo_database
from calaim.ops.services.caps import CapExceeded
from calaim.ops.services.service import EpisodeService
from calaim.ops.tasks.sweep import sweep

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, DemoWorld, Engine]]:
    """A small demo database, seeded once for this module (one earlier month's engine run)."""
    folder = tmp_path_factory.mktemp("demo")
    url, world = demo_database(folder, members=300, history_months=1)
    assert world is not None
    engine = make_engine(url)
    yield folder, world, engine
    engine.dispose()


@pytest.fixture
def session(seeded: tuple[Path, DemoWorld, Engine]) -> Iterator[Session]:
    """A session on the demo database; whatever a test does is rolled back."""
    with session_factory(seeded[2])() as session:
        yield session
        session.rollback()


def _user(session: Session, email: str) -> User:
    return session.scalars(select(User).where(User.email == email)).one()


def _org(session: Session, org_id: object) -> str:
    org = session.get(Organization, org_id)
    assert org is not None
    return org.name


def _statuses(session: Session, column: object) -> set[str]:
    return set(session.scalars(select(column).distinct()))  # type: ignore[call-overload]


def test_every_referral_state(session: Session) -> None:
    expected = {"received", "accepted", "declined", "in_progress", "services_received", "closed"}
    assert _statuses(session, Referral.status) == expected
    declined = session.scalars(select(Referral).where(Referral.status == "declined")).all()
    assert all(referral.decline_reason for referral in declined)
    programs = _statuses(session, Referral.program_id)
    assert "ecm" in programs
    assert len({p for p in programs if p.startswith("cs.")}) >= 2
    sources = _statuses(session, Referral.source_kind)
    assert {"member_or_family", "hospital", "clinic", "county_behavioral_health"} <= sources
    referrers = _statuses(session, Referral.referring_organization_id)
    assert len(referrers) >= 4
    # The clinic joined the hospital's open loop: a second referrer on one referral.
    joined = session.scalars(select(ReferralParty)).all()
    assert len(joined) == 1
    loop = session.get(Referral, joined[0].referral_id)
    assert loop is not None
    assert loop.status == "received"
    assert loop.referring_organization_id != joined[0].organization_id


def test_every_authorization_state(session: Session) -> None:
    statuses = _statuses(session, Authorization.status)
    assert statuses == {"pending", "presumptive", "approved", "denied", "withdrawn"}
    approved = select(Authorization.decision_basis).where(Authorization.status == "approved")
    assert set(session.scalars(approved)) == {"engine_eligible", "reviewer"}
    # The story's denial (a year of history adds others, for missing information).
    story = (Authorization.status == "denied", Authorization.denial_reason_code == "not_eligible")
    denied = session.scalars(select(Authorization).where(*story)).one()
    assert denied.denial_reason
    notice = select(Notice).where(
        Notice.subject_id == denied.id, Notice.kind == "authorization_denied"
    )
    assert session.scalars(notice).first() is not None
    renewal = select(Authorization).where(Authorization.previous_authorization_id.is_not(None))
    renewed = session.scalars(renewal).one()
    previous = session.get(Authorization, renewed.previous_authorization_id)
    assert previous is not None
    assert previous.end_date is not None
    assert renewed.status == "approved"
    assert renewed.start_date is not None
    assert (renewed.start_date - previous.end_date).days == 1


def test_the_overdue_queue_at_demo_now(session: Session) -> None:
    queue = AuthorizationService(session, _user(session, "um@lacare.demo")).overdue(DEMO_NOW)
    assert queue
    naive_now = DEMO_NOW.replace(tzinfo=None)  # SQLite hands back naive UTC times
    assert all(item.decision_due_at.replace(tzinfo=None) < naive_now for item in queue)
    assert {item.status for item in queue} <= {"pending", "presumptive"}
    # Not everything undecided is overdue: a request from yesterday still has time.
    undecided = select(func.count()).where(Authorization.status.in_(["pending", "presumptive"]))
    assert session.scalar(undecided) > len(queue)


def test_one_closed_loop_is_a_few_days_late_at_demo_now(session: Session) -> None:
    """Meals confirmed 34 days ago and never closed: 3 to 4 days past the 30-day close window."""
    repository = ReferralRepository(session, _user(session, "um@lacare.demo"))
    late = overdue_loops(repository, DEMO_NOW)
    assert [(loop.referral.program_id, loop.step.value) for loop in late] == [
        ("cs.medically_tailored_meals", "close")
    ]
    assert dt.timedelta(days=3) < late[0].late_by < dt.timedelta(days=4)


def test_every_enrollment_state(session: Session) -> None:
    statuses = _statuses(session, Enrollment.status)
    assert statuses == {"assigned", "outreach", "enrolled", "discontinued"}
    # The story's enrollment is the one with the demo's lead care manager (a year of history
    # gives other members enrollments with the history's own staff).
    lcm = _user(session, "lcm@ecm.demo")
    enrolled = session.scalars(
        select(Enrollment).where(
            Enrollment.status == "enrolled", Enrollment.lead_care_manager_user_id == lcm.id
        )
    ).one()
    assert enrolled.acuity == "high"
    care_plan = session.scalars(select(CarePlan).where(CarePlan.enrollment_id == enrolled.id)).one()
    assert care_plan.enrollment_id == enrolled.id
    assert care_plan.goals
    assert care_plan.interventions
    assert care_plan.care_team
    assert care_plan.assessment_started_on
    assert care_plan.assessment_completed_on
    assert care_plan.version > 1  # created, then revised
    ended = session.scalars(select(Enrollment).where(Enrollment.status == "discontinued")).one()
    assert ended.discontinuation_reason_code == "moved_out_of_area"
    outreach = session.scalars(select(Enrollment).where(Enrollment.status == "outreach")).all()
    attempts = session.scalars(
        select(OutreachAttempt).where(OutreachAttempt.enrollment_id.in_([e.id for e in outreach]))
    ).all()
    assert len({a.method for a in attempts}) >= 2
    assert not all(a.successful for a in attempts)
    due = UnreachableClosure(session, _user(session, "cc@lacare.demo")).due(DEMO_AS_OF)
    assert len(due) == 1
    assert due[0].enrollment.status == "outreach"


def test_enrollment_records_are_timed_by_the_demo_clock(session: Session) -> None:
    # The demo's clock stands at DEMO_NOW: no record may be dated after it, whatever day the
    # seed runs, and an enrollment's status changes follow one another in time.
    naive_now = DEMO_NOW.replace(tzinfo=None)  # SQLite hands back naive UTC times
    times = [
        *session.scalars(select(Notice.created_at)),
        *session.scalars(select(StatusChange.at)),
        *session.scalars(select(OutreachAttempt.recorded_at)),
        *session.scalars(select(Enrollment.updated_at)),
        *session.scalars(select(CarePlan.updated_at)),
    ]
    assert times
    assert all(moment.replace(tzinfo=None) <= naive_now for moment in times)
    for enrollment in session.scalars(select(Enrollment)):
        changes = session.scalars(
            select(StatusChange.at).where(StatusChange.entity_id == enrollment.id)
        ).all()
        assert changes == sorted(changes)
        assert enrollment.updated_at.replace(tzinfo=None) >= max(
            c.replace(tzinfo=None) for c in changes
        )


def test_community_supports_episodes(session: Session) -> None:
    assert _statuses(session, ServiceEpisode.status) == {"open", "closed"}
    open_ids = select(ServiceEpisode.id).where(ServiceEpisode.status == "open")
    delivered = select(func.count()).where(ServiceDelivery.episode_id.in_(open_ids))
    assert session.scalar(delivered) > 0
    meals = session.scalars(
        select(ServiceEpisode).where(ServiceEpisode.program_id == "cs.medically_tailored_meals")
    ).one()
    service = EpisodeService(session, _user(session, "staff@cs.demo"))
    with pytest.raises(CapExceeded, match="154 used, 14 remain") as raised:
        service.record(meals.id, service_date=DEMO_AS_OF, units=Decimal(28), now=DEMO_NOW)
    assert raised.value.remaining == Decimal(14)


def test_part2_consent_for_one_smh_sud_member(
    session: Session, seeded: tuple[Path, DemoWorld, Engine]
) -> None:
    world = seeded[1]
    consent = session.scalars(select(Part2Consent)).one()
    with_consent, without = (member.id for member in world.part2_members)
    assert consent.member_id == with_consent
    provider = ReferralService(session, _user(session, "lcm@ecm.demo"))
    seen = {}
    for member_id in (with_consent, without):
        referral = session.scalars(select(Referral).where(Referral.member_id == member_id)).one()
        rows = provider.determinations_for(referral, today=DEMO_AS_OF)
        seen[member_id] = {row.program_id for row in rows}
    assert "ecm.smh_sud" in seen[with_consent]
    assert "ecm.smh_sud" not in seen[without]
    assert "ecm" in seen[without]


def test_the_program_view_has_eligible_members_in_each_month_with_a_run(session: Session) -> None:
    from calaim.ops.policy import shipped_policy
    from calaim.reports.filters import Filters, Period
    from calaim.reports.program import program_view

    stored = session.scalars(select(MemberDetermination.as_of).distinct()).all()
    assert sorted(stored) == [dt.date(2025, 9, 1), DEMO_AS_OF]
    actor = _user(session, "cc@lacare.demo")
    period = Period(dt.date(2025, 8, 1), DEMO_AS_OF)
    view = program_view(session, actor, shipped_policy(), period, Filters(), DEMO_NOW)
    eligible = {row.month: row.counts["eligible"] for row in view.months}
    assert eligible["2025-08"] == 0  # before the first stored run
    assert eligible["2025-09"] > 0
    assert eligible["2025-10"] > 0
    assert view.determinations_from == dt.date(2025, 9, 1)


def test_seeding_twice_reuses_the_database(seeded: tuple[Path, DemoWorld, Engine]) -> None:
    folder, _world, engine = seeded
    with session_factory(engine)() as session:
        before = session.scalar(select(func.count()).select_from(Referral))
    url, world = demo_database(folder, members=300)
    assert world is None
    assert url == str(engine.url)
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Referral)) == before


def test_the_banner_shows_requests_to_try() -> None:
    banner = demo_banner("http://127.0.0.1:8765").splitlines()
    examples = banner[banner.index("Try this (the demo's data is dated around 2025-10-01):") :]
    text = "\n".join(examples)
    assert "/auth/token" in text
    assert "/referrals?status=received" in text
    assert "/authorizations?overdue=true" in text
    assert DEMO_PASSWORD in text
    # The CLI prints through a console 80 columns wide: longer lines would break mid-command.
    assert max(len(line) for line in examples) <= 80


def test_every_service_goes_to_a_member_eligible_for_it(session: Session) -> None:
    # Once a 3-year-old got medically tailored meals, and recuperative care stays went to
    # members the engine found not eligible (the synthetic population had nobody L.A. Care's
    # rule accepts): every demo service now goes to a member eligible for it and offered it.

    episodes = session.scalars(select(ServiceEpisode)).all()
    served = {episode.program_id for episode in episodes}
    assert {"cs.medically_tailored_meals", "cs.recuperative_care"} <= served
    for episode in episodes:
        found = session.scalars(
            select(MemberDetermination).where(
                MemberDetermination.member_id == episode.member_id,
                MemberDetermination.program_id == episode.program_id,
                MemberDetermination.as_of == DEMO_AS_OF,  # not the earlier months' runs
            )
        ).all()
        assert [(d.status, d.eligible, d.offered) for d in found] == [("eligible", True, True)], (
            episode.program_id
        )


def test_recuperative_care_candidates_are_found_eligible_by_the_engine(
    seeded: tuple[Path, DemoWorld, Engine],
) -> None:
    # The demo adds records (sleeping outside, a hospital stay ended a week ago), never
    # determinations: the engine finds L.A. Care's planted members eligible from them.
    import csv

    import duckdb

    from calaim.ops.demo.candidates import CANDIDATES, DISCHARGED_DAYS

    _, world, _ = seeded
    with world.determinations.open(newline="", encoding="utf-8") as stream:
        eligible = {
            row["person_id"]
            for row in csv.DictReader(stream)
            if row["program_id"] == "cs.recuperative_care"
            and row["payer"] == "LACARE"
            and row["status"] == "eligible"
        }
    stays = world.data / "facility_stay.parquet"
    discharged = DEMO_AS_OF - dt.timedelta(days=DISCHARGED_DAYS)
    planted = {
        person
        for (person,) in duckdb.sql(
            f"SELECT person_id FROM read_parquet('{stays}') WHERE discharge_date = '{discharged}'"
        ).fetchall()
    }
    assert len(planted) == sum(CANDIDATES.values())
    assert planted <= eligible


def test_the_readmes_mif_example_shows_populations_and_homelessness(
    seeded: tuple[Path, DemoWorld, Engine], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # README: `calaim exchange export mif --org LACARE --period 2025-10 --variant lacare`
    # on the demo shows real values (once it left every PoF blank and every member "N").
    import csv

    from typer.testing import CliRunner

    from calaim.cli import app

    monkeypatch.setenv("DATABASE_URL", str(seeded[2].url))
    out = tmp_path / "mif.csv"
    command = ["exchange", "export", "mif", "--org", "LACARE", "--period", "2025-10"]
    result = CliRunner().invoke(app, [*command, "--variant", "lacare", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    pof = next(name for name in rows[0] if "POF" in name.upper())
    homeless = next(name for name in rows[0] if "HOMELESS" in name.upper())
    assert any(row[pof] == "1a" and row[homeless] == "Y" for row in rows)
    assert sum(1 for row in rows if row[pof]) > len(rows) // 2


def test_the_commands_seed_the_demo_size_by_default() -> None:
    import inspect

    from calaim.cli import db_demo, serve
    from calaim.ops.demo import DEMO_MEMBERS

    assert inspect.signature(db_demo).parameters["members"].default == DEMO_MEMBERS
    assert inspect.signature(serve).parameters["demo_members"].default == DEMO_MEMBERS


def test_the_community_network(session: Session) -> None:
    # The lead and its two members, three referrals routed (to the Spanish-speaking member when
    # the member speaks Spanish), the application pending at two plans, a renewal task due.
    lead = _user(session, "lead@network.demo")
    routes = session.scalars(select(NetworkRoute)).all()
    assert len(routes) == 3
    assert {r.lead_organization_id for r in routes} == {lead.organization_id}
    members = NetworkService(session, lead).memberships(DEMO_AS_OF)
    assert len(members) == 2
    (application,) = ApplicationService(session, lead).page(10, 0)[0]
    assert {line.decision for line in application.lines} == {"pending"}
    assert len(application.lines) == 2
    sweep(session, DEMO_NOW, lead.organization_id)
    kinds = session.scalars(select(Task.kind).where(Task.organization_id == lead.organization_id))
    assert "credential_expiry" in set(kinds)


def test_the_network_lead_billed_august_for_its_members_and_was_paid(session: Session) -> None:
    # Two stays in August, billed by the lead with each member as rendering provider and paid
    # in full: 7 days at 200.00 (Casa Esperanza) and 5 days (Harbor Light).
    lead = _user(session, "lead@network.demo")
    claims = session.scalars(
        select(Claim).where(Claim.provider_organization_id == lead.organization_id)
    ).unique()
    by_member = {c.rendering_organization_id: c for c in claims}
    names = {_org(session, org_id): c.paid_amount for org_id, c in by_member.items()}
    assert names == {
        "Casa Esperanza Respite": Decimal("1400.00"),
        "Harbor Light Housing": Decimal("1000.00"),
    }
    assert {c.status for c in by_member.values()} == {"paid"}
    shares = NetworkService(session, lead).distribute("2025-08", dt.date(2025, 8, 1), now=DEMO_NOW)
    # Casa keeps 0.85 less 2.50 a line: 1,190.00 - 17.50; Harbor Light keeps 0.80.
    got = {
        _org(session, s.member_organization_id): (s.member_receives, s.lead_keeps) for s in shares
    }
    assert got == {
        "Casa Esperanza Respite": (Decimal("1172.50"), Decimal("227.50")),
        "Harbor Light Housing": (Decimal("800.00"), Decimal("200.00")),
    }
    session.rollback()


def test_the_jail_has_residents_in_and_near_the_pre_release_window(session: Session) -> None:
    jail = _user(session, "reentry@jail.demo")
    cases = session.scalars(
        select(ReentryCase).where(ReentryCase.facility_organization_id == jail.organization_id)
    ).all()
    days = sorted((c.expected_release_on - DEMO_AS_OF).days for c in cases if c.expected_release_on)
    assert days == [45, 80, 120]  # two inside the 90-day window, one opening next month
    assert [c.assessed_on is not None for c in cases].count(True) == 1
    county = _user(session, "staff@countymh.demo")
    assert (county.organization.kind, county.role) == ("county_mhp", "county_bh_staff")


# The CLI walkthroughs run last: they write to the module's demo database.
def _cli(
    seeded: tuple[Path, DemoWorld, Engine], monkeypatch: pytest.MonkeyPatch, *args: str
) -> str:
    from typer.testing import CliRunner

    from calaim.cli import app

    monkeypatch.setenv("DATABASE_URL", str(seeded[2].url))
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_the_fhir_walkthrough_exports_a_closed_loop_and_imports_it_at_the_provider(
    seeded: tuple[Path, DemoWorld, Engine], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # docs/exchange/fhir.md, CLI walkthrough steps 1 and 2.
    import json

    with session_factory(seeded[2])() as session:
        closed = session.scalars(select(Referral.id).where(Referral.status == "closed")).first()
    assert closed is not None
    loop = tmp_path / "loop.json"
    export = ["exchange", "fhir-export", "--referral", str(closed), "--out", str(loop)]
    _cli(
        seeded,
        monkeypatch,
        *export,
        "--org",
        "L.A. Care Health Plan",
        "--at",
        "2025-10-01T12:00:00Z",
    )
    kinds = sorted(e["resource"]["resourceType"] for e in json.loads(loop.read_text())["entry"])
    assert kinds.count("Organization") == 3
    assert {"ServiceRequest", "Task", "Patient", "Coverage"} <= set(kinds)
    harbor = ["--org", "Harbor Recuperative Care", "--at", "2025-10-02T09:00:00Z"]
    dry = _cli(seeded, monkeypatch, "exchange", "fhir-import", str(loop), *harbor, "--dry-run")
    assert "closed" in dry
    _cli(seeded, monkeypatch, "exchange", "fhir-import", str(loop), *harbor)
    again = _cli(seeded, monkeypatch, "exchange", "fhir-import", str(loop), *harbor)
    assert "unchanged" in again


def test_the_readmes_roster_commands_reconcile_a_messy_roster(
    seeded: tuple[Path, DemoWorld, Engine], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    messy, report = tmp_path / "messy.csv", tmp_path / "report.csv"
    _cli(seeded, monkeypatch, "exchange", "roster-sample", "--org", "LACARE", "--out", str(messy))
    assert messy.stat().st_size > 0
    reconcile = ["exchange", "reconcile", str(messy), "--org", "LACARE", "--as-of", "2025-11-01"]
    _cli(seeded, monkeypatch, *reconcile, "--full-roster", "--report", str(report))
    assert report.read_text(encoding="utf-8").count("\n") > 1
