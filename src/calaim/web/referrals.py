"""`/app/referrals`: the referrals list, one referral's closed loop, and the referral form."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, allowed, require
from calaim.ops.admin.service import list_organizations
from calaim.ops.models import User
from calaim.ops.notices.repository import NoticeFilter, NoticeRepository
from calaim.ops.paging import PageRequest
from calaim.ops.referrals.programs import referable_programs
from calaim.ops.referrals.repository import ReferralRepository
from calaim.ops.referrals.search import SORTS, ReferralFilter, search_referrals
from calaim.ops.referrals.state import ReferralStatus
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, render
from calaim.web.referral_record import record_of
from calaim.web.timeline import in_step_order
from calaim.web.worklist_views import LIST_PAGE, PER_PAGE, SORT_LABELS, paging, views_context

router = page_router()
DONE = {
    "created": N_("The referral was sent. You will see each step of the loop here."),
    "joined": N_(
        "This member already had an open referral for that program: yours was added to it."
    ),
    "step": N_("Done. The referral's timeline shows the step."),
    "message": N_("Your message was sent."),
    "file": N_("The file was attached."),
}


@router.get("/app/referrals")
def referral_list(
    request: Request,
    actor: PageActor,
    session: SessionDep,
    status: str | None = None,
    program: str | None = None,
    sort: str = "newest",
    page: int = 1,
) -> Response:
    """Referrals the actor is party to (plans: their members'): filtered, sorted, paged."""
    require(actor, Permission.REFERRAL_READ)
    chosen = ReferralStatus(status) if status in set(ReferralStatus) else None
    program_id = program if program in referable_programs() else None
    order = sort if sort in SORTS else "newest"
    number = min(max(page, 1), 10_000)
    filters = ReferralFilter(status=chosen, program_id=program_id)
    found = search_referrals(
        session, actor, filters, PageRequest(PER_PAGE, (number - 1) * PER_PAGE), order
    )
    query = {"status": chosen or "", "program": program_id or "", "sort": order}
    context = {
        "rows": found.items,
        "status": chosen,
        "statuses": list(ReferralStatus),
        "program": program_id,
        "programs": sorted(referable_programs()),
        "sort": order,
        "sorts": SORT_LABELS,
        "paging": paging(found.total, number, PER_PAGE, query),
        **views_context(session, actor, LIST_PAGE, query),
    }
    return render(request, "referrals/list.html", context)


@router.get("/app/referrals/{referral_id}")
def referral(
    request: Request,
    referral_id: uuid.UUID,
    actor: PageActor,
    session: SessionDep,
    now: NowDep,
    done: str | None = None,
) -> Response:
    """The referral as the shared record (`referral_record.py`): facts, files, messages, steps."""
    require(actor, Permission.REFERRAL_READ)
    context = record_of(request, session, actor, referral_id, now)
    context["flash"] = DONE.get(done or "")
    return render(request, "referrals/one.html", context)


def loop_of(session: Session, actor: User, referral_id: uuid.UUID) -> dict[str, Any]:
    """The referral, its history and its notices, as the actor may see them."""
    repository = ReferralRepository(session, actor)
    history = in_step_order(repository.history(referral_id))
    found = repository.get(referral_id)
    notices = (
        NoticeRepository(session, actor)
        .search(NoticeFilter(subject_id=referral_id), PageRequest(limit=50))
        .items
    )
    names = {o.id: o.name for o in list_organizations(session)}
    return {
        "r": found,
        "history": history,
        "notices": notices,
        "names": names,
        "member_link": allowed(actor, Permission.MEMBER_READ),
    }
