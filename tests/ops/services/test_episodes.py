"""Opening, recording on and closing Community Supports episodes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.authorizations.repository import AuthorizationNotFound
from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.models import StatusChange
from calaim.ops.services.repository import EpisodeNotFound
from calaim.ops.services.service import EpisodeService, NotCovered, OverAuthorized, StaleEpisode
from calaim.ops.services.state import EpisodeClosed

from ..authorizations.helpers import plan_request, provider_request
from .conftest import NOW, Parties, at, authorized, episode

D = dt.date


def staff(session: Session, parties: Parties) -> EpisodeService:
    """The CS provider's staff."""
    return EpisodeService(session, parties.cs_staff)


def test_open_record_and_close(session: Session, parties: Parties) -> None:
    opened = episode(session, parties, "cs.respite", D(2025, 1, 1), D(2025, 6, 30))
    assert opened.status == "open"
    assert opened.provider_organization_id == parties.cs_provider.id
    service = staff(session, parties)
    delivery = service.record(opened.id, service_date=D(2025, 1, 2), units=Decimal("4"), now=NOW)
    assert (delivery.unit, delivery.units) == ("hour", Decimal("4"))
    closed = service.close(
        opened.id, expected_version=opened.version, ended_on=D(2025, 1, 31), reason="done", now=NOW
    )
    assert (closed.status, closed.closure_reason) == ("closed", "done")
    steps = session.scalars(select(StatusChange).where(StatusChange.entity_id == opened.id)).all()
    assert sorted((s.from_status or "", s.to_status) for s in steps) == [
        ("", "open"),
        ("open", "closed"),
    ]


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (D(2025, 1, 1), True),
        (D(2025, 6, 30), True),
        (D(2024, 12, 31), False),
        (D(2025, 7, 1), False),
    ],
)
def test_deliveries_only_on_authorized_dates(
    session: Session, parties: Parties, day: dt.date, ok: bool
) -> None:
    opened = episode(session, parties, "cs.respite", D(2025, 1, 1), D(2025, 6, 30))
    if ok:
        staff(session, parties).record(opened.id, service_date=day, units=Decimal(1), now=NOW)
    else:
        with pytest.raises(NotCovered, match="outside authorization"):
            staff(session, parties).record(opened.id, service_date=day, units=Decimal(1), now=NOW)


def test_units_authorized_is_a_limit(session: Session, parties: Parties) -> None:
    opened = episode(session, parties, "cs.respite", units=Decimal("10"))
    service = staff(session, parties)
    service.record(opened.id, service_date=D(2025, 2, 1), units=Decimal("9"), now=NOW)
    with pytest.raises(OverAuthorized, match="9 used, 1 remain"):
        service.record(opened.id, service_date=D(2025, 2, 2), units=Decimal("2"), now=NOW)
    service.record(opened.id, service_date=D(2025, 2, 2), units=Decimal("1"), now=NOW)


def test_amount_authorized_is_a_limit(session: Session, parties: Parties) -> None:
    opened = episode(session, parties, "cs.community_transition", amount=Decimal("1000.00"))
    service = staff(session, parties)
    service.record(
        opened.id, service_date=D(2025, 2, 1), units=Decimal(1), amount=Decimal("999.99"), now=NOW
    )
    with pytest.raises(OverAuthorized, match=r"0\.01 remain"):
        service.record(
            opened.id, service_date=D(2025, 2, 2), units=Decimal(1), amount=Decimal("0.02"), now=NOW
        )


def test_presumptive_authorization_covers_its_window_only(
    session: Session, parties: Parties
) -> None:
    presumed = provider_request(
        session, parties, parties.cs_staff, "cs.recuperative_care", at(2025, 7, 1, 9, 0)
    )
    opened = staff(session, parties).open(presumed.id, started_on=D(2025, 7, 1), now=NOW)
    staff(session, parties).record(
        opened.id, service_date=D(2025, 7, 15), units=Decimal(1), now=NOW
    )
    with pytest.raises(NotCovered):
        staff(session, parties).record(
            opened.id, service_date=D(2025, 7, 16), units=Decimal(1), now=NOW
        )


def test_no_episode_under_a_pending_or_an_ecm_authorization(
    session: Session, parties: Parties
) -> None:
    pending = provider_request(session, parties, parties.cs_staff, "cs.respite", NOW)
    with pytest.raises(NotCovered, match="pending"):
        staff(session, parties).open(pending.id, started_on=D(2026, 1, 5), now=NOW)
    ecm = plan_request(session, parties, "ecm", at(2024, 3, 4, 9, 0))
    ecm = AuthorizationService(session, parties.um).approve(
        ecm.id, expected_version=ecm.version, now=at(2024, 3, 4, 9, 0)
    )
    # The CS provider cannot even see an ECM authorization that does not name it.
    with pytest.raises(AuthorizationNotFound):
        staff(session, parties).open(ecm.id, started_on=D(2024, 3, 4), now=NOW)


