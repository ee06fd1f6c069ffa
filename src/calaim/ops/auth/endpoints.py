"""`POST /auth/token`: sign in with email and password for an access token; `GET /auth/me`."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.auth.service import INVALID_CREDENTIALS, AuthenticationFailed, authenticate
from calaim.ops.auth.tokens import TokenSigner
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.errors import Unauthenticated
from calaim.ops.models import User

router = APIRouter(prefix="/auth", tags=["auth"])


class TokenRequest(BaseModel):
    """Email and password."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


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
    """Sign in; a wrong password and an unknown email get the same answer (401)."""
    try:
        user = authenticate(session, body.email, body.password)
    except AuthenticationFailed as error:
        raise Unauthenticated(INVALID_CREDENTIALS) from error
    signer: TokenSigner = request.app.state.signer
    token = signer.issue(user.id, user.organization_id, user.role, now)
    return TokenResponse(access_token=token, expires_at=now + signer.lifetime, user=user_out(user))


@router.get("/me", response_model=UserOut)
def me(actor: ActorDep) -> UserOut:
    """The signed-in user (or an API key's service user)."""
    return user_out(actor)
