"""The workspace's cookies: the signed-in session, the browser's pre-session key, CSRF tokens.

- `calaim_session` holds the same signed access token `POST /auth/token` issues (HttpOnly,
  SameSite=Lax, Secure on https), so a page's actor is exactly the API's actor.
- `calaim_browser` is a random key given to a browser before it signs in, so the sign-in form
  has a CSRF token too.
- A form's CSRF token is an HMAC of whichever of the two the browser holds: a cross-site page
  can neither read those HttpOnly cookies nor compute the token. `check_csrf` (the one place
  tokens are checked) runs on every POST route of the workspace. HTMX sends the token in the
  `X-CSRF-Token` header (set once on <body> with `hx-headers`), which is accepted too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

from calaim.ops.errors import Forbidden

SESSION_COOKIE = "calaim_session"
BROWSER_COOKIE = "calaim_browser"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_NEW_BROWSER_KEY = "web_new_browser_key"


class CsrfRejected(Forbidden):
    """A POST without the form's CSRF token (or with a wrong one)."""


def session_token(request: Request) -> str | None:
    """The signed access token the browser's session cookie holds, if any."""
    return request.cookies.get(SESSION_COOKIE) or None


def _browser_key(request: Request) -> str:
    """The browser's pre-session key: its cookie, or a new one to be set on the response."""
    existing = request.cookies.get(BROWSER_COOKIE)
    if existing:
        return existing
    fresh: str | None = getattr(request.state, _NEW_BROWSER_KEY, None)
    if fresh is None:
        fresh = secrets.token_urlsafe(32)
        setattr(request.state, _NEW_BROWSER_KEY, fresh)
    return fresh


def csrf_token(request: Request) -> str:
    """The CSRF token forms on this request's page must carry."""
    key = session_token(request) or _browser_key(request)
    return hmac.new(key.encode(), b"calaim-web-csrf", hashlib.sha256).hexdigest()


def _expected_tokens(request: Request) -> list[str]:
    keys = [request.cookies.get(SESSION_COOKIE), request.cookies.get(BROWSER_COOKIE)]
    return [
        hmac.new(key.encode(), b"calaim-web-csrf", hashlib.sha256).hexdigest()
        for key in keys
        if key
    ]


async def check_csrf(request: Request) -> None:
    """Refuse a POST whose form lacks this browser's CSRF token (a router dependency)."""
    if request.method != "POST":
        return
    # HTMX requests send it as a header (`hx-headers` on <body>); forms as a field.
    sent = request.headers.get(CSRF_HEADER) or (await request.form()).get(CSRF_FIELD)
    if not isinstance(sent, str) or not any(
        hmac.compare_digest(sent, expected) for expected in _expected_tokens(request)
    ):
        raise CsrfRejected("the form has expired or came from another site; reload the page")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def remember_browser(request: Request, response: Response) -> None:
    """Set the pre-session key cookie if this request made one."""
    fresh: str | None = getattr(request.state, _NEW_BROWSER_KEY, None)
    if fresh is not None:
        response.set_cookie(
            BROWSER_COOKIE, fresh, httponly=True, samesite="strict", secure=_secure(request)
        )


def start_session(request: Request, response: Response, token: str) -> None:
    """Put the signed access token in the session cookie (HttpOnly, SameSite=Lax)."""
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax", secure=_secure(request), path="/"
    )


def end_session(response: Response) -> None:
    """Forget the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/")
