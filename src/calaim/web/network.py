"""`/app/network`: a network lead routes referrals to its member CBOs, names them on its
claims (837P rendering provider) and splits each month's payments by their terms. A refusal is
said in plain words in the page's language (`refusals.plain`)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.access.permissions import Permission, require
from calaim.ops.billing.period import BillingPeriod
from calaim.ops.errors import OpsError
from calaim.ops.network.service import NetworkService
from calaim.web.forms import FormErrors, text
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, redirect, render
from calaim.web.refusals import plain

router = page_router()
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _page(
    request: Request,
    actor: Any,
    session: Any,
    now: Any,
    errors: FormErrors,
    flash: dict[str, str] | None = None,
    shares: list[Any] | None = None,
    status: int = 200,
) -> Response:
    require(actor, Permission.NETWORK_MANAGE)
    service = NetworkService(session, actor)
    members = service.memberships(now.date())
    leads = any(m.lead_organization_id == actor.organization_id for m in members)
    waiting = service.waiting() if leads else []
    stored = service.distributions(None)
    ids = [m.member_organization_id for m in members] + [d.member_organization_id for d in stored]
    context = {
        "leads": leads,
        "members": members,
        "waiting": waiting,
        "stored": stored,
        "shares": shares,
        "names": service.repository.organization_names(ids),
        "errors": errors,
        "flash": flash or {},
        "month": f"{now:%Y-%m}",
    }
    return render(request, "network/lead.html", context, status=status)


@router.get("/app/network")
def network_page(
    request: Request, actor: PageActor, session: SessionDep, now: NowDep, routed: str | None = None
) -> Response:
    """The lead's members, referrals waiting to be routed, and its months."""
    flash = {"member": routed} if routed else None
    return _page(request, actor, session, now, FormErrors(), flash)


@router.post("/app/network/route/{referral_id}")
async def route(
    referral_id: uuid.UUID, request: Request, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Route one referral to the member that fits best."""
    await request.form()
    try:
        done = NetworkService(session, actor).route(referral_id, now=now)
    except OpsError as error:
        session.rollback()
        errors = FormErrors()
        errors.add("waiting", plain(error))
        return _page(request, actor, session, now, errors, status=409)
    name = next(
        r["name"] for r in done.ranking if r["organization_id"] == str(done.member_organization_id)
    )
    return redirect(f"/app/network?routed={name}")


@router.post("/app/network/month")
async def month(request: Request, actor: PageActor, session: SessionDep, now: NowDep) -> Response:
    """Name the rendering members on the month's claims, then split what the plan paid."""
    form, errors = await request.form(), FormErrors()
    label = text(form, "period", 7)
    if not MONTH.match(label):
        errors.add("period", N_("Enter the month as year-month, for example 2025-09."))
        return _page(request, actor, session, now, errors, status=422)
    try:
        period = BillingPeriod.parse(label)
        service = NetworkService(session, actor)
        named = service.attribute(period.start)
        shares = service.distribute(label, period.start, now=now)
    except OpsError as error:
        session.rollback()
        errors.add("period", plain(error))
        return _page(request, actor, session, now, errors, status=422)
    return _page(
        request, actor, session, now, errors, {"named": str(named), "period": label}, shares
    )
