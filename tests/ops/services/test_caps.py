"""Caps at entry: exactly at the cap, one below, one above, window edges, the cap's start."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from calaim.ops.errors import InvalidRequest
from calaim.ops.models import ServiceEpisode
from calaim.ops.services.caps import CapExceeded
from calaim.ops.services.service import EpisodeService

from .conftest import NOW, Parties, at, episode

D = dt.date


def put(session: Session, parties: Parties, opened: ServiceEpisode, day: dt.date, units: int,
        amount: str | None = None) -> None:  # fmt: skip
    """Record `units` on `day`."""
    EpisodeService(session, parties.cs_staff).record(
        opened.id,
        service_date=day,
        units=Decimal(units),
        amount=None if amount is None else Decimal(amount),
        # Recorded the evening it was given (deliveries are never dated in the future).
        now=max(NOW, at(day.year, day.month, day.day, 18, 0)),
    )


# -- the combined 180-day limit (recuperative care + STPHH + transitional rent), from 2025-07-01


@pytest.mark.parametrize(("last", "ok"), [(9, True), (10, True), (11, False)])
def test_combined_limit_one_below_at_and_above(
    session: Session, parties: Parties, last: int, ok: bool
) -> None:
    stphh = episode(session, parties, "cs.short_term_post_hospitalization_housing")
    rent = episode(session, parties, "cs.transitional_rent")
    put(session, parties, stphh, D(2025, 8, 1), 50)
    put(session, parties, rent, D(2025, 9, 1), 4)  # 4 months = 120 days
    if ok:
        put(session, parties, stphh, D(2026, 3, 1), last)
        return
    with pytest.raises(CapExceeded) as error:
        put(session, parties, stphh, D(2026, 3, 1), last)
    assert str(error.value) == (
        "recording 11 days would exceed the combined 180-day limit in the 12 months to "
        "2026-03-01: 170 used, 10 remain"
    )
    assert (error.value.limit, error.value.used, error.value.remaining) == (180, 170, 10)


def test_combined_window_edge(session: Session, parties: Parties) -> None:
    rent = episode(session, parties, "cs.transitional_rent")
    put(session, parties, rent, D(2025, 9, 1), 3)  # 90 days
    put(session, parties, rent, D(2025, 9, 2), 2)  # 60 days
    # The window to 2026-09-01 is (2025-09-01, 2026-09-01]: the Sept 1 line has left it...
    put(session, parties, rent, D(2026, 9, 1), 4)  # 60 + 120 = 180, exactly the limit
    # ...but the Sept 2 line is still in it: one more month is refused.
    with pytest.raises(CapExceeded, match="to 2026-09-01: 180 used, 0 remain"):
        put(session, parties, rent, D(2026, 9, 1), 1)


def test_combined_limit_starts_on_its_start_date(session: Session, parties: Parties) -> None:
    care = episode(session, parties, "cs.recuperative_care", D(2025, 1, 1), D(2025, 12, 31))
    # The day before 2025-07-01 the combined limit does not apply, and these days never count.
    put(session, parties, care, D(2025, 6, 30), 90)
    rent = episode(session, parties, "cs.transitional_rent")
    put(session, parties, rent, D(2025, 7, 1), 6)  # 180 days from the start date: allowed
    with pytest.raises(CapExceeded, match="the combined 180-day limit"):
        put(session, parties, rent, D(2025, 7, 2), 1)


def test_a_backdated_line_must_fit_later_windows(session: Session, parties: Parties) -> None:
    rent = episode(session, parties, "cs.transitional_rent")
    put(session, parties, rent, D(2026, 6, 1), 6)  # 180 days
    # 2025-07-15 is in the window to 2026-06-01 ((2025-06-01, 2026-06-01]): no room left.
    stphh = episode(session, parties, "cs.short_term_post_hospitalization_housing")
    with pytest.raises(CapExceeded, match="12 months to 2026-06-01: 180 used, 0 remain"):
        put(session, parties, stphh, D(2025, 7, 15), 1)


# -- one service's caps


def test_recuperative_care_stay_is_at_most_90_days(session: Session, parties: Parties) -> None:
    care = episode(session, parties, "cs.recuperative_care", D(2024, 1, 1), D(2024, 12, 31))
    put(session, parties, care, D(2024, 1, 1), 89)
    put(session, parties, care, D(2024, 3, 30), 1)
    with pytest.raises(CapExceeded, match=r"90 days of cs\.recuperative_care per episode"):
        put(session, parties, care, D(2024, 3, 31), 1)


@pytest.mark.parametrize(("hours", "ok"), [(335, True), (336, True), (337, False)])
def test_respite_hours_per_calendar_year(
    session: Session, parties: Parties, hours: int, ok: bool
) -> None:
    respite = episode(session, parties, "cs.respite")
    put(session, parties, respite, D(2025, 1, 1), hours - 1)
    if ok:
        put(session, parties, respite, D(2025, 12, 31), 1)
    else:
        with pytest.raises(CapExceeded, match="calendar year 2025: 336 used, 0 remain"):
            put(session, parties, respite, D(2025, 12, 31), 1)


def test_respite_year_resets_on_january_first(session: Session, parties: Parties) -> None:
    respite = episode(session, parties, "cs.respite")
    put(session, parties, respite, D(2025, 12, 31), 336)
    put(session, parties, respite, D(2026, 1, 1), 336)


@pytest.mark.parametrize(("last", "ok"), [("499.99", True), ("500.00", True), ("500.01", False)])
def test_lifetime_dollar_cap(session: Session, parties: Parties, last: str, ok: bool) -> None:
    eaa = episode(session, parties, "cs.environmental_accessibility_adaptations")
    put(session, parties, eaa, D(2025, 2, 1), 1, "7000.00")
    if ok:
        put(session, parties, eaa, D(2025, 3, 1), 1, last)
        return
    with pytest.raises(CapExceeded) as error:
        put(session, parties, eaa, D(2025, 3, 1), 1, last)
    assert "lifetime limit of $7500" in str(error.value)
    assert str(error.value).endswith("$7000 used, $500 remain")


def test_dollar_capped_deliveries_need_an_amount(session: Session, parties: Parties) -> None:
    asthma = episode(session, parties, "cs.asthma_remediation")
    with pytest.raises(InvalidRequest) as error:
        put(session, parties, asthma, D(2025, 2, 1), 1)
    assert error.value.field == "amount"


def test_meals_in_a_rolling_six_months(session: Session, parties: Parties) -> None:
    meals = episode(session, parties, "cs.medically_tailored_meals")
    put(session, parties, meals, D(2025, 1, 1), 168)
    # The window to 2025-06-30 is (2024-12-30, 2025-06-30]: it holds the January 1 meals.
    with pytest.raises(CapExceeded, match="6 months to 2025-06-30: 168 used, 0 remain"):
        put(session, parties, meals, D(2025, 6, 30), 1)
    # The window to 2025-07-01 is (2025-01-01, 2025-07-01]: the January 1 meals have left it.
    put(session, parties, meals, D(2025, 7, 1), 168)


def test_housing_deposits_once_per_lifetime(session: Session, parties: Parties) -> None:
    first = episode(session, parties, "cs.housing_deposits", D(2025, 1, 1), D(2025, 1, 31))
    EpisodeService(session, parties.cs_staff).close(
        first.id, expected_version=first.version, ended_on=D(2025, 1, 31), reason="paid", now=NOW
    )
    with pytest.raises(CapExceeded, match="1 episode"):
        episode(session, parties, "cs.housing_deposits", D(2025, 6, 1), D(2025, 6, 30))


def test_stphh_lifetime_days(session: Session, parties: Parties) -> None:
    # 180 lifetime days, before the combined limit starts (2025-07-01).
    stphh = episode(session, parties, "cs.short_term_post_hospitalization_housing",
                    D(2023, 1, 1), D(2025, 6, 30))  # fmt: skip
    put(session, parties, stphh, D(2023, 1, 1), 100)
    put(session, parties, stphh, D(2024, 6, 1), 80)
    with pytest.raises(CapExceeded, match="lifetime limit of 180 days"):
        put(session, parties, stphh, D(2025, 6, 1), 1)
