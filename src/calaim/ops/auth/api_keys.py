"""Organization API keys: issued once in full, stored as a plain prefix and a hashed secret."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.auth.passwords import hash_password, verify_password
from calaim.ops.models import ApiKey, Organization

KEY_SCHEME = "calaim"
PREFIX_BYTES = 6  # 8 URL-safe characters
SECRET_BYTES = 32


class ApiKeyInvalid(Exception):
    """The key is malformed, unknown, wrong, or revoked (callers are not told which)."""


@dataclass(frozen=True)
class IssuedApiKey:
    """A new key: `full_key` is shown once and never stored."""

    api_key: ApiKey
    full_key: str


def _new_prefix() -> str:
    # URL-safe base64 may contain "_", the key's separator; hex never does.
    return secrets.token_hex(PREFIX_BYTES)


def issue(
    session: Session, organization: Organization, name: str, now: dt.datetime
) -> IssuedApiKey:
    """Create a key for `organization`; the returned `full_key` is the only copy of the secret."""
    prefix = _new_prefix()
    secret = secrets.token_urlsafe(SECRET_BYTES)
    row = ApiKey(
        organization_id=organization.id,
        organization=organization,
        name=name,
        prefix=prefix,
        secret_hash=hash_password(secret),
        created_at=now,
    )
    session.add(row)
    session.flush()
    return IssuedApiKey(api_key=row, full_key=f"{KEY_SCHEME}_{prefix}_{secret}")


def split(key: str) -> tuple[str, str]:
    """The (prefix, secret) of a presented key; `ApiKeyInvalid` if it is not shaped like one."""
    scheme, _, rest = key.partition("_")
    prefix, _, secret = rest.partition("_")
    if scheme != KEY_SCHEME or not prefix or not secret:
        raise ApiKeyInvalid("not a calaim API key")
    return prefix, secret


def find_by_prefix(session: Session, prefix: str) -> ApiKey | None:
    """The key with `prefix`, revoked or not."""
    return session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).one_or_none()


def verify(session: Session, key: str) -> ApiKey:
    """The live key matching `key`: looked up by prefix, then its secret checked by hash."""
    prefix, secret = split(key)
    row = find_by_prefix(session, prefix)
    if row is None or not verify_password(row.secret_hash, secret):
        raise ApiKeyInvalid("unknown or wrong API key")
    if row.revoked_at is not None:
        raise ApiKeyInvalid("the API key has been revoked")
    return row


def revoke(api_key: ApiKey, now: dt.datetime) -> None:
    """Revoke the key from `now` on (idempotent: the first revocation time is kept)."""
    if api_key.revoked_at is None:
        api_key.revoked_at = now
