"""Signing in: users by email and password, systems by organization API key; all audited.

Audit events name who and what, never the password or the key's secret.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.ops.audit.service import record
from calaim.ops.auth import api_keys
from calaim.ops.auth.passwords import check_policy, hash_password, needs_rehash, verify_password
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


def set_password(session: Session, user: User, password: str, actor: User | None = None) -> None:
    """Give `user` a new password (policy-checked, argon2-hashed); `actor` defaults to the user."""
    check_policy(password)
    user.password_hash = hash_password(password)
    record(session, actor or user, "auth.password_set", user)


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
