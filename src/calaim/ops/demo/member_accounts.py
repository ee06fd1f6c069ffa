"""Members ready to sign in at `/app/me`: one enrolled in ECM with a care plan (their own
account), and one with a Community Supports stay (through an authorized representative).

The plan administrator opens both accounts with the real service, as a plan would. The code
goes to the email outbox; `calaim serve --demo` prints that outbox in its window
(`ops/server/serve.py`), and its banner names each account's email, CIN and date of birth.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from calaim.ops.demo.world import MEMBER_ACCOUNTS, DemoWorld
from calaim.ops.member_portal.signin import open_account
from calaim.ops.models import EnrollmentStatus, Member
from calaim.ops.models.member_account import AccountHolder

PLAN_ADMIN = "admin@lacare.demo"


def member_accounts(session: Session, world: DemoWorld) -> None:
    """Open the demo's member accounts (`MEMBER_ACCOUNTS`) for two of the plan's members."""
    plan = world.organizations["lacare"].id
    enrolled = [
        session.get(Member, e.member_id)
        for e in world.enrollments
        if e.status == EnrollmentStatus.ENROLLED.value
    ]
    supported = [session.get(Member, e.member_id) for e in world.episodes]
    chosen: list[Member] = []
    for candidates in (enrolled, supported):
        found = next(
            (m for m in candidates if m and m.plan_organization_id == plan and m not in chosen),
            None,
        )
        if found is not None:
            chosen.append(found)
    admin = world.users[PLAN_ADMIN]
    for member, (email, holder) in zip(chosen, MEMBER_ACCOUNTS, strict=False):
        name = f"{member.first_name} {member.last_name}"
        if holder == AccountHolder.REPRESENTATIVE:
            name = f"A helper of {member.first_name}"
        open_account(session, admin, member, (email, name, holder), world.now)
    session.flush()
