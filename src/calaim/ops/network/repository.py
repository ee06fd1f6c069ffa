"""Every query of networks (memberships, routes, the lead's claims, distributions)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import network_claim_visible, network_membership_visible
from calaim.ops.audit.service import record
from calaim.ops.models import EnrollmentStatus, Organization, ProviderProfile, User
from calaim.ops.models.billing import Claim, ClaimLine
from calaim.ops.models.enrollment import Enrollment
from calaim.ops.models.network import NetworkDistribution, NetworkMembership, NetworkRoute
from calaim.ops.models.referral import OPEN_STATUSES, Referral
from calaim.ops.models.service_episode import ServiceEpisode

ACTIVE = [EnrollmentStatus.ASSIGNED, EnrollmentStatus.OUTREACH, EnrollmentStatus.ENROLLED]


def _active_on(on: dt.date) -> ColumnElement[bool]:
    return and_(
        NetworkMembership.started_on <= on,
        or_(NetworkMembership.ended_on.is_(None), NetworkMembership.ended_on > on),
    )


class NetworkRepository:
    """Network rows the actor's organization may see (scoped in `ops/access/scopes.py`)."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def memberships(self, on: dt.date) -> list[NetworkMembership]:
        """Memberships in force on `on` that the actor sees (a lead: all of its network)."""
        statement = (
            select(NetworkMembership)
            .where(network_membership_visible(self.actor), _active_on(on))
            .order_by(NetworkMembership.started_on, NetworkMembership.id)
        )
        return list(self.session.scalars(statement))

    def led(self, on: dt.date) -> list[NetworkMembership]:
        """The actor's organization's own members (as their lead) in force on `on`."""
        return [
            m for m in self.memberships(on) if m.lead_organization_id == self.actor.organization_id
        ]

    def members_as_candidates(
        self, ids: list[uuid.UUID]
    ) -> list[tuple[Organization, ProviderProfile | None, int]]:
        """Each member organization, its profile and how many people it holds now."""
        held = self._held(ids)
        statement = (
            select(Organization, ProviderProfile)
            .outerjoin(ProviderProfile, ProviderProfile.organization_id == Organization.id)
            .where(Organization.id.in_(ids))
        )
        return [
            (org, profile, held.get(org.id, 0)) for org, profile in self.session.execute(statement)
        ]

    def _held(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        """People each organization holds now: active ECM episodes, open CS episodes, routes
        of referrals still open."""
        counts: dict[uuid.UUID, int] = {}
        queries: list[Any] = [
            select(Enrollment.provider_organization_id, func.count())
            .where(Enrollment.provider_organization_id.in_(ids), Enrollment.status.in_(ACTIVE))
            .group_by(Enrollment.provider_organization_id),
            select(ServiceEpisode.provider_organization_id, func.count())
            .where(
                ServiceEpisode.provider_organization_id.in_(ids), ServiceEpisode.status == "open"
            )
            .group_by(ServiceEpisode.provider_organization_id),
            select(NetworkRoute.member_organization_id, func.count())
            .join(Referral, Referral.id == NetworkRoute.referral_id)
            .where(
                NetworkRoute.member_organization_id.in_(ids),
                Referral.status.in_(sorted(OPEN_STATUSES)),
            )
            .group_by(NetworkRoute.member_organization_id),
        ]
        for query in queries:
            for org_id, count in self.session.execute(query):
                counts[org_id] = counts.get(org_id, 0) + int(count)
        return counts

    def unrouted(self) -> list[Referral]:
        """Open referrals the lead received and has not yet routed to a member."""
        routed = select(NetworkRoute.referral_id)
        statement = (
            select(Referral)
            .where(
                Referral.receiving_organization_id == self.actor.organization_id,
                Referral.status.in_(sorted(OPEN_STATUSES)),
                Referral.id.not_in(routed),
            )
            .order_by(Referral.received_at)
        )
        return list(self.session.scalars(statement).unique())

    def organization_names(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Names of organizations (members of the caller's network)."""
        statement = select(Organization.id, Organization.name).where(Organization.id.in_(ids))
        return {org_id: name for org_id, name in self.session.execute(statement)}

    def route_of(self, referral_id: uuid.UUID) -> NetworkRoute | None:
        """The route of a referral (None when it was never routed in a network)."""
        statement = select(NetworkRoute).where(NetworkRoute.referral_id == referral_id)
        return self.session.scalars(statement).first()

    def routes(self, member_ids: list[uuid.UUID]) -> list[tuple[NetworkRoute, Referral]]:
        """The lead's routes of referrals of these members, oldest first."""
        statement = (
            select(NetworkRoute, Referral)
            .join(Referral, Referral.id == NetworkRoute.referral_id)
            .where(
                NetworkRoute.lead_organization_id == self.actor.organization_id,
                Referral.member_id.in_(member_ids),
            )
            .order_by(NetworkRoute.routed_at)
        )
        return [(route, referral) for route, referral in self.session.execute(statement)]

    def claims(self, period_start: dt.date) -> list[Claim]:
        """The actor's claims of a period (a lead: the ones it billed)."""
        statement = select(Claim).where(
            network_claim_visible(self.actor),
            Claim.provider_organization_id == self.actor.organization_id,
            Claim.period_start == period_start,
        )
        return list(self.session.scalars(statement.order_by(Claim.number)).unique())

    def paid_lines(self, claim_ids: list[uuid.UUID]) -> list[ClaimLine]:
        """Lines of these claims that were paid."""
        statement = select(ClaimLine).where(
            ClaimLine.claim_id.in_(claim_ids), ClaimLine.paid_amount.is_not(None)
        )
        return list(self.session.scalars(statement))

    def distribution(self, member_id: uuid.UUID, period: str) -> NetworkDistribution | None:
        """The stored distribution to one member for one month."""
        statement = select(NetworkDistribution).where(
            NetworkDistribution.lead_organization_id == self.actor.organization_id,
            NetworkDistribution.member_organization_id == member_id,
            NetworkDistribution.period == period,
        )
        return self.session.scalars(statement).first()

    def distributions(self, period: str | None) -> list[NetworkDistribution]:
        """Distributions of a month the actor sees (a lead: all; a member: its own)."""
        org = self.actor.organization_id
        statement = select(NetworkDistribution).where(
            NetworkDistribution.period == period if period else true(),
            or_(
                NetworkDistribution.lead_organization_id == org,
                NetworkDistribution.member_organization_id == org,
            ),
        )
        return list(
            self.session.scalars(statement.order_by(NetworkDistribution.member_organization_id))
        )

    def audit(self, action: str, entity: Any, details: dict[str, Any]) -> None:
        """Record a network action (a referral's route names the member in the trail)."""
        record(self.session, self.actor, action, entity, details=details)
        self.session.flush()
