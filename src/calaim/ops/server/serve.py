"""The seeded demo database and its start-up banner (serving itself: `workers.py`)."""

from __future__ import annotations

from pathlib import Path

from calaim.ops.db import make_engine, session_factory
from calaim.ops.demo import DEMO_HISTORY_MONTHS, DEMO_PASSWORD, USERS, DemoWorld, seed_demo
from calaim.ops.maintenance.repository import refresh_statistics
from calaim.ops.members.importer import Progress
from calaim.ops.migrate import upgrade

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