def test_one_open_episode_per_authorization(session: Session, parties: Parties) -> None:
    opened = episode(session, parties, "cs.respite")
    with pytest.raises(Conflict, match="already has an open episode"):
        staff(session, parties).open(opened.authorization_id, started_on=D(2025, 2, 1), now=NOW)


@pytest.mark.parametrize(
    ("units", "amount", "field"),
    [
        (Decimal(0), None, "units"),
        (Decimal(-1), None, "units"),
        (Decimal(1), Decimal(-1), "amount"),
    ],
)
def test_bad_numbers_are_refused(
    session: Session, parties: Parties, units: Decimal, amount: Decimal | None, field: str
) -> None:
    opened = episode(session, parties, "cs.respite")
    with pytest.raises(InvalidRequest) as error:
        staff(session, parties).record(
            opened.id, service_date=D(2025, 2, 1), units=units, amount=amount, now=NOW
        )
    assert error.value.field == field


def test_closed_is_final(session: Session, parties: Parties) -> None:
    opened = episode(session, parties, "cs.respite")
    service = staff(session, parties)
    closed = service.close(
        opened.id, expected_version=opened.version, ended_on=D(2025, 3, 1), reason="ended", now=NOW
    )
    with pytest.raises(EpisodeClosed):
        service.record(opened.id, service_date=D(2025, 2, 1), units=Decimal(1), now=NOW)
    with pytest.raises(EpisodeClosed):
        service.close(
            opened.id, expected_version=closed.version, ended_on=D(2025, 3, 1), reason="x", now=NOW
        )


def test_close_needs_a_reason_a_sane_date_and_the_current_version(
    session: Session, parties: Parties
) -> None:
    opened = episode(session, parties, "cs.respite")
    service = staff(session, parties)
    with pytest.raises(InvalidRequest, match="reason"):
        service.close(
            opened.id, expected_version=opened.version, ended_on=D(2025, 3, 1), reason=" ", now=NOW
        )
    with pytest.raises(InvalidRequest, match="before the episode started"):
        service.close(
            opened.id,
            expected_version=opened.version,
            ended_on=D(2024, 12, 31),
            reason="x",
            now=NOW,
        )
    with pytest.raises(StaleEpisode):
        service.close(
            opened.id,
            expected_version=opened.version + 1,
            ended_on=D(2025, 3, 1),
            reason="x",
            now=NOW,
        )


def test_only_the_provider_records_and_others_do_not_see_it(
    session: Session, parties: Parties
) -> None:
    opened = episode(session, parties, "cs.respite")
    with pytest.raises(EpisodeNotFound):
        EpisodeService(session, parties.other_cs_staff).record(
            opened.id, service_date=D(2025, 2, 1), units=Decimal(1), now=NOW
        )
    with pytest.raises(PermissionDenied):
        EpisodeService(session, parties.um).record(
            opened.id, service_date=D(2025, 2, 1), units=Decimal(1), now=NOW
        )
    # The plan reads its member's episode.
    assert EpisodeService(session, parties.um).deliveries(opened.id) == []


def test_authorized_helper_sets_dates(session: Session, parties: Parties) -> None:
    authorization = authorized(session, parties, "cs.respite", D(2025, 1, 1), D(2025, 1, 1))
    assert (authorization.start_date, authorization.end_date) == (D(2025, 1, 1), D(2025, 1, 1))


@pytest.mark.parametrize(("day", "ok"), [(D(2026, 1, 5), True), (D(2026, 1, 6), False)])
def test_deliveries_cannot_be_dated_in_the_future(
    session: Session, parties: Parties, day: dt.date, ok: bool
) -> None:
    # NOW is 2026-01-05 09:00 in California: today is recordable, tomorrow is not.
    opened = episode(session, parties, "cs.respite", D(2025, 1, 1), D(2027, 12, 31))
    service = staff(session, parties)
    if ok:
        service.record(opened.id, service_date=day, units=Decimal(1), now=NOW)
        return
    with pytest.raises(InvalidRequest, match="in the future") as refused:
        service.record(opened.id, service_date=day, units=Decimal(1), now=NOW)
    assert refused.value.field == "service_date"
    assert service.deliveries(opened.id) == []
