"""Who is signed in on the member pages: a `member` user, from the member cookie.

The member cookie (`calaim_me`, path /app/me, HttpOnly, SameSite=Lax) holds the same kind of
signed token as the staff cookie, naming a server-side session; it is never sent to the
staff workspace or the API, and a staff sign-in is never accepted here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import RedirectResponse

from calaim.ops.access.scopes import is_member
from calaim.ops.auth import sessions
from calaim.ops.auth.tokens import TokenInvalid
from calaim.ops.http.deps import NowDep, SessionDep
from calaim.ops.models import User

MEMBER_COOKIE = "calaim_me"
MEMBER_STATE = "member_actor"
HOME = "/app/me"


class MemberSignInRequired(Exception):
    """No valid member session: the browser is sent to the member sign-in page."""


def member_actor(request: Request, session: SessionDep, now: NowDep) -> User:
    """The signed-in member (or representative), else a redirect to the member sign-in."""
    token = request.cookies.get(MEMBER_COOKIE)
    if not token:
        raise MemberSignInRequired
    try:
        user = sessions.resolve(session, request.app.state.signer, token, now).user
    except TokenInvalid as error:
        raise MemberSignInRequired from error
    if not is_member(user):
        raise MemberSignInRequired
    setattr(request.state, MEMBER_STATE, user)
    return user


MemberActor = Annotated[User, Depends(member_actor)]


def start(request: Request, response: Response, token: str) -> None:
    """Put the member's token in the member cookie."""
    response.set_cookie(
        MEMBER_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path=HOME,
    )


def end(response: Response) -> None:
    """Forget the member cookie."""
    response.delete_cookie(MEMBER_COOKIE, path=HOME)


def _to_sign_in(_request: Request, _error: Exception) -> Response:
    response = RedirectResponse(f"{HOME}/sign-in", status_code=303)
    end(response)
    return response


def install(app: FastAPI) -> None:
    """Send a browser without a member session to the member sign-in page."""
    app.add_exception_handler(MemberSignInRequired, _to_sign_in)
