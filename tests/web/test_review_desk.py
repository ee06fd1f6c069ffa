"""The utilization-review desk over HTTP: the queue behind the menu link, one request per
screen, the override confirmation, letters as PDF, and who may see what."""

from __future__ import annotations

import io
import re
import uuid

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from .helpers import USER_BY_ROLE, csrf_of, signed_in_client
from .review_world import waiting_requests

UM = "um@lacare.demo"


@pytest.fixture
def um(client: TestClient) -> TestClient:
    return signed_in_client(client, UM)


def test_the_menu_link_leads_to_the_queue(um: TestClient, demo_url: str) -> None:
    (request_id,) = waiting_requests(demo_url, 1)
    home = um.get("/app").text
    assert 'href="/app/authorizations"' in home
    queue = um.get("/app/authorizations")
    assert queue.status_code == 200
    assert f'href="/app/authorizations/{request_id}"' in queue.text
    assert "Medically Tailored Meals" in queue.text
    # The program filter's option values are ids; what people read never is.
    assert "cs.medically_tailored_meals" not in re.sub(r"<[^>]+>", " ", queue.text)
    assert "Check: not eligible" in queue.text


def test_an_approval_against_the_engine_needs_a_reason(um: TestClient, demo_url: str) -> None:
    (request_id,) = waiting_requests(demo_url, 1)
    page = um.get(f"/app/authorizations/{request_id}")
    assert page.status_code == 200
    assert "Check before you approve" in page.text
    assert "The engine says the member is not eligible for this program." in page.text
    form = {"csrf_token": csrf_of(page.text), "version": "1", "start_date": "2025-10-01",
            "end_date": "2026-03-31", "units": "2", "frequency": "per_day"}  # fmt: skip
    refused = um.post(f"/app/authorizations/{request_id}/review/approve", data=form)
    assert refused.status_code == 422
    assert "Write why you approve anyway." in refused.text
    assert 'value="2026-03-31"' in refused.text  # the reviewer's values are kept
    form["override_reason"] = "Dietitian's assessment documents CKD stage 4"
    done = um.post(f"/app/authorizations/{request_id}/review/approve", data=form,
                   follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    shown = um.get(done.headers["location"]).text
    assert "Approved. The Notice of Action letter went to the member and the provider." in shown
    assert "Dietitian&#39;s assessment documents CKD stage 4" in shown
    assert "Against the engine" in shown
    letter = shown.split('href="/app/letters/')[1].split('"')[0]
    pdf = um.get(f"/app/letters/{letter}")
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Medically Tailored Meals" in text or "Comidas médicamente adaptadas" in text
    assert "2 per day" in text or "2 por día" in text


def test_deny_needs_a_reason_and_a_text(um: TestClient, demo_url: str) -> None:
    (request_id,) = waiting_requests(demo_url, 1)
    page = um.get(f"/app/authorizations/{request_id}").text
    form = {"csrf_token": csrf_of(page), "version": "1"}
    refused = um.post(f"/app/authorizations/{request_id}/review/deny", data=form)
    assert refused.status_code == 422
    assert "Choose a denial reason." in refused.text
    assert "Explain the denial for the member&#39;s notice." in refused.text


def test_pend_then_a_second_pend_is_refused(um: TestClient, demo_url: str) -> None:
    (request_id,) = waiting_requests(demo_url, 1)
    page = um.get(f"/app/authorizations/{request_id}").text
    form = {"csrf_token": csrf_of(page), "version": "1", "information": "Recent lab results"}
    done = um.post(f"/app/authorizations/{request_id}/review/pend", data=form,
                   follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    shown = um.get(done.headers["location"]).text
    assert "Pended for information. The member and the provider were told of the delay." in shown
    assert "Recent lab results" in shown
    form["version"] = "2"
    again = um.post(f"/app/authorizations/{request_id}/review/pend", data=form)
    assert again.status_code == 409
    assert "This request was already extended once. Decide it now." in again.text


def test_a_stale_form_is_a_conflict_not_an_error(um: TestClient, demo_url: str) -> None:
    (request_id,) = waiting_requests(demo_url, 1)
    page = um.get(f"/app/authorizations/{request_id}").text
    form = {"csrf_token": csrf_of(page), "version": "7", "reason_code": "other", "reason": "x"}
    stale = um.post(f"/app/authorizations/{request_id}/review/deny", data=form)
    assert stale.status_code == 409
    assert "Someone changed this request since you opened it." in stale.text


def test_the_desk_in_spanish(um: TestClient, demo_url: str) -> None:
    (request_id,) = waiting_requests(demo_url, 1)
    um.cookies.set("calaim_lang", "es")
    page = um.get(f"/app/authorizations/{request_id}").text
    assert "Revise antes de aprobar" in page
    assert "Comidas médicamente adaptadas" in page
    assert "Dejar pendiente por información" in page


@pytest.mark.parametrize(
    "role", ["lead_care_manager", "cs_provider_staff", "referrer", "state_analyst",
             "plan_care_coordination"],
)  # fmt: skip
def test_only_utilization_management_opens_the_desk(
    client: TestClient, demo_url: str, role: str
) -> None:
    (request_id,) = waiting_requests(demo_url, 1)
    signed_in_client(client, USER_BY_ROLE[role])
    assert client.get("/app/authorizations").status_code == 403
    assert client.get(f"/app/authorizations/{request_id}").status_code == 403
    token = csrf_of(client.get("/app/inbox").text)
    form = {"csrf_token": token, "version": "1", "reason_code": "other", "reason": "x"}
    assert (
        client.post(f"/app/authorizations/{request_id}/review/deny", data=form).status_code == 403
    )


def test_another_plans_reviewer_finds_neither_request_nor_letter(
    client: TestClient, demo_url: str
) -> None:
    (request_id,) = waiting_requests(demo_url, 1)
    signed_in_client(client, UM)
    page = client.get(f"/app/authorizations/{request_id}").text
    form = {"csrf_token": csrf_of(page), "version": "1", "reason_code": "incomplete_info",
            "reason": "We did not receive the dietitian's assessment."}  # fmt: skip
    done = client.post(f"/app/authorizations/{request_id}/review/deny", data=form)
    letter = done.text.split('href="/app/letters/')[1].split('"')[0]
    assert client.get(f"/app/letters/{letter}").status_code == 200
    assert client.get(f"/app/authorizations/{uuid.uuid4()}").status_code == 404
    # The provider named on the request reads the letter sent to it.
    signed_in_client(client, "staff@cs.demo")
    assert client.get(f"/app/letters/{letter}").status_code == 200
    # Another plan finds no such letter (the same answer as for an id that never existed).
    signed_in_client(client, "admin@healthnet.demo")
    assert client.get(f"/app/letters/{letter}").status_code == 404
    assert client.get(f"/app/letters/{uuid.uuid4()}").status_code == 404


def test_the_member_pages_quick_approve_sends_the_reviewer_to_the_desk(
    um: TestClient, demo_url: str
) -> None:
    (request_id,) = waiting_requests(demo_url, 1)
    desk = um.get(f"/app/authorizations/{request_id}").text
    member = desk.split('href="/app/members/')[1].split('"')[0]
    page = um.get(f"/app/members/{member}").text
    form = {"csrf_token": csrf_of(page), "version": "1", "member_id": member}
    sent = um.post(f"/app/authorizations/{request_id}/approve", data=form, follow_redirects=False)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/app/authorizations/{request_id}?done=check"
    shown = um.get(sent.headers["location"]).text
    assert "The engine does not support this approval." in shown
    assert "No decision yet." in shown  # nothing was approved
