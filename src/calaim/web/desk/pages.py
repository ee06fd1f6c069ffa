"""`/app/authorizations`: the utilization-review queue, one request per screen, the reviewer's
steps (approve, pend, extend, deny) and the Notice of Action letters as PDF."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.authorizations.search import AuthorizationFilter, search_authorizations
from calaim.ops.letters.repository import LetterRepository
from calaim.ops.models import AuthorizationStatus, User
from calaim.ops.models.authorization import Urgency
from calaim.ops.paging import PageRequest
from calaim.ops.referrals.programs import referable_programs
from calaim.ops.review.service import ReviewService
from calaim.web.caps import UNITS
from calaim.web.desk import forms
from calaim.web.desk.programs import program_name
from calaim.web.desk.view import desk
from calaim.web.due import due
from calaim.web.forms import FormErrors, values_of
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, redirect, render
from calaim.web.worklist_views import PER_PAGE, paging, views_context

router = page_router()
S = AuthorizationStatus
QUEUES = {
    "undecided": (N_("To decide"), [S.PENDING, S.PRESUMPTIVE]),
    "approved": (N_("Approved"), [S.APPROVED]),
    "denied": (N_("Denied"), [S.DENIED]),
}
QUEUE_SORTS = {
    "due": N_("Decision due soonest"),
    "newest": N_("Newest first"),
    "oldest": N_("Oldest first"),
}
DONE = {
    "check": N_(
        "The engine does not support this approval. Read the warning, then approve here with "
        "your reason, or pend or deny."
    ),
    "approve": N_("Approved. The Notice of Action letter went to the member and the provider."),
    "pend": N_("Pended for information. The member and the provider were told of the delay."),
    "extend": N_("Extended. The letter went to the member and the provider."),
    "deny": N_("Denied. The Notice of Action letter went to the member and the provider."),
}


@router.get("/app/authorizations")
def queue(
    request: Request,
    actor: PageActor,
    session: SessionDep,
    now: NowDep,
    show: str = "undecided",
    program: str | None = None,
    urgency: str | None = None,
    sort: str | None = None,
    page: int = 1,
) -> Response:
    """The plan's requests: to decide (soonest due first), approved, or denied; filtered by
    program and urgency, sorted, paged, with the reviewer's saved views."""
    require(actor, Permission.AUTHORIZATION_DECIDE)
    chosen = show if show in QUEUES else "undecided"
    program_id = program if program in referable_programs() else None
    urgent = urgency if urgency in set(Urgency) else None
    order = sort if sort in QUEUE_SORTS else ("due" if chosen == "undecided" else "newest")
    number = min(max(page, 1), 10_000)
    filters = AuthorizationFilter(statuses=tuple(QUEUES[chosen][1]), program_id=program_id,
                                  urgency=urgent)  # fmt: skip
    found = search_authorizations(
        session, actor, filters, PageRequest(PER_PAGE, (number - 1) * PER_PAGE), now, order
    )
    review = ReviewService(session, actor)
    items = [
        {"row": a, "due": due(a.decision_due_at, now) if chosen == "undecided" else None,
         "engine": review.engine(a, now)}
        for a in found.items
    ]  # fmt: skip
    query = {"show": chosen, "program": program_id or "", "urgency": urgent or "", "sort": order}
    context = {
        "items": items,
        "show": chosen,
        "queues": QUEUES,
        "warnings_short": forms.SHORT,
        "program_name": program_name,
        "program": program_id,
        "programs": sorted(referable_programs()),
        "urgency": urgent,
        "urgencies": list(Urgency),
        "sort": order,
        "sorts": QUEUE_SORTS,
        "paging": paging(found.total, number, PER_PAGE, query, "/app/authorizations"),
        **views_context(session, actor, "authorizations", query),
    }
    return render(request, "desk/queue.html", context)


@router.get("/app/authorizations/{authorization_id}")
def one(
    request: Request,
    authorization_id: uuid.UUID,
    actor: PageActor,
    session: SessionDep,
    now: NowDep,
    done: str | None = None,
) -> Response:
    """One request with everything needed to decide it."""
    return show_desk(request, session, actor, authorization_id, now, flash=DONE.get(done or ""))


def plain_number(value: Decimal) -> str:
    """A number without trailing zeros or exponent ("2", "2.5", "100")."""
    return f"{value.normalize():f}"


def language_name(code: str | None, shown_in: str) -> str:
    """A language code as its name in the page's language ("es" → "Spanish" / "español")."""
    try:
        return str(Locale.parse(code or "").get_display_name(shown_in) or code)
    except (ValueError, TypeError, UnknownLocaleError):
        return code or ""


def show_desk(
    request: Request,
    session: Session,
    actor: User,
    authorization_id: uuid.UUID,
    now: Any,
    *,
    flash: str | None = None,
    form: str | None = None,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The desk page (again, with a form's messages and values after a refusal)."""
    require(actor, Permission.AUTHORIZATION_DECIDE)
    context = {
        "d": desk(session, actor, authorization_id, now),
        "flash": flash,
        "failed_form": form,
        "form_errors": errors,
        "form_values": values or {},
        "frequencies": forms.FREQUENCIES,
        "denial_reasons": forms.DENIAL_REASONS,
        "warnings": forms.WARNINGS,
        "program_name": program_name,
        "review_actions": forms.ACTION_WORDS,
        "letter_words": forms.LETTER_WORDS,
        "cap_units": {**UNITS, "dollar": N_("dollars")},
        "language_name": language_name,
        "plain_number": plain_number,
    }
    return render(request, "desk/one.html", context, status=status)


@router.post("/app/authorizations/{authorization_id}/review/{action}")
async def act(
    request: Request,
    authorization_id: uuid.UUID,
    action: str,
    actor: PageActor,
    session: SessionDep,
    now: NowDep,
) -> Response:
    """Approve, pend, extend or deny from the desk."""
    require(actor, Permission.AUTHORIZATION_DECIDE)
    form, errors = await request.form(), FormErrors()
    status = forms.run(ReviewService(session, actor), authorization_id, action, form, errors, now)
    if status == 303:
        return redirect(f"/app/authorizations/{authorization_id}?done={action}")
    session.rollback()
    return show_desk(request, session, actor, authorization_id, now, form=action,
                     errors=errors, values=values_of(form), status=status)  # fmt: skip


@router.get("/app/letters/{letter_id}")
def letter(letter_id: uuid.UUID, actor: PageActor, session: SessionDep) -> Response:
    """A Notice of Action letter, as sent (PDF)."""
    found = LetterRepository(session, actor).get(letter_id)
    name = f"notice-of-action-{found.kind}-{found.created_at:%Y-%m-%d}-{found.language}.pdf"
    return Response(
        found.pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )
