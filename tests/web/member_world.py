"""A small world for the member pages' tests: one plan, a member with an account (and a rich
record), another member of the same plan, on a migrated SQLite database; a real SMTP server."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
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
    Authorization,
    CarePlan,
    Enrollment,
    Member,
    MemberDetermination,
    Notice,
    Organization,
    OrganizationKind,
    Part2ConsentRequest,
    ProviderProfile,
    Role,
    ServiceDelivery,
    ServiceEpisode,
    User,
)
from calaim.ops.models.letter import Letter
from calaim.ops.models.member_account import AccountHolder
from calaim.ops.notifications.outbox import SmtpSettings, send_batch

NOW = dt.datetime(2025, 10, 1, 16, 0, tzinfo=dt.UTC)
TODAY = dt.date(2025, 10, 1)
EMAIL = "rosa.member@example.org"
PDF = b"%PDF-1.4\n% a member's letter\n%%EOF\n"
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


def _provider(session: Session, name: str, kind: OrganizationKind, phone: str) -> Organization:
    org = Organization(name=name, kind=kind, plan_code=None, counties_served=["Los Angeles"])
    session.add(org)
    session.flush()
    profile = ProviderProfile(organization_id=org.id, phone=phone, languages=["es"])
    profile.programs_served, profile.capacity, profile.contracted_plans = [], 5, ["MPW"]
    session.add(profile)
    return org


def _authorization(
    session: Session, own: Member, program_id: str, provider: Organization
) -> Authorization:
    row = Authorization(
        member_id=own.id, program_id=program_id, plan_organization_id=own.plan_organization_id,
        provider_organization_id=provider.id, urgency="routine", status="approved",
        requested_at=NOW - dt.timedelta(days=40), decision_due_at=NOW - dt.timedelta(days=35),
        decision_basis="engine_eligible", start_date=TODAY - dt.timedelta(days=30),
        end_date=TODAY + dt.timedelta(days=150),
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _care(session: Session, plan: Organization, own: Member, admin: User) -> None:
    """A care team (ECM provider, care manager, care plan), an open recuperative care stay
    with 12 days used, a letter, a notice, and a Part 2 consent request."""
    ecm = _provider(session, "Harbor Care Team", OrganizationKind.ECM_PROVIDER, "213-555-0142")
    cs = _provider(session, "Sunrise Respite House", OrganizationKind.CS_PROVIDER, "213-555-0199")
    manager = User(organization=ecm, email="lena@harbor.example", name="Lena Ortiz",
                   role=Role.LEAD_CARE_MANAGER)  # fmt: skip
    session.add(manager)
    session.flush()
    ecm_auth = _authorization(session, own, "ecm", ecm)
    enrollment = Enrollment(
        member_id=own.id, plan_organization_id=plan.id, provider_organization_id=ecm.id,
        authorization_id=ecm_auth.id, status="enrolled", assignment_reason="matched",
        assigned_on=TODAY - dt.timedelta(days=30), enrolled_on=TODAY - dt.timedelta(days=20),
        lead_care_manager_user_id=manager.id,
    )  # fmt: skip
    session.add(enrollment)
    session.flush()
    session.add(CarePlan(
        enrollment_id=enrollment.id, goals=[{"description": "Find a steady place to live",
        "target_date": "2026-01-31", "status": "open"}],
        interventions=[{"description": "Visit the housing office together", "responsible": "Lena"}],
        care_team=[{"name": "Dr. Amir Haddad", "role": "Primary care doctor",
                    "organization": "Eastside Clinic", "contact": "213-555-0111"}],
    ))  # fmt: skip
    stay = _authorization(session, own, "cs.recuperative_care", cs)
    episode = ServiceEpisode(
        member_id=own.id, program_id="cs.recuperative_care", authorization_id=stay.id,
        provider_organization_id=cs.id, status="open", started_on=TODAY - dt.timedelta(days=12),
    )  # fmt: skip
    session.add(episode)
    session.flush()
    session.add(ServiceDelivery(
        episode_id=episode.id, member_id=own.id, program_id="cs.recuperative_care",
        service_date=TODAY - dt.timedelta(days=1), unit="day", units=Decimal(12),
        recorded_by_user_id=admin.id,
    ))  # fmt: skip
    session.add(Letter(
        member_id=own.id, plan_organization_id=plan.id, authorization_id=stay.id,
        kind="approval", language="es", pdf=PDF, sha256=hashlib.sha256(PDF).hexdigest(),
        created_at=NOW - dt.timedelta(days=30), created_by_user_id=admin.id,
    ))  # fmt: skip
    session.add(Notice(
        member_id=own.id, kind="assignment_to_member", recipient="member", channel="mail",
        subject_type="enrollment", subject_id=enrollment.id,
        created_at=NOW - dt.timedelta(days=30),
    ))  # fmt: skip
    session.add(Part2ConsentRequest(
        member_id=own.id, organization_id=ecm.id,
        purpose="To coordinate your care with your doctor.",
        status="open", requested_by_user_id=manager.id,
    ))  # fmt: skip


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
        _care(session, plan, own, admin)
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


def signed_in(client: Any, world: MemberWorld, inbox: Inbox, settings: SmtpSettings) -> None:
    """Sign `client` in as the member through the pages, the code read from the real email."""
    import re as _re

    page = client.get("/app/me/sign-in").text
    token = _re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert token
    client.post("/app/me/sign-in", data={"csrf_token": token.group(1), "email": EMAIL})
    assert deliver(world.engine, settings, NOW) == 1
    form = {
        "csrf_token": token.group(1), "email": EMAIL, "code": inbox.last_code(),
        "cin": world.member.cin, "birth_date": world.member.birth_date.isoformat(),
    }  # fmt: skip
    response = client.post("/app/me/code", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
