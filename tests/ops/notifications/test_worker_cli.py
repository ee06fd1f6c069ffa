"""`calaim worker --once`: one round on the configured database sweeps the clocks and sends
the outbox to the SMTP server in the environment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from calaim.cli import app
from calaim.ops.db import make_engine, session_factory
from calaim.ops.migrate import upgrade
from calaim.ops.models import OrganizationKind, Role
from calaim.ops.models.inbox import EmailOutbox, NotificationKind
from calaim.ops.notifications.delivery import Event, notify_organization
from calaim.ops.notifications.outbox import SmtpSettings
from calaim.ops.notifications.service import NotificationService

from ..factories import organization, user
from .conftest import Inbox

NOW = dt.datetime(2025, 10, 1, 16, 0, tzinfo=dt.UTC)


def test_one_round_sends_the_outbox(
    tmp_path: Path,
    smtp: tuple[Inbox, SmtpSettings],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, settings = smtp
    url = f"sqlite:///{tmp_path / 'calaim.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_factory(engine)() as session, session.begin():
        org = organization(session, OrganizationKind.CS_PROVIDER)
        person = user(session, org, Role.CS_PROVIDER_STAFF)
        person.email = "worker@cbo.example"
        NotificationService(session, person).choose_email(True, NOW)
        event = Event(NotificationKind.NEW_REFERRAL, "referral", org.id, "worker-test")
        notify_organization(session, org.id, event, NOW)
    before = len(inbox.messages)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CALAIM_SMTP_HOST", settings.host)
    monkeypatch.setenv("CALAIM_SMTP_PORT", str(settings.port))
    result = CliRunner().invoke(app, ["worker", "--once", "--at", "2025-10-01T16:05:00Z"])
    assert result.exit_code == 0, result.output
    assert "1 emails sent" in result.output
    assert [m["To"] for m in inbox.messages[before:]] == ["worker@cbo.example"]
    with session_factory(engine)() as session:
        assert session.scalars(select(EmailOutbox.status)).one() == "sent"
    engine.dispose()


def test_a_time_without_a_zone_is_refused() -> None:
    result = CliRunner().invoke(app, ["worker", "--once", "--at", "2025-10-01T16:05:00"])
    assert result.exit_code != 0
    assert "needs a time zone" in result.output
