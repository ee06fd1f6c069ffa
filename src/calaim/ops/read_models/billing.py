"""What a provider delivered in a billing period: the rows `ops.billing.sources` prices.

Every query is scoped to the acting provider's own records (`calaim.ops.access.scopes`), or
to one enrollment the caller has already read through that scope.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import enrollment_visible, service_episode_visible
from calaim.ops.models import Enrollment, OutreachAttempt, ServiceDelivery, ServiceEpisode, User
from calaim.ops.models.billing import EcmEncounter


def cs_deliveries(
    session: Session, actor: User, start: dt.date, end: dt.date
) -> list[tuple[ServiceDelivery, ServiceEpisode]]:
    """Community Supports deliveries by the actor's organization from `start` to `end`, by date."""
    rows = session.execute(
        select(ServiceDelivery, ServiceEpisode)
        .join(ServiceEpisode, ServiceEpisode.id == ServiceDelivery.episode_id)
        .where(
            service_episode_visible(actor),
            ServiceEpisode.provider_organization_id == actor.organization_id,
            ServiceDelivery.service_date.between(start, end),
        )
        .order_by(ServiceDelivery.service_date)
    ).all()
    return [(delivery, episode) for delivery, episode in rows]


def enrollments_overlapping(
    session: Session, actor: User, start: dt.date, end: dt.date
) -> list[Enrollment]:
    """The actor's organization's enrollments whose assignment overlaps `start`..`end`."""
    return list(
        session.scalars(
            select(Enrollment).where(
                enrollment_visible(actor),
                Enrollment.provider_organization_id == actor.organization_id,
                Enrollment.assigned_on <= end,
                or_(Enrollment.discontinued_on.is_(None), Enrollment.discontinued_on >= start),
            )
        ).all()
    )


def encounters_of(
    session: Session, enrollment: Enrollment, start: dt.date, end: dt.date
) -> list[EcmEncounter]:
    """A visible enrollment's encounters by its own provider from `start` to `end`, by date."""
    return list(
        session.scalars(
            select(EcmEncounter)
            .where(
                EcmEncounter.enrollment_id == enrollment.id,
                EcmEncounter.provider_organization_id == enrollment.provider_organization_id,
                EcmEncounter.service_date.between(start, end),
            )
            .order_by(EcmEncounter.service_date)
        ).all()
    )


def outreach_of(
    session: Session, enrollment: Enrollment, start: dt.date, end: dt.date
) -> list[OutreachAttempt]:
    """A visible enrollment's outreach attempts from `start` to `end`, by date."""
    return list(
        session.scalars(
            select(OutreachAttempt)
            .where(
                and_(
                    OutreachAttempt.enrollment_id == enrollment.id,
                    OutreachAttempt.attempted_on.between(start, end),
                )
            )
            .order_by(OutreachAttempt.attempted_on)
        ).all()
    )
