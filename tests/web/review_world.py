"""Requests waiting on the review desk, made through the services on the shared demo database.

Each call picks LACARE members with no authorization for the program yet (so tests never share
a request) whose engine determination is not eligible (so the request waits for a reviewer
instead of being approved on the engine's answer), and requests it as the plan's reviewer,
naming the demo's CS provider (which then hears of the decision).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.db import make_engine, session_factory
from calaim.ops.demo import DEMO_NOW
from calaim.ops.models import Authorization, Member, MemberDetermination, Organization, User

PROGRAM = "cs.medically_tailored_meals"


def waiting_requests(
    demo_url: str, count: int, *, program: str = PROGRAM, hours_ago: int = 2
) -> list[uuid.UUID]:
    """`count` new undecided requests, requested `hours_ago` before the demo's now."""
    engine = make_engine(demo_url)
    try:
        with session_factory(engine)() as session, session.begin():
            reviewer = session.scalars(select(User).where(User.email == "um@lacare.demo")).one()
            provider = session.scalars(
                select(Organization).where(Organization.name == "Harbor Recuperative Care")
            ).one()
            taken = select(Authorization.member_id).where(Authorization.program_id == program)
            not_eligible = select(MemberDetermination.member_id).where(
                MemberDetermination.program_id == program,
                MemberDetermination.eligible.is_(False),
            )
            members = session.scalars(
                select(Member)
                .where(
                    Member.plan_organization_id == reviewer.organization_id,
                    Member.id.not_in(taken),
                    Member.id.in_(not_eligible),
                )
                .order_by(Member.person_id)
                .limit(count)
            ).all()
            assert len(members) == count, "the demo has too few members left for this test"
            service = AuthorizationService(session, reviewer)
            made = [
                service.request(
                    member_id=m.id,
                    program_id=program,
                    now=DEMO_NOW - dt.timedelta(hours=hours_ago),
                    provider_organization_id=provider.id,
                )
                for m in members
            ]
            assert all(a.status == "pending" for a in made)
            return [a.id for a in made]
    finally:
        engine.dispose()
