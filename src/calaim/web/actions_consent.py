"""Workspace actions on 42 CFR Part 2 consent: the plan records the member's signed form; a
provider asks the plan for the member's consent (it never records one)."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.consents.requests import ConsentRequests
from calaim.ops.consents.service import ConsentService, SignedForm
from calaim.ops.enrollments.schemas import local_today
from calaim.ops.models import ConsentRequestStatus, User
from calaim.web.actions_common import attempt, finish
from calaim.web.forms import FormErrors, day, identifier, text
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router

router = page_router()
P = Permission


@router.post("/app/members/{member_id}/part2-consents")
async def record_consent(
    request: Request, member_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """The member's plan records the member's signed consent form."""
    require(actor, P.CONSENT_RECORD)
    form, errors = await request.form(), FormErrors()
    party = identifier(form, "organization_id", errors, N_("Choose the organization."))
    signed, expires = day(form, "granted_on", errors), day(form, "expires_on", errors)
    reference, scope = text(form, "document_reference", 200), text(form, "scope", 2000)
    errors.require("document_reference", reference, N_("Say where the signed form is kept."))
    errors.require("scope", scope, N_("Say what the member agreed to share, and why."))

    def save() -> None:
        # `attempt` runs this only when the form has no problems, so every field is there.
        assert party is not None
        assert signed is not None
        assert expires is not None
        answered = _open_request(session, actor, member_id, party)
        signed_form = SignedForm(party, signed, expires, reference, scope, answered)
        ConsentService(session, actor).record_consent(
            member_id, signed_form, today=local_today(now)
        )

    status = attempt(save, errors, "organization_id")
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key="consent-record", done="consent", errors=errors, form=form,
    )  # fmt: skip


@router.post("/app/members/{member_id}/part2-consent-requests")
async def request_consent(
    request: Request, member_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """A provider asks the member's plan for the member's consent for the provider."""
    require(actor, P.CONSENT_REQUEST)
    form, errors = await request.form(), FormErrors()
    purpose = text(form, "purpose", 2000)
    errors.require("purpose", purpose, N_("Say why your organization needs it."))
    status = attempt(
        lambda: ConsentRequests(session, actor).ask(member_id, purpose, now=now), errors, "purpose"
    )
    return finish(
        request, session, actor, now, status=status, member_id=member_id,
        key="consent-request", done="consent_requested", errors=errors, form=form,
    )  # fmt: skip


def _open_request(
    session: Session, actor: User, member_id: uuid.UUID, party: uuid.UUID
) -> uuid.UUID | None:
    """The organization's open request for this member's consent, which the form answers."""
    found = ConsentRequests(session, actor).search(
        member_id=member_id, status=ConsentRequestStatus.OPEN
    )
    return next((r.id for r in found if r.organization_id == party), None)
