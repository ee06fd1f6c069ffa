"""The demo's community network: a lead agency with two member CBOs, an application to two
plans, a credential about to expire (a renewal task), August's paid claims for members' work
(`network_billing`) and a referral routed to a member."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from calaim.ops.demo.actions import refer, route
from calaim.ops.demo.network_billing import paid_network_month
from calaim.ops.demo.world import HOSPITAL, DemoWorld, at, days_before, pick
from calaim.ops.models import Organization, OrganizationKind, ProviderProfile, Role, User
from calaim.ops.models.billing import BillingProfile
from calaim.ops.models.network import NetworkMembership
from calaim.ops.models.provider_credential import CredentialKind
from calaim.ops.models.referral import ReferralSource
from calaim.ops.network.service import NetworkService
from calaim.ops.providers.applications import ApplicationIn, ApplicationService
from calaim.ops.providers.profile import CredentialIn, ProfileService

RECUPERATIVE_CARE = "cs.recuperative_care"
# (key, name, NPI, languages, capacity, share kept, fee per line, user)
NETWORK = [
    (
        "network",
        "Los Angeles Community Care Network",
        "1366000127",
        ["en", "es"],
        0,
        None,
        None,
        "lead@network.demo",
    ),
    (
        "casa",
        "Casa Esperanza Respite",
        "1467000125",
        ["es", "en"],
        15,
        "0.85",
        "2.50",
        "staff@casa.demo",
    ),
    (
        "harbor_light",
        "Harbor Light Housing",
        "1568000123",
        ["en", "ko"],
        20,
        "0.80",
        "0.00",
        "staff@harborlight.demo",
    ),
]


def community_network(session: Session, world: DemoWorld) -> None:
    """The lead, its members (with their terms), staff, an application and a routed referral."""
    for key, name, npi, languages, capacity, share, fee, email in NETWORK:
        org = Organization(
            name=name, kind=OrganizationKind.CS_PROVIDER.value, counties_served=["Los Angeles"]
        )
        session.add(org)
        session.flush()
        world.organizations[key] = org
        lead = key == "network"
        session.add(
            ProviderProfile(
                organization_id=org.id,
                npi=npi,
                tin="954000111",
                languages=languages,
                capacity=capacity,
                programs_served=[RECUPERATIVE_CARE],
                contracted_plans=["LACARE", "HEALTHNET"] if lead else [],
            )
        )
        world.users[email] = User(
            organization=org,
            organization_id=org.id,
            email=email,
            name=email.split("@")[0].upper() + " (demo)",
            role=Role.CS_PROVIDER_STAFF.value,
            password_hash=world.password_hash,
        )
        session.add(world.users[email])
        if share is not None:
            session.add(
                NetworkMembership(
                    lead_organization_id=world.organizations["network"].id,
                    member_organization_id=org.id,
                    share=Decimal(share),
                    fee_per_line=Decimal(fee or "0"),
                    started_on=dt.date(2025, 1, 1),
                )
            )
    session.add(
        BillingProfile(
            organization_id=world.organizations["network"].id,
            address_line="200 Spring St",
            city="Los Angeles",
            state="CA",
            zip_code="900121234",
            phone="2135550188",
        )
    )
    session.flush()
    _application(session, world)
    paid_network_month(session, world)
    _routed_referral(session, world)


def _application(session: Session, world: DemoWorld) -> None:
    """The lead's insurance, a staff credential expiring in 45 days (a renewal task), and
    its application to L.A. Care and Health Net."""
    lead = world.users["lead@network.demo"]
    profile = ProfileService(session, lead)
    profile.add_credential(
        CredentialIn(
            CredentialKind.INSURANCE,
            "general_liability",
            "General liability insurance",
            number="GL-20931",
            expires_on=world.as_of + dt.timedelta(days=120),
        )
    )
    profile.add_credential(
        CredentialIn(
            CredentialKind.STAFF_CREDENTIAL,
            "chw_certificate",
            "Community health worker certificate",
            holder_name="Rosa Medina",
            expires_on=world.as_of + dt.timedelta(days=45),
        )
    )
    profile.add_credential(
        CredentialIn(
            CredentialKind.LICENSE,
            "business_license",
            "City of Los Angeles business tax registration",
            number="BTRC-0044817",
            expires_on=world.as_of + dt.timedelta(days=400),
        )
    )
    answers = {
        "lacare.hipaa_attestation": True,
        "healthnet.cultural_competency": "Bilingual staff at every site; interpreters.",
    }
    ApplicationService(session, lead).submit(
        ApplicationIn(["LACARE", "HEALTHNET"], [RECUPERATIVE_CARE], ["Los Angeles"], answers),
        now=at(days_before(3)),
    )


def _routed_referral(session: Session, world: DemoWorld) -> None:
    """A hospital refers; L.A. Care routes to the lead; the lead routes to its member. A
    second referral waits at the lead to be routed."""
    member = pick(session, world, RECUPERATIVE_CARE)
    when = at(days_before(2))
    referral = refer(
        session, world, HOSPITAL, member, RECUPERATIVE_CARE, ReferralSource.HOSPITAL, when
    )
    route(session, world, referral, "network", at(days_before(2), 11))
    NetworkService(session, world.users["lead@network.demo"]).route(
        referral.id, now=at(days_before(2), 14)
    )
    waiting = pick(session, world, RECUPERATIVE_CARE)
    second = refer(
        session,
        world,
        HOSPITAL,
        waiting,
        RECUPERATIVE_CARE,
        ReferralSource.HOSPITAL,
        at(days_before(1)),
    )
    route(session, world, second, "network", at(days_before(1), 10))
