"""A year of history, so worklists, the caseload and the dashboards show real numbers.

The stories in `ecm.py` and `supports.py` put one member in each state; this step walks
hundreds of the ECM-eligible members through the year before the demo's clock: requested and
decided (mostly approved, some denied), assigned by the ranking among several ECM providers,
reached out to, enrolled or not, with care plans, some discontinued. Dates are spread over the
year with a fixed seed, so every run makes the same demo. Each step goes through the ops
services with the staff of the right organization, exactly as people would.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.assignments.service import AssignmentService, NoProviderAvailable
from calaim.ops.auth.passwords import hash_password
from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.care_plans.content import CarePlanContent
from calaim.ops.care_plans.service import CarePlanService
from calaim.ops.demo.world import DEMO_PASSWORD, DemoWorld, at, days_before
from calaim.ops.enrollments.outreach import Attempt, OutreachService
from calaim.ops.enrollments.service import EnrollmentService
from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.models import (
    Acuity,
    AuthorizationStatus,
    Enrollment,
    Member,
    MemberDetermination,
    Organization,
    OrganizationKind,
    OutreachMethod,
    OutreachOutcome,
    Role,
    User,
)

SEED = 20251001
# Half of L.A. Care's ECM-eligible members stay untouched, for the stories and for tests that
# walk a fresh member through every step; every other plan's get a year of history.
UNTOUCHED_PLAN, UNTOUCHED_SHARE = "LACARE", 0.5
ROLE_NAMES = {
    Role.PLAN_CARE_COORDINATION: "Care coordinator",
    Role.PLAN_UTILIZATION_MANAGEMENT: "Utilization review nurse",
    Role.LEAD_CARE_MANAGER: "Lead care manager",
}
M, OUT = OutreachMethod, OutreachOutcome


def ecm_history(session: Session, world: DemoWorld) -> None:
    """Walk a share of the ECM-eligible members through the year before the demo's clock."""
    rng = random.Random(SEED)
    for member in _with_history(session, world):
        world.used.add(member.id)
        try:
            _one_member(session, world, member, rng)
        except (InvalidRequest, Conflict, NoProviderAvailable):
            # A member the rules refuse (a plan not in the county, a full provider) keeps the
            # history it got so far, as it would in real life.
            continue


def _with_history(session: Session, world: DemoWorld) -> list[Member]:
    """The ECM-eligible members who get a history (see UNTOUCHED_PLAN)."""
    plans = [o for o in world.organizations.values() if o.kind == OrganizationKind.PLAN]
    kept = next(o.id for o in plans if o.plan_code == UNTOUCHED_PLAN)
    members = _eligible_for_ecm(session, world, [o.id for o in plans])
    of_kept = [m for m in members if m.plan_organization_id == kept]
    skipped = {m.id for m in of_kept[: int(len(of_kept) * UNTOUCHED_SHARE) + 1]}
    return [m for m in members if m.id not in skipped]


def _eligible_for_ecm(session: Session, world: DemoWorld, plans: list[uuid.UUID]) -> list[Member]:
    eligible = select(MemberDetermination.member_id).where(
        MemberDetermination.program_id == "ecm", MemberDetermination.eligible.is_(True)
    )
    statement = (
        select(Member)
        .where(Member.plan_organization_id.in_(plans), Member.id.in_(eligible))
        .where(Member.id.not_in(list(world.used)))
        .where(Member.person_id.not_in(world.planted_elsewhere("ecm")))
        .order_by(Member.person_id)
    )
    return list(session.scalars(statement))


def _one_member(session: Session, world: DemoWorld, member: Member, rng: random.Random) -> None:
    requested = days_before(rng.randint(25, 360))
    plan = session.get(Organization, member.plan_organization_id)
    assert plan is not None
    coordinator = staff(session, world, plan, Role.PLAN_CARE_COORDINATION)
    reviewer = staff(session, world, plan, Role.PLAN_UTILIZATION_MANAGEMENT)
    authorizations = AuthorizationService(session, coordinator)
    authorization = authorizations.request(
        member_id=member.id, program_id="ecm", now=at(requested, 10)
    )
    decided = at(requested + dt.timedelta(days=rng.randint(1, 6)), 15)
    decisions = AuthorizationService(session, reviewer)
    if authorization.status == AuthorizationStatus.PENDING:
        if rng.random() < 0.1:
            decisions.deny(
                authorization.id,
                expected_version=authorization.version,
                now=decided,
                reason_code="incomplete_info",
                reason="The records sent do not show the needs ECM serves; send more to reapply.",
            )
            return
        decisions.approve(authorization.id, expected_version=authorization.version, now=decided)
    assigned_on = decided.astimezone(at(requested).tzinfo).date() + dt.timedelta(days=1)
    enrollment = _assign(session, world, coordinator, member, assigned_on, authorization.id)
    _outreach_and_care(session, world, enrollment, assigned_on, rng)


