"""The demo database behind `calaim serve --demo`: a small synthetic county, seeded end to end.

`seed_demo` synthesizes a population, runs identification, creates the organizations (plans,
providers with profiles, referrers, the state), a user per role with one known demo password,
imports members and determinations (with the earlier months' engine runs, so the program view
shows trends), then walks members through every workflow with the real
services, so each state of each workflow has a record: referrals, authorizations (one overdue
at `DEMO_NOW`), ECM enrollments with outreach and a care plan, Community Supports episodes (one
close to its cap) and a Part 2 consent. Each step is a function taking the `DemoWorld` so far;
`SEED_STEPS` lists them in order.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from calaim.ops.demo.authorizations import authorization_queue
from calaim.ops.demo.ecm import ecm_enrollments
from calaim.ops.demo.history import ecm_history
from calaim.ops.demo.member_accounts import member_accounts
from calaim.ops.demo.network import community_network
from calaim.ops.demo.part2 import part2_consents
from calaim.ops.demo.reentry import reentry_cases
from calaim.ops.demo.referrals import open_referrals
from calaim.ops.demo.setup import (
    create_organizations,
    create_users,
    earlier_engine_runs,
    import_population,
    monthly_runs,
    synthesize,
)
from calaim.ops.demo.supports import community_supports
from calaim.ops.demo.world import (
    DEMO_AS_OF,
    DEMO_HISTORY_MONTHS,
    DEMO_MEMBERS,
    DEMO_NOW,
    DEMO_PASSWORD,
    MEMBER_ACCOUNTS,
    ORGANIZATIONS,
    PROFILES,
    USERS,
    DemoWorld,
)
from calaim.ops.members.importer import Progress

__all__ = [
    "DEMO_AS_OF",
    "DEMO_HISTORY_MONTHS",
    "DEMO_MEMBERS",
    "DEMO_NOW",
    "DEMO_PASSWORD",
    "MEMBER_ACCOUNTS",
    "ORGANIZATIONS",
    "PROFILES",
    "SEED_STEPS",
    "USERS",
    "DemoWorld",
    "SeedStep",
    "seed_demo",
    "synthesize",
]

SeedStep = Callable[[Session, DemoWorld], None]
# The seed, in order; each step reads what earlier ones made. The ECM stories come first, so
# the few members the engine found eligible for ECM go to the automatic approval.
SEED_STEPS: list[SeedStep] = [
    create_organizations,
    create_users,
    import_population,
    ecm_enrollments,
    open_referrals,
    authorization_queue,
    community_supports,
    part2_consents,
    ecm_history,
    community_network,
    reentry_cases,
    member_accounts,
    earlier_engine_runs,
]


def seed_demo(
    session: Session,
    folder: Path,
    *,
    members: int = DEMO_MEMBERS,
    seed: int = 1,
    progress: Progress | None = None,
    history_months: int = DEMO_HISTORY_MONTHS,
) -> DemoWorld:
    """Synthesize, identify and seed a demo into `session` (the caller commits); the engine
    also runs on the first day of each of the `history_months` months before."""
    report = progress or (lambda _step, _done, _total: None)
    report("synthesizing and identifying", 0, len(SEED_STEPS) + 1)
    data, determinations, planted = synthesize(folder, members, seed, DEMO_AS_OF)
    earlier = monthly_runs(data, DEMO_AS_OF, history_months, folder)
    world = DemoWorld(folder, DEMO_AS_OF, DEMO_NOW, data, determinations, earlier,
                      planted=planted)  # fmt: skip
    for done, step in enumerate(SEED_STEPS, start=1):
        report(step.__name__.replace("_", " "), done, len(SEED_STEPS) + 1)
        step(session, world)
    session.flush()
    report("done", len(SEED_STEPS) + 1, len(SEED_STEPS) + 1)
    return world
