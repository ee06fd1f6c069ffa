"""Inbox items from what the workflow already records, in the same flush (no service changes):

- a new referral, or one routed to a provider: "new referral" for the receiving organization;
- a referral accepted: "accepted" for the referring organization;
- an organization's notice (authorization decisions, assignment, decline, closure): an item
  for that organization's users;
- a message on a referral or a member: "new message" for the other organizations concerned
  (`ops/read_models/message_recipients.py`; a Part 2 message only where it may be read).

`install()` registers the listener on the operational session class once (`session_factory`
calls it); the "loop closing late" items come from the clock sweep (`calaim.ops.tasks.sweep`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission
from calaim.ops.models import (
    Enrollment,
    Message,
    Notice,
    NoticeKind,
    NoticeRecipient,
    Referral,
    ReferralTransition,
    User,
)
from calaim.ops.models.base import new_id
from calaim.ops.models.inbox import NotificationKind
from calaim.ops.notifications.delivery import Event, forget_users, notify_organization
from calaim.ops.read_models.message_recipients import message_recipients
from calaim.ops.session_class import OpsSession

K = NotificationKind
NOTICE_KINDS: dict[str, NotificationKind] = {
    NoticeKind.AUTHORIZATION_APPROVED.value: K.DECISION,
    NoticeKind.AUTHORIZATION_DENIED.value: K.DECISION,
    NoticeKind.AUTHORIZATION_DELAYED.value: K.DECISION,
    NoticeKind.ASSIGNMENT_TO_REFERRER.value: K.ACCEPTANCE,
    NoticeKind.REFERRAL_DECLINED.value: K.REFERRAL_UPDATE,
    NoticeKind.REFERRAL_CLOSED.value: K.REFERRAL_UPDATE,
    NoticeKind.REENTRY_HANDOFF.value: K.REFERRAL_UPDATE,
    NoticeKind.REENTRY_DATE_CHANGE.value: K.REFERRAL_UPDATE,
    NoticeKind.REENTRY_RELEASE.value: K.REFERRAL_UPDATE,
}
_installed = False


def install() -> None:
    """Register the listener (idempotent)."""
    global _installed
    if not _installed:
        event.listen(OpsSession, "before_flush", _before_flush)
        event.listen(OpsSession, "after_transaction_end", _transaction_end)
        _installed = True


def _transaction_end(session: Session, _transaction: Any) -> None:
    forget_users(session)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    # Each item is dated by its record's own time (the caller's clock); the machine's clock
    # only stands in for a record that somehow has none.
    now = dt.datetime.now(dt.UTC)
    if any(isinstance(item, User) for item in session.new):
        forget_users(session)  # a new user reads from their first item on
    for item in list(session.new):
        if isinstance(item, Notice):
            _from_notice(session, item)
        elif isinstance(item, Referral) and item.receiving_organization_id is not None:
            _new_referral(session, item, item.received_at or now)
        elif isinstance(item, ReferralTransition) and item.to_status == "accepted":
            _accepted(session, item, item.at or now)
        elif isinstance(item, Message):
            _message(session, item, item.sent_at or now)
    for item in list(session.dirty):
        if isinstance(item, Referral) and _routed(item):
            _new_referral(session, item, item.updated_at or now)


def _from_notice(session: Session, notice: Notice) -> None:
    kind = NOTICE_KINDS.get(notice.kind)
    if (
        kind is None
        or notice.recipient != NoticeRecipient.ORGANIZATION.value
        or notice.recipient_organization_id is None
    ):
        return
    notice.id = notice.id or new_id()
    subject_type, subject_id = notice.subject_type, notice.subject_id
    referral_id = _referral_of_assignment(session, notice)
    if referral_id is not None:  # the referrer reads it on its referral (it sees no members)
        subject_type, subject_id = "referral", referral_id
    elif subject_type in ("enrollment", "reentry_case"):  # read on the member's page
        subject_type, subject_id = "member", notice.member_id
    program = (notice.content or {}).get("program_id") or (
        "ecm" if notice.subject_type == "enrollment" else None
    )
    found = Event(kind, subject_type, subject_id, f"notice:{notice.id}", notice.member_id,
                  detail=notice.kind, program_id=program)  # fmt: skip
    notify_organization(session, notice.recipient_organization_id, found, notice.created_at)


def _referral_of_assignment(session: Session, notice: Notice) -> uuid.UUID | None:
    """The referral an ECM assignment notice to a referrer answers, if there is one."""
    kind, subject = notice.kind, notice.subject_type
    if kind != NoticeKind.ASSIGNMENT_TO_REFERRER.value or subject != "enrollment":
        return None
    with session.no_autoflush:
        enrollment = session.get(Enrollment, notice.subject_id)
    return enrollment.referral_id if enrollment is not None else None


def _new_referral(session: Session, referral: Referral, at: dt.datetime) -> None:
    referral.id = referral.id or new_id()
    receiver = referral.receiving_organization_id
    assert receiver is not None
    key = f"referral:{referral.id}:to:{receiver}"
    found = Event(K.NEW_REFERRAL, "referral", referral.id, key, referral.member_id,
                  program_id=referral.program_id)  # fmt: skip
    notify_organization(session, receiver, found, at)


def _accepted(session: Session, transition: ReferralTransition, at: dt.datetime) -> None:
    with session.no_autoflush:
        referral = session.get(Referral, transition.referral_id)
    if referral is None:
        return
    key = f"referral:{referral.id}:accepted"
    found = Event(K.ACCEPTANCE, "referral", referral.id, key, referral.member_id,
                  program_id=referral.program_id)  # fmt: skip
    notify_organization(session, referral.referring_organization_id, found, at)


def _message(session: Session, message: Message, at: dt.datetime) -> None:
    message.id = message.id or new_id()
    with session.no_autoflush:
        recipients = message_recipients(session, message)
        program = None
        if message.referral_id is not None:
            referral = session.get(Referral, message.referral_id)
            program = referral.program_id if referral else None
    on_referral = message.referral_id is not None
    subject_type = "referral" if on_referral else "member"
    subject_id = message.referral_id if on_referral else message.member_id
    assert subject_id is not None
    found = Event(K.MESSAGE, subject_type, subject_id, f"message:{message.id}",
                  message.member_id, program_id=program)  # fmt: skip
    # A member's thread is read by those who may see the member; a referral's by its parties.
    needs = Permission.REFERRAL_READ if on_referral else Permission.MEMBER_READ
    for organization in sorted(recipients):
        notify_organization(session, organization, found, at, needs)


def _routed(referral: Referral) -> bool:
    added = list(inspect(referral).attrs.receiving_organization_id.history.added or ())
    return bool(added) and added[0] is not None
