"""Member sign-in: an email address, then the one-time code with CIN and date of birth."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from calaim.ops.auth import sessions
from calaim.ops.auth.tokens import TokenInvalid
from calaim.ops.errors import TooManyAttempts
from calaim.ops.http.deps import NowDep, SessionDep, client_address
from calaim.ops.member_portal.signin import Compose, Proof, SignInFailed, send_code, verify
from calaim.web.forms import text
from calaim.web.i18n import N_
from calaim.web.member import auth
from calaim.web.member.i18n import LANGUAGE_COOKIE, LANGUAGES, language_of, translations
from calaim.web.member.render import render
from calaim.web.pages import page_router, redirect

router = page_router()

CODE_SUBJECT = N_("Your calaim sign-in code")
CODE_BODY = N_(
    "Your sign-in code is %(code)s. It works once, for 10 minutes. "
    "If you did not ask for it, you can ignore this email."
)
WRONG = N_("That did not match. Check the code, your CIN and your date of birth.")
TOO_MANY = N_("Too many tries. Wait a few minutes, then try again.")


def _compose(language: str) -> Compose:
    words = translations(language)

    def compose(code: str) -> tuple[str, str]:
        body = words.gettext(CODE_BODY) % {"code": code}
        if language != "en":
            body += "\n\n" + CODE_BODY % {"code": code}
        return words.gettext(CODE_SUBJECT), f"{body}\n/app/me/sign-in\n"

    return compose


@router.get("/app/me/sign-in")
def sign_in_page(request: Request) -> Response:
    """Step 1: the email address the code goes to."""
    return render(request, "sign_in.html", {"email": "", "error": None})


@router.post("/app/me/sign-in")
async def ask_for_code(request: Request, session: SessionDep, now: NowDep) -> Response:
    """Send a code if the email has an account; the next step either way (nothing revealed)."""
    form = await request.form()
    email = text(form, "email", 320)
    if "@" not in email:
        error = N_("Enter your email address.")
        return render(request, "sign_in.html", {"email": email, "error": error}, status=422)
    send_code(session, email, _compose(language_of(request)), now)
    return render(request, "code.html", {"email": email, "error": None})


def _birth_date(form_value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(form_value)
    except ValueError:
        return None


@router.get("/app/me/code")
def code_page() -> Response:
    """The code form is reached by asking for a code: start there."""
    return redirect(f"{auth.HOME}/sign-in")


@router.post("/app/me/code")
async def enter_code(request: Request, session: SessionDep, now: NowDep) -> Response:
    """Step 2: the code, CIN and date of birth; on a match, the member's session starts."""
    form = await request.form()
    email, code, cin = text(form, "email", 320), text(form, "code", 12), text(form, "cin", 20)
    born = _birth_date(text(form, "birth_date", 10))
    context = {"email": email, "error": WRONG}
    if not (email and code and cin and born):
        context["error"] = N_("Fill in every box.")
        return render(request, "code.html", context, status=422)
    throttle, client = request.app.state.throttle, client_address(request)
    try:
        user = verify(session, throttle, Proof(email, code, cin, born), client, now)
    except SignInFailed:
        return render(request, "code.html", context, status=401)
    except TooManyAttempts as error:
        page = render(request, "code.html", {**context, "error": TOO_MANY}, status=429)
        page.headers["Retry-After"] = str(error.retry_after)
        return page
    issued = sessions.start(session, request.app.state.signer, user, now, "member")
    response = redirect(auth.HOME)
    auth.start(request, response, issued.token)
    return response


@router.post("/app/me/sign-out")
def sign_out(request: Request, session: SessionDep, now: NowDep) -> Response:
    """End the member's session on the server and forget the cookie."""
    token = request.cookies.get(auth.MEMBER_COOKIE)
    if token:
        try:
            signed_in = sessions.resolve(session, request.app.state.signer, token, now)
        except TokenInvalid:
            pass
        else:
            sessions.end(session, signed_in.sign_in, signed_in.user, now)
    response = redirect(f"{auth.HOME}/sign-in")
    auth.end(response)
    return response


@router.get("/app/me/language/{code}")
def choose_language(code: str, next: str = auth.HOME) -> Response:
    """Remember the member's language and go back to the page."""
    target = urlsplit(next).path
    if not target.startswith(auth.HOME) or target.startswith("//"):
        target = auth.HOME
    response = RedirectResponse(target, status_code=303)
    if code in LANGUAGES:
        year = 365 * 24 * 3600
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=year, samesite="lax", path=auth.HOME)
    return response
