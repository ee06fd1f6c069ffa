"""Signed, expiring access tokens carrying a user's id, organization and role.

The signing secret comes from `CALAIM_SECRET_KEY`. Without it each process makes a random
secret and warns: tokens then stop working when the process restarts. Time is always passed
in (or read from a clock function the caller supplies), never taken from a hidden "now".
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadData, URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode, base64_encode

SECRET_KEY_VARIABLE = "CALAIM_SECRET_KEY"
# HMAC-SHA1 (itsdangerous's default) keys shorter than this can be guessed offline from a token.
MIN_SECRET_BYTES = 32
GENERATE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
DEFAULT_LIFETIME = dt.timedelta(hours=8)
_SALT = "calaim.access-token"

logger = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


class TokenInvalid(Exception):
    """The token is malformed, tampered with, or signed with another secret."""


class TokenExpired(TokenInvalid):
    """The token was genuine but its lifetime has passed."""


@dataclass(frozen=True)
class TokenClaims:
    """What an access token says about its bearer."""

    user_id: uuid.UUID
    organization_id: uuid.UUID
    role: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    # The server-side sign-in session (`sessions.py`): revoking it ends the token at once.
    session_id: uuid.UUID


_process_secret: str | None = None


def secret_key() -> str:
    """The signing secret: `CALAIM_SECRET_KEY`, else a random one for this process (warned)."""
    global _process_secret
    configured = os.environ.get(SECRET_KEY_VARIABLE, "").strip()
    if configured:
        return configured
    if _process_secret is None:
        _process_secret = secrets.token_urlsafe(48)
        logger.warning(
            "%s is not set: signing tokens with a random per-process secret; "
            "tokens will not survive a restart and differ between processes.",
            SECRET_KEY_VARIABLE,
        )
    return _process_secret


def weak_secret_problem(secret: str) -> str | None:
    """Why `secret` is too weak to sign tokens with (None if it is long enough)."""
    size = len(secret.encode())
    if size >= MIN_SECRET_BYTES:
        return None
    return (
        f"{SECRET_KEY_VARIABLE} is too short to be safe: {size} bytes, at least "
        f"{MIN_SECRET_BYTES} are needed (anyone holding one token could guess a short key and "
        f"sign their own). Generate one with\n  {GENERATE_SECRET}\nand set it in the "
        "environment of every server process (keep it out of the repository)."
    )


def _utc_seconds(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("token times must be time-zone aware")
    return int(moment.timestamp())


def _has_canonical_signature(token: str) -> bool:
    """Whether the signature is written exactly as the signer writes it.

    Base64 leaves a few unused bits in the last character, so several spellings decode to
    the same bytes; accepting only the canonical one keeps a token to a single valid form.
    """
    signature = token.rpartition(".")[2]
    try:
        return base64_encode(base64_decode(signature)).decode("ascii") == signature
    except (BadData, ValueError):
        # BadData: not base64 at all (e.g. a last group of one character); ValueError
        # covers text that is not even ASCII.
        return False


class TokenSigner:
    """Issues and reads access tokens with one secret and one lifetime."""

    def __init__(self, secret: str | None = None, lifetime: dt.timedelta = DEFAULT_LIFETIME):
        if lifetime <= dt.timedelta(0):
            raise ValueError("a token lifetime must be positive")
        self._serializer = URLSafeTimedSerializer(secret or secret_key(), salt=_SALT)
        self.lifetime = lifetime

    def issue(
        self,
        user_id: uuid.UUID,
        organization_id: uuid.UUID,
        role: str,
        issued_at: dt.datetime,
        *,
        session_id: uuid.UUID,
    ) -> str:
        """A token for the user's session, valid from `issued_at` for the signer's lifetime."""
        issued = _utc_seconds(issued_at)
        payload = {
            "sid": str(session_id),
            "sub": str(user_id),
            "org": str(organization_id),
            "role": role,
            "iat": issued,
            "exp": issued + int(self.lifetime.total_seconds()),
        }
        return str(self._serializer.dumps(payload))

    def read(self, token: str, now: dt.datetime) -> TokenClaims:
        """The claims of a genuine token; `TokenExpired` from its expiry instant on.

        Anything else presented as a token (any text at all) raises `TokenInvalid`.
        """
        if not isinstance(token, str) or not token.isascii():
            raise TokenInvalid("the token is not genuine")
        if not _has_canonical_signature(token):
            raise TokenInvalid("the token is not genuine")
        try:
            payload: Any = self._serializer.loads(token)
        except (BadData, ValueError) as error:
            raise TokenInvalid("the token is not genuine") from error
        try:
            claims = TokenClaims(
                user_id=uuid.UUID(payload["sub"]),
                organization_id=uuid.UUID(payload["org"]),
                role=str(payload["role"]),
                issued_at=dt.datetime.fromtimestamp(int(payload["iat"]), dt.UTC),
                expires_at=dt.datetime.fromtimestamp(int(payload["exp"]), dt.UTC),
                session_id=uuid.UUID(payload["sid"]),
            )
        except (KeyError, TypeError, ValueError, OverflowError, OSError) as error:
            raise TokenInvalid("the token's contents are malformed") from error
        if _utc_seconds(now) >= _utc_seconds(claims.expires_at):
            raise TokenExpired(f"the token expired at {claims.expires_at.isoformat()}")
        return claims

    def read_with_clock(self, token: str, clock: Clock) -> TokenClaims:
        """`read` with the current time taken from `clock`."""
        return self.read(token, clock())
