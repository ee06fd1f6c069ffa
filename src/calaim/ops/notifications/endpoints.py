"""Inbox API: the caller's own notifications (nobody reads anyone else's), unread count,
mark all read, and the email choice. Emails are sent by `calaim worker`, never here."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.pagination import Page, PageDep
from calaim.ops.http.routing import DomainRouter
from calaim.ops.notifications.schemas import (
    EmailChoice,
    MarkedRead,
    NotificationOut,
    UnreadCount,
    notification_out,
)
from calaim.ops.notifications.service import NotificationService

router = DomainRouter(
    prefix="/notifications",
    tag="notifications",
    description="The caller's inbox: new referrals, decisions, acceptances, messages and "
    "loops running late, with unread counts; email delivery is opt-in per user.",
)


@router.get("", response_model=Page[NotificationOut])
def list_notifications(
    actor: ActorDep,
    session: SessionDep,
    page: PageDep,
    unread: Annotated[bool, Query(description="Only unread items.")] = False,
) -> Page[NotificationOut]:
    """The caller's inbox, newest first."""
    rows, total = NotificationService(session, actor).inbox(
        unread_only=unread, limit=page.limit, offset=page.offset
    )
    following = page.offset + len(rows)
    return Page[NotificationOut](
        items=[notification_out(n) for n in rows],
        limit=page.limit,
        offset=page.offset,
        total=total,
        next_offset=following if following < total else None,
    )


@router.get("/unread-count", response_model=UnreadCount)
def unread_count(actor: ActorDep, session: SessionDep) -> UnreadCount:
    """How many of the caller's items are unread."""
    return UnreadCount(unread=NotificationService(session, actor).unread_count())


@router.post("/read-all", response_model=MarkedRead)
def read_all(actor: ActorDep, session: SessionDep, now: NowDep) -> MarkedRead:
    """Mark every item of the caller's inbox read."""
    return MarkedRead(marked=NotificationService(session, actor).mark_all_read(now))


@router.put("/email", response_model=EmailChoice)
def choose_email(
    choice: EmailChoice, actor: ActorDep, session: SessionDep, now: NowDep
) -> EmailChoice:
    """Turn the caller's email on or off."""
    NotificationService(session, actor).choose_email(choice.email_opt_in, now)
    return choice
