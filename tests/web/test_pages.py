"""Pages through a TestClient: scoping like the API, audit, errors, forms that keep input."""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.models import AuditEvent

from .helpers import csrf_of, signed_in_client
from .members import any_member_of


def test_a_plan_user_cannot_open_another_plans_member(client: TestClient, demo_url: str) -> None:
    other = any_member_of(demo_url, "LACARE")
    signed_in_client(client, "cc@healthnet.demo")
    response = client.get(f"/app/members/{other}")
    assert response.status_code == 404
    assert "Page not found" in response.text
    # (the header's search box names CIN as something to search by: look at the page itself)
    assert "CIN" not in response.text.split("<main", 1)[1]
    absent = str(uuid.uuid4())
    missing = client.get(f"/app/members/{absent}")
    assert missing.status_code == 404
    # The same page for a hidden member and a missing one: nothing tells them apart.
    assert missing.text.replace(absent, "ID") == response.text.replace(other, "ID")


def test_the_same_plans_member_page_is_shown_and_audited(
    client: TestClient, demo_url: str, web_app: FastAPI
) -> None:
    member = any_member_of(demo_url, "LACARE")
    signed_in_client(client, "cc@lacare.demo")
    response = client.get(f"/app/members/{member}")
    assert response.status_code == 200
    assert "Eligibility" in response.text
    with Session(web_app.state.engine) as session:
        reads = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "member.read", AuditEvent.entity_id == member
            )
        ).all()
    assert reads


def test_a_referrer_has_no_member_pages(client: TestClient, demo_url: str) -> None:
    signed_in_client(client, "referrer@hospital.demo")
    response = client.get(f"/app/members/{any_member_of(demo_url, 'LACARE')}")
    assert response.status_code in (403, 404)
    assert "Traceback" not in response.text


def test_a_malformed_id_is_a_friendly_404(client: TestClient) -> None:
    signed_in_client(client, "um@lacare.demo")
    response = client.get("/app/members/not-an-id")
    assert response.status_code == 404
    assert "Go to my work" in response.text


def test_the_referral_form_keeps_the_input_and_names_each_field(client: TestClient) -> None:
    signed_in_client(client, "referrer@clinic.demo")
    token = csrf_of(client.get("/app/referrals/new").text)
    form = {
        "csrf_token": token,
        "program_id": "ecm",
        "source_kind": "clinic",
        "birth_date": "31/12/1980",
        "last_name": "Ramírez",
        "reason": "Needs help with housing",
        "member_consented": "yes",
    }
    response = client.post("/app/referrals/new", data=form)
    assert response.status_code == 422
    assert "Enter a date as year-month-day" in response.text
    assert "Give the member&#39;s CIN, or their last and first names." in response.text
    assert 'value="Ramírez"' in response.text
    assert "Needs help with housing" in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'href="#birth_date"' in response.text


def test_an_unknown_member_in_a_referral_is_a_message_not_an_error(client: TestClient) -> None:
    signed_in_client(client, "referrer@clinic.demo")
    token = csrf_of(client.get("/app/referrals/new").text)
    form = {
        "csrf_token": token,
        "program_id": "ecm",
        "source_kind": "clinic",
        "birth_date": "1980-12-31",
        "cin": "NOSUCHCIN",
        "member_consented": "yes",
    }
    response = client.post("/app/referrals/new", data=form)
    assert response.status_code == 422
    assert "No single member matches." in response.text


def test_a_denial_without_a_reason_is_refused_next_to_the_field(
    client: TestClient, demo_url: str
) -> None:
    signed_in_client(client, "um@lacare.demo")
    home = client.get("/app").text
    member = home.split('href="/app/members/')[1].split("#")[0]
    page = client.get(f"/app/members/{member}").text
    action = page.split('action="/app/authorizations/')[1].split("/")[0]
    form = {"csrf_token": csrf_of(page), "version": "1", "member_id": member}
    response = client.post(f"/app/authorizations/{action}/deny", data=form)
    assert response.status_code == 422
    assert "Choose a denial reason." in response.text
    assert "Explain the denial for the member&#39;s notice." in response.text


def test_role_navigation(client: TestClient) -> None:
    signed_in_client(client, "referrer@hospital.demo")
    home = client.get("/app").text
    assert 'href="/app/referrals/new"' in home
    assert 'href="/app/authorizations"' not in home
    assert 'href="/app/dashboards"' not in home


def test_assigning_without_an_ecm_authorization_needs_a_reason_shown_on_the_page(
    client: TestClient, demo_url: str
) -> None:
    from .members import dashed, untouched_members

    # The last of the untouched members: the journeys take the first (most eligible) ones.
    pick = untouched_members(demo_url, plan="LACARE", program="ecm", count=500)[-1]
    member = dashed(pick.id)
    signed_in_client(client, "cc@lacare.demo")
    page = client.get(f"/app/members/{member}").text
    assert "Assign without an ECM authorization: why (optional)" in page
    form = {"csrf_token": csrf_of(page), "member_id": member}
    refused = client.post(f"/app/members/{member}/assign", data=form)
    assert refused.status_code == 409
    assert "No approved or presumptive ECM authorization covers" in refused.text
    assert 'id="assign-authorization_override_reason-error"' in refused.text
    form["authorization_override_reason"] = "Street medicine team met the member today"
    done = client.post(f"/app/members/{member}/assign", data=form, follow_redirects=False)
    assert done.status_code == 303, done.text
    shown = client.get(f"/app/members/{member}").text
    assert "Assigned without an ECM authorization" in shown
    assert "Street medicine team met the member today" in shown
    assert "recorded by" in shown


def test_the_member_page_shows_the_language_name_not_its_code(
    client: TestClient, demo_url: str
) -> None:
    import re

    from calaim.ops.members.languages import language_names

    signed_in_client(client, "cc@lacare.demo")
    page = client.get(f"/app/members/{any_member_of(demo_url, 'LACARE')}").text
    shown = re.search(r"<dt>Preferred language</dt><dd>([^<]*)</dd>", page)
    assert shown is not None
    assert shown.group(1) in set(language_names().values())
