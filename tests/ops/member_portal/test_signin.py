"""Member accounts and one-time-code sign-in (ops layer), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calaim.ops.access.part2 import may_see_part2
from calaim.ops.access.scopes import visible_members
from calaim.ops.auth.throttle import SignInThrottle
from calaim.ops.db import session_factory
from calaim.ops.errors import Conflict, Forbidden, TooManyAttempts
from calaim.ops.member_portal.repository import OwnRecord, OwnRecordNotFound
from calaim.ops.member_portal.signin import (
    CODE_LIFETIME,
    Proof,
    SignInFailed,
    open_account,
    send_code,
    verify,
)
from calaim.ops.models import (
    AuditEvent,
    EmailOutbox,
    Member,
    OrganizationKind,
    Role,
    User,
)
from calaim.ops.models.member_account import (  # noqa: F401
    AccountHolder,
    MemberAccount,
    MemberSignInCode,
)
from calaim.ops.tasks.repository import TaskRepository

from ..factories import member, organization, user

NOW = dt.datetime(2025, 10, 1, 16, 0, tzinfo=dt.UTC)


def compose(code: str) -> tuple[str, str]:
    """The email's words (the web layer writes them in the member's language)."""
    return "Your code", f"Your code is {code}.\n/app/me/sign-in\n"


def world(session: Session) -> tuple[User, Member, Member, User]:
    """A plan admin, two members of the plan, and an account for the first member."""
    plan = organization(session, OrganizationKind.PLAN, "MP1")
    admin = user(session, plan, Role.PLAN_ADMIN)
    own, other = member(session, plan, "P-OWN-0001"), member(session, plan, "P-OTHER-002")
    # Unique per test: sign-in counters live in a database shared by the run.
    holder = (f"ana-{uuid.uuid4().hex[:8]}@example.org", "Ana", AccountHolder.SELF)
    account = open_account(session, admin, own, holder, NOW)
    return admin, own, other, account.user


def code_in(session: Session, person: User) -> str:
    """The code in the newest email queued for `person`."""
    row = session.scalars(
        select(EmailOutbox)
        .where(EmailOutbox.user_id == person.id)
        .order_by(EmailOutbox.created_at.desc())
    ).first()
    assert row is not None
    found = re.search(r"\b(\d{6})\b", row.body)
    assert found, row.body
    return found.group(1)


@pytest.fixture
def throttle(engine: Engine) -> SignInThrottle:
    """Sign-in counters kept in the (committed) test database."""
    return SignInThrottle(session_factory(engine))


def test_the_database_accepts_the_member_role_and_still_refuses_others(session: Session) -> None:
    plan = organization(session, OrganizationKind.PLAN, "MP0")
    user(session, plan, Role.MEMBER)
    session.add(User(organization_id=plan.id, email="x@example.org", name="X", role="boss"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_only_the_members_own_plan_opens_an_account(session: Session) -> None:
    admin, own, _other, person = world(session)
    assert person.role == Role.MEMBER
    assert person.password_hash is None
    provider = user(
        session, organization(session, OrganizationKind.ECM_PROVIDER), Role.ECM_SUPERVISOR
    )
    with pytest.raises(Forbidden):
        open_account(session, provider, own, ("b@example.org", "B", AccountHolder.SELF), NOW)
    elsewhere = user(session, organization(session, OrganizationKind.PLAN, "MP9"), Role.PLAN_ADMIN)
    with pytest.raises(Forbidden):
        open_account(session, elsewhere, own, ("c@example.org", "C", AccountHolder.SELF), NOW)
    with pytest.raises(Conflict):
        open_account(session, admin, own, (person.email.upper(), "Ana", AccountHolder.SELF), NOW)


def test_a_code_is_queued_by_email_once_a_minute_and_never_for_unknown_addresses(
    session: Session,
) -> None:
    _admin, _own, _other, person = world(session)
    assert send_code(session, person.email.title(), compose, NOW)
    assert not send_code(session, person.email, compose, NOW + dt.timedelta(seconds=30))
    assert send_code(session, person.email, compose, NOW + dt.timedelta(seconds=61))
    assert not send_code(session, "nobody@example.org", compose, NOW)
    rows = session.scalars(select(EmailOutbox).where(EmailOutbox.user_id == person.id)).all()
    assert len(rows) == 2
    assert all(r.to_address == person.email for r in rows)
    actions = set(session.scalars(select(AuditEvent.action)))
    assert {"member_portal.code_sent", "member_portal.code_unknown_email"} <= actions


def test_the_database_keeps_only_a_hash_of_the_code_never_the_code(session: Session) -> None:
    _admin, _own, _other, person = world(session)
    send_code(session, person.email, compose, NOW)
    code = code_in(session, person)  # the email carries it (the outbox row's body)
    row = session.scalars(
        select(MemberSignInCode).where(MemberSignInCode.user_id == person.id)
    ).one()
    assert re.fullmatch(r"[0-9a-f]{64}", row.code_hash)
    assert code not in row.code_hash
    details = [str(e.details) for e in session.scalars(select(AuditEvent))]
    assert not any(code in d for d in details)


def test_the_code_cin_and_birth_date_must_all_match_and_a_code_works_once(
    session: Session, throttle: SignInThrottle
) -> None:
    _admin, own, _other, person = world(session)
    send_code(session, person.email, compose, NOW)
    code = code_in(session, person)
    right = Proof(person.email, code, own.cin or "", own.birth_date)
    for wrong in (
        Proof(right.email, "000000" if code != "000000" else "111111", right.cin, right.birth_date),
        Proof(right.email, code, "91234567X", right.birth_date),
        Proof(right.email, code, right.cin, right.birth_date + dt.timedelta(days=1)),
        Proof("other@example.org", code, right.cin, right.birth_date),
    ):
        with pytest.raises(SignInFailed):
            verify(session, throttle, wrong, "10.9.0.1", NOW)
    assert verify(session, throttle, right, "10.9.0.2", NOW) == person
    with pytest.raises(SignInFailed):  # used
        verify(session, throttle, right, "10.9.0.3", NOW)


def test_a_code_expires_after_ten_minutes(session: Session, throttle: SignInThrottle) -> None:
    _admin, own, _other, person = world(session)
    send_code(session, person.email, compose, NOW)
    proof = Proof(person.email, code_in(session, person), own.cin or "", own.birth_date)
    with pytest.raises(SignInFailed):
        verify(session, throttle, proof, "10.9.1.1", NOW + CODE_LIFETIME)
    assert verify(
        session, throttle, proof, "10.9.1.2", NOW + CODE_LIFETIME - dt.timedelta(seconds=1)
    )


def test_failures_are_throttled_like_staff_sign_in(
    session: Session, throttle: SignInThrottle
) -> None:
    _admin, own, _other, person = world(session)
    send_code(session, person.email, compose, NOW)
    proof = Proof(person.email, code_in(session, person), "WRONG", own.birth_date)
    for attempt in range(5):  # the account's free failures
        with pytest.raises(SignInFailed):
            verify(session, throttle, proof, f"10.9.2.{attempt}", NOW)
    with pytest.raises(SignInFailed):
        verify(session, throttle, proof, "10.9.2.9", NOW)
    right = Proof(proof.email, proof.code, own.cin or "", own.birth_date)
    with pytest.raises(TooManyAttempts):  # blocked now, even with the right answers
        verify(session, throttle, right, "10.9.2.10", NOW)


def test_a_member_sees_only_their_own_record_and_their_own_part2(session: Session) -> None:
    _admin, own, other, person = world(session)
    assert list(session.scalars(visible_members(person))) == [own]
    assert OwnRecord(session, person).mine() == own
    with pytest.raises(OwnRecordNotFound):
        OwnRecord(session, person).member(other.id)
    assert may_see_part2(session, person, own, None)
    assert not may_see_part2(session, person, other, NOW.date())


def test_a_member_account_is_never_a_colleague_staff_assign_tasks_to(session: Session) -> None:
    admin, _own, _other, person = world(session)
    tasks = TaskRepository(session, admin)
    assert admin in tasks.colleagues()
    assert person not in tasks.colleagues()
    assert tasks.colleague(person.id) is None
