"""Signing in and out: `POST /auth/token`, `POST /auth/sign-out`, `POST /auth/password`,
`GET /auth/me`, and an administrator's `sign-out-everywhere` and `unlock` of a user.
"""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.auth import service, sessions
from calaim.ops.auth.passwords import WeakPassword
from calaim.ops.auth.service import INVALID_CREDENTIALS, AuthenticationFailed
from calaim.ops.auth.tokens import TokenSigner
from calaim.ops.errors import InvalidRequest
from calaim.ops.http.deps import SIGN_IN_STATE, ActorDep, NowDep, SessionDep, client_address
from calaim.ops.http.errors import Unauthenticated
from calaim.ops.models import SignInSession, User

router = APIRouter(prefix="/auth", tags=["auth"])


class TokenRequest(BaseModel):
    """Email and password."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class PasswordChange(BaseModel):
    """The current password (proof) and the new one (at least 12 characters)."""

    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class UserOut(BaseModel):
    """Who is signed in."""

    id: uuid.UUID
    email: str
    name: str
    role: str
    organization_id: uuid.UUID
    organization_kind: str


class TokenResponse(BaseModel):
    """An access token: send it as `Authorization: Bearer <access_token>`."""

    access_token: str
    token_type: str = "bearer"
    expires_at: dt.datetime
    user: UserOut


class SessionsRevoked(BaseModel):
    """How many sessions were ended."""

    revoked: int


class Unlocked(BaseModel):
    """How many sign-in counters were cleared (0: the user was not throttled)."""

    cleared: int


def user_out(user: User) -> UserOut:
    """The schema of a user."""
    return UserOut(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        organization_id=user.organization_id,
        organization_kind=user.organization.kind,
    )


@router.post("/token", response_model=TokenResponse)
def issue_token(
    body: TokenRequest, request: Request, session: SessionDep, now: NowDep
) -> TokenResponse:
    """Sign in; a wrong password and an unknown email get the same answer (401).

    Repeated failures for one email or from one client are throttled: 429 with Retry-After.
    """
    throttle = request.app.state.throttle
    client = client_address(request)
    try:
        user = service.sign_in(session, throttle, body.email, body.password, client, now)
    except AuthenticationFailed as error:
        raise Unauthenticated(INVALID_CREDENTIALS) from error
    signer: TokenSigner = request.app.state.signer
    issued = sessions.start(session, signer, user, now, "api")
    return TokenResponse(
        access_token=issued.token, expires_at=issued.expires_at, user=user_out(user)
    )


@router.get("/me", response_model=UserOut)
def me(actor: ActorDep) -> UserOut:
    """The signed-in user (or an API key's service user)."""
    return user_out(actor)


def _current_sign_in(request: Request) -> SignInSession:
    row: SignInSession | None = getattr(request.state, SIGN_IN_STATE, None)
    if row is None:
        raise InvalidRequest(
            "only a signed-in person's access token can sign out; an API key is revoked by "
            "its organization's administrator instead"
        )
    return row


@router.post("/sign-out", status_code=204, response_class=Response)
def sign_out(request: Request, actor: ActorDep, session: SessionDep, now: NowDep) -> Response:
    """End this token's session: the token stops working at once (API and web alike)."""
    sessions.end(session, _current_sign_in(request), actor, now)
    return Response(status_code=204)


@router.post("/password", status_code=204, response_class=Response)
def change_password(
    body: PasswordChange, request: Request, actor: ActorDep, session: SessionDep, now: NowDep
) -> Response:
    """Change your password: every one of your sessions ends, this one included."""
    passwords = (body.current_password, body.new_password)
    client = client_address(request)
    try:
        service.change_own_password(
            session, request.app.state.throttle, actor, passwords, client, now
        )
    except AuthenticationFailed as error:
        raise InvalidRequest(
            "the current password is not right", field="current_password"
        ) from error
    except WeakPassword as error:
        raise InvalidRequest(str(error), field="new_password") from error
    return Response(status_code=204)


@router.post("/users/{user_id}/sign-out-everywhere", response_model=SessionsRevoked)
def sign_out_everywhere(
    user_id: uuid.UUID, actor: ActorDep, session: SessionDep, now: NowDep
) -> SessionsRevoked:
    """An administrator ends every session of a user of their organization."""
    return SessionsRevoked(revoked=service.revoke_user_sessions(session, actor, user_id, now))


@router.post("/users/{user_id}/unlock", response_model=Unlocked)
def unlock(user_id: uuid.UUID, actor: ActorDep, session: SessionDep) -> Unlocked:
    """An administrator lifts the sign-in throttle on a user of their organization."""
    return Unlocked(cleared=service.unlock_user(session, actor, user_id))
