"""`/app/inbox`: the signed-in user's notifications, the header's unread count, and the
choice to get an email when something arrives (the email never names a member)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.models import User
from calaim.ops.models.inbox import Notification, NotificationKind
from calaim.ops.notifications.service import NotificationService
from calaim.web.desk.programs import program_name
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, redirect, render

router = page_router()
PAGE_SIZE = 25
K = NotificationKind
# What each kind of item says (translated where shown).
SAYS = {
    K.NEW_REFERRAL: N_("New referral"),
    K.DECISION: N_("Authorization decision"),
    K.ACCEPTANCE: N_("Referral accepted"),
    K.REFERRAL_UPDATE: N_("Referral update"),
    K.MESSAGE: N_("New message"),
    K.LOOP_LATE: N_("Closed loop running late"),
    K.TASK_ASSIGNED: N_("Task assigned to you"),
}
# What happened, after the kind ("Authorization decision: denied").
DETAILS = {
    "authorization_approved": N_("approved"),
    "authorization_denied": N_("denied"),
    "authorization_delayed": N_("more time needed"),
    "referral_declined": N_("declined"),
    "referral_closed": N_("closed"),
    # An ECM provider's assignment, or a Community Supports referral routed to a provider.
    "assignment_to_referrer": N_("provider assigned"),
}
DONE = {
    "read": N_("Everything is marked read."),
    "email_on": N_("You will get an email when something new arrives."),
    "email_off": N_("You will not get emails."),
}


def target(actor: User, notification: Notification) -> str:
    """Where opening an item leads."""
    subject = notification.subject_id
    if notification.subject_type == "referral":
        return f"/app/referrals/{subject}"
    if notification.subject_type == "authorization":
        if allowed(actor, Permission.AUTHORIZATION_DECIDE):
            return f"/app/authorizations/{subject}"
        if notification.member_id and allowed(actor, Permission.MEMBER_READ):
            return f"/app/members/{notification.member_id}#authorizations"
    if notification.subject_type == "member" and allowed(actor, Permission.MEMBER_READ):
        return f"/app/members/{subject}"
    if notification.subject_type == "task":
        return "/app/tasks"
    return "/app/inbox"


def member_names(service: NotificationService, rows: list[Notification]) -> dict[uuid.UUID, str]:
    """Whom each item is about, in words: the full name where the reader sees the member, the
    first name and last initial (as the referral page shows it) where it sees only a referral."""
    seen = service.members_of(rows)
    names = {i: f"{m.first_name} {m.last_name}" for i, m in seen.items()}
    referred = service.referred_members_of(rows, set(seen))
    names |= {i: f"{m.first_name} {m.last_name[:1]}." for i, m in referred.items()}
    return names


@router.get("/app/inbox")
def inbox(
    request: Request,
    actor: PageActor,
    session: SessionDep,
    unread: bool = False,
    page: int = 1,
    done: str | None = None,
) -> Response:
    """The inbox, newest first (all items, or only unread ones)."""
    page = max(page, 1)
    service = NotificationService(session, actor)
    rows, total = service.inbox(unread_only=unread, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    context: dict[str, Any] = {
        "rows": rows,
        "names": member_names(service, rows),
        "says": SAYS,
        "details": DETAILS,
        "program_name": program_name,
        "unread_only": unread,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "total": total,
        "email_opt_in": service.email_opt_in(),
        "flash": DONE.get(done or ""),
        "has_tasks": allowed(actor, Permission.NOTICE_READ),
    }
    return render(request, "inbox/list.html", context)


@router.get("/app/inbox/{notification_id}")
def open_item(
    notification_id: uuid.UUID, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Open one item: it is marked read and the browser goes to what it is about."""
    notification = NotificationService(session, actor).open(notification_id, now)
    return redirect(target(actor, notification))


@router.post("/app/inbox/read-all")
def read_all(actor: PageActor, session: SessionDep, now: NowDep) -> Response:
    """Mark every item read."""
    NotificationService(session, actor).mark_all_read(now)
    return redirect("/app/inbox?done=read")


@router.post("/app/inbox/email")
async def email_choice(
    request: Request, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Turn the email on or off."""
    form = await request.form()
    opt_in = form.get("email") == "on"
    NotificationService(session, actor).choose_email(opt_in, now)
    return redirect(f"/app/inbox?done={'email_on' if opt_in else 'email_off'}")
