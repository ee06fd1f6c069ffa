"""Who may see the member's information, and the member's own 42 CFR Part 2 consents: they
say yes to an organization caring for or asking about them, or take a yes back. Recorded and
audited by `calaim.ops.consents` (the member signing electronically on their own pages)."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.consents.service import ConsentService, SignedForm
from calaim.ops.enrollments.schemas import local_today
from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.http.deps import NowDep, SessionDep
from calaim.ops.member_portal.repository import Accounts, OwnCare
from calaim.ops.models import User
from calaim.web.forms import text
from calaim.web.i18n import N_
from calaim.web.member.auth import MemberActor
from calaim.web.member.render import refused, render
from calaim.web.pages import page_router, redirect

router = page_router()

SCOPE = "All of the member's substance use disorder information, to coordinate their care."
NOT_SAVED = N_("That could not be saved. Try again.")
DONE = {
    "given": N_("Saved. They may now see it."),
    "revoked": N_("Saved. They may not see it any more."),
}


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@router.get("/app/me/privacy")
def privacy(request: Request, actor: MemberActor, session: SessionDep, done: str = "") -> Response:
    """Who sees what; the member's Part 2 consents and requests."""
    return _page(request, actor, session, DONE.get(done), None, 200)


def _page(
    request: Request, actor: User, session: SessionDep, done: str | None, error: str | None,
    status: int,
) -> Response:  # fmt: skip
    repository = OwnCare(session, actor)
    member = repository.mine()
    consents = ConsentService(session, actor).for_member(member.id)
    requests = repository.consent_requests()
    named = {c.organization_id for c in consents} | {r.organization_id for r in requests}
    context = {
        "connected": repository.connected_organizations(member.plan_organization_id),
        "consents": consents,
        "requests": requests,
        "names": repository.organization_names(named),
        "done": done,
        "error": error,
    }
    return render(request, "privacy.html", context, status=status)


def _signature(session: SessionDep, actor: User, now: dt.datetime) -> str:
    account = Accounts(session).of_user(actor)
    holder = account.holder if account else "self"
    moment = f"{now:%Y-%m-%dT%H:%M%z}"
    signed = f"Signed electronically on the member pages by the {holder} ({actor.email}), {moment}"
    return signed[:200]


@router.post("/app/me/privacy/give")
async def give(request: Request, actor: MemberActor, session: SessionDep, now: NowDep) -> Response:
    """Say yes: the member consents to one connected organization, for 6 or 12 months."""
    form = await request.form()
    repository = OwnCare(session, actor)
    member = repository.mine()
    connected = repository.connected_organizations(member.plan_organization_id)
    try:
        organization_id = uuid.UUID(text(form, "organization", 40))
    except ValueError:
        organization_id = None
    months = 6 if text(form, "months", 3) == "6" else 12
    if organization_id not in connected:
        return _page(request, actor, session, None, N_("Choose a group from the list."), 422)
    today = local_today(now)
    open_request = next(
        (r.id for r in repository.consent_requests() if r.organization_id == organization_id),
        None,
    )
    signed = SignedForm(
        organization_id=organization_id, granted_on=today,
        expires_on=months_after(today, months),
        document_reference=_signature(session, actor, now),
        scope=SCOPE, request_id=open_request,
    )  # fmt: skip
    try:
        ConsentService(session, actor).record_consent(member.id, signed, today=today)
    except (Conflict, InvalidRequest) as error:
        return _page(request, actor, session, None, refused(error, NOT_SAVED), _status(error))
    return redirect("/app/me/privacy?done=given")


@router.post("/app/me/privacy/revoke/{consent_id}")
def revoke(
    request: Request, consent_id: uuid.UUID, actor: MemberActor, session: SessionDep, now: NowDep
) -> Response:
    """Take back a yes, from today on (audited by the consent service)."""
    OwnCare(session, actor).mine()
    try:
        ConsentService(session, actor).revoke(consent_id, revoked_on=local_today(now))
    except (Conflict, InvalidRequest) as error:
        # E.g. taken back already (another tab): said in plain words, on the privacy page.
        return _page(request, actor, session, None, refused(error, NOT_SAVED), _status(error))
    return redirect("/app/me/privacy?done=revoked")


def _status(error: Conflict | InvalidRequest) -> int:
    return 409 if isinstance(error, Conflict) else 422
