"""The CS provider keeps its capacity; the discharge planner's navigator, pre-filled form."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from calaim.ops.db import make_engine
from calaim.reports.directory import providers

from .helpers import csrf_of, signed_in_client
from .members import dashed, untouched_members
from .referral_flow import organization_id, send_referral


def _save(client: TestClient, **numbers: str) -> object:
    page = client.get("/app/capacity").text
    return client.post(
        "/app/capacity", data={"csrf_token": csrf_of(page), **numbers}, follow_redirects=False
    )


def test_the_provider_keeps_its_capacity_and_the_navigator_shows_it(
    client: TestClient, demo_url: str
) -> None:
    signed_in_client(client, "staff@cs.demo")
    assert 'href="/app/capacity"' in client.get("/app").text
    bad = _save(client, capacity="-3", beds_available="two")
    assert bad.status_code == 422
    assert "Enter a whole number, 0 or more." in bad.text  # type: ignore[attr-defined]
    before = client.get("/app/capacity").text
    saved = _save(client, capacity="40", beds_available="3", waitlist="2")
    assert saved.status_code == 303
    after = client.get("/app/capacity?done=1").text
    assert 'value="40"' in after
    assert "Saved." in after
    assert before != after
    # The directory the navigator and assignment read now carries the provider's numbers.
    engine = make_engine(demo_url)
    try:
        with Session(engine) as session:
            harbor = next(p for p in providers(session) if p.name == "Harbor Recuperative Care")
    finally:
        engine.dispose()
    assert (harbor.capacity, harbor.beds_available, harbor.waitlist) == (40, 3, 2)


def test_capacity_is_only_for_provider_staff(client: TestClient) -> None:
    signed_in_client(client, "referrer@hospital.demo")
    assert client.get("/app/capacity").status_code == 403
    client.cookies.clear()
    signed_in_client(client, "admin@lacare.demo")
    assert "no provider profile" in client.get("/app/capacity").text


def test_the_navigator_is_in_the_planners_menu_and_finds_the_member_just_referred(
    client: TestClient, demo_url: str
) -> None:
    pick = untouched_members(demo_url, plan="LACARE", program="cs.medically", count=1)[0]
    path = send_referral(client, pick, "cs.medically_tailored_meals")
    signed_in_client(client, "referrer@hospital.demo")
    home = client.get("/app").text
    assert 'href="/app/coverage"' in home
    found = client.get("/app/coverage", params={"member": pick.cin}).text
    assert path in found
    assert f"{pick.first_name} " in found
    assert "Start another referral for this member" in found
    nobody = client.get("/app/coverage", params={"member": "999999999Z"}).text
    assert "None of your referrals is for a member with that CIN or name." in nobody


def test_start_a_referral_pre_fills_member_program_and_provider(
    client: TestClient, demo_url: str
) -> None:
    pick = untouched_members(demo_url, plan="LACARE", program="cs.recuperative", count=1)[0]
    harbor = organization_id(demo_url, "Harbor Recuperative Care")
    signed_in_client(client, "cc@lacare.demo")
    url = (
        f"/app/referrals/new?member_id={dashed(pick.id)}"
        f"&program_id=cs.recuperative_care&provider_id={harbor}"
    )
    form = client.get(url).text
    assert f'name="member_id" value="{dashed(pick.id)}"' in form
    assert "Harbor Recuperative Care" in form
    assert '<option value="cs.recuperative_care" selected>' in form
    sent = client.post(
        "/app/referrals/new",
        data={
            "csrf_token": csrf_of(form),
            "member_id": dashed(pick.id),
            "provider_id": harbor,
            "program_id": "cs.recuperative_care",
            "source_kind": "plan",
            "member_consented": "yes",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    page = client.get(sent.headers["location"]).text
    assert "Harbor Recuperative Care" in page  # sent straight to the chosen provider


def test_a_member_out_of_scope_is_not_pre_filled(client: TestClient, demo_url: str) -> None:
    pick = untouched_members(demo_url, plan="LACARE", program="ecm", count=1)[0]
    signed_in_client(client, "cc@healthnet.demo")
    form = client.get(f"/app/referrals/new?member_id={dashed(pick.id)}").text
    assert dashed(pick.id) not in form
    assert pick.cin not in form
