"""42 CFR Part 2 rows: the member's plan always; anyone else only on days a consent covers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from calaim.ops.access.part2 import may_see_part2
from calaim.ops.determinations.repository import DeterminationRepository

from .conftest import EXPIRES, GRANTED, REVOKED, World, consent

DAY = dt.timedelta(days=1)


def programs(session: Session, world: World, who: str, today: dt.date | None) -> set[str]:
    """Programs of tenant A's enrolled member that `who` is shown on `today`."""
    actor = getattr(world.a, who)
    rows = DeterminationRepository(session, actor).for_member(world.a.members[0].id, today=today)
    return {row.program_id for row in rows}


def test_the_members_plan_always_sees_part2_rows(session: Session, world: World) -> None:
    assert programs(session, world, "plan_user", GRANTED) == {"ecm.homeless_adult", "ecm.smh_sud"}
    # Even with no date to check a consent on: the plan's right does not depend on one.
    assert "ecm.smh_sud" in programs(session, world, "plan_user", None)


def test_a_provider_without_consent_never_sees_them(session: Session, world: World) -> None:
    assert programs(session, world, "ecm_user", GRANTED) == {"ecm.homeless_adult"}


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (GRANTED - DAY, False),
        (GRANTED, True),  # from the day it is granted
        (EXPIRES, True),  # through its expiry day
        (EXPIRES + DAY, False),
    ],
)
def test_a_consent_covers_granted_through_expiry(
    session: Session, world: World, day: dt.date, shown: bool
) -> None:
    consent(session, world.a.members[0], world.a.ecm, world.a.plan_user, expires_on=EXPIRES)
    session.flush()
    assert ("ecm.smh_sud" in programs(session, world, "ecm_user", day)) is shown


@pytest.mark.parametrize(
    ("day", "shown"), [(REVOKED - DAY, True), (REVOKED, False), (REVOKED + DAY, False)]
)
def test_a_revocation_ends_it_from_that_day(
    session: Session, world: World, day: dt.date, shown: bool
) -> None:
    consent(session, world.a.members[0], world.a.ecm, world.a.plan_user, revoked_on=REVOKED)
    session.flush()
    assert ("ecm.smh_sud" in programs(session, world, "ecm_user", day)) is shown


def test_a_consent_names_one_organization(session: Session, world: World) -> None:
    consent(session, world.a.members[0], world.a.cs, world.a.plan_user)
    session.flush()
    assert programs(session, world, "ecm_user", GRANTED) == {"ecm.homeless_adult"}
    assert may_see_part2(session, world.a.cs_user, world.a.members[0], GRANTED)


def test_another_plan_is_not_the_members_plan(session: Session, world: World) -> None:
    assert not may_see_part2(session, world.b.plan_user, world.a.members[0], GRANTED)


def test_without_a_date_only_the_plan_sees_part2(session: Session, world: World) -> None:
    consent(session, world.a.members[0], world.a.ecm, world.a.plan_user)
    session.flush()
    # No day to check the consent on: fail closed rather than guess "today".
    assert programs(session, world, "ecm_user", None) == {"ecm.homeless_adult"}
