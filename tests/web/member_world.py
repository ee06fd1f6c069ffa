"""A small world for the member pages' tests: one plan, a member with an account (and a rich
record), another member of the same plan, on a migrated SQLite database; a real SMTP server."""

from __future__ import annotations

import datetime as dt
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from calaim.ops.db import make_engine, session_factory
from calaim.ops.member_portal.signin import open_account
from calaim.ops.migrate import upgrade
from calaim.ops.models import (
    Member,
    MemberDetermination,
    Organization,
    OrganizationKind,
    Role,
    User,
)
from calaim.ops.models.member_account import AccountHolder, MemberAccount  # noqa: F401
from calaim.ops.notifications.outbox import SmtpSettings, send_batch

NOW = dt.datetime(2025, 10, 1, 16, 0, tzinfo=dt.UTC)
TODAY = dt.date(2025, 10, 1)
EMAIL = "rosa.member@example.org"
# Eligible programs of the member (the SUD one is 42 CFR Part 2; meals are not offered).
PROGRAMS = {
    "ecm": True,
    "ecm.homeless_adult": True,
    "ecm.smh_sud": True,
    "cs.recuperative_care": True,
    "cs.medically_tailored_meals": False,
    "cs.respite": None,
}


@dataclass
class MemberWorld:
    """The database, the member with an account, another member, and the plan's admin."""

    engine: Engine
    member: Member
    other: Member
    account_user: User
    admin: User


def _member(session: Session, plan_id: Any, first: str, cin: str, born: dt.date) -> Member:
    row = Member(
        plan_organization_id=plan_id, person_id=f"P-{cin}", cin=cin, first_name=first,
        last_name=f"{first}son", birth_date=born, payer="MPW", county="Los Angeles",
        language="es",
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _determinations(session: Session, member: Member) -> None:
    for program_id, offered in PROGRAMS.items():
        session.add(
            MemberDetermination(
                member_id=member.id, program_id=program_id, as_of=TODAY,
                eligible=offered is not None or program_id.startswith("ecm"),
                offered=offered if program_id.startswith("cs.") else None,
                status="eligible" if offered is not None or program_id.startswith("ecm")
                else "not_eligible",
                rule_version="2025-07-01", policy_hash="test", part2=program_id == "ecm.smh_sud",
            )
        )  # fmt: skip


def build_world(folder: Path) -> MemberWorld:
    """The world on a fresh migrated SQLite database in `folder`."""
    url = f"sqlite:///{folder / 'member.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        plan = Organization(name="Plan W", kind=OrganizationKind.PLAN, plan_code="MPW")
        session.add(plan)
        session.flush()
        admin = User(organization=plan, email="admin@planw.example", name="A", role=Role.PLAN_ADMIN)
        session.add(admin)
        session.flush()
        own = _member(session, plan.id, "Rosa", "91111111A", dt.date(1970, 5, 17))
        other = _member(session, plan.id, "Zebulon", "92222222B", dt.date(1980, 1, 2))
        _determinations(session, own)
        _determinations(session, other)
        account = open_account(session, admin, own, (EMAIL, "Rosa", AccountHolder.SELF), NOW)
        session.commit()
        return MemberWorld(engine, own, other, account.user, admin)


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from email import message_from_bytes

        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def last_code(self) -> str:
        """The sign-in code in the newest email."""
        body = str(self.messages[-1].get_payload(decode=True), "utf-8")
        found = re.search(r"\b(\d{6})\b", body)
        assert found, body
        return found.group(1)


def smtp_server() -> Iterator[tuple[Inbox, SmtpSettings]]:
    """A real SMTP server on a free local port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, SmtpSettings(host="127.0.0.1", port=port, public_url="https://calaim.example")
    controller.stop()


def deliver(engine: Engine, settings: SmtpSettings, now: dt.datetime) -> int:
    """What `calaim worker` does: send the outbox's due emails; how many went out."""
    with session_factory(engine)() as session:
        sent, _failed = send_batch(session, settings, now)
        session.commit()
    return sent
