"""Messages about a member (outside any referral) on the member page: the threads between the
member's plan and providers, and the form to write or reply (`ops/messages`).

Who reads them is the member's scope (`MessageService`); a message marked Part 2 is shown only
to the sender, the member's plan and organizations with the member's consent. A new message
puts an item in the other organizations' inboxes (`ops/notifications/fanout.py`).
"""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.messages.service import MessageService
from calaim.web.actions_common import attempt, finish
from calaim.web.forms import FormErrors, identifier, text
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router

router = page_router()


@router.post("/app/members/{member_id}/messages")
async def write_member_message(
    request: Request, member_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """A new message about the member, or a reply in one of the member's threads."""
    form, errors = await request.form(), FormErrors()
    body = text(form, "body", 4000)
    errors.require("body", body, N_("Write the message before sending it."))
    reply_to = identifier(form, "reply_to", FormErrors(), "")
    part2 = text(form, "part2") == "yes"
    status = attempt(
        lambda: MessageService(session, actor).send(
            member_id=member_id, body=body, part2=part2, reply_to=reply_to, now=now
        ),
        errors,
        "body",
    )
    return finish(
        request, session, actor, now, status=status, member_id=member_id, key="message",
        done="message#messages", errors=errors, form=form,
    )  # fmt: skip
