"""The demo database behind `calaim serve --demo`: a small synthetic county, seeded end to end.

`seed_demo` synthesizes a population, runs identification, creates the organizations (plans,
providers with profiles, referrers, the state), a user per role with one known demo password,
imports members and determinations, and opens referrals in several states. Each step is its
own function taking the `DemoWorld` so far, so later slices can add theirs (authorizations,
enrollments, care plans, CS episodes) by extending `SEED_STEPS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.ops.auth.passwords import hash_password
from calaim.ops.members.importer import Progress, import_determinations, import_members
from calaim.ops.models import (
    Member,
    MemberDetermination,
    Organization,
    OrganizationKind,
    ProviderProfile,
    Referral,
    ReferralSource,
    Role,
    User,
)
from calaim.ops.referrals.intake import MemberLookup
from calaim.ops.referrals.service import ReferralService
from calaim.ops.referrals.state import ReferralEvent

# Demo only: printed at start-up, never used outside a throwaway demo database.
DEMO_PASSWORD = "calaim-demo-only"
DEMO_AS_OF = dt.date(2025, 10, 1)
DEMO_NOW = dt.datetime(2025, 10, 1, 16, 0, tzinfo=dt.UTC)
DEMO_MEMBERS = 2_000

K = OrganizationKind
# (key, name, kind, plan code, counties)
ORGANIZATIONS: list[tuple[str, str, OrganizationKind, str | None, list[str]]] = [
    ("lacare", "L.A. Care Health Plan", K.PLAN, "LACARE", ["Los Angeles"]),
    ("healthnet", "Health Net", K.PLAN, "HEALTHNET", ["Los Angeles", "Kern", "Sacramento"]),
    ("ecm", "Eastside Care Management", K.ECM_PROVIDER, None, ["Los Angeles"]),
    ("cs", "Harbor Recuperative Care", K.CS_PROVIDER, None, ["Los Angeles"]),
    ("hospital", "County General Hospital", K.REFERRER, None, ["Los Angeles"]),
    ("clinic", "Valley Community Clinic", K.REFERRER, None, ["Los Angeles"]),
    ("county_bh", "County Behavioral Health", K.REFERRER, None, ["Los Angeles"]),
    ("jail", "County Jail Health Services", K.REFERRER, None, ["Los Angeles"]),
    ("state", "Department of Health Care Services", K.STATE, None, []),
]
PROFILES: dict[str, ProviderProfile] = {
    "ecm": ProviderProfile(
        npi="1234567893",
        languages=["en", "es", "zh"],
        programs_served=["ecm.homeless_adult", "ecm.avoidable_utilization", "ecm.smh_sud"],
        capacity=150,
        contracted_plans=["LACARE", "HEALTHNET"],
    ),
    "cs": ProviderProfile(
        npi="1245319599",
        languages=["en", "es"],
        programs_served=["cs.recuperative_care", "cs.medically_tailored_meals"],
        capacity=40,
        contracted_plans=["LACARE"],
    ),
}
# (email, organization key, role)
USERS: list[tuple[str, str, Role]] = [
    ("um@lacare.demo", "lacare", Role.PLAN_UTILIZATION_MANAGEMENT),
    ("cc@lacare.demo", "lacare", Role.PLAN_CARE_COORDINATION),
    ("admin@lacare.demo", "lacare", Role.PLAN_ADMIN),
    ("admin@healthnet.demo", "healthnet", Role.PLAN_ADMIN),
    ("lcm@ecm.demo", "ecm", Role.LEAD_CARE_MANAGER),
    ("supervisor@ecm.demo", "ecm", Role.ECM_SUPERVISOR),
    ("staff@cs.demo", "cs", Role.CS_PROVIDER_STAFF),
    ("referrer@hospital.demo", "hospital", Role.REFERRER),
    ("referrer@clinic.demo", "clinic", Role.REFERRER),
    ("analyst@state.demo", "state", Role.STATE_ANALYST),
]


@dataclass
class DemoWorld:
    """What the seed has made so far; later steps read and add to it."""

    folder: Path
    as_of: dt.date
    now: dt.datetime
    data: Path
    determinations: Path
    organizations: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    members: int = 0
    determination_rows: int = 0
    referrals: list[Referral] = field(default_factory=list)


def synthesize(folder: Path, members: int, seed: int, as_of: dt.date) -> tuple[Path, Path]:
    """Write a synthetic population and its determinations under `folder`."""
    from calaim.data.synth import generate
    from calaim.engine.identify import identify

    data = folder / "data"
    generate(data, members=members, seed=seed)
    determinations = folder / "determinations.csv"
    identify(data, as_of, determinations)
    return data, determinations


def create_organizations(session: Session, world: DemoWorld) -> None:
    """Plans, providers (with profiles), referrers and the state."""
    for key, name, kind, plan_code, counties in ORGANIZATIONS:
        org = Organization(
            name=name, kind=kind.value, plan_code=plan_code, counties_served=counties
        )
        session.add(org)
        world.organizations[key] = org
    session.flush()
    for key, template in PROFILES.items():
        session.add(
            ProviderProfile(
                organization_id=world.organizations[key].id,
                npi=template.npi,
                languages=list(template.languages),
                programs_served=list(template.programs_served),
                capacity=template.capacity,
                contracted_plans=list(template.contracted_plans),
            )
        )
    session.flush()


def create_users(session: Session, world: DemoWorld) -> None:
    """One user per role, all with the demo password (hashed once, shared)."""
    password_hash = hash_password(DEMO_PASSWORD)
    for email, org_key, role in USERS:
        org = world.organizations[org_key]
        user = User(
            organization=org,
            organization_id=org.id,
            email=email,
            name=email.split("@")[0].upper() + " (demo)",
            role=role.value,
            password_hash=password_hash,
        )
        session.add(user)
        world.users[email] = user
    session.flush()


def import_population(session: Session, world: DemoWorld) -> None:
    """Import the plans' members and their determinations."""
    result = import_members(session, world.data, world.as_of)
    world.members = result.members_created
    world.determination_rows = import_determinations(session, world.determinations).determinations


