"""Installs the web workspace into the API app: pages, static files, sign-in, error pages.

The workspace lives under `/app` (static files under `/app/static/`); `GET /` redirects there.
Pages call the same ops services as the API with the same actor, so scoping (ops/access/
scopes.py) and the audit trail are the API's own. See `calaim.web.pages` for the page API and
docs/web.md for the workspace.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from calaim.web import errors
from calaim.web.actions_care import router as care_actions
from calaim.web.actions_consent import router as consent_actions
from calaim.web.actions_plan import router as plan_actions
from calaim.web.applications import router as applications
from calaim.web.capacity import router as capacity
from calaim.web.care_management import router as care_management
from calaim.web.desk.pages import router as review_desk
from calaim.web.headers import SecurityHeaders
from calaim.web.home import router as home
from calaim.web.inbox import router as inbox
from calaim.web.member import auth as member_auth
from calaim.web.member.pages import router as member_pages
from calaim.web.member.privacy import router as member_privacy
from calaim.web.member.refer import router as member_refer
from calaim.web.member.signin import router as member_sign_in
from calaim.web.member_messages import router as member_messages
from calaim.web.members import router as members
from calaim.web.network import router as network
from calaim.web.payments import router as payments
from calaim.web.profile import router as profile
from calaim.web.reentry import router as reentry
from calaim.web.referral_form import router as referral_form
from calaim.web.referral_page_actions import router as referral_page_actions
from calaim.web.referrals import router as referrals
from calaim.web.reports.pages import router as report_pages
from calaim.web.reports.program import router as program_page
from calaim.web.screenings import router as screenings
from calaim.web.search import router as search
from calaim.web.session import check_csrf
from calaim.web.signin import router as sign_in
from calaim.web.tasks import router as tasks
from calaim.web.templating import STATIC
from calaim.web.worklist_views import router as worklist_views

# The referral form's `/app/referrals/new` comes before `/app/referrals/{id}`.
PAGE_ROUTERS = [
    sign_in,
    home,
    referral_form,
    worklist_views,
    referrals,
    referral_page_actions,
    members,
    member_messages,
    plan_actions,
    care_actions,
    care_management,
    consent_actions,
    report_pages,
    program_page,
    search,
    capacity,
    applications,
    payments,
    network,
    profile,
    inbox,
    tasks,
    reentry,
    screenings,
    review_desk,
    member_sign_in,
    member_pages,
    member_refer,
    member_privacy,
]


def install(app: FastAPI) -> None:
    """Serve the workspace's pages from `app` (same services, same scoping as the API)."""
    for router in PAGE_ROUTERS:
        # CSRF is checked here too, so a router made without `page_router()` is covered.
        app.include_router(router, dependencies=[Depends(check_csrf)])
    app.mount("/app/static", StaticFiles(directory=STATIC), name="web-static")
    app.add_api_route("/", _to_workspace, include_in_schema=False)
    app.add_api_route("/favicon.ico", _favicon, include_in_schema=False)
    errors.install(app)
    member_auth.install(app)
    app.add_middleware(SecurityHeaders)


def _favicon() -> FileResponse:
    """`GET /favicon.ico` (browsers ask for it whatever the page says): the SVG icon."""
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")


def _to_workspace() -> RedirectResponse:
    """`GET /`: the workspace."""
    return RedirectResponse("/app", status_code=307)
