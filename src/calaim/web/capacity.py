"""`/app/capacity`: a provider keeps its own places, beds and waitlist current.

The numbers feed assignment and the coverage navigator directly (`ops/capacity`). A plan's
administrator also holds `ORGANIZATION_ADMIN` but has no provider profile: the page says so.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.capacity.repository import NoProviderProfile
from calaim.ops.capacity.service import CapacityService, CapacityUpdate, may_manage
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import ProviderProfile
from calaim.web.forms import FormErrors, text, values_of
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, redirect, render

router = page_router()


def _values(profile: ProviderProfile) -> dict[str, str]:
    def shown(value: int | None) -> str:
        return "" if value is None else str(value)

    return {
        "capacity": str(profile.capacity),
        "beds_available": shown(profile.beds_available),
        "waitlist": shown(profile.waitlist),
    }


def _count(form: FormData, name: str, errors: FormErrors, *, required: bool) -> int | None:
    raw = text(form, name, 12)
    if not raw:
        if required:
            errors.add(name, N_("Enter a whole number, 0 or more."))
        return None
    if not raw.isdigit():
        errors.add(name, N_("Enter a whole number, 0 or more."))
        return None
    return int(raw)


def _page(
    request: Request, profile: ProviderProfile | None, values: dict[str, str],
    errors: FormErrors, status: int, flash: str | None = None,
) -> Response:  # fmt: skip
    context: dict[str, Any] = {
        "profile": profile,
        "values": values,
        "errors": errors,
        "flash": flash,
    }
    return render(request, "capacity/edit.html", context, status=status)


@router.get("/app/capacity")
def capacity_page(
    request: Request, actor: PageActor, session: SessionDep, done: str | None = None
) -> Response:
    """The provider's capacity now, and the form to change it."""
    if not may_manage(actor):
        raise PermissionDenied("only a provider's own staff keep its capacity")
    try:
        profile = CapacityService(session, actor).current()
    except NoProviderProfile:
        return _page(request, None, {}, FormErrors(), 200)
    flash = N_("Saved. Assignment and the navigator use these numbers now.") if done else None
    return _page(request, profile, _values(profile), FormErrors(), 200, flash)


@router.post("/app/capacity")
async def save_capacity(
    request: Request, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Save the new numbers."""
    form, errors = await request.form(), FormErrors()
    capacity = _count(form, "capacity", errors, required=True)
    beds = _count(form, "beds_available", errors, required=False)
    waiting = _count(form, "waitlist", errors, required=False)
    service = CapacityService(session, actor)
    if not errors:
        try:
            service.update(CapacityUpdate(capacity or 0, beds, waiting), now=now)
        except InvalidRequest as error:
            errors.from_ops(error, "capacity")
        else:
            return redirect("/app/capacity?done=1")
    session.rollback()
    return _page(request, service.current(), values_of(form), errors, 422)
