"""`/app/applications`: a provider applies to several plans at once; each plan decides its own
lines (a service in a county). Refusals say which plan asks for what (`ops/providers`)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.access.permissions import Permission, PermissionDenied, allowed
from calaim.ops.errors import OpsError
from calaim.ops.models.provider_application import LineDecision
from calaim.ops.providers.applications import ApplicationIn, ApplicationService
from calaim.ops.providers.requirements import requirements_for
from calaim.web.forms import FormErrors, text
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, redirect, render
from calaim.web.refusals import plain

router = page_router()
DONE = {
    "sent": N_("Your application was sent to every plan you chose."),
    "decided": N_("Your decision was saved; the provider sees it now."),
}


def _may(actor: Any) -> tuple[bool, bool]:
    applies = allowed(actor, Permission.PROVIDER_PROFILE)
    decides = allowed(actor, Permission.PROVIDER_CREDENTIALING)
    if not (applies or decides):
        raise PermissionDenied("only providers' staff and plan administrators use applications")
    return applies, decides


def _page(
    request: Request,
    actor: Any,
    session: Any,
    now: Any,
    errors: FormErrors,
    status: int = 200,
    flash: str | None = None,
) -> Response:
    applies, decides = _may(actor)
    service = ApplicationService(session, actor)
    views, _total = service.page(50, 0)
    plans = service.repository.plans() if applies else []
    names = service.repository.organizations(
        [line.plan_organization_id for v in views for line in v.lines]
    )
    asks = [r for plan in plans for r in requirements_for(str(plan.plan_code), now.date())]
    context = {
        "applies": applies,
        "decides": decides,
        "views": views,
        "plans": plans,
        "names": names,
        "asks": asks,
        "errors": errors,
        "flash": flash,
    }
    return render(request, "network/applications.html", context, status=status)


@router.get("/app/applications")
def applications_page(
    request: Request, actor: PageActor, session: SessionDep, now: NowDep, done: str | None = None
) -> Response:
    """The caller's applications (a provider) or those it received (a plan)."""
    return _page(request, actor, session, now, FormErrors(), flash=DONE.get(done or ""))


@router.post("/app/applications")
async def apply(request: Request, actor: PageActor, session: SessionDep, now: NowDep) -> Response:
    """Send one application to the chosen plans."""
    form, errors = await request.form(), FormErrors()
    codes = [str(code) for code in form.getlist("plan")]
    answers: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key.startswith("ask:"):
            answers[key[4:]] = True if value == "yes" else str(value)
    given = ApplicationIn(codes, [text(form, "program", 60)], [text(form, "county", 60)], answers)
    try:
        ApplicationService(session, actor).submit(given, now=now)
    except OpsError as error:
        session.rollback()
        errors.add("plan", plain(error))
        return _page(request, actor, session, now, errors, 422)
    return redirect("/app/applications?done=sent")


@router.post("/app/applications/lines/{line_id}")
async def decide(
    line_id: uuid.UUID, request: Request, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """A plan approves or denies one line."""
    form, errors = await request.form(), FormErrors()
    choice = (
        LineDecision.APPROVED if text(form, "decision", 10) == "approved" else LineDecision.DENIED
    )
    version = int(text(form, "version", 6) or "0")
    try:
        ApplicationService(session, actor).decide(
            line_id, choice, text(form, "reason", 1000), version, now=now
        )
    except OpsError as error:
        session.rollback()
        errors.add(f"reason-{line_id}", plain(error))
        return _page(request, actor, session, now, errors, 422)
    return redirect("/app/applications?done=decided")
