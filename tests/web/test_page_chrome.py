"""What every page shares: the favicon, and a language switch that returns to the same page,
also after a form came back with an error."""

from __future__ import annotations

import re
from urllib.parse import unquote

from fastapi.testclient import TestClient

from .helpers import csrf_of, signed_in_client
from .members import any_member_of


def _language_link(html: str, code: str) -> str:
    found = re.search(rf'href="/app/language/{code}\?next=([^"]+)"', html)
    assert found, f"no link to switch to {code}"
    return unquote(found.group(1))


def test_pages_name_a_favicon_that_is_served(client: TestClient) -> None:
    page = client.get("/app/sign-in").text
    assert 'rel="icon" href="/app/static/favicon.svg"' in page
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert client.get("/app/static/favicon.svg").status_code == 200


def test_the_language_switch_keeps_the_query(client: TestClient) -> None:
    signed_in_client(client, "cc@lacare.demo")
    page = client.get("/app/referrals?status=received").text
    assert _language_link(page, "es") == "/app/referrals?status=received"


def test_after_a_form_error_the_language_switch_returns_to_the_form_page(
    client: TestClient, demo_url: str
) -> None:
    member_id = any_member_of(demo_url, "LACARE")
    signed_in_client(client, "um@lacare.demo")
    member_page = f"/app/members/{member_id}"
    token = csrf_of(client.get(member_page).text)
    refused = client.post(
        f"{member_page}/authorizations",
        data={"csrf_token": token, "member_id": member_id},
        headers={"referer": f"http://testserver{member_page}"},
    )
    assert refused.status_code == 422
    assert _language_link(refused.text, "es") == member_page
    # A foreign Referer is never a place to go back to.
    token = csrf_of(client.get(member_page).text)
    foreign = client.post(
        f"{member_page}/authorizations",
        data={"csrf_token": token, "member_id": member_id},
        headers={"referer": "https://elsewhere.example/app/x"},
    )
    assert _language_link(foreign.text, "es") == "/app"


def test_the_state_analyst_lands_on_numbers_not_a_blank_page(client: TestClient) -> None:
    page = signed_in_client(client, "analyst@state.demo").get("/app")
    assert page.status_code == 200
    assert "At a glance" in page.text
    # The funnel's four stages and the decisions, each a number or said to be withheld.
    for label in ("Eligible", "Assigned", "Outreached", "Enrolled", "Decided on time"):
        found = re.search(rf"<dt>{label}</dt><dd>([^<]+)</dd>", page.text)
        assert found, label
        assert found.group(1).isdigit() or found.group(1) == "withheld (fewer than 11)"
    assert client.get("/app/coverage").status_code == 200
