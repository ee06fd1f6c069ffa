"""A network lead: routes a referral to the member CBO that fits (language, capacity, county),
bills the plan as billing provider with the member as rendering provider (pyx12-valid 837P),
and splits the plan's payment by the member's terms, to the cent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from calaim.exchange.x12.claims837 import validated_837
from calaim.exchange.x12.remit835 import parse_835
from calaim.ops.billing.build import BillingService
from calaim.ops.billing.export import export_batches
from calaim.ops.billing.reconcile import Reconciler
from calaim.ops.models import OrganizationKind, ProviderProfile, Role, User
from calaim.ops.models.network import NetworkMembership
from calaim.ops.models.referral import Referral
from calaim.ops.network.service import NetworkService, NoMemberFits, split
from calaim.ops.referrals.repository import ReferralNotFound, ReferralRepository
from ops import factories
from ops.billing.world import NOW, World, build_world, deliver

from .helpers import AT, SEPT, answer


def npi(base: str) -> str:
    """A 10-digit NPI with its Luhn check digit (prefix 80840, as the NPI standard says)."""
    digits = [int(d) for d in "80840" + base]
    total = 0
    for i, d in enumerate(reversed(digits)):
        total += d if i % 2 else sum(divmod(d * 2, 10))
    return base + str((10 - total % 10) % 10)


def member_cbo(session: Session, name: str, languages: list[str], number: str) -> User:
    """A member CBO serving recuperative care in Los Angeles; its staff user."""
    org = factories.organization(session, OrganizationKind.CS_PROVIDER)
    org.name = name
    session.add(
        ProviderProfile(
            organization_id=org.id,
            npi=npi(number),
            languages=languages,
            programs_served=["cs.recuperative_care"],
            capacity=5,
            contracted_plans=[],
        )
    )
    return factories.user(session, org, Role.CS_PROVIDER_STAFF)


def network(session: Session) -> tuple[World, User, User, Referral]:
    """The billing world's CS provider leads two members; it received a referral."""
    world = build_world(session)
    english = member_cbo(session, "Harbor Respite", ["en"], "123456789")
    spanish = member_cbo(session, "Casa Esperanza", ["es", "en"], "198765432")
    for staff in (english, spanish):
        session.add(
            NetworkMembership(
                lead_organization_id=world.cs.id,
                member_organization_id=staff.organization_id,
                share=Decimal("0.85"),
                fee_per_line=Decimal("2.50"),
                started_on=dt.date(2025, 1, 1),
            )
        )
    referral = Referral(
        member_id=world.member.id,
        program_id="cs.recuperative_care",
        referring_organization_id=world.plan.id,
        receiving_organization_id=world.cs.id,
        source_kind="plan",
        status="accepted",
        version=1,
    )
    session.add(referral)
    session.flush()
    return world, english, spanish, referral


def test_route_bill_and_distribute(session: Session) -> None:
    world, english, spanish, referral = network(session)
    lead = NetworkService(session, world.cs_staff)
    route = lead.route(referral.id, now=NOW)
    # The member speaks Spanish: the Spanish-speaking member ranks first.
    assert route.member_organization_id == spanish.organization_id
    assert [r["name"] for r in route.ranking] == ["Casa Esperanza", "Harbor Respite"]
    assert ReferralRepository(session, spanish).get(referral.id).id == referral.id
    with pytest.raises(ReferralNotFound):
        ReferralRepository(session, english).get(referral.id)
    for day in (1, 2, 3):
        deliver(session, world, dt.date(2025, 9, day))
    BillingService(session, world.cs_staff).build(SEPT, now=NOW)
    assert lead.attribute(SEPT.start) == 1
    (batch,) = export_batches(session, world.cs_staff, SEPT)
    text = validated_837(batch, control_number=7, produced_at=AT)
    segments = text.split("~")
    assert f"NM1*85*2*{world.cs.name.upper()}*****XX*1245319599" in segments
    assert f"NM1*82*2*CASA ESPERANZA*****XX*{npi('198765432')}" in segments
    payment = answer(text, deny_every=0)
    Reconciler(session, world.cs_staff).apply(parse_835(payment, check=False), payment)
    (share,) = lead.distribute("2025-09", SEPT.start, now=NOW)
    assert share.member_organization_id == spanish.organization_id
    # Three paid days at 200.00: 600.00 x 0.85 - 3 x 2.50 = 502.50 to the member.
    assert (share.lines, share.gross) == (3, Decimal("600.00"))
    assert (share.member_receives, share.lead_keeps) == (Decimal("502.50"), Decimal("97.50"))


def test_split_never_goes_below_zero_and_keeps_cents() -> None:
    assert split(Decimal("10.00"), 5, Decimal("0.5"), Decimal("2.00")) == (
        Decimal("0.00"),
        Decimal("10.00"),
    )
    assert split(Decimal("100.01"), 1, Decimal("0.333"), Decimal("0")) == (
        Decimal("33.30"),
        Decimal("66.71"),
    )


def test_a_member_cannot_route_and_a_full_network_says_why(session: Session) -> None:
    world, english, spanish, referral = network(session)
    for staff in (english, spanish):
        profile = session.get(ProviderProfile, staff.organization_id)
        assert profile is not None
        profile.capacity = 0
    with pytest.raises(NoMemberFits, match="no open capacity"):
        NetworkService(session, world.cs_staff).route(referral.id, now=NOW)
    # A member cannot even see a referral its lead has not routed to it.
    with pytest.raises(ReferralNotFound):
        NetworkService(session, spanish).route(referral.id, now=NOW)
