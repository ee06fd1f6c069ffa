"""Request dependencies: the database session, the current time, the acting user.

The session is one per request; `transaction.TransactionMiddleware` commits it when the
response is a success and rolls it back otherwise, so a failed request changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import refuse_members
from calaim.ops.auth import sessions
from calaim.ops.auth.service import AuthenticationFailed, sign_in_with_api_key
from calaim.ops.auth.throttle import SignInThrottle
from calaim.ops.auth.tokens import TokenExpired, TokenInvalid, TokenSigner
from calaim.ops.http.errors import Unauthenticated
from calaim.ops.models import AuditEvent, Organization, OrganizationKind, Role, User

SESSION_STATE = "db_session"
AUDIT_INFO = "new_audit_events"
SIGN_IN_STATE = "sign_in_session"

bearer_scheme = HTTPBearer(auto_error=False, description="An access token from `POST /auth/token`.")
api_key_scheme = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="An organization's API key (systems)."
)

# The role of the service user an organization's API key acts as (least privilege per kind).
SERVICE_ROLE_BY_KIND: dict[str, Role] = {
    OrganizationKind.PLAN: Role.PLAN_CARE_COORDINATION,
    OrganizationKind.ECM_PROVIDER: Role.LEAD_CARE_MANAGER,
    OrganizationKind.CS_PROVIDER: Role.CS_PROVIDER_STAFF,
    OrganizationKind.REFERRER: Role.REFERRER,
    OrganizationKind.STATE: Role.STATE_ANALYST,
    OrganizationKind.COUNTY_JAIL: Role.FACILITY_REENTRY_STAFF,
    OrganizationKind.STATE_PRISON: Role.FACILITY_REENTRY_STAFF,
    OrganizationKind.YOUTH_FACILITY: Role.FACILITY_REENTRY_STAFF,
    OrganizationKind.COUNTY_MHP: Role.COUNTY_BH_STAFF,
    OrganizationKind.COUNTY_DMC: Role.COUNTY_BH_STAFF,
}


def _collect_audit_events(session: Session, _context: object, _instances: object) -> None:
    # Remembered so a rolled-back request can still keep its audit trail (see transaction.py).
    session.info.setdefault(AUDIT_INFO, []).extend(
        instance for instance in session.new if isinstance(instance, AuditEvent)
    )


async def db_session(request: Request) -> Session:
    """The request's session, opened on first use (no I/O yet: async, so no thread hop)."""
    session: Session | None = getattr(request.state, SESSION_STATE, None)
    if session is None:
        session = request.app.state.sessions()
        event.listen(session, "before_flush", _collect_audit_events)
        setattr(request.state, SESSION_STATE, session)
    return session


async def current_time(request: Request) -> dt.datetime:
    """Now, from the app's clock (tests pass a fixed one); always time-zone aware UTC."""
    now: dt.datetime = request.app.state.clock()
    if now.tzinfo is None:
        raise ValueError("the app's clock must return time-zone aware datetimes")
    return now.astimezone(dt.UTC)


SessionDep = Annotated[Session, Depends(db_session)]
NowDep = Annotated[dt.datetime, Depends(current_time)]


def current_actor(
    request: Request,
    session: SessionDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
    api_key: Annotated[str | None, Security(api_key_scheme)],
) -> User:
    """The acting user: from a bearer token, or the service user of an API key's organization."""
    if credentials is not None:
        signer: TokenSigner = request.app.state.signer
        signed_in = signed_in_from_token(session, signer, credentials.credentials, now)
        setattr(request.state, SIGN_IN_STATE, signed_in.sign_in)
        refuse_members(signed_in.user)
        return signed_in.user
    if api_key:
        return service_user_for_key(request, session, api_key, now)
    raise Unauthenticated(
        "sign in first: send `Authorization: Bearer <token>` (from POST /auth/token) "
        "or an organization's `X-API-Key`"
    )


ActorDep = Annotated[User, Depends(current_actor)]


def signed_in_from_token(
    session: Session, signer: TokenSigner, token: str, now: dt.datetime
) -> sessions.SignedIn:
    """The user and live session a genuine, unexpired token names; else 401."""
    try:
        return sessions.resolve(session, signer, token, now)
    except TokenExpired as error:
        raise Unauthenticated("the access token has expired; sign in again") from error
    except sessions.SessionEnded as error:
        raise Unauthenticated(
            "the session has ended (signed out or revoked); sign in again"
        ) from error
    except TokenInvalid as error:
        raise Unauthenticated("the access token is not valid; sign in again") from error


def user_from_token(session: Session, signer: TokenSigner, token: str, now: dt.datetime) -> User:
    """The user a genuine, unexpired token of a live session names; else 401."""
    return signed_in_from_token(session, signer, token, now).user


def service_user_email(organization: Organization) -> str:
    """The email of the service user an organization's API key acts as."""
    return f"system@{organization.id}"


def client_address(request: Request) -> str:
    """The client's network address (what per-client sign-in throttling counts)."""
    return request.client.host if request.client else "unknown"


def service_user_for_key(request: Request, session: Session, key: str, now: dt.datetime) -> User:
    """The API key's organization's service user, created (without password) on first use."""
    throttle: SignInThrottle = request.app.state.throttle
    try:
        organization = sign_in_with_api_key(session, throttle, key, client_address(request), now)
    except AuthenticationFailed as error:
        raise Unauthenticated("the API key is not valid (unknown, wrong or revoked)") from error
    email = service_user_email(organization)
    # No autoflush: on SQLite a flushed write would lock out the separate creating session.
    with session.no_autoflush:
        user = _find_by_email(session, email)
        if user is None:
            _create_service_user(request, organization)
            user = _find_by_email(session, email)
    assert user is not None
    return user


def _find_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).one_or_none()


def _create_service_user(request: Request, organization: Organization) -> None:
    # Committed on its own, so the account outlives a failed first request and its audit trail.
    with request.app.state.sessions() as own:
        own.add(
            User(
                organization_id=organization.id,
                email=service_user_email(organization),
                name=f"{organization.name} (system)",
                role=SERVICE_ROLE_BY_KIND[organization.kind].value,
                password_hash=None,
            )
        )
        try:
            own.commit()
        except IntegrityError:
            own.rollback()  # a simultaneous first request created it: use that one
