"""Community Supports episodes: open under an authorization, record deliveries within its
dates and limits and within the program's caps, close with a reason. Audited throughout."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from calaim.ops.access.permissions import Permission, require
from calaim.ops.authorizations.repository import AuthorizationRepository
from calaim.ops.calendar.business_days import local_zone
from calaim.ops.errors import Conflict, InvalidRequest, StaleVersion
from calaim.ops.models import (
    Authorization,
    EpisodeStatus,
    ServiceDelivery,
    ServiceEpisode,
    StatusChange,
    User,
)
from calaim.ops.services.caps import Line, check_delivery, check_episode_count, show
from calaim.ops.services.caps_data import cap_table
from calaim.ops.services.repository import EpisodeRepository
from calaim.ops.services.state import require_open


class NotCovered(Conflict):
    """The authorization does not cover the date (or is not in force)."""


class OverAuthorized(Conflict):
    """The delivery would go beyond the units or dollars the authorization allows."""


class StaleEpisode(StaleVersion):
    """The episode changed since the caller read it; read it again and retry."""


def covered_until(authorization: Authorization) -> dt.date | None:
    """The last date an authorization covers service, or None if it covers none."""
    if authorization.status == "approved":
        return authorization.end_date
    # Presumptive service is covered up to its window (cut at the decision if denied).
    if authorization.status in {"presumptive", "denied"}:
        return authorization.presumptive_until
    return None


def check_covered(authorization: Authorization, day: dt.date) -> None:
    """Refuse a date outside the authorization's service dates."""
    until = covered_until(authorization)
    start = authorization.start_date
    if start is None or until is None or not (start <= day <= until):
        period = f"{start} to {until}" if start and until else "no dates"
        raise NotCovered(
            f"{day} is outside authorization {authorization.id} ({authorization.status}, "
            f"covering {period}); record service only on covered dates or request a "
            "reauthorization",
        )


def _check_not_future(service_date: dt.date, now: dt.datetime) -> None:
    """Refuse a delivery dated after today (California time): service is recorded once given."""
    today = now.astimezone(local_zone()).date()
    if service_date > today:
        raise InvalidRequest(
            f"service_date {service_date} is in the future (today is {today}); record a "
            "delivery on or after the day it was given",
            field="service_date",
        )


