"""The inbox and the task list over HTTP: the header's unread count, opening an item, the email
choice, tasks from the clocks with assignment, and each user seeing only their own."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from .helpers import USER_BY_ROLE, csrf_of, signed_in_client
from .review_world import waiting_requests

UM, CS_STAFF = "um@lacare.demo", "staff@cs.demo"


def unread(page: str) -> int:
    """The header badge's number (0 without a badge)."""
    if '<span class="badge">' not in page:
        return 0
    return int(page.split('<span class="badge">')[1].split("<")[0])


def decide(client: TestClient, request_id: object) -> None:
    page = client.get(f"/app/authorizations/{request_id}").text
    form = {"csrf_token": csrf_of(page), "version": "1", "reason_code": "not_eligible",
            "reason": "No diet-sensitive condition is documented."}  # fmt: skip
    assert (
        client.post(f"/app/authorizations/{request_id}/review/deny", data=form).status_code == 200
    )


def test_a_decision_reaches_the_providers_inbox_and_opening_it_reads_it(
    client: TestClient, demo_url: str
) -> None:
    (request_id,) = waiting_requests(demo_url, 1)
    signed_in_client(client, CS_STAFF)
    before = unread(client.get("/app").text)
    signed_in_client(client, UM)
    decide(client, request_id)
    signed_in_client(client, CS_STAFF)
    home = client.get("/app").text
    assert unread(home) == before + 1
    inbox = client.get("/app/inbox?unread=true").text
    assert "Authorization decision" in inbox
    # Other items (a message on a referral) may share the demo's fixed time: pick the decision.
    decision = next(li for li in inbox.split("<li")[1:] if "Authorization decision" in li)
    item = decision.split('href="/app/inbox/')[1].split('"')[0]
    opened = client.get(f"/app/inbox/{item}", follow_redirects=False)
    assert opened.status_code == 303
    assert opened.headers["location"].startswith("/app/members/")  # a provider: the member page
    assert unread(client.get("/app").text) == before
    # Mark all read empties the unread list.
    token = csrf_of(client.get("/app/inbox").text)
    assert client.post("/app/inbox/read-all", data={"csrf_token": token}).status_code == 200
    assert unread(client.get("/app/inbox").text) == 0
    assert "No unread items." in client.get("/app/inbox?unread=true").text


def test_someone_elses_item_is_not_found(client: TestClient, demo_url: str) -> None:
    (request_id,) = waiting_requests(demo_url, 1)
    signed_in_client(client, UM)
    decide(client, request_id)
    signed_in_client(client, CS_STAFF)
    item = client.get("/app/inbox").text.split('href="/app/inbox/')[1].split('"')[0]
    signed_in_client(client, "lcm@ecm.demo")
    assert client.get(f"/app/inbox/{item}").status_code == 404


def test_the_email_choice_is_saved(client: TestClient) -> None:
    signed_in_client(client, "supervisor@ecm.demo")
    page = client.get("/app/inbox").text
    assert 'id="email" name="email" checked' not in page
    token = csrf_of(page)
    done = client.post("/app/inbox/email", data={"csrf_token": token, "email": "on"})
    assert "You will get an email when something new arrives." in done.text
    assert 'id="email" name="email" checked' in done.text
    done = client.post("/app/inbox/email", data={"csrf_token": token})
    assert "You will not get emails." in done.text


def test_a_new_request_is_a_task_for_the_reviewers_and_can_be_assigned(
    client: TestClient, demo_url: str
) -> None:
    (request_id,) = waiting_requests(demo_url, 1)
    signed_in_client(client, UM)
    tasks = client.get("/app/tasks").text
    assert f'href="/app/authorizations/{request_id}"' in tasks
    assert "Decide the authorization request" in tasks
    assert "Utilization management team" in tasks
    row = tasks.split(f'href="/app/authorizations/{request_id}"')[1].split("</tr>")[0]
    action = row.split('action="')[1].split('"')[0]
    version = row.split('name="version" value="')[1].split('"')[0]
    options = row.split('name="assignee">')[1].split("</select>")[0]
    me = options.split('<option value="')[1].split('"')[0]  # the first person listed
    form = {"csrf_token": csrf_of(tasks), "version": version, "assignee": me}
    assigned = client.post(action, data=form)
    assert "The task was assigned." in assigned.text
    # A choice that is neither a colleague nor a team is refused in words.
    form["assignee"] = "somebody-else"
    again = client.post(action, data=form)
    assert "Choose a person or a team in your organization." in again.text
    # Deciding the request closes the task.
    decide(client, request_id)
    assert f'href="/app/authorizations/{request_id}"' not in client.get("/app/tasks?show=all").text


@pytest.mark.parametrize("role", ["lead_care_manager", "cs_provider_staff", "referrer"])
def test_every_role_with_work_has_inbox_and_tasks(client: TestClient, role: str) -> None:
    signed_in_client(client, USER_BY_ROLE[role])
    assert client.get("/app/inbox").status_code == 200
    assert client.get("/app/tasks").status_code == 200
    assert 'href="/app/tasks"' in client.get("/app").text


def test_the_state_analyst_has_an_inbox_but_no_tasks(client: TestClient) -> None:
    signed_in_client(client, USER_BY_ROLE["state_analyst"])
    assert client.get("/app/inbox").status_code == 200
    assert client.get("/app/tasks").status_code == 403
    assert 'href="/app/tasks"' not in client.get("/app/inbox").text


def test_a_referrers_items_name_the_member_and_open_on_the_referral(client: TestClient) -> None:
    # The referrer sees no member rows but knows whom it referred: every item names them as
    # its referral page does (first name, last initial) and opens on that referral.
    signed_in_client(client, USER_BY_ROLE["referrer"])
    inbox = client.get("/app/inbox").text
    items = inbox.split('<ul class="inbox-list">')[1].split("</ul>")[0].split("<li")[1:]
    assert items
    opened: dict[str, str] = {}
    for item in items:
        who = item.split('<span class="who">')[1].split("</span>")[0]
        assert re.fullmatch(r"\S.* \w\.", who), who
        what = item.split('<span class="what">')[1].split("</span>", 2)[-1].split("<")[0]
        link = item.split('href="/app/inbox/')[1].split('"')[0]
        opened.setdefault(what, link)
    assert len(opened) >= 2, opened  # acceptances, assignments, closures
    assert "ECM provider assigned" not in inbox  # also said of Community Supports providers
    for what, link in opened.items():  # one item of each kind
        location = client.get(f"/app/inbox/{link}", follow_redirects=False).headers["location"]
        assert location.startswith("/app/referrals/"), what
