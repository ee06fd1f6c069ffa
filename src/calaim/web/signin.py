"""Sign-in, sign-out and the language switcher."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from calaim.ops.auth import sessions
from calaim.ops.auth.service import AuthenticationFailed
from calaim.ops.auth.service import sign_in as check_sign_in
from calaim.ops.auth.tokens import TokenInvalid
from calaim.ops.errors import TooManyAttempts
from calaim.ops.http.deps import NowDep, SessionDep, client_address
from calaim.web.forms import FormErrors, text
from calaim.web.i18n import LANGUAGE_COOKIE, LANGUAGES, N_
from calaim.web.pages import page_router, redirect, render
from calaim.web.session import end_session, session_token, start_session

router = page_router()

REASONS = {
    "expired": N_("Your session has expired. Please sign in again."),
    "invalid": N_("Your session is no longer valid. Please sign in again."),
    "signed_out": N_("You have signed out."),
}


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a workspace path on this site, else the home page."""
    if target and target.startswith("/app") and not target.startswith("//"):
        return target
    return "/app"


@router.get("/app/sign-in")
def sign_in_page(request: Request, next: str = "/app", reason: str | None = None) -> Response:
    """The sign-in form (with why the browser was sent here, if known)."""
    notice = REASONS.get(reason or "")
    context: dict[str, object] = {
        "next": safe_next(next),
        "notice": notice,
        "values": {},
        "errors": FormErrors(),
    }
    return render(request, "sign_in.html", context)


@router.post("/app/sign-in")
async def sign_in(request: Request, session: SessionDep, now: NowDep) -> Response:
    """Check the email and password with ops auth; on success, start the session."""
    form = await request.form()
    email, password = text(form, "email", 320), text(form, "password", 1024)
    target = safe_next(text(form, "next", 500))
    errors, status = FormErrors(), 422
    errors.require("email", email, N_("Enter your email address."))
    errors.require("password", password, N_("Enter your password."))
    headers: dict[str, str] = {}
    if not errors:
        throttle, client = request.app.state.throttle, client_address(request)
        try:
            user = check_sign_in(session, throttle, email, password, client, now)
        except AuthenticationFailed:
            errors.add("password", N_("That email and password do not match an account."))
            status = 401
        except TooManyAttempts as error:
            errors.add(
                "password", N_("Too many failed attempts. Wait a few minutes, then try again.")
            )
            status, headers = 429, {"Retry-After": str(error.retry_after)}
        else:
            issued = sessions.start(session, request.app.state.signer, user, now, "web")
            response = redirect(target)
            start_session(request, response, issued.token)
            return response
    context = {"next": target, "notice": None, "values": {"email": email}, "errors": errors}
    page = render(request, "sign_in.html", context, status=status)
    page.headers.update(headers)
    return page


@router.post("/app/sign-out")
def sign_out(request: Request, session: SessionDep, now: NowDep) -> Response:
    """End the session on the server and forget the cookie (the form carries the CSRF token,
    so no site can sign you out); the old cookie then works nowhere."""
    token = session_token(request)
    if token is not None:
        try:
            signed_in = sessions.resolve(session, request.app.state.signer, token, now)
        except TokenInvalid:
            pass  # already expired, revoked or never valid: nothing to end
        else:
            sessions.end(session, signed_in.sign_in, signed_in.user, now)
    response = redirect("/app/sign-in?reason=signed_out")
    end_session(response)
    return response


@router.get("/app/language/{code}")
def choose_language(code: str, next: str = "/app") -> Response:
    """Remember the chosen language in a cookie and go back to the page."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LANGUAGES:
        year = 365 * 24 * 3600
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=year, samesite="lax", path="/")
    return response


def sign_in_url(path: str) -> str:
    """The sign-in page, coming back to `path`."""
    return f"/app/sign-in?next={quote(path, safe='/')}"
