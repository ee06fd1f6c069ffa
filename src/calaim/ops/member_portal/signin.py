"""Members sign in with a one-time code sent by email, then prove who they are (CIN and date
of birth). Throttled like staff sign-in (docs/security.md), and every step is audited.

- A plan opens an account for a member or their authorized representative (`open_account`).
- Asking for a code (`send_code`) answers the same whether or not the email has an account;
  a code goes out through the email outbox (the worker sends it), at most one a minute.
- Signing in (`verify`) needs a live code, the member's CIN and date of birth. Any mistake
  gets one answer and counts against the email and the client address (`SignInThrottle`:
  a few free tries, then growing waits, then a lockout). A code works once, for 10 minutes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import is_plan
from calaim.ops.audit.service import record
from calaim.ops.auth.throttle import Scope, SignInThrottle, ThrottleKey
from calaim.ops.errors import Conflict, Forbidden, InvalidRequest, TooManyAttempts
from calaim.ops.member_portal.repository import Accounts
from calaim.ops.models import Member, Role, User
from calaim.ops.models.inbox import EmailOutbox, OutboxStatus
from calaim.ops.models.member_account import AccountHolder, MemberAccount, MemberSignInCode

CODE_LIFETIME = dt.timedelta(minutes=10)
RESEND_AFTER = dt.timedelta(minutes=1)
# Member accounts are throttled apart from staff accounts with the same email.
THROTTLE_PREFIX = "member:"

Compose = Callable[[str], tuple[str, str]]


class SignInFailed(Exception):
    """The code, CIN or date of birth did not match (never says which, or whether the account
    exists)."""


@dataclass(frozen=True)
class Proof:
    """What a member types to sign in."""

    email: str
    code: str
    cin: str
    birth_date: dt.date


def _hash(code_id: uuid.UUID, code: str) -> str:
    return hashlib.sha256(f"{code_id}:{code.strip()}".encode()).hexdigest()


def open_account(
    session: Session,
    actor: User,
    member: Member,
    holder: tuple[str, str, AccountHolder],
    now: dt.datetime,
) -> MemberAccount:
    """The member's plan opens an account (email, name, self or representative); audited."""
    require(actor, Permission.MEMBER_WRITE)
    if not is_plan(actor) or member.plan_organization_id != actor.organization_id:
        raise Forbidden("only the member's own plan may open an account for the member")
    email, name, kind = holder
    if "@" not in email or len(email) > 320:
        raise InvalidRequest("give the account holder's email address", field="email")
    if Accounts(session).by_email(email) is not None:
        raise Conflict("that email already has a member account")
    user = User(
        id=uuid.uuid4(),
        organization_id=member.plan_organization_id,
        email=email.strip().lower(),
        name=name.strip()[:200] or "Member",
        role=Role.MEMBER.value,
    )
    session.add(user)
    session.flush()
    account = MemberAccount(
        user_id=user.id,
        member_id=member.id,
        holder=kind.value,
        created_at=now,
        created_by_user_id=actor.id,
    )
    session.add(account)
    session.flush()
    event = record(session, actor, "member_portal.account_opened", account)
    event.member_person_id, event.details = member.person_id, {"holder": kind.value}
    return account


def send_code(session: Session, email: str, compose: Compose, now: dt.datetime) -> bool:
    """Email a new code if `email` has an account and none was sent this minute; whether one
    was queued (the page says the same either way)."""
    account = Accounts(session).by_email(email)
    if account is None:
        record(session, None, "member_portal.code_unknown_email", entity_type="member_account")
        return False
    user = account.user
    if Accounts(session).codes_since(user, now - RESEND_AFTER):
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    row = MemberSignInCode(
        id=uuid.uuid4(), user_id=user.id, created_at=now, expires_at=now + CODE_LIFETIME
    )
    row.code_hash = _hash(row.id, code)
    subject, body = compose(code)
    session.add(row)
    session.add(
        EmailOutbox(
            user_id=user.id,
            to_address=user.email,
            subject=subject,
            body=body,
            status=OutboxStatus.PENDING.value,
            attempts=0,
            created_at=now,
            available_at=now,
        )
    )
    record(session, user, "member_portal.code_sent", account)
    return True


def verify(
    session: Session, throttle: SignInThrottle, proof: Proof, client: str, now: dt.datetime
) -> User:
    """The member user if the code, CIN and date of birth all match; else `SignInFailed`
    (counted), or `TooManyAttempts` while blocked (checked first, not counted)."""
    keys = [
        ThrottleKey.of(Scope.ACCOUNT, THROTTLE_PREFIX + proof.email),
        ThrottleKey.of(Scope.CLIENT, client),
    ]
    try:
        known = throttle.check(keys, now)
    except TooManyAttempts as error:
        record(session, None, "auth.throttled", entity_type="member_sign_in",
               details={"retry_after": error.retry_after})  # fmt: skip
        raise
    user = _matching_user(session, proof, now)
    if user is None:
        for outcome in throttle.failed(keys, now):
            if outcome.locked:
                record(session, None, "auth.locked_out", entity_type="member_sign_in",
                       details={"scope": outcome.key.scope.value})  # fmt: skip
        raise SignInFailed("the code, CIN or date of birth does not match")
    throttle.succeeded([key for key in known if key.scope == Scope.ACCOUNT])
    return user


def _matching_user(session: Session, proof: Proof, now: dt.datetime) -> User | None:
    """The account's user when every part of the proof matches (the code is then used)."""
    account = Accounts(session).by_email(proof.email)
    if account is None:
        record(session, None, "auth.login_failed", entity_type="member_sign_in",
               details={"reason": "unknown_email"})  # fmt: skip
        return None
    codes = Accounts(session).live_codes(account.user, now)
    code = next(
        (c for c in codes if hmac.compare_digest(c.code_hash, _hash(c.id, proof.code))), None
    )
    member = account.member
    identity = (member.cin or "").strip().upper() == proof.cin.strip().upper() and (
        member.birth_date == proof.birth_date
    )
    if code is None or not identity:
        reason = "wrong_code" if code is None else "wrong_identity"
        record(session, account.user, "auth.login_failed", account, details={"reason": reason})
        return None
    code.used_at = now
    event = record(session, account.user, "auth.login", account, details={"channel": "member"})
    event.member_person_id = member.person_id
    return account.user
