"""A network lead routes referrals to its member CBOs, bills the plan for them and passes the
payments on by each member's terms.

- **Route**: a referral the lead received goes to the member CBO that assignment's ranking
  (`calaim.ops.assignments.ranking`) puts first: serves the member's county, has open
  capacity, serves the program, speaks the member's language, says it serves the member's
  group (age, families, people leaving jail or prison). The lead is the contracted
  party, so each member is ranked as contracted with the lead's plans.
- **Bill**: the lead's claims for members' work name the member as rendering provider
  (837P loop 2310B); the lead stays the billing provider.
- **Distribute**: of what the plan paid for a member's lines, the member receives
  `share × paid − fee_per_line × lines` (never below zero), the lead keeps the rest.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.assignments.ranking import Candidate, MemberNeeds, explain, rank
from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.models import Organization, ProviderProfile, User
from calaim.ops.models.network import NetworkDistribution, NetworkMembership, NetworkRoute
from calaim.ops.models.referral import Referral
from calaim.ops.network.repository import NetworkRepository
from calaim.ops.providers.populations import member_groups
from calaim.ops.referrals.repository import ReferralRepository

CENT = Decimal("0.01")


class NotALead(InvalidRequest):
    """The caller's organization leads no network (or not on that day)."""


class NoMemberFits(Conflict):
    """No member CBO can take the referral (each one's reasons are in the message)."""


@dataclass(frozen=True)
class Share:
    """What one member receives for a month, and what the lead keeps."""

    member_organization_id: uuid.UUID
    lines: int
    gross: Decimal
    member_receives: Decimal
    lead_keeps: Decimal


def split(
    gross: Decimal, lines: int, share: Decimal, fee_per_line: Decimal
) -> tuple[Decimal, Decimal]:
    """(member receives, lead keeps) of `gross` paid for `lines` lines, to the cent."""
    member = (gross * share - fee_per_line * lines).quantize(CENT, rounding=ROUND_HALF_UP)
    member = max(member, Decimal("0.00"))
    return member, (gross - member).quantize(CENT)


def _candidate(
    org: Organization, profile: ProviderProfile | None, held: int, plans: list[str]
) -> Candidate:
    programs = set(profile.programs_served if profile else [])
    if any(p.startswith("ecm.") for p in programs):
        programs.add("ecm")
    return Candidate(
        organization_id=org.id,
        name=org.name,
        counties=frozenset(org.counties_served or []),
        contracted_plans=frozenset(plans),
        languages=frozenset(profile.languages if profile else []),
        programs_served=frozenset(programs),
        capacity=profile.capacity if profile else 0,
        active_members=held,
        populations_served=frozenset(profile.populations_served or []) if profile else frozenset(),
    )


