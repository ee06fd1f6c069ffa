"""The demo's foundation: a synthetic population, its organizations, users and members."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from calaim.ops.auth.passwords import hash_password
from calaim.ops.demo.candidates import RECUPERATIVE_CARE, plant_recuperative_care
from calaim.ops.demo.world import DEMO_PASSWORD, ORGANIZATIONS, PROFILES, USERS, DemoWorld
from calaim.ops.members.importer import import_determinations, import_members
from calaim.ops.models import Organization, ProviderProfile, User


def synthesize(
    folder: Path, members: int, seed: int, as_of: dt.date
) -> tuple[Path, Path, dict[str, list[str]]]:
    """Write a synthetic population and its determinations under `folder`; also return the
    people given records for one program's stories (program id -> person ids)."""
    from calaim.data.synth import generate
    from calaim.engine.identify import identify

    data = folder / "data"
    generate(data, members=members, seed=seed)
    # The synthetic population has nobody L.A. Care's recuperative care rule accepts.
    planted = {RECUPERATIVE_CARE: plant_recuperative_care(data, as_of)}
    determinations = folder / "determinations.csv"
    identify(data, as_of, determinations)
    return data, determinations, planted


def monthly_runs(data: Path, as_of: dt.date, months: int, folder: Path) -> list[Path]:
    """Identify on the first day of each of the `months` months before `as_of`'s month, as
    monthly engine runs would have; the determination files, oldest first."""
    from calaim.engine.identify import identify

    found = []
    for back in range(months, 0, -1):
        index = as_of.year * 12 + as_of.month - 1 - back
        day = dt.date(index // 12, index % 12 + 1, 1)
        out = folder / f"determinations-{day.isoformat()}.csv"
        identify(data, day, out)
        found.append(out)
    return found


def earlier_engine_runs(session: Session, world: DemoWorld) -> None:
    """Import the earlier months' determinations, so the program view's months show trends.

    Imported last: the stories were written against the as-of run alone (an authorization
    requested in September is reviewed by hand because no determination existed yet), so adding
    earlier runs first would let the review engine decide them differently.
    """
    for path in world.earlier_determinations:
        world.determination_rows += import_determinations(session, path).determinations


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
    world.password_hash = password_hash
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
