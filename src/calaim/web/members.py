"""`/app/members/{id}`: one member's whole picture, and the forms acting on it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.admin.service import list_organizations
from calaim.ops.authorizations.terms import denial_reasons
from calaim.ops.enrollments.reasons import discontinuation_reasons
from calaim.ops.enrollments.schemas import local_today
from calaim.ops.messages.service import MessageService, Thread
from calaim.ops.models import OrganizationKind, User
from calaim.ops.referrals.programs import referable_programs
from calaim.ops.referrals.state import allowed_events
from calaim.web.care_choices import care_choices
from calaim.web.forms import FormErrors
from calaim.web.i18n import N_, language_of
from calaim.web.member_view import MemberPage, member_page
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, render

router = page_router()

DONE = {
    "approved": N_("The authorization was approved."),
    "denied": N_("The authorization was denied; the member's notice was recorded."),
    "requested": N_("The authorization was requested."),
    "referral": N_("The referral was updated."),
    "assigned": N_("An ECM provider was assigned."),
    "outreach": N_("The outreach attempt was recorded."),
    "outreach_enrolled": N_("The outreach attempt was recorded and the member was enrolled."),
    "contact": N_("The contact details were saved."),
    "enrolled": N_("The member was enrolled."),
    "care_plan": N_("The care plan was saved."),
    "episode": N_("The service episode was started."),
    "delivery": N_("The service delivery was recorded."),
    "closed": N_("The service episode was closed."),
    "consent": N_("The member's consent was recorded."),
    "consent_requested": N_("Your request for the member's consent was sent to the plan."),
    "message": N_("The message was sent."),
}


@router.get("/app/members/{member_id}")
def member(
    request: Request,
    member_id: uuid.UUID,
    actor: PageActor,
    session: SessionDep,
    now: NowDep,
    done: str | None = None,
) -> Response:
    """The member page (404, like a missing member, when out of the actor's scope)."""
    return show_member(request, session, actor, member_id, now, flash=DONE.get(done or ""))


def show_member(
    request: Request,
    session: Session,
    actor: User,
    member_id: uuid.UUID,
    now: dt.datetime,
    *,
    flash: str | None = None,
    form: str | None = None,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """Render the member page; `form`, `errors` and `values` re-show a form that failed."""
    context: dict[str, Any] = {
        "page": member_page(session, actor, member_id, now),
        "today": local_today(now),
        "flash": flash,
        "failed_form": form,
        "form_errors": errors or FormErrors(),
        "form_values": values or {},
        "can": {p.name.lower(): allowed(actor, p) for p in Permission},
        "choices": {**_choices(session, actor), **care_choices(actor, language_of(request))},
        "threads": member_threads(session, actor, member_id, now),
    }
    return render(request, "member.html", context, status=status)


def _choices(session: Session, actor: User) -> dict[str, Any]:
    organizations = list_organizations(session)
    providers = organizations if allowed(actor, Permission.REFERRAL_ACT) else []
    return {
        "names": {o.id: o.name for o in organizations},
        "events": allowed_events,
        "ecm_providers": [
            (o.id, o.name) for o in providers if o.kind == OrganizationKind.ECM_PROVIDER
        ],
        "cs_providers": [
            (o.id, o.name) for o in providers if o.kind == OrganizationKind.CS_PROVIDER
        ],
        "denial_reasons": list(denial_reasons().items()),
        # Whom a member may consent to share Part 2 information with: anyone but a plan.
        "consent_parties": [
            (o.id, o.name) for o in organizations if o.kind != OrganizationKind.PLAN
        ],
        "discontinuation_reasons": [(k, r.label) for k, r in discontinuation_reasons().items()],
        "program_options": [(p, _program_label(p)) for p in sorted(referable_programs())],
        "acuity_options": [("low", N_("Low")), ("medium", N_("Medium")), ("high", N_("High"))],
        "referral_options": _referral_options,
        "ecm_authorization_options": _ecm_authorization_options,
        "user_names": _UserNames(session),
    }


class _UserNames:
    """Names of the people who recorded something shown on the page, read when asked."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: uuid.UUID | None, default: str) -> str:
        """The user's name, or `default` when there is none."""
        found = self.session.get(User, user_id) if user_id else None
        return found.name if found is not None else default


def _program_label(program_id: str) -> str:
    return "ECM" if program_id == "ecm" else program_id.removeprefix("cs.").replace("_", " ")


def _referral_options(page: MemberPage) -> list[tuple[uuid.UUID, str]]:
    open_ones = [i["row"] for i in page.referrals if i["row"].status not in ("declined", "closed")]
    return [(r.id, f"{_program_label(r.program_id)} ({r.status})") for r in open_ones]


def _ecm_authorization_options(page: MemberPage) -> list[tuple[uuid.UUID, str]]:
    rows = [i["row"] for i in page.authorizations]
    usable = [a for a in rows if a.program_id == "ecm" and a.status in ("approved", "presumptive")]
    return [(a.id, f"ECM {a.status} {a.start_date or ''}") for a in usable]


def member_threads(
    session: Session, actor: User, member_id: uuid.UUID, now: dt.datetime
) -> list[Thread]:
    """The member's threads the actor may read (none for a role that reads no members)."""
    if not allowed(actor, Permission.MEMBER_READ):
        return []
    return MessageService(session, actor).threads(member_id=member_id, now=now)
