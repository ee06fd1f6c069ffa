"""The demo's fixed clock, its organizations and users, and the `DemoWorld` seed steps share."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.ops.calendar.business_days import local_zone
from calaim.ops.models import (
    Authorization,
    Enrollment,
    Member,
    MemberDetermination,
    Organization,
    OrganizationKind,
    Part2Consent,
    ProviderProfile,
    Referral,
    Role,
    ServiceEpisode,
    User,
)
from calaim.ops.models.member_account import AccountHolder

# Demo only: printed at start-up, never used outside a throwaway demo database.
DEMO_PASSWORD = "calaim-demo-only"
DEMO_AS_OF = dt.date(2025, 10, 1)
DEMO_NOW = dt.datetime(2025, 10, 1, 16, 0, tzinfo=dt.UTC)  # 09:00 in California
# Enough that the dashboards show numbers, not "<11" (about 1 minute to seed on 2 cores).
DEMO_MEMBERS = 10_000
# Months before DEMO_AS_OF whose engine runs the demo also stores (on each month's first day),
# as monthly runs of `calaim identify` would, so the program view's months show trends.
DEMO_HISTORY_MONTHS = 3

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
    ("jail", "County Jail Health Services", K.COUNTY_JAIL, None, ["Los Angeles"]),
    ("county_mhp", "County Department of Mental Health", K.COUNTY_MHP, None, ["Los Angeles"]),
    ("county_dmc", "County Substance Use Services", K.COUNTY_DMC, None, ["Los Angeles"]),
    ("state", "Department of Health Care Services", K.STATE, None, []),
    # More plans and providers, so each county has two plans and a choice of providers.
    ("anthem", "Anthem Blue Cross", K.PLAN, "ANTHEM", ["Sacramento"]),
    ("ecm_south", "Southside Health Partners", K.ECM_PROVIDER, None, ["Los Angeles"]),
    ("ecm_capitol", "Capitol Care Coordination", K.ECM_PROVIDER, None, ["Sacramento"]),
    ("cs_meals", "Good Food Kitchen", K.CS_PROVIDER, None, ["Los Angeles", "Sacramento"]),
    ("cs_housing", "Home Again Housing", K.CS_PROVIDER, None, ["Los Angeles", "Sacramento"]),
]
_EVERY_POF = [
    "ecm.homeless_adult",
    "ecm.homeless_family_youth",
    "ecm.avoidable_utilization",
    "ecm.smh_sud",
    "ecm.justice_involved",
    "ecm.ltc_risk",
    "ecm.nf_transition",
    "ecm.child_welfare",
    "ecm.birth_equity",
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
    "ecm_south": ProviderProfile(
        npi="1588667638",
        languages=["en", "es", "ko"],
        programs_served=_EVERY_POF,
        capacity=120,
        contracted_plans=["LACARE", "HEALTHNET"],
    ),
    "ecm_capitol": ProviderProfile(
        npi="1003000126",
        languages=["en", "es", "vi", "ru"],
        programs_served=_EVERY_POF,
        capacity=80,
        contracted_plans=["HEALTHNET", "ANTHEM"],
    ),
    "cs_meals": ProviderProfile(
        npi="1104000124",
        languages=["en", "es", "zh"],
        programs_served=["cs.medically_tailored_meals"],
        capacity=200,
        contracted_plans=["LACARE", "HEALTHNET", "ANTHEM"],
    ),
    "cs_housing": ProviderProfile(
        npi="1205000122",
        languages=["en", "es"],
        programs_served=[
            "cs.housing_transition_navigation",
            "cs.housing_deposits",
            "cs.housing_tenancy_sustaining",
        ],
        capacity=60,
        contracted_plans=["LACARE", "HEALTHNET", "ANTHEM"],
    ),
}
# (email, organization key, role)
USERS: list[tuple[str, str, Role]] = [
    ("um@lacare.demo", "lacare", Role.PLAN_UTILIZATION_MANAGEMENT),
    ("cc@lacare.demo", "lacare", Role.PLAN_CARE_COORDINATION),
    ("admin@lacare.demo", "lacare", Role.PLAN_ADMIN),
    ("cc@healthnet.demo", "healthnet", Role.PLAN_CARE_COORDINATION),
    ("admin@healthnet.demo", "healthnet", Role.PLAN_ADMIN),
    ("lcm@ecm.demo", "ecm", Role.LEAD_CARE_MANAGER),
    ("supervisor@ecm.demo", "ecm", Role.ECM_SUPERVISOR),
    ("staff@cs.demo", "cs", Role.CS_PROVIDER_STAFF),
    ("referrer@hospital.demo", "hospital", Role.REFERRER),
    ("referrer@clinic.demo", "clinic", Role.REFERRER),
    ("referrer@countybh.demo", "county_bh", Role.REFERRER),
    ("analyst@state.demo", "state", Role.STATE_ANALYST),
    ("reentry@jail.demo", "jail", Role.FACILITY_REENTRY_STAFF),
    ("staff@countymh.demo", "county_mhp", Role.COUNTY_BH_STAFF),
    ("staff@countysud.demo", "county_dmc", Role.COUNTY_BH_STAFF),
]
# Members' own accounts (`/app/me`, no password: a code by email, then CIN and date of birth):
# the first for a member enrolled in ECM, the second a representative of a member with a
# Community Supports stay (`member_accounts.py`).
MEMBER_ACCOUNTS: list[tuple[str, AccountHolder]] = [
    ("member@lacare.demo", AccountHolder.SELF),
    ("helper@lacare.demo", AccountHolder.REPRESENTATIVE),
]
# The users the workflow steps act as.
UM, CC, LCM, CS_STAFF = "um@lacare.demo", "cc@lacare.demo", "lcm@ecm.demo", "staff@cs.demo"
HOSPITAL, CLINIC = "referrer@hospital.demo", "referrer@clinic.demo"
COUNTY_BH = "referrer@countybh.demo"
JAIL = "reentry@jail.demo"


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment on a California day (09:00 local unless told), in UTC."""
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=local_zone())
    return local.astimezone(dt.UTC)


def days_before(days: int) -> dt.date:
    """The day `days` days before the demo's as-of date."""
    return DEMO_AS_OF - dt.timedelta(days=days)


@dataclass
class DemoWorld:
    """What the seed has made so far; later steps read and add to it."""

    folder: Path
    as_of: dt.date
    now: dt.datetime
    data: Path
    determinations: Path
    # The earlier months' determinations (oldest first), imported beside `determinations`.
    earlier_determinations: list[Path] = field(default_factory=list)
    organizations: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    members: int = 0
    determination_rows: int = 0
    referrals: list[Referral] = field(default_factory=list)
    authorizations: list[Authorization] = field(default_factory=list)
    enrollments: list[Enrollment] = field(default_factory=list)
    episodes: list[ServiceEpisode] = field(default_factory=list)
    consents: list[Part2Consent] = field(default_factory=list)
    # The ecm.smh_sud members: the first with a consent for the ECM provider, the second without.
    part2_members: list[Member] = field(default_factory=list)
    # Members a story already uses; each story takes members of its own.
    used: set[uuid.UUID] = field(default_factory=set)
    # People given records for one program's stories (program id -> person ids; candidates.py):
    # only that program's stories may pick them.
    planted: dict[str, list[str]] = field(default_factory=dict)
    # The demo password's hash (hashed once and shared by every demo user).
    password_hash: str | None = None

    def planted_elsewhere(self, program_id: str) -> list[str]:
        """The people planted for programs other than `program_id` (kept out of its stories)."""
        return sorted(
            p for key, people in self.planted.items() if key != program_id for p in people
        )

    def coordinator(self, member: Member) -> User:
        """The care coordinator of the member's plan."""
        for email, org_key, role in USERS:
            org = self.organizations[org_key]
            if role == Role.PLAN_CARE_COORDINATION and org.id == member.plan_organization_id:
                return self.users[email]
        raise LookupError(f"no demo care coordinator for member {member.id}'s plan")


def pick(
    session: Session,
    world: DemoWorld,
    program_id: str,
    *,
    plans: tuple[str, ...] = ("lacare",),
    eligible: bool | None = None,
    language: str | None = None,
) -> Member:
    """An unused member of `plans` for a scenario about `program_id`.

    `eligible=True`: only a member the engine found eligible (and, for a Community Support,
    offered by the plan), for scenarios that deliver the service; `False`: only one it did
    not; None: an eligible one if any is left. `language`: only a member who speaks it.
    Only people enrolled in one plan, so a referrer's look-up by CIN finds exactly one.
    """
    once = select(Member.person_id).group_by(Member.person_id).having(func.count() == 1)
    found_eligible = select(MemberDetermination.member_id).where(
        MemberDetermination.program_id == program_id,
        MemberDetermination.eligible.is_(True),
        MemberDetermination.status == "eligible",
    )
    if program_id.startswith("cs."):
        found_eligible = found_eligible.where(MemberDetermination.offered.is_(True))
    plan_ids = [world.organizations[key].id for key in plans]
    statement = (
        select(Member)
        .where(Member.plan_organization_id.in_(plan_ids), Member.person_id.in_(once))
        .where(Member.id.not_in(list(world.used)))
        .where(Member.person_id.not_in(world.planted_elsewhere(program_id)))
        .order_by(Member.id.not_in(found_eligible), Member.person_id)
        .limit(1)
    )
    if eligible is True:
        statement = statement.where(Member.id.in_(found_eligible))
    elif eligible is False:
        statement = statement.where(Member.id.not_in(found_eligible))
    if language is not None:
        statement = statement.where(Member.language == language)
    member = session.scalars(statement).first()
    if member is None:
        which = {True: "eligible ", False: "not eligible ", None: ""}[eligible]
        speaking = f"speaking {language} " if language else ""
        raise LookupError(
            f"the demo population has no unused member {which}{speaking}for {program_id} left; "
            "seed more members"
        )
    world.used.add(member.id)
    return member
