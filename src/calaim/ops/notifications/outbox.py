"""Sending the email outbox over SMTP: claim a batch, send, mark sent (or retry later).

Only `calaim worker` sends; a request only ever writes an outbox row in its own transaction
(the transactional outbox), so a rolled-back request sends nothing and a slow mail server never
slows a page. On PostgreSQL each worker claims rows with `FOR UPDATE SKIP LOCKED`, so several
workers never send the same email twice; SQLite has one writer at a time anyway.

Settings come from the environment: `CALAIM_SMTP_HOST` (no host: nothing is sent),
`CALAIM_SMTP_PORT` (25), `CALAIM_SMTP_USER` / `CALAIM_SMTP_PASSWORD` (optional),
`CALAIM_SMTP_STARTTLS` (`1` to upgrade the connection), `CALAIM_SMTP_FROM`
(`calaim@localhost`) and `CALAIM_PUBLIC_URL` (the workspace address put in the email).
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.models.inbox import EmailOutbox, OutboxStatus

MAX_ATTEMPTS = 5
# A failed send waits 1, 2, 4, 8 minutes before its next try; then the row is failed.
RETRY_BASE = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send."""

    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    sender: str = "calaim@localhost"
    public_url: str = "http://localhost:8000"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
        """The settings in the environment, or None when no SMTP host is configured."""
        env = os.environ if environ is None else environ
        host = env.get("CALAIM_SMTP_HOST", "").strip()
        if not host:
            return None
        return cls(
            host=host,
            port=int(env.get("CALAIM_SMTP_PORT", "25")),
            user=env.get("CALAIM_SMTP_USER") or None,
            password=env.get("CALAIM_SMTP_PASSWORD") or None,
            starttls=env.get("CALAIM_SMTP_STARTTLS", "") in {"1", "true", "yes"},
            sender=env.get("CALAIM_SMTP_FROM", "calaim@localhost"),
            public_url=env.get("CALAIM_PUBLIC_URL", "http://localhost:8000").rstrip("/"),
        )


def claim(session: Session, now: dt.datetime, limit: int = 20) -> list[EmailOutbox]:
    """Pending emails due by `now`, locked for this worker (skipping rows others hold)."""
    statement = (
        select(EmailOutbox)
        .where(
            EmailOutbox.status == OutboxStatus.PENDING.value,
            EmailOutbox.available_at <= now,
        )
        .order_by(EmailOutbox.available_at, EmailOutbox.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    return list(session.scalars(statement))


def message(row: EmailOutbox, settings: SmtpSettings) -> EmailMessage:
    """The email for an outbox row: its fixed words and a link to the inbox (or to the page a
    body's last line names, a path on this site such as `/app/me/code`)."""
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = row.to_address
    email["Subject"] = row.subject
    body, _, last = row.body.rstrip("\n").rpartition("\n")
    if last.startswith("/app/"):
        email.set_content(f"{body}\n{settings.public_url}{last}\n")
    else:
        email.set_content(f"{row.body}\n{settings.public_url}/app/inbox\n")
    return email


def send_batch(session: Session, settings: SmtpSettings, now: dt.datetime) -> tuple[int, int]:
    """Send what is due: (sent, failed this round). The caller commits."""
    rows = claim(session, now)
    if not rows:
        return 0, 0
    sent = failed = 0
    try:
        with _connect(settings) as smtp:
            for row in rows:
                if _send_one(smtp, row, settings, now):
                    sent += 1
                else:
                    failed += 1
    except (OSError, smtplib.SMTPException) as error:
        for row in rows:
            if row.status == OutboxStatus.PENDING.value and row.sent_at is None:
                _retry_later(row, now, f"cannot reach the mail server: {error}")
        failed = len(rows) - sent
    session.flush()
    return sent, failed


def write_batch(
    session: Session, write: Callable[[str], None], public_url: str, now: dt.datetime
) -> int:
    """The demo's delivery (no mail server): each due email written out through `write`
    (`calaim serve --demo` prints them in its window) and marked sent; how many. The caller
    commits."""
    settings = SmtpSettings(host="", public_url=public_url.rstrip("/"))
    rows = claim(session, now)
    for row in rows:
        email = message(row, settings)
        write(f"Email to {row.to_address}: {row.subject}\n{email.get_content().rstrip()}")
        row.attempts += 1
        row.status = OutboxStatus.SENT.value
        row.sent_at = now
    session.flush()
    return len(rows)


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=30)
    if settings.starttls:
        smtp.starttls()
    if settings.user:
        smtp.login(settings.user, settings.password or "")
    return smtp


def _send_one(
    smtp: smtplib.SMTP, row: EmailOutbox, settings: SmtpSettings, now: dt.datetime
) -> bool:
    try:
        smtp.send_message(message(row, settings))
    except smtplib.SMTPRecipientsRefused as error:
        row.attempts += 1
        row.status = OutboxStatus.FAILED.value
        row.last_error = f"the mail server refused the address: {error.recipients}"
        return False
    except smtplib.SMTPException as error:
        _retry_later(row, now, str(error))
        return False
    row.attempts += 1
    row.status = OutboxStatus.SENT.value
    row.sent_at = now
    row.last_error = None
    return True


def _retry_later(row: EmailOutbox, now: dt.datetime, error: str) -> None:
    row.attempts += 1
    row.last_error = error[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = OutboxStatus.FAILED.value
    else:
        row.available_at = now + RETRY_BASE * (2 ** (row.attempts - 1))
