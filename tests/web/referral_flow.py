"""A fresh referral for the referral-page tests: sent by the hospital, routed to the CS provider."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from .helpers import csrf_of, signed_in_client
from .members import Pick, dashed, untouched_members

PROGRAM = "cs.recuperative_care"


def organization_id(url: str, name: str) -> str:
    """The id (dashed) of the demo organization called `name`."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT id FROM organizations WHERE name = :n"), {"n": name}
            ).scalar_one()
    finally:
        engine.dispose()
    return dashed(str(found))


def send_referral(client: TestClient, pick: Pick, program: str = PROGRAM) -> str:
    """The hospital's discharge planner sends the referral form; the referral's path."""
    signed_in_client(client, "referrer@hospital.demo")
    token = csrf_of(client.get("/app/referrals/new").text)
    form = {
        "csrf_token": token,
        "program_id": program,
        "source_kind": "hospital",
        "birth_date": pick.birth_date,
        "cin": pick.cin,
        "member_phone": "(323) 555-0123",
        "member_consented": "yes",
        "urgency": "urgent",
        "reason": "Discharged today after surgery; nowhere safe to recover.",
        "referrer_contact_name": "Dana Ruiz, RN",
        "referrer_contact_phone": "(213) 555-0142",
    }
    sent = client.post("/app/referrals/new", data=form, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    client.cookies.clear()
    return sent.headers["location"].split("?")[0]


def route_to_cs(client: TestClient, demo_url: str, path: str, member_id: str) -> None:
    """The member's plan (care coordination) routes the referral to the demo CS provider."""
    signed_in_client(client, "cc@lacare.demo")
    page = client.get(path).text
    version = page.split('name="version" value="')[1].split('"')[0] if "version" in page else "1"
    form = {
        "csrf_token": csrf_of(page),
        "member_id": member_id,
        "version": version,
        "receiving_organization_id": organization_id(demo_url, "Harbor Recuperative Care"),
    }
    routed = client.post(f"{path}/route", data=form, follow_redirects=False)
    assert routed.status_code == 303, routed.text
    client.cookies.clear()


def fresh_routed_referral(client: TestClient, demo_url: str) -> tuple[str, Pick]:
    """A new referral of an untouched member, routed to the CS provider: (path, member)."""
    chosen = untouched_members(demo_url, plan="LACARE", program=PROGRAM, count=1)[0]
    path = send_referral(client, chosen)
    route_to_cs(client, demo_url, path, dashed(chosen.id))
    return path, chosen
