"""Putting an item in the inbox of an organization's users (and in the email outbox of those
who chose email), in the caller's transaction.

Every notification is written once per user per event (`dedupe_key`), so a sweep that runs
again, or a notice seen twice, adds nothing. The email says only that something arrived and
links to the inbox: no member's name, program or record is ever in an email.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.models import User
from calaim.ops.models.inbox import (
    EmailOutbox,
    Notification,
    NotificationKind,
    NotificationPreference,
    OutboxStatus,
)

# Who in the organization reads each kind of item.
READERS: dict[NotificationKind, Permission] = {
    NotificationKind.NEW_REFERRAL: Permission.REFERRAL_READ,
    NotificationKind.ACCEPTANCE: Permission.REFERRAL_READ,
    NotificationKind.REFERRAL_UPDATE: Permission.REFERRAL_READ,
    NotificationKind.LOOP_LATE: Permission.REFERRAL_READ,
    NotificationKind.MESSAGE: Permission.REFERRAL_READ,
    NotificationKind.DECISION: Permission.AUTHORIZATION_READ,
    NotificationKind.TASK_ASSIGNED: Permission.NOTICE_READ,
}
USERS_CACHE = "inbox_users_by_organization"
EMAIL_SUBJECT = "You have a new item in calaim / Tiene algo nuevo en calaim"
EMAIL_BODY = (
    "You have a new item in calaim. Sign in to read it.\n"
    "Tiene algo nuevo en calaim. Inicie sesión para leerlo.\n"
)


@dataclass(frozen=True)
class Event:
    """Something to tell an organization's users about."""

    kind: NotificationKind
    subject_type: str
    subject_id: uuid.UUID
    dedupe_key: str
    member_id: uuid.UUID | None = None
    detail: str | None = None
    program_id: str | None = None


def notify_organization(
    session: Session,
    organization_id: uuid.UUID,
    event: Event,
    now: dt.datetime,
    needs: Permission | None = None,
) -> list[Notification]:
    """Notify every user of the organization who reads this kind of item (or holds `needs`)."""
    needed = needs or READERS[event.kind]
    readers = [u for u in _users_of(session, organization_id) if allowed(u, needed)]
    return notify_users(session, readers, event, now)


def _users_of(session: Session, organization_id: uuid.UUID) -> list[User]:
    # Remembered for the rest of the transaction: a file import adds many notices at once.
    cache: dict[uuid.UUID, list[User]] = session.info.setdefault(USERS_CACHE, {})
    if organization_id not in cache:
        with session.no_autoflush:
            statement = select(User).where(User.organization_id == organization_id)
            cache[organization_id] = list(session.scalars(statement))
    return cache[organization_id]


def forget_users(session: Session) -> None:
    """Drop the remembered users (at the end of each transaction)."""
    session.info.pop(USERS_CACHE, None)


def notify_users(
    session: Session, users: Iterable[User], event: Event, now: dt.datetime
) -> list[Notification]:
    """Notify each of `users` once; queue an email for those who opted in."""
    users = list(users)
    if not users:
        return []
    with session.no_autoflush:
        already = set(
            session.scalars(
                select(Notification.user_id).where(
                    Notification.dedupe_key == event.dedupe_key,
                    Notification.user_id.in_([u.id for u in users]),
                )
            )
        )
        already |= {
            n.user_id
            for n in session.new
            if isinstance(n, Notification) and n.dedupe_key == event.dedupe_key
        }
        emailed = _opted_in(session, [u.id for u in users if u.id not in already])
    added = []
    for user in users:
        if user.id in already:
            continue
        notification = Notification(
            user_id=user.id,
            organization_id=user.organization_id,
            kind=event.kind.value,
            subject_type=event.subject_type,
            subject_id=event.subject_id,
            member_id=event.member_id,
            detail=event.detail,
            program_id=event.program_id,
            dedupe_key=event.dedupe_key,
            created_at=now,
        )
        session.add(notification)
        added.append(notification)
        if user.id in emailed:
            session.add(queued_email(user, now))
    return added


def queued_email(user: User, now: dt.datetime) -> EmailOutbox:
    """The outbox row telling `user` something arrived (no member detail, ever)."""
    return EmailOutbox(
        user_id=user.id,
        to_address=user.email,
        subject=EMAIL_SUBJECT,
        body=EMAIL_BODY,
        status=OutboxStatus.PENDING.value,
        attempts=0,
        created_at=now,
        available_at=now,
    )


def _opted_in(session: Session, user_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    if not user_ids:
        return set()
    return set(
        session.scalars(
            select(NotificationPreference.user_id).where(
                NotificationPreference.user_id.in_(user_ids),
                NotificationPreference.email_opt_in.is_(True),
            )
        )
    )
