"""The workspace's page API: who is signed in, the request's database session, rendering.

A page handler is an ordinary FastAPI route on a router from `page_router()` (which checks the
CSRF token of every POST in one place) and looks like this:

    router = page_router()

    @router.get("/app/things/{thing_id}")
    def thing(request: Request, actor: PageActor, session: SessionDep, now: NowDep):
        item = things_service.get(session, actor, thing_id)   # scoped and audited by ops
        return render(request, "things/one.html", {"item": item})

- `PageActor` (`page_actor`): the signed-in user, read from the session cookie exactly as the
  API reads a bearer token; without a valid session the browser is redirected to
  `/app/sign-in?next=...` (with "your session has expired" when it had one).
- `SessionDep` and `NowDep` are the API's own (`calaim.ops.http.deps`): one session per request,
  committed by the transaction middleware on success (2xx/3xx) and rolled back on 4xx/5xx
  (audit events kept), and now from `app.state.clock`.
- `render(request, template, context, status=200)`: an HTML response from
  `templates/<template>`, which should extend `base.html` (blocks `title`, `content`), or be
  a fragment HTMX swaps in (`wants_fragment(request)`: see the dashboards' filters). Every
  template sees `_` (gettext), `actor`, `nav`, `csrf_token` (put
  `<input type="hidden" name="csrf_token" value="{{ csrf_token }}">` in every POST form, or
  `{% include "parts/csrf.html" %}`), `language`, `languages`, `path` and the filters in
  `templating.py`.
- Raising an ops error (`NotFound`, `Forbidden`, `Conflict`, ...) from a page shows the friendly
  error page with the right status; nothing the user did not type is echoed back.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import refuse_members
from calaim.ops.auth import sessions
from calaim.ops.auth.tokens import TokenExpired, TokenInvalid, TokenSigner
from calaim.ops.http.deps import NowDep, SessionDep
from calaim.ops.models import User
from calaim.web.i18n import LANGUAGES, gettext_for, language_of
from calaim.web.inbox_badge import unread_badge
from calaim.web.nav import nav_for
from calaim.web.refusals import speaker
from calaim.web.session import check_csrf, csrf_token, remember_browser, session_token
from calaim.web.templating import environment

__all__ = [
    "NowDep",
    "PageActor",
    "SessionDep",
    "SignInRequired",
    "page_actor",
    "page_router",
    "redirect",
    "render",
    "wants_fragment",
]

ACTOR_STATE = "web_actor"


class SignInRequired(Exception):
    """No valid session: the browser is sent to the sign-in page (`reason`: why, if known)."""

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason or "sign in")
        self.reason = reason


def _user_for(session: Session, signer: TokenSigner, token: str, now: Any) -> User:
    try:
        return sessions.resolve(session, signer, token, now).user
    except TokenExpired as error:
        raise SignInRequired("expired") from error
    except TokenInvalid as error:  # garbage, tampered, signed out or revoked
        raise SignInRequired("invalid") from error


def page_actor(request: Request, session: SessionDep, now: NowDep) -> User:
    """The signed-in user (same token and checks as the API), else a redirect to sign in."""
    token = session_token(request)
    if token is None:
        raise SignInRequired(None)
    user = _user_for(session, request.app.state.signer, token, now)
    refuse_members(user)  # a member's own pages are under /app/me, with their own sign-in
    setattr(request.state, ACTOR_STATE, user)
    return user


PageActor = Annotated[User, Depends(page_actor)]


def page_router() -> APIRouter:
    """A router for workspace pages: hidden from OpenAPI, CSRF checked on every POST."""
    return APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


def base_context(request: Request) -> dict[str, Any]:
    """What every template sees: translations, the actor and their navigation, CSRF, language."""
    actor: User | None = getattr(request.state, ACTOR_STATE, None)
    translations = gettext_for(request)
    return {
        "request": request,
        "_": speaker(translations.gettext),
        "ngettext": translations.ngettext,
        "actor": actor,
        "nav": nav_for(actor, request.url.path) if actor is not None else [],
        "csrf_token": csrf_token(request),
        "language": language_of(request),
        "languages": LANGUAGES,
        "path": return_path(request),
        "inbox_unread": unread_badge(request, actor),
    }


def return_path(request: Request) -> str:
    """Where the language switcher comes back to: this page, or, for a form re-shown after a
    POST, the page the form was on (its Referer on this site), never the POST address itself.

    The query is left out: it may hold what someone typed (a search, an id), which a page
    never echoes back.
    """
    if request.method in ("GET", "HEAD"):
        return request.url.path
    referer = urlsplit(request.headers.get("referer", ""))
    same_site = not referer.netloc or referer.netloc == request.url.netloc
    return referer.path if same_site and referer.path.startswith("/app") else "/app"


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """The page `template` (under templates/) rendered with `context` and the base context."""
    values = base_context(request)
    values.update(context or {})
    html = environment().get_template(template).render(values)
    response = HTMLResponse(html, status_code=status)
    remember_browser(request, response)
    return response


def wants_fragment(request: Request) -> bool:
    """Whether HTMX asked for a part of the page (not a whole page to restore history with).

    Every page still answers a plain request with the whole page, so it works without
    JavaScript; a page that supports fragments renders only its swapped part for these.
    """
    headers = request.headers
    return headers.get("hx-request") == "true" and "hx-history-restore-request" not in headers


def redirect(url: str) -> RedirectResponse:
    """A 303 See Other to `url` (after a successful POST: the browser then GETs the page)."""
    return RedirectResponse(url, status_code=303)
