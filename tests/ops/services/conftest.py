"""Episode tests reuse the authorization parties (a LACARE member and a CS provider)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.models import Authorization, ServiceEpisode
from calaim.ops.services.service import EpisodeService

from ..authorizations.conftest import Parties, at, parties
from ..authorizations.helpers import provider_request

__all__ = ["Parties", "at", "authorized", "episode", "parties"]

NOW = at(2026, 1, 5, 9, 0)


def authorized(
    session: Session,
    parties: Parties,
    program_id: str,
    start: dt.date,
    end: dt.date,
    *,
    units: Decimal | None = None,
    amount: Decimal | None = None,
) -> Authorization:
    """An approved authorization of `program_id` for the CS provider over [start, end]."""
    pending = provider_request(session, parties, parties.cs_staff, program_id, at(2024, 1, 2, 9, 0))
    return AuthorizationService(session, parties.um).approve(
        pending.id,
        expected_version=pending.version,
        now=at(2024, 1, 3, 9, 0),
        start_date=start,
        end_date=end,
        units_authorized=units,
        amount_authorized=amount,
    )


def episode(
    session: Session,
    parties: Parties,
    program_id: str,
    start: dt.date = dt.date(2025, 1, 1),
    end: dt.date = dt.date(2027, 12, 31),
    **limits: Decimal,
) -> ServiceEpisode:
    """An open episode of `program_id` under a fresh approved authorization."""
    authorization = authorized(session, parties, program_id, start, end, **limits)
    return EpisodeService(session, parties.cs_staff).open(
        authorization.id, started_on=start, now=NOW
    )
