"""The seeded demo database, its start-up banner and its email (printed in the window: the
demo has no mail server). Serving itself: `workers.py`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from calaim.ops.auth.tokens import Clock
from calaim.ops.db import make_engine, session_factory
from calaim.ops.demo import (
    DEMO_HISTORY_MONTHS,
    DEMO_PASSWORD,
    MEMBER_ACCOUNTS,
    USERS,
    DemoWorld,
    seed_demo,
)
from calaim.ops.maintenance.repository import refresh_statistics
from calaim.ops.member_portal.repository import Accounts
from calaim.ops.members.importer import Progress
from calaim.ops.migrate import upgrade
from calaim.ops.notifications.outbox import write_batch

# How often the demo looks for new email to print (seconds).
MAIL_EVERY = 2.0

DEMO_DATABASE = "calaim-demo.db"
# Reads the access token out of the sign-in response (the banner's shell example).
TOKEN_FROM_JSON = "python3 -c 'import json,sys;print(json.load(sys.stdin)[\"access_token\"])'"


def demo_database(
    folder: Path,
    *,
    members: int,
    progress: Progress | None = None,
    history_months: int = DEMO_HISTORY_MONTHS,
) -> tuple[str, DemoWorld | None]:
    """The demo database's URL in `folder`, seeded unless it already exists there."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DEMO_DATABASE
    url = f"sqlite:///{path}"
    if path.exists():
        return url, None
    upgrade(url)
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            world = seed_demo(session, folder, members=members, progress=progress,
                              history_months=history_months)  # fmt: skip
            session.commit()
        refresh_statistics(engine)  # the seed filled tables the migration left empty
    finally:
        engine.dispose()
    return url, world


def demo_banner(base_url: str) -> str:
    """What to tell someone who just started the demo."""
    lines = [
        f"calaim demo API at {base_url}  (OpenAPI docs: {base_url}/docs)",
        f"Web workspace: open {base_url}/app in a browser and sign in as a user below.",
        f"API: sign in with POST {base_url}/auth/token; every demo user's password is "
        f"{DEMO_PASSWORD!r} (user, role):",
    ]
    lines += [f"  {email:<26} {role.value}" for email, _org, role in USERS]
    return "\n".join(lines + try_this(base_url))


def try_this(base_url: str) -> list[str]:
    """Example requests (sign in, referrals, the overdue queue), each line under 80 columns."""
    credentials = f'{{"email": "um@lacare.demo", "password": "{DEMO_PASSWORD}"}}'
    bearer = 'curl -s -H "Authorization: Bearer $TOKEN"'
    return [
        "Try this (the demo's data is dated around 2025-10-01):",
        f"  B={base_url}",
        "  TOKEN=$(curl -s \"$B/auth/token\" -H 'Content-Type: application/json' \\",
        f"    -d '{credentials}' \\",
        f"    | {TOKEN_FROM_JSON})",
        f'  {bearer} "$B/referrals?status=received"',
        f'  {bearer} "$B/authorizations?overdue=true"',
    ]


def member_banner(url: str, base_url: str) -> list[str]:
    """How to sign in as a demo member: the page, each account's email, CIN and birth date."""
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            accounts = Accounts(session).with_emails([email for email, _h in MEMBER_ACCOUNTS])
            rows = [(a.user.email, a.member.cin, a.member.birth_date) for a in accounts]
    finally:
        engine.dispose()
    if not rows:
        return []
    lines = [
        f"Member pages: open {base_url}/app/me and type an email below.",
        "The email with the code is printed in this window. Then type the code",
        "and that email's CIN and birth date:",
    ]
    return lines + [f"  {email:<22} CIN {cin}  born {born:%Y-%m-%d}" for email, cin, born in rows]


def print_demo_mail(
    url: str, base_url: str, clock: Clock, write: Callable[[str], None]
) -> threading.Event:
    """Print the demo's email (sign-in codes, inbox notes) as it is queued, until the returned
    event is set; a daemon thread, so it ends with the server."""
    stop = threading.Event()
    engine = make_engine(url)

    def deliver() -> None:
        while not stop.wait(MAIL_EVERY):
            try:
                with session_factory(engine)() as session:
                    if write_batch(session, write, base_url, clock()):
                        session.commit()
            except Exception as error:  # the demo's mail must not stop the server
                write(f"(demo email could not be printed: {error})")
        engine.dispose()

    threading.Thread(target=deliver, name="demo-mail", daemon=True).start()
    return stop
