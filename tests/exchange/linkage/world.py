"""A small world for linkage tests: a plan with members, an ECM provider, users."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from calaim.exchange.linkage.sample import FIRST, LAST, STREETS
from calaim.ops.models import Member, Organization, OrganizationKind, Role, User
from ops import factories

AS_OF = dt.date(2026, 1, 1)


@dataclass
class World:
    """Organizations, users and members of one test."""

    plan: Organization
    other_plan: Organization
    provider: Organization
    plan_user: User
    provider_user: User
    members: list[Member]


def person(rng: random.Random, i: int) -> dict[str, Any]:
    """A distinct synthetic person's identifying details."""
    return {
        "cin": f"{10_000_000 + i * 7919}C",
        "first_name": rng.choice(FIRST) + rng.choice(["", "a", "o", "e"]),
        "last_name": rng.choice(LAST) + f"{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}",
        "birth_date": dt.date(1950 + i % 60, 1 + i % 12, 1 + i % 28),
        "sex": "MF"[i % 2],
        "address_line": f"{100 + i} {rng.choice(STREETS).upper()}",
        "city": "LOS ANGELES",
        "zip_code": f"9{i % 900:04d}",
        "phone": f"213{5_550_000 + i:07d}",
    }


def build(session: Session, count: int = 40, tag: str = "") -> World:
    """A plan with `count` members, another plan with the same number, an ECM provider
    (`tag` makes the plan codes unique, for tests that commit)."""
    plan = factories.organization(session, OrganizationKind.PLAN, f"PLANA{tag}")
    other = factories.organization(session, OrganizationKind.PLAN, f"PLANB{tag}")
    provider = factories.organization(session, OrganizationKind.ECM_PROVIDER)
    rng = random.Random(3)
    members = []
    for i in range(2 * count):
        details = person(rng, i)
        owner = plan if i < count else other
        member = Member(
            plan_organization_id=owner.id,
            person_id=f"P{i:05d}",
            payer=owner.plan_code or "",
            county="Los Angeles",
            **details,
        )
        session.add(member)
        members.append(member)
    session.flush()
    return World(
        plan=plan,
        other_plan=other,
        provider=provider,
        plan_user=factories.user(session, plan, Role.PLAN_ADMIN),
        provider_user=factories.user(session, provider, Role.ECM_SUPERVISOR),
        members=members[:count],
    )


def as_row(member: Member) -> dict[str, Any]:
    """A member as a roster row (the layout's field names)."""
    fields = (
        "cin",
        "first_name",
        "last_name",
        "birth_date",
        "sex",
        "address_line",
        "city",
        "zip_code",
        "phone",
    )
    return {name: getattr(member, name) for name in fields}
