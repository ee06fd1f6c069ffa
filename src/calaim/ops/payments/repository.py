"""The store's ECM history as the pipeline needs it (aggregate: no member is named)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.ops.models import Organization
from calaim.ops.models.enrollment import Enrollment
from calaim.ops.models.outreach import OutreachAttempt


@dataclass(frozen=True)
class Episode:
    """One ECM episode's dates (assigned, first reached, enrolled, discontinued)."""

    assigned_on: dt.date
    reached_on: dt.date | None
    enrolled_on: dt.date | None
    discontinued_on: dt.date | None


def episodes(
    session: Session,
    since: dt.date,
    until: dt.date,
    provider_id: uuid.UUID | None = None,
    plan_id: uuid.UUID | None = None,
) -> list[Episode]:
    """Episodes assigned in [since, until), for one provider or plan (or all)."""
    first_reach = (
        select(OutreachAttempt.enrollment_id, func.min(OutreachAttempt.attempted_on).label("on"))
        .where(OutreachAttempt.successful.is_(True))
        .group_by(OutreachAttempt.enrollment_id)
        .subquery()
    )
    statement = (
        select(
            Enrollment.assigned_on,
            first_reach.c.on,
            Enrollment.enrolled_on,
            Enrollment.discontinued_on,
        )
        .outerjoin(first_reach, first_reach.c.enrollment_id == Enrollment.id)
        .where(Enrollment.assigned_on >= since, Enrollment.assigned_on < until)
    )
    if provider_id is not None:
        statement = statement.where(Enrollment.provider_organization_id == provider_id)
    if plan_id is not None:
        statement = statement.where(Enrollment.plan_organization_id == plan_id)
    return [Episode(a, r, e, d) for a, r, e, d in session.execute(statement)]


def plan_id(session: Session, plan_code: str) -> uuid.UUID | None:
    """The id of the plan with this code in the store (None when it is not there)."""
    statement = select(Organization.id).where(Organization.plan_code == plan_code)
    return session.scalars(statement).first()