def _assign(
    session: Session,
    world: DemoWorld,
    coordinator: User,
    member: Member,
    on: dt.date,
    authorization_id: uuid.UUID,
) -> Enrollment:
    service = AssignmentService(session, coordinator)
    try:
        enrollment = service.assign(
            member.id,
            today=on,
            now=at(on, 10),
            authorization_id=authorization_id,
        ).enrollment
    except NoProviderAvailable:
        enrollment = service.override(
            member.id,
            world.organizations["ecm"].id,
            why="closest ECM provider to the member's home",
            today=on,
            now=at(on, 10),
            authorization_id=authorization_id,
        )
    world.enrollments.append(enrollment)
    return enrollment


def _outreach_and_care(
    session: Session,
    world: DemoWorld,
    enrollment: Enrollment,
    assigned: dt.date,
    rng: random.Random,
) -> None:
    provider = session.get(Organization, enrollment.provider_organization_id)
    assert provider is not None
    lead = staff(session, world, provider, Role.LEAD_CARE_MANAGER)
    outreach = OutreachService(session, lead)
    day = assigned
    agreed = rng.random() < 0.65
    tries = rng.randint(1, 3)
    for n in range(tries):
        day = min(day + dt.timedelta(days=rng.randint(2, 9)), world.as_of)
        last = n == tries - 1
        outcome = (
            (OUT.REACHED_AGREED if agreed else OUT.REACHED_THINKING) if last else OUT.NO_ANSWER
        )
        method = rng.choice([M.PHONE, M.PHONE, M.IN_PERSON, M.TEXT])
        attempt = Attempt(day, method, outcome.reached, rng.randint(5, 50), None, outcome)
        outreach.record(enrollment.id, attempt, today=world.as_of, now=at(day, 11))
    if not agreed:
        return
    enrollments = EnrollmentService(session, lead)
    enrollments.enroll(
        enrollment.id,
        expected_version=enrollment.version,
        lead_care_manager_user_id=lead.id,
        acuity=rng.choice([Acuity.LOW, Acuity.MEDIUM, Acuity.MEDIUM, Acuity.HIGH]),
        enrolled_on=day,
        today=world.as_of,
        now=at(day, 14),
    )
    assessed = day + dt.timedelta(days=rng.randint(5, 25))
    if assessed < world.as_of and rng.random() < 0.75:
        _care_plan(session, lead, enrollment, assessed)


def _care_plan(session: Session, lead: User, enrollment: Enrollment, assessed: dt.date) -> None:
    content = CarePlanContent(
        assessment_started_on=assessed - dt.timedelta(days=3),
        assessment_completed_on=assessed,
        assessment=[
            {"domain": "physical_health", "need": "need", "note": ""},
            {"domain": "housing", "need": "urgent", "note": ""},
        ],
        goals=[
            {
                "description": "Keep primary care appointments",
                "domain": "physical_health",
                "target_date": (assessed + dt.timedelta(days=90)).isoformat(),
                "status": "in_progress",
            },
            {
                "description": "Apply for stable housing",
                "domain": "housing",
                "target_date": (assessed + dt.timedelta(days=120)).isoformat(),
                "status": "in_progress",
            },
        ],
        interventions=[{"description": "Weekly check-in", "responsible": lead.name}],
        care_team=[{"name": lead.name, "role": "lead care manager"}],
    )
    CarePlanService(session, lead).save(
        enrollment.id, content, expected_version=None, today=assessed, now=at(assessed, 15)
    )


def staff(session: Session, world: DemoWorld, organization: Organization, role: Role) -> User:
    """The history's own user of `role` at `organization` (made once, with the demo password).

    The stories' users (lcm@ecm.demo, ...) keep only their stories' members, so what the
    walkthroughs in the docs show stays the same; the history's staff carry the rest.
    """
    key = next(k for k, o in world.organizations.items() if o.id == organization.id)
    email = f"{role.value.replace('_', '-')}@{key}.demo"
    if email in world.users:
        return world.users[email]
    user = User(
        organization=organization,
        organization_id=organization.id,
        email=email,
        name=f"{ROLE_NAMES[role]}, {organization.name}",
        role=role.value,
        password_hash=world.password_hash or hash_password(DEMO_PASSWORD),
    )
    session.add(user)
    session.flush()
    world.users[email] = user
    return user
