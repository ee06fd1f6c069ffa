"""What remains of each cap, read with the service's own counting: at the cap and one below."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from calaim.ops.errors import Forbidden, NotFound
from calaim.ops.models import ServiceEpisode
from calaim.ops.services.caps import CapExceeded
from calaim.ops.services.remaining import CapLeft, remaining_caps
from calaim.ops.services.service import EpisodeService

from .conftest import NOW, Parties, episode
from .test_caps import put

D = dt.date


def left(
    session: Session, parties: Parties, opened: ServiceEpisode, on: dt.date
) -> dict[str, CapLeft]:
    """Each cap of the episode's program on `on`, by kind."""
    found = remaining_caps(
        session, parties.cs_staff, opened.member_id, opened.program_id, on=on,
        episode_id=opened.id,
    )  # fmt: skip
    return {cap.kind: cap for cap in found}


@pytest.mark.parametrize("recorded", [335, 336])
def test_respite_year_one_below_and_at_the_cap(
    session: Session, parties: Parties, recorded: int
) -> None:
    respite = episode(session, parties, "cs.respite")
    put(session, parties, respite, D(2025, 3, 1), recorded)
    year = left(session, parties, respite, D(2025, 12, 31))["calendar_year_units"]
    assert (year.unit, year.limit, year.used, year.remaining, year.year) == (
        "hour", 336, recorded, 336 - recorded, 2025,
    )  # fmt: skip
    # What it says remains is exactly what the service lets one record, and no more.
    if year.remaining:
        put(session, parties, respite, D(2025, 12, 31), int(year.remaining))
    with pytest.raises(CapExceeded):
        put(session, parties, respite, D(2025, 12, 31), 1)
    # A new calendar year starts from nothing.
    assert left(session, parties, respite, D(2026, 1, 1))["calendar_year_units"].used == 0


@pytest.mark.parametrize(("spent", "rest"), [("7499.99", "0.01"), ("7500.00", "0")])
def test_lifetime_dollars_one_cent_below_and_at_the_cap(
    session: Session, parties: Parties, spent: str, rest: str
) -> None:
    eaa = episode(session, parties, "cs.environmental_accessibility_adaptations")
    put(session, parties, eaa, D(2025, 2, 1), 1, spent)
    dollars = left(session, parties, eaa, D(2025, 3, 1))["lifetime_amount"]
    assert dollars.unit == "dollar"
    assert isinstance(dollars.remaining, Decimal)
    assert (dollars.limit, dollars.used, dollars.remaining) == (
        Decimal(7500), Decimal(spent), Decimal(rest),
    )  # fmt: skip


def test_lifetime_caps_count_the_members_other_episodes(session: Session, parties: Parties) -> None:
    stphh = "cs.short_term_post_hospitalization_housing"
    first = episode(session, parties, stphh, D(2023, 1, 1), D(2023, 12, 31))
    put(session, parties, first, D(2023, 1, 1), 179)
    EpisodeService(session, parties.cs_staff).close(
        first.id, expected_version=first.version, ended_on=D(2023, 12, 31), reason="done", now=NOW
    )
    caps = left(session, parties, first, D(2024, 6, 1))
    assert (caps["lifetime_units"].used, caps["lifetime_units"].remaining) == (179, 1)
    episodes = caps["lifetime_episodes"]
    assert (episodes.unit, episodes.used, episodes.limit, episodes.remaining) == (
        "episode", 1, episodes.limit, episodes.limit - 1,
    )  # fmt: skip


def test_per_episode_cap_one_below_and_at(session: Session, parties: Parties) -> None:
    care = episode(session, parties, "cs.recuperative_care", D(2024, 1, 1), D(2024, 12, 31))
    put(session, parties, care, D(2024, 1, 1), 89)
    stay = left(session, parties, care, D(2024, 3, 30))["episode_units"]
    assert (stay.unit, stay.used, stay.remaining) == ("day", 89, 1)
    put(session, parties, care, D(2024, 3, 30), 1)
    assert left(session, parties, care, D(2024, 3, 30))["episode_units"].remaining == 0
    # Without an episode there is no per-episode cap to report.
    member_wide = remaining_caps(
        session, parties.cs_staff, care.member_id, care.program_id, on=D(2024, 3, 30)
    )
    assert "episode_units" not in {cap.kind for cap in member_wide}


def test_rolling_window_reports_the_tightest_window(session: Session, parties: Parties) -> None:
    meals = episode(session, parties, "cs.medically_tailored_meals")
    put(session, parties, meals, D(2025, 1, 1), 167)
    window = left(session, parties, meals, D(2025, 6, 30))["rolling_units"]
    assert (window.unit, window.used, window.remaining) == ("meal", 167, 1)
    assert (window.months, window.window_end) == (6, D(2025, 6, 30))
    put(session, parties, meals, D(2025, 6, 30), 1)
    assert left(session, parties, meals, D(2025, 6, 30))["rolling_units"].remaining == 0
    # A backdated day is bounded by the later window that holds the June 30 meal.
    later = left(session, parties, meals, D(2025, 3, 1))["rolling_units"]
    assert (later.used, later.remaining, later.window_end) == (168, 0, D(2025, 6, 30))
    assert left(session, parties, meals, D(2025, 7, 1))["rolling_units"].used == 1


@pytest.mark.parametrize(("days", "rest"), [(179, 1), (180, 0)])
def test_combined_housing_days(session: Session, parties: Parties, days: int, rest: int) -> None:
    rent = episode(session, parties, "cs.transitional_rent")
    stphh = episode(session, parties, "cs.short_term_post_hospitalization_housing")
    put(session, parties, rent, D(2025, 9, 1), 4)  # 120 days
    put(session, parties, stphh, D(2025, 10, 1), days - 120)
    combined = left(session, parties, rent, D(2026, 3, 1))["combined_days"]
    assert (combined.unit, combined.limit, combined.used, combined.remaining) == (
        "day", 180, days, rest,
    )  # fmt: skip
    assert "combined housing limit" in (combined.name or "")


def test_the_date_is_explicit_and_caps_not_yet_in_force_are_absent(
    session: Session, parties: Parties
) -> None:
    rent = episode(session, parties, "cs.transitional_rent")
    assert "combined_days" not in left(session, parties, rent, D(2025, 6, 30))
    assert "combined_days" in left(session, parties, rent, D(2025, 7, 1))


def test_scoped_like_the_member(session: Session, parties: Parties) -> None:
    meals = episode(session, parties, "cs.medically_tailored_meals")
    with pytest.raises(NotFound):
        remaining_caps(
            session, parties.cs_staff, parties.other_member.id, meals.program_id, on=D(2025, 2, 1)
        )
    assert remaining_caps(session, parties.cs_staff, meals.member_id, "ecm", on=D(2025, 2, 1)) == []
    with pytest.raises(Forbidden):
        remaining_caps(
            session, parties.referrer, meals.member_id, meals.program_id, on=D(2025, 2, 1)
        )