def _members_to_refer(session: Session, plan: Organization, program_id: str) -> list[Member]:
    """The plan's members, those the engine found eligible for `program_id` first.

    Only people enrolled in one plan, so a referrer's look-up by CIN finds exactly one.
    """
    once = select(Member.person_id).group_by(Member.person_id).having(func.count() == 1)
    eligible = (
        select(MemberDetermination.member_id)
        .where(MemberDetermination.program_id == program_id)
        .where(MemberDetermination.eligible.is_(True))
    )
    statement = (
        select(Member)
        .where(Member.plan_organization_id == plan.id, Member.person_id.in_(once))
        .order_by(Member.id.not_in(eligible), Member.person_id)
        .limit(10)
    )
    return list(session.scalars(statement))


def open_referrals(session: Session, world: DemoWorld) -> None:
    """Referrals in several states: received, accepted, in progress, declined."""
    plan, users = world.organizations["lacare"], world.users
    coordinator, now = users["cc@lacare.demo"], world.now
    ecm_members = _members_to_refer(session, plan, "ecm")
    cs = ReferralService(session, users["staff@cs.demo"])
    ecm = ReferralService(session, users["lcm@ecm.demo"])
    plans_view = ReferralService(session, coordinator)
    steps: list[tuple[str, str, list[ReferralEvent]]] = [
        ("cs.recuperative_care", "", []),
        ("ecm", "ecm", [ReferralEvent.ACCEPT]),
        ("ecm", "ecm", [ReferralEvent.ACCEPT, ReferralEvent.START]),
        ("ecm", "ecm", [ReferralEvent.DECLINE]),
    ]
    hospital = ReferralService(session, users["referrer@hospital.demo"])
    for member, (program, receiver, events) in zip(ecm_members, steps, strict=False):
        if receiver:
            referral = plans_view.create(
                member_id=member.id, program_id=program, source_kind=ReferralSource.PLAN, now=now
            ).referral
        else:
            # A hospital names the member as the Medi-Cal card does: CIN and birth date.
            lookup = MemberLookup(birth_date=member.birth_date, cin=member.cin)
            referral = hospital.create(
                member=lookup, program_id=program, source_kind=ReferralSource.HOSPITAL, now=now
            ).referral
        if receiver:
            provider = world.organizations[receiver]
            plans_view.route(referral.id, provider.id, expected_version=referral.version, now=now)
        for event in events:
            reason = "no capacity this month" if event == ReferralEvent.DECLINE else None
            actor = ecm if receiver == "ecm" else cs
            actor.transition(
                referral.id, event, expected_version=referral.version, reason=reason, now=now
            )
        world.referrals.append(referral)


SeedStep = Callable[[Session, DemoWorld], None]
# The seed, in order; later slices append their steps (each reads what earlier ones made).
SEED_STEPS: list[SeedStep] = [create_organizations, create_users, import_population, open_referrals]


def seed_demo(
    session: Session,
    folder: Path,
    *,
    members: int = DEMO_MEMBERS,
    seed: int = 1,
    progress: Progress | None = None,
) -> DemoWorld:
    """Synthesize, identify and seed a demo into `session` (the caller commits)."""
    report = progress or (lambda _step, _done, _total: None)
    report("synthesizing and identifying", 0, len(SEED_STEPS) + 1)
    data, determinations = synthesize(folder, members, seed, DEMO_AS_OF)
    world = DemoWorld(folder, DEMO_AS_OF, DEMO_NOW, data, determinations)
    for done, step in enumerate(SEED_STEPS, start=1):
        report(step.__name__.replace("_", " "), done, len(SEED_STEPS) + 1)
        step(session, world)
    session.flush()
    report("done", len(SEED_STEPS) + 1, len(SEED_STEPS) + 1)
    return world