class NetworkService:
    """Network work on behalf of one user of the lead (or, for reads, of a member)."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = NetworkRepository(session, actor)

    def _led(self, on: dt.date) -> list[NetworkMembership]:
        led = self.repository.led(on)
        if not led:
            raise NotALead("your organization leads no network of member CBOs on that day")
        return led

    def route(self, referral_id: uuid.UUID, *, now: dt.datetime) -> NetworkRoute:
        """Route a referral the lead received to the best-fitting member CBO (audited)."""
        require(self.actor, Permission.NETWORK_MANAGE)
        referral: Referral = ReferralRepository(self.session, self.actor).get(
            referral_id, action="referral.network_route"
        )
        led = self._led(now.date())
        if referral.receiving_organization_id != self.actor.organization_id:
            raise InvalidRequest(
                "only referrals your organization received can be routed to a member",
                field="referral_id",
            )
        if self.repository.route_of(referral.id) is not None:
            raise Conflict("this referral was already routed to a member")
        lead_profile = self.session.get(ProviderProfile, self.actor.organization_id)
        plans = list(lead_profile.contracted_plans) if lead_profile else []
        rows = self.repository.members_as_candidates([m.member_organization_id for m in led])
        member = referral.member
        needs = MemberNeeds(
            county=member.county,
            plan_code=member.payer,
            language=member.language,
            populations=frozenset({referral.program_id}),
            groups=member_groups(member.birth_date, frozenset({referral.program_id}), now.date()),
        )
        ranking = rank(needs, [_candidate(o, p, h, plans) for o, p, h in rows])
        if ranking.choice is None:
            reasons = "; ".join(f"{e.name}: {', '.join(e.exclusions)}" for e in ranking.evaluations)
            raise NoMemberFits(f"no member can take this referral ({reasons or 'no members'})")
        route = NetworkRoute(
            id=uuid.uuid4(),
            referral_id=referral.id,
            lead_organization_id=self.actor.organization_id,
            member_organization_id=ranking.choice.organization_id,
            routed_by_user_id=self.actor.id,
            routed_at=now,
            ranking=explain(ranking),
        )
        self.session.add(route)
        self.repository.audit(
            "network.route",
            referral.member,
            {
                "referral_id": str(referral.id),
                "member_organization_id": str(route.member_organization_id),
            },
        )
        return route

    def attribute(self, period_start: dt.date) -> int:
        """Name the rendering member on the lead's claims of a month; how many were named."""
        require(self.actor, Permission.BILLING_MANAGE)
        self._led(period_start)
        claims = self.repository.claims(period_start)
        routes = self.repository.routes(list({c.member_id for c in claims}))
        by_member: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
        for route, referral in routes:
            by_member[(referral.member_id, referral.program_id)] = route.member_organization_id
        named = 0
        for claim in claims:
            programs = {line.program_id for line in claim.lines}
            found = {by_member.get((claim.member_id, p)) for p in programs} - {None}
            if len(found) == 1:
                claim.rendering_organization_id = found.pop()
                named += 1
        self.session.flush()
        return named

    def distribute(self, period: str, period_start: dt.date, *, now: dt.datetime) -> list[Share]:
        """Split the month's payments by each member's terms; stored (again) for the month."""
        require(self.actor, Permission.BILLING_MANAGE)
        terms = {m.member_organization_id: m for m in self._led(period_start)}
        claims = [
            c for c in self.repository.claims(period_start) if c.rendering_organization_id in terms
        ]
        rendered = {
            c.id: c.rendering_organization_id for c in claims if c.rendering_organization_id
        }
        totals: dict[uuid.UUID, tuple[int, Decimal]] = {}
        for line in self.repository.paid_lines(list(rendered)):
            member = rendered[line.claim_id]
            count, gross = totals.get(member, (0, Decimal("0.00")))
            totals[member] = (count + 1, gross + (line.paid_amount or Decimal("0")))
        shares = []
        for member_id, (count, gross) in sorted(totals.items(), key=lambda kv: str(kv[0])):
            t = terms[member_id]
            receives, keeps = split(gross, count, t.share, t.fee_per_line)
            shares.append(Share(member_id, count, gross, receives, keeps))
            self._store(member_id, period, shares[-1], now)
        self.repository.audit(
            "network.distribute", None, {"period": period, "members": len(shares)}
        )
        return shares

    def memberships(self, on: dt.date) -> list[NetworkMembership]:
        """Memberships in force on `on` the caller sees (audited)."""
        rows = self.repository.memberships(on)
        self.repository.audit("network.members.read", None, {"count": len(rows)})
        return rows

    def distributions(self, period: str | None) -> list[NetworkDistribution]:
        """Stored distributions the caller sees, of one month or all (audited)."""
        rows = self.repository.distributions(period)
        self.repository.audit("network.distributions.read", None, {"period": period})
        return rows

    def waiting(self) -> list[Referral]:
        """Referrals the lead received that wait to be routed to a member (audited)."""
        require(self.actor, Permission.NETWORK_MANAGE)
        rows = self.repository.unrouted()
        for referral in rows:
            self.repository.audit(
                "referral.read", referral.member, {"referral_id": str(referral.id)}
            )
        return rows

    def _store(self, member_id: uuid.UUID, period: str, share: Share, now: dt.datetime) -> None:
        row = self.repository.distribution(member_id, period) or NetworkDistribution(
            id=uuid.uuid4(),
            lead_organization_id=self.actor.organization_id,
            member_organization_id=member_id,
            period=period,
        )
        row.lines, row.gross, row.created_at = share.lines, share.gross, now
        row.member_receives, row.lead_keeps = share.member_receives, share.lead_keeps
        self.session.add(row)
        self.session.flush()
