"""Server-side sign-in sessions: every access token names one, and lives only as long as it.

Signing in (API or web) starts a session and issues a token carrying its id; reading a token
checks that session with one primary-key lookup. Signing out revokes the session, a password
change revokes all of the user's sessions, and an administrator can revoke them too: the old
token then fails everywhere (API bearer and web cookie) at once. Every step is audited.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from calaim.ops.audit.service import record
from calaim.ops.auth.tokens import TokenClaims, TokenInvalid, TokenSigner
from calaim.ops.models import SignInSession, User

SIGNED_OUT = "signed_out"
PASSWORD_CHANGED = "password_changed"
REVOKED_BY_ADMIN = "revoked_by_admin"


class SessionEnded(TokenInvalid):
    """The token's session does not exist, was revoked, or has expired."""


@dataclass(frozen=True)
class SignedIn:
    """Who a token signs in, and the session it belongs to."""

    user: User
    sign_in: SignInSession


@dataclass(frozen=True)
class IssuedToken:
    """A new session's access token and when it expires."""

    token: str
    expires_at: dt.datetime
    session_id: uuid.UUID


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def start(
    session: Session, signer: TokenSigner, user: User, now: dt.datetime, channel: str
) -> IssuedToken:
    """Start a session for `user` (channel "api" or "web") and issue its token; audited."""
    expires_at = now + signer.lifetime
    row = SignInSession(
        id=uuid.uuid4(), user_id=user.id, channel=channel, created_at=now, expires_at=expires_at
    )
    session.add(row)
    token = signer.issue(user.id, user.organization_id, user.role, now, session_id=row.id)
    record(session, user, "auth.session_started", row, details={"channel": channel})
    return IssuedToken(token=token, expires_at=expires_at, session_id=row.id)


def check(session: Session, claims: TokenClaims, now: dt.datetime) -> SignInSession:
    """The live session a genuine token names; `SessionEnded` if it is gone or revoked."""
    row = session.get(SignInSession, claims.session_id)
    if row is None or row.user_id != claims.user_id:
        raise SessionEnded("the session does not exist")
    if row.revoked_at is not None:
        raise SessionEnded("the session has ended")
    if now >= _aware(row.expires_at):
        raise SessionEnded("the session has expired")
    return row


def resolve(session: Session, signer: TokenSigner, token: str, now: dt.datetime) -> SignedIn:
    """The user and live session of `token`: `TokenExpired`, or `TokenInvalid` for anything else.

    Any text at all may be presented; nothing but those two errors ever comes out.
    """
    claims = signer.read(token, now)
    row = check(session, claims, now)
    user = session.get(User, claims.user_id)
    # A deleted user, or one moved to another organization, is signed out.
    if user is None or user.organization_id != claims.organization_id:
        raise SessionEnded("the token's user no longer exists")
    return SignedIn(user=user, sign_in=row)


def end(session: Session, row: SignInSession, actor: User, now: dt.datetime) -> None:
    """Sign out: revoke one session (idempotent), audited."""
    if row.revoked_at is None:
        row.revoked_at, row.revoked_reason = now, SIGNED_OUT
    record(session, actor, "auth.signed_out", row)


def revoke_all(
    session: Session, user: User, now: dt.datetime, reason: str, actor: User | None
) -> int:
    """Revoke every live session of `user` (a password change, an administrator); audited."""
    revoked = session.execute(
        update(SignInSession)
        .where(SignInSession.user_id == user.id, SignInSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
        .execution_options(synchronize_session="fetch")
    )
    count = int(getattr(revoked, "rowcount", 0) or 0)
    event = record(
        session,
        actor,
        "auth.sessions_revoked",
        user,
        details={"reason": reason, "sessions": count},
    )
    event.organization_id = user.organization_id
    return count


def live_sessions(session: Session, user: User, now: dt.datetime) -> list[SignInSession]:
    """The user's sessions that are neither revoked nor expired, newest first."""
    rows = session.scalars(
        select(SignInSession)
        .where(SignInSession.user_id == user.id, SignInSession.revoked_at.is_(None))
        .order_by(SignInSession.created_at.desc())
    )
    return [row for row in rows if now < _aware(row.expires_at)]