class EpisodeService:
    """Episode rules on behalf of one user (CS provider staff record service)."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = EpisodeRepository(session, actor)

    def open(
        self, authorization_id: uuid.UUID, *, started_on: dt.date, now: dt.datetime
    ) -> ServiceEpisode:
        """Open an episode under an approved (or presumptive, in its window) authorization."""
        require(self.actor, Permission.SERVICE_RECORD)
        authorization = AuthorizationRepository(self.session, self.actor).get(authorization_id)
        if authorization.program_id not in cap_table().units:
            raise InvalidRequest(
                f"{authorization.program_id} is not a Community Support; episodes record "
                "Community Supports only",
                field="authorization_id",
            )
        if authorization.status not in {"approved", "presumptive"}:
            raise NotCovered(
                f"authorization {authorization.id} is {authorization.status}; service starts "
                "only under an approved or presumptive authorization"
            )
        check_covered(authorization, started_on)
        # Locked before the checks: simultaneous opens for the member wait here, then see
        # the episode the first one opened (no second open episode, no count over a cap).
        self.repository.lock_member(authorization.member_id)
        if self.repository.open_under(authorization.id) is not None:
            raise Conflict(
                "this authorization already has an open episode (perhaps opened just now by "
                "someone else); record service on that one"
            )
        opened = self.repository.episodes_ever(authorization.member_id, authorization.program_id)
        check_episode_count(authorization.program_id, opened, started_on)
        episode = ServiceEpisode(
            member_id=authorization.member_id,
            program_id=authorization.program_id,
            authorization_id=authorization.id,
            provider_organization_id=self.actor.organization_id,
            referral_id=authorization.referral_id,
            status=EpisodeStatus.OPEN.value,
            started_on=started_on,
        )
        self.session.add(episode)
        self.session.flush()
        self._history(episode, None, EpisodeStatus.OPEN, now, None)
        self.repository.audit("service_episode.open", episode, {"started_on": str(started_on)})
        self.session.flush()
        return episode

    def record(
        self,
        episode_id: uuid.UUID,
        *,
        service_date: dt.date,
        units: Decimal,
        now: dt.datetime,
        amount: Decimal | None = None,
        note: str | None = None,
    ) -> ServiceDelivery:
        """Record units (and dollars) delivered on one date, within every limit."""
        require(self.actor, Permission.SERVICE_RECORD)
        episode = self.repository.get(episode_id, action="service_episode.read_for_update")
        require_open(episode.status)
        _check_numbers(units, amount)
        authorization = self.session.get(Authorization, episode.authorization_id)
        assert authorization is not None  # a foreign key guarantees it
        _check_not_future(service_date, now)
        check_covered(authorization, service_date)
        if service_date < episode.started_on:
            raise InvalidRequest(
                f"{service_date} is before the episode started ({episode.started_on})",
                field="service_date",
            )
        self.repository.lock_member(episode.member_id)
        unit = cap_table().units[episode.program_id]
        new = Line(episode.program_id, episode.id, service_date, unit, units, amount)
        self._check_authorized(authorization, new)
        check_delivery(new, self.repository.member_lines(episode.member_id))
        delivery = ServiceDelivery(
            episode_id=episode.id,
            member_id=episode.member_id,
            program_id=episode.program_id,
            service_date=service_date,
            unit=unit,
            units=units,
            amount=amount,
            note=note,
            recorded_by_user_id=self.actor.id,
            recorded_at=now,
        )
        self.session.add(delivery)
        details: dict[str, object] = {"service_date": str(service_date), "units": str(units)}
        self.repository.audit("service_episode.delivery", episode, details)
        self.session.flush()
        return delivery

    def close(
        self,
        episode_id: uuid.UUID,
        *,
        expected_version: int,
        ended_on: dt.date,
        reason: str,
        now: dt.datetime,
    ) -> ServiceEpisode:
        """Close an open episode on a date, with a reason (service ended, member moved...)."""
        require(self.actor, Permission.SERVICE_RECORD)
        if not (reason and reason.strip()):
            raise InvalidRequest("closing an episode needs a reason", field="reason")
        episode = self.repository.get(episode_id, action="service_episode.read_for_update")
        if episode.version != expected_version:
            raise StaleEpisode(_stale(episode_id, expected_version))
        require_open(episode.status)
        if ended_on < episode.started_on:
            raise InvalidRequest(
                f"ended_on {ended_on} is before the episode started ({episode.started_on})",
                field="ended_on",
            )
        episode.status = EpisodeStatus.CLOSED.value
        episode.ended_on = ended_on
        episode.closure_reason = reason
        self._history(episode, EpisodeStatus.OPEN, EpisodeStatus.CLOSED, now, reason)
        self.repository.audit("service_episode.close", episode, {"reason": reason})
        try:
            self.session.flush()
        except StaleDataError as error:
            raise StaleEpisode(_stale(episode_id, expected_version)) from error
        return episode

    def deliveries(self, episode_id: uuid.UUID) -> list[ServiceDelivery]:
        """A visible episode's deliveries (the read is audited)."""
        episode = self.repository.get(episode_id)
        return self.repository.deliveries(episode.id)

    def _check_authorized(self, authorization: Authorization, new: Line) -> None:
        used = self.repository.authorized_use(authorization.id)
        limits = (
            ("units", authorization.units_authorized, new.units, [d.units for d in used]),
            ("amount", authorization.amount_authorized, new.amount, [d.amount for d in used]),
        )
        for field, limit, amount, lines in limits:
            if limit is None or amount is None:
                continue
            total = sum((x or Decimal(0) for x in lines), Decimal(0))
            if total + amount > limit:
                raise OverAuthorized(
                    f"recording {show(amount)} would exceed the {show(limit)} {field} "
                    f"authorized: {show(total)} used, {show(max(limit - total, Decimal(0)))} "
                    "remain; ask the plan for more before recording it"
                )

    def _history(
        self,
        episode: ServiceEpisode,
        from_status: EpisodeStatus | None,
        to_status: EpisodeStatus,
        now: dt.datetime,
        reason: str | None,
    ) -> None:
        self.session.add(
            StatusChange(
                entity_type="service_episode",
                entity_id=episode.id,
                from_status=from_status.value if from_status else None,
                to_status=to_status.value,
                at=now,
                actor_user_id=self.actor.id,
                reason=reason,
            )
        )


def _check_numbers(units: Decimal, amount: Decimal | None) -> None:
    if not isinstance(units, Decimal) or units <= 0:
        raise InvalidRequest("units must be a positive decimal number", field="units")
    if amount is not None and (not isinstance(amount, Decimal) or amount < 0):
        raise InvalidRequest(
            "amount must be a decimal number of dollars, 0 or more", field="amount"
        )


def _stale(episode_id: uuid.UUID, expected: int) -> str:
    return (
        f"service episode {episode_id} was changed by someone else since version {expected}; "
        "read it again and retry"
    )
