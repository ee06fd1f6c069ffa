"""What the referral page's forms do: a step of the loop, a message, a file; a file download.

Each calls one ops service with the viewer's scope. On success the browser goes back to the
referral page with a short confirmation (303); on a refusal the page is shown again with the
message next to the field and nothing saved (422 invalid, 409 conflict).
"""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.access.permissions import Permission, require
from calaim.ops.attachments.endpoints import file_response, storage_of
from calaim.ops.attachments.service import AttachmentService
from calaim.ops.messages.service import MessageService
from calaim.ops.referrals.service import ReferralService
from calaim.ops.referrals.state import ReferralEvent
from calaim.web.actions_common import attempt, version
from calaim.web.forms import FormErrors, identifier, text, uploaded_file
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, redirect, render
from calaim.web.referral_actions import steps_for
from calaim.web.referral_record import record_of

router = page_router()
FINAL = {ReferralEvent.DECLINE, ReferralEvent.CLOSE}


def _again(
    request: Request, referral_id: uuid.UUID, actor: PageActor, session: SessionDep,
    now: NowDep, errors: FormErrors, status: int,
) -> Response:  # fmt: skip
    session.rollback()
    context = record_of(request, session, actor, referral_id, now)
    context["errors"] = errors
    return render(request, "referrals/one.html", context, status=status)


@router.post("/app/referrals/{referral_id}/step")
async def take_step(
    request: Request, referral_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Accept, decline (with a reason), start, record services, or close (DHCS reason)."""
    require(actor, Permission.REFERRAL_ACT)
    form, errors = await request.form(), FormErrors()
    chosen = text(form, "event", 30)
    event = ReferralEvent(chosen) if chosen in set(ReferralEvent) else None
    field = f"reason-{chosen}"
    if event is None:
        errors.add("reason", N_("Choose what to do with the referral."))
    expected = version(form, errors)
    reason = text(form, "reason", 200) or None
    if event in FINAL and text(form, "confirm") != "yes":
        errors.add(f"confirm-{chosen}", N_("Tick the box to confirm: this cannot be undone."))
    if event is not None:
        current = ReferralService(session, actor).get(referral_id)
        step = next((s for s in steps_for(actor, current) if s.event == event.value), None)
        if step is not None and step.needs_reason and not reason:
            errors.add(field, N_("Choose a reason."))
    status = attempt(
        lambda: ReferralService(session, actor).transition(
            referral_id, event or ReferralEvent.ACCEPT, expected_version=expected,
            reason=reason, now=now,
        ),
        errors,
        field,
    )  # fmt: skip
    if status == 303:
        return redirect(f"/app/referrals/{referral_id}?done=step")
    return _again(request, referral_id, actor, session, now, errors, status)


@router.post("/app/referrals/{referral_id}/messages")
async def write_message(
    request: Request, referral_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """A new message on the referral, or a reply in one of its threads."""
    form, errors = await request.form(), FormErrors()
    body = text(form, "body", 4000)
    errors.require("body", body, N_("Write the message before sending it."))
    reply_to = identifier(form, "reply_to", FormErrors(), "")
    part2 = text(form, "part2") == "yes"
    status = attempt(
        lambda: MessageService(session, actor).send(
            referral_id=referral_id, body=body, part2=part2, reply_to=reply_to, now=now
        ),
        errors,
        "body",
    )
    if status == 303:
        return redirect(f"/app/referrals/{referral_id}?done=message#messages-title")
    return _again(request, referral_id, actor, session, now, errors, status)


@router.post("/app/referrals/{referral_id}/attachments")
async def attach_file(
    request: Request, referral_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Attach a PDF or image to the referral (checked by content and size)."""
    errors = FormErrors()
    data, name = await uploaded_file(request, errors)
    service = AttachmentService(session, actor, storage_of(request))
    status = attempt(lambda: service.attach(referral_id, name, data, now=now), errors, "file")
    if status == 303:
        return redirect(f"/app/referrals/{referral_id}?done=file#files-title")
    return _again(request, referral_id, actor, session, now, errors, status)


@router.get("/app/attachments/{attachment_id}")
def download(
    request: Request, attachment_id: uuid.UUID, actor: PageActor, session: SessionDep
) -> Response:
    """A file of a referral the viewer may see (audited)."""
    found = AttachmentService(session, actor, storage_of(request)).download(attachment_id)
    return file_response(found.attachment.filename, found.attachment.content_type, found.data)
