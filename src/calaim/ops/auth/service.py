"""Signing in: users by email and password, systems by organization API key; all audited.

Audit events name who and what, never the password or the key's secret.
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.audit.service import record
from calaim.ops.auth import api_keys, sessions
from calaim.ops.auth.passwords import check_policy, hash_password, needs_rehash, verify_password
from calaim.ops.auth.throttle import Scope, SignInThrottle, ThrottleKey, unlock
from calaim.ops.errors import NotFound, TooManyAttempts
from calaim.ops.models import ApiKey, Organization, User


class AuthenticationFailed(Exception):
    """Sign-in failed; the message never says whether the email exists."""


INVALID_CREDENTIALS = "invalid email or password"
INVALID_API_KEY = "invalid API key"


@cache
def _dummy_hash() -> str:
    # Verified against for unknown emails, so they cost the same work as a wrong password.
    return hash_password("calaim-dummy-password-never-matches")


def _find_user(session: Session, email: str) -> User | None:
    normalized = email.strip().lower()
    return session.scalars(select(User).where(func.lower(User.email) == normalized)).one_or_none()


def authenticate(session: Session, email: str, password: str) -> User:
    """The user with `email` if `password` is theirs; otherwise `AuthenticationFailed`."""
    user = _find_user(session, email)
    if user is None or user.password_hash is None:
        verify_password(_dummy_hash(), password)
        record(
            session,
            user,
            "auth.login_failed",
            user,
            entity_type="user",
            details={"email": email.strip().lower(), "reason": "unknown_or_no_password"},
        )
        raise AuthenticationFailed(INVALID_CREDENTIALS)
    if not verify_password(user.password_hash, password):
        record(session, user, "auth.login_failed", user, details={"reason": "wrong_password"})
        raise AuthenticationFailed(INVALID_CREDENTIALS)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    record(session, user, "auth.login", user)
    return user


def sign_in(
    session: Session,
    throttle: SignInThrottle,
    email: str,
    password: str,
    client: str,
    now: dt.datetime,
) -> User:
    """`authenticate`, throttled per account (the email as typed) and per client address.

    A blocked attempt raises `TooManyAttempts` before any password is checked (audited); a
    failure counts against both keys (audited, and the lockout too); success clears the
    account's count.
    """
    keys = [ThrottleKey.of(Scope.ACCOUNT, email), ThrottleKey.of(Scope.CLIENT, client)]
    known = _refuse_if_blocked(session, throttle, keys, now)
    try:
        user = authenticate(session, email, password)
    except AuthenticationFailed:
        _count_failure(session, throttle, keys, now)
        raise
    throttle.succeeded([key for key in known if key.scope == Scope.ACCOUNT])
    return user


def _refuse_if_blocked(
    session: Session, throttle: SignInThrottle, keys: list[ThrottleKey], now: dt.datetime
) -> list[ThrottleKey]:
    try:
        return throttle.check(keys, now)
    except TooManyAttempts as error:
        record(
            session,
            None,
            "auth.throttled",
            entity_type="sign_in",
            details={k.scope.value: k.key for k in keys} | {"retry_after": error.retry_after},
        )
        raise


def _count_failure(
    session: Session, throttle: SignInThrottle, keys: list[ThrottleKey], now: dt.datetime
) -> None:
    for outcome in throttle.failed(keys, now):
        if outcome.locked:
            record(
                session,
                None,
                "auth.locked_out",
                entity_type="sign_in",
                details={
                    "scope": outcome.key.scope.value,
                    "key": outcome.key.key,
                    "failures": outcome.failures,
                    "seconds": int(outcome.blocked_for.total_seconds()),
                },
            )


def set_password(
    session: Session,
    user: User,
    password: str,
    now: dt.datetime,
    actor: User | None = None,
) -> int:
    """Give `user` a new password (policy-checked, argon2-hashed); `actor` defaults to the user.

    Every session of the user ends (how many is returned): whoever held an old token, or
    knew the old password, must sign in again.
    """
    check_policy(password)
    user.password_hash = hash_password(password)
    record(session, actor or user, "auth.password_set", user)
    return sessions.revoke_all(session, user, now, sessions.PASSWORD_CHANGED, actor or user)


def change_own_password(
    session: Session,
    throttle: SignInThrottle,
    user: User,
    passwords: tuple[str, str],
    client: str,
    now: dt.datetime,
) -> int:
    """The signed-in user changes their password (current, new), proving the current one.

    The proof is a throttled sign-in, so a stolen session cannot be used to guess passwords.
    """
    current, new = passwords
    sign_in(session, throttle, user.email, current, client, now)
    return set_password(session, user, new, now)


def authenticate_api_key(session: Session, key: str) -> Organization:
    """The organization owning the live API key `key`; otherwise `AuthenticationFailed`."""
    try:
        prefix = api_keys.split(key)[0]
    except api_keys.ApiKeyInvalid:
        prefix = None
    try:
        row = api_keys.verify(session, key)
    except api_keys.ApiKeyInvalid as error:
        found = api_keys.find_by_prefix(session, prefix) if prefix else None
        if found is None:
            verify_password(_dummy_hash(), key)
        event = record(
            session,
            None,
            "auth.api_key_failed",
            found,
            entity_type="api_key",
            details={"prefix": prefix, "reason": str(error)},
        )
        event.organization_id = found.organization_id if found else None
        raise AuthenticationFailed(INVALID_API_KEY) from error
    event = record(session, None, "auth.api_key_used", row, details={"prefix": row.prefix})
    event.organization_id = row.organization_id
    return row.organization


def sign_in_with_api_key(
    session: Session, throttle: SignInThrottle, key: str, client: str, now: dt.datetime
) -> Organization:
    """`authenticate_api_key`, throttled per key prefix and per client address."""
    try:
        prefix = api_keys.split(key)[0]
    except api_keys.ApiKeyInvalid:
        prefix = None
    keys = [ThrottleKey.of(Scope.CLIENT, client)]
    if prefix:
        keys.insert(0, ThrottleKey.of(Scope.API_KEY, prefix))
    known = _refuse_if_blocked(session, throttle, keys, now)
    try:
        organization = authenticate_api_key(session, key)
    except AuthenticationFailed:
        _count_failure(session, throttle, keys, now)
        raise
    throttle.succeeded([k for k in known if k.scope == Scope.API_KEY])
    return organization


def issue_api_key(
    session: Session, actor: User, organization: Organization, name: str, now: dt.datetime
) -> api_keys.IssuedApiKey:
    """Issue a key for `organization` and audit it (the secret is never recorded)."""
    issued = api_keys.issue(session, organization, name, now)
    event = record(
        session,
        actor,
        "auth.api_key_issued",
        issued.api_key,
        details={"prefix": issued.api_key.prefix, "name": name},
    )
    event.organization_id = organization.id
    return issued


def revoke_api_key(session: Session, actor: User, key: ApiKey, now: dt.datetime) -> None:
    """Revoke `key` from `now` on, audited."""
    api_keys.revoke(key, now)
    event = record(session, actor, "auth.api_key_revoked", key, details={"prefix": key.prefix})
    event.organization_id = key.organization_id


class UserNotFound(NotFound):
    """No user with that id in the administrator's organization."""


def user_of_my_organization(session: Session, actor: User, user_id: uuid.UUID) -> User:
    """An administrator's look-up of a user: only their own organization's (else audited 404)."""
    require(actor, Permission.ORGANIZATION_ADMIN)
    user = session.get(User, user_id)
    if user is None or user.organization_id != actor.organization_id:
        record(session, actor, "user.read_denied", entity_type="user", entity_id=str(user_id))
        raise UserNotFound("no such user in your organization")
    return user


def revoke_user_sessions(
    session: Session, actor: User, user_id: uuid.UUID, now: dt.datetime
) -> int:
    """An administrator ends every session of one of their organization's users."""
    user = user_of_my_organization(session, actor, user_id)
    return sessions.revoke_all(session, user, now, sessions.REVOKED_BY_ADMIN, actor)


def unlock_user(session: Session, actor: User, user_id: uuid.UUID) -> int:
    """An administrator lifts the sign-in throttle on one of their organization's users."""
    user = user_of_my_organization(session, actor, user_id)
    removed = unlock(session, [ThrottleKey.of(Scope.ACCOUNT, user.email)])
    record(session, actor, "auth.unlocked", user, details={"counters": removed})
    return removed
