"""Email goes out through the outbox, sent by the worker to a real SMTP server (aiosmtpd):
opted-in users only, no member detail in the email, retries, and claims that skip locked rows."""

from __future__ import annotations

import datetime as dt
import socket
import uuid
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from calaim.ops.db import session_factory
from calaim.ops.models import Member, OrganizationKind, Role, User
from calaim.ops.models.inbox import EmailOutbox, NotificationKind
from calaim.ops.notifications.delivery import Event, notify_organization
from calaim.ops.notifications.outbox import MAX_ATTEMPTS, SmtpSettings, claim, send_batch
from calaim.ops.notifications.service import NotificationService

from ..factories import member, organization, user

NOW = dt.datetime(2025, 10, 1, 16, 0, tzinfo=dt.UTC)


class Inbox:
    """An aiosmtpd handler keeping every message; refuses recipients at `refuse`."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse = "nobody@refused.example"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:  # fmt: skip
        if address == self.refuse:
            return "550 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, SmtpSettings]]:
    """A real SMTP server on a free local port."""
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, SmtpSettings(host="127.0.0.1", port=port, public_url="https://calaim.example")
    controller.stop()


def provider_staff(session: Session, *emails: str, opt_in: tuple[bool, ...]) -> list[User]:
    org = organization(session, OrganizationKind.CS_PROVIDER)
    people = []
    for email, choice in zip(emails, opt_in, strict=True):
        person = user(session, org, Role.CS_PROVIDER_STAFF)
        person.email = email
        NotificationService(session, person).choose_email(choice, NOW)
        people.append(person)
    return people


def someone(session: Session) -> Member:
    # A plan code of its own: the claim test commits, and plan codes are unique.
    code = f"T{uuid.uuid4().hex[:8].upper()}"
    return member(session, organization(session, OrganizationKind.PLAN, code), "P0000042")


def new_referral(session: Session, staff: list[User], about: Member, key: str = "r1") -> None:
    event = Event(NotificationKind.NEW_REFERRAL, "referral", about.id, key, about.id)
    notify_organization(session, staff[0].organization_id, event, NOW)
    session.flush()


def test_only_opted_in_users_get_an_email_without_member_details(
    session: Session, smtp: tuple[Inbox, SmtpSettings]
) -> None:
    inbox, settings = smtp
    before = len(inbox.messages)
    staff = provider_staff(session, "yes@cbo.example", "no@cbo.example", opt_in=(True, False))
    about = someone(session)
    new_referral(session, staff, about)
    assert NotificationService(session, staff[1]).unread_count() == 1  # still in the inbox
    sent, failed = send_batch(session, settings, NOW)
    assert (sent, failed) == (1, 0)
    delivered = inbox.messages[before:]
    assert [m["To"] for m in delivered] == ["yes@cbo.example"]
    body = delivered[0].get_payload()
    assert "You have a new item in calaim" in body
    assert "https://calaim.example/app/inbox" in body
    for detail in (about.first_name, about.last_name, about.cin or "", str(about.id)):
        assert detail not in body
        assert detail not in delivered[0]["Subject"]
    row = session.scalars(
        select(EmailOutbox).where(EmailOutbox.to_address == "yes@cbo.example")
    ).one()
    assert (row.status, row.attempts) == ("sent", 1)
    # Sent once: the next round finds nothing, and the same event notifies nobody twice.
    new_referral(session, staff, about)
    assert send_batch(session, settings, NOW + dt.timedelta(minutes=1)) == (0, 0)


def test_an_unreachable_server_retries_later_then_gives_up(session: Session) -> None:
    staff = provider_staff(session, "retry@cbo.example", opt_in=(True,))
    new_referral(session, staff, someone(session))
    down = SmtpSettings(host="127.0.0.1", port=free_port())  # nothing listens there
    now = NOW
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert send_batch(session, down, now) == (0, 1)
        row = session.scalars(select(EmailOutbox)).one()
        assert row.attempts == attempt
        assert "cannot reach the mail server" in (row.last_error or "")
        if attempt < MAX_ATTEMPTS:
            assert row.status == "pending"
            wait = dt.timedelta(minutes=2 ** (attempt - 1))
            # Not before its time: a round a second early sends nothing.
            assert send_batch(session, down, now + wait - dt.timedelta(seconds=1)) == (0, 0)
            now += wait
    assert row.status == "failed"


def test_a_refused_address_fails_at_once(
    session: Session, smtp: tuple[Inbox, SmtpSettings]
) -> None:
    inbox, settings = smtp
    staff = provider_staff(session, inbox.refuse, opt_in=(True,))
    new_referral(session, staff, someone(session))
    assert send_batch(session, settings, NOW) == (0, 1)
    row = session.scalars(select(EmailOutbox)).one()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "refused the address" in (row.last_error or "")


def test_settings_come_from_the_environment() -> None:
    assert SmtpSettings.from_environment({}) is None
    settings = SmtpSettings.from_environment(
        {"CALAIM_SMTP_HOST": "mail.example", "CALAIM_SMTP_PORT": "2525",
         "CALAIM_SMTP_STARTTLS": "1", "CALAIM_PUBLIC_URL": "https://x.example/"}
    )  # fmt: skip
    assert settings is not None
    assert (settings.host, settings.port, settings.starttls) == ("mail.example", 2525, True)
    assert settings.public_url == "https://x.example"


def test_two_workers_never_claim_the_same_email(engine: Engine, backend: str) -> None:
    factory = session_factory(engine)
    with factory() as setup, setup.begin():
        staff = provider_staff(setup, "a@claim.example", "b@claim.example", opt_in=(True, True))
        new_referral(setup, staff, someone(setup), key="claim-test")
        mine = {s.email for s in staff}
    with factory() as first, factory() as second:
        claimed = {r.to_address for r in claim(first, NOW + dt.timedelta(days=1), limit=100)}
        assert mine <= claimed
        others = {r.to_address for r in claim(second, NOW + dt.timedelta(days=1), limit=100)}
        if backend == "postgresql":
            # FOR UPDATE SKIP LOCKED: the second worker skips the rows the first holds.
            assert not (others & mine)
        else:
            # SQLite has one writer at a time: the claim takes no row locks to skip.
            assert mine <= others
        first.rollback()
        second.rollback()
    with factory() as cleanup, cleanup.begin():
        for row in cleanup.scalars(select(EmailOutbox).where(EmailOutbox.to_address.in_(mine))):
            row.status = "sent"
