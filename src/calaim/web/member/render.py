"""Rendering the member pages: the member's language, its direction, and their own words."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from calaim.ops.errors import OpsError
from calaim.web.i18n import N_
from calaim.web.member.auth import MEMBER_STATE
from calaim.web.member.i18n import LANGUAGES, RIGHT_TO_LEFT, language_of, review_status
from calaim.web.member.i18n import translations as member_translations
from calaim.web.refusals import Phrase, plain, speaker
from calaim.web.session import csrf_token, remember_browser
from calaim.web.templating import environment

# The member's pages, in the order the menu shows them.
NAV: list[tuple[str, str]] = [
    ("/app/me", N_("Home")),
    ("/app/me/care", N_("My care")),
    ("/app/me/letters", N_("Letters")),
    ("/app/me/refer", N_("Ask for help")),
    ("/app/me/privacy", N_("Privacy")),
]


def member_context(request: Request) -> dict[str, Any]:
    """What every member template sees."""
    language = language_of(request)
    words = member_translations(language)
    return {
        "request": request,
        "_": speaker(words.gettext),  # plain strings, and refusals (`refused`) as phrases
        "ngettext": words.ngettext,
        "language": language,
        "direction": "rtl" if language in RIGHT_TO_LEFT else "ltr",
        "languages": LANGUAGES,
        "draft": not review_status(language).complete,
        "csrf_token": csrf_token(request),
        "path": request.url.path if request.method in ("GET", "HEAD") else "/app/me",
        "me": getattr(request.state, MEMBER_STATE, None),
        "nav": NAV,
    }


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """The member page `template` (under templates/me/) with `context`."""
    values = member_context(request)
    values.update(context or {})
    html = environment().get_template(f"me/{template}").render(values)
    response = HTMLResponse(html, status_code=status)
    remember_browser(request, response)
    return response


# What went wrong, in a member's words, by status.
ERRORS = {
    403: N_("You may not do that here."),
    404: N_("We could not find that page."),
    500: N_("Something went wrong. Nothing was changed. Please try again."),
}
OTHER_ERROR = N_("That did not work. Please try again.")


def refused(error: OpsError, general: str) -> Phrase:
    """A service's refusal on a member page: its plain words (`calaim.web.refusals.plain`)
    where the member's language has them, else `general` (a member sentence every language
    has). Never an id, a code or a status number."""
    said = plain(error)
    return Phrase(said.template, general, **said.values)


def member_error(request: Request, status: int) -> HTMLResponse:
    """The member pages' error page (never a detail the member did not type)."""
    setattr(request.state, MEMBER_STATE, None)
    words = ERRORS.get(status, OTHER_ERROR)
    return render(request, "error.html", {"words": words}, status=status)
