"""The demo's members sign in at `/app/me` exactly as docs/member.md tells an outsider: the
email from the banner, the code printed by the demo's email, the CIN and birth date from the
banner; each then sees only their own record."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from calaim.ops.demo import DEMO_NOW
from calaim.ops.notifications.outbox import write_batch
from calaim.ops.server.serve import member_banner

from .helpers import csrf_of

BASE = "http://127.0.0.1:8765"


def _printed_code(demo_url: str, email: str) -> str:
    """The code in the email the demo prints in its window (`serve --demo`)."""
    printed: list[str] = []
    engine = create_engine(demo_url)
    try:
        with Session(engine) as session:
            write_batch(session, printed.append, BASE, DEMO_NOW)
            session.commit()
    finally:
        engine.dispose()
    mine = [p for p in printed if p.startswith(f"Email to {email}:")]
    assert len(mine) == 1, printed
    assert f"{BASE}/app/me/sign-in" in mine[0]
    found = re.search(r"\b(\d{6})\b", mine[0])
    assert found
    return found.group(1)


def _banner_rows(demo_url: str) -> dict[str, tuple[str, str]]:
    rows = {}
    for line in member_banner(demo_url, BASE)[3:]:
        email, _cin, cin, _born, born = line.split()
        rows[email] = (cin, born)
    return rows


def test_a_demo_member_signs_in_as_the_docs_say_and_sees_only_their_own_record(
    client: TestClient, demo_url: str
) -> None:
    banner = member_banner(demo_url, BASE)
    assert f"{BASE}/app/me" in banner[0]
    # The CLI prints through a console 80 columns wide: longer lines would wrap.
    assert max(len(line) for line in banner) <= 80
    rows = _banner_rows(demo_url)
    assert set(rows) == {"member@lacare.demo", "helper@lacare.demo"}
    names = {}
    for email, (cin, born) in rows.items():
        client.cookies.clear()
        page = client.get("/app/me/sign-in")
        asked = client.post(
            "/app/me/sign-in", data={"csrf_token": csrf_of(page.text), "email": email}
        )
        assert asked.status_code == 200
        form = {"csrf_token": csrf_of(asked.text), "email": email,
                "code": _printed_code(demo_url, email), "cin": cin, "birth_date": born}  # fmt: skip
        signed_in = client.post("/app/me/code", data=form, follow_redirects=False)
        assert signed_in.status_code == 303, signed_in.text
        home = client.get("/app/me")
        assert home.status_code == 200
        names[email] = re.search(r"<h1>([^<]*)</h1>", home.text).group(1)  # type: ignore[union-attr]
        care = client.get("/app/me/care")
        assert care.status_code == 200
    assert names["member@lacare.demo"].startswith("Hello, ")
    assert names["helper@lacare.demo"].startswith("You are helping ")
    first = names["member@lacare.demo"].removeprefix("Hello, ")
    other = names["helper@lacare.demo"].removeprefix("You are helping ")
    assert first != other
    # Signed in as the helper: the other member's name is nowhere on their pages.
    for path in ("/app/me", "/app/me/care", "/app/me/letters", "/app/me/privacy"):
        assert not re.search(rf"\b{re.escape(first)}\b", client.get(path).text), path
