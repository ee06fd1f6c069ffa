"""Friendly error pages for the workspace; the API keeps its JSON error shape.

Each of the app's exception handlers is wrapped: a request under `/app` gets an HTML page
(403, 404, 409, 500...), anything else gets the original handler's answer. A page never shows
a traceback, and a "not found" page never says whether the record exists elsewhere.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from calaim.ops.errors import OpsError
from calaim.ops.http.errors import database_error, status_for
from calaim.ops.http.transaction import SESSION_FINISHED
from calaim.web.i18n import N_
from calaim.web.member.render import member_error
from calaim.web.pages import ACTOR_STATE, SignInRequired, render
from calaim.web.session import end_session

logger = logging.getLogger(__name__)
Handler = Callable[[Request, Exception], Response | Awaitable[Response]]

TITLES = {
    403: N_("You cannot do that"),
    404: N_("Page not found"),
    409: N_("That cannot be done now"),
    500: N_("Something went wrong"),
}
EXPLANATIONS = {
    403: N_("Your role does not allow this action. Ask your organization's administrator."),
    404: N_("There is nothing here that you can see. Check the address, or go back to your work."),
    409: N_("The record changed or is in a state that does not allow this. Reload and retry."),
    500: N_("Nothing was changed. Try again; if it happens again, report the incident number."),
}


def is_page(request: Request) -> bool:
    """Whether the request is for the workspace (HTML) rather than the API."""
    path = request.url.path
    return path == "/app" or path.startswith("/app/")


def error_page(request: Request, status: int, incident: str | None = None) -> Response:
    """The friendly page for `status` (400-class statuses without a page show as 404)."""
    # A stale version (412) is, to a person, the same as any other clash: reload and retry.
    status = 409 if status == 412 else status
    shown = status if status in TITLES else (404 if status < 500 else 500)
    if request.url.path == "/app/me" or request.url.path.startswith("/app/me/"):
        return member_error(request, shown)  # the member's own pages, in their language
    if shown >= 500 or getattr(request.state, SESSION_FINISHED, False):
        # The request's session may be closed already: show the page without the user's menu.
        setattr(request.state, ACTOR_STATE, None)
    context = {"status": shown, "title": TITLES[shown], "explanation": EXPLANATIONS[shown]}
    return render(request, "error.html", {**context, "incident": incident}, status=shown)


def _status_of(error: Exception) -> int:
    error = database_error(error) or error
    if isinstance(error, OpsError):
        return status_for(error)
    if isinstance(error, HTTPException):
        return error.status_code
    if isinstance(error, RequestValidationError):
        return 404  # a malformed id in a page's address: there is no such page
    return 500


def sign_in_redirect(request: Request, error: Exception) -> Response:
    """Send the browser to sign in, then back to the page it wanted."""
    reason = error.reason if isinstance(error, SignInRequired) else None
    target = f"/app/sign-in?next={quote(request.url.path, safe='/')}"
    if reason:
        target += f"&reason={reason}"
    response = RedirectResponse(target, status_code=303)
    if reason:
        end_session(response)
    return response


def _wrap(original: Handler | None) -> Handler:
    async def handle(request: Request, error: Exception) -> Response:
        if is_page(request):
            status = _status_of(error)
            incident = None
            if status >= 500:
                incident = uuid.uuid4().hex[:12]
                logger.error("page error %s on %s", incident, request.url.path, exc_info=error)
            return error_page(request, status, incident)
        assert original is not None
        result = original(request, error)
        return await result if isinstance(result, Awaitable) else result

    return handle


def install(app: FastAPI) -> None:
    """Give workspace requests HTML error pages, keeping the API's handlers for the rest."""
    for kind in list(app.exception_handlers):
        app.add_exception_handler(kind, _wrap(app.exception_handlers[kind]))
    app.add_exception_handler(SignInRequired, sign_in_redirect)
