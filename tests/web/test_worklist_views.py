"""The referrals worklist: filters, sorting, pages, and saved views private to their user."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from .helpers import csrf_of, signed_in_client


def _numbers(page: str) -> tuple[int, int]:
    found = re.search(r"(\d+) referrals? · page (\d+) of (\d+)", page)
    assert found, "no count on the page"
    return int(found.group(1)), int(found.group(3))


def test_filters_sort_and_pages(client: TestClient) -> None:
    signed_in_client(client, "cc@lacare.demo")
    everything, pages = _numbers(client.get("/app/referrals").text)
    received, _ = _numbers(client.get("/app/referrals?status=received").text)
    assert 0 < received < everything
    meals = client.get("/app/referrals?program=cs.medically_tailored_meals").text
    assert "recuperative care</td>" not in meals
    newest = client.get("/app/referrals?sort=newest").text
    oldest = client.get("/app/referrals?sort=oldest").text
    first = re.findall(r'href="/app/referrals/([0-9a-f-]{36})"', newest)
    last = re.findall(r'href="/app/referrals/([0-9a-f-]{36})"', oldest)
    assert first
    assert last
    assert first[0] != last[0]
    if pages > 1:
        second = client.get("/app/referrals?page=2").text
        assert "page 2 of" in second
        assert 'rel="prev"' in second
    assert client.get("/app/referrals?page=-4&sort=nonsense&status=bogus").status_code == 200


def test_saved_views_belong_to_their_user(client: TestClient, web_app: object) -> None:
    signed_in_client(client, "cc@lacare.demo")
    page = client.get("/app/referrals?status=received&sort=oldest").text
    saved = client.post(
        "/app/referrals/views",
        data={"csrf_token": csrf_of(page), "view_name": "New ones, oldest first",
              "query": "status=received&sort=oldest&evil=1"},
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303
    listing = client.get("/app/referrals").text
    assert "New ones, oldest first" in listing
    assert 'href="/app/referrals?sort=oldest&amp;status=received"' in listing
    assert "evil" not in listing
    client.cookies.clear()
    signed_in_client(client, "um@lacare.demo")
    other = client.get("/app/referrals").text
    assert "New ones, oldest first" not in other
    view_id = listing.split('action="/app/referrals/views/')[1].split("/delete")[0]
    refused = client.post(
        f"/app/referrals/views/{view_id}/delete", data={"csrf_token": csrf_of(other)}
    )
    assert refused.status_code == 404


def _count(page: str, noun: str) -> int:
    found = re.search(rf"(\d+) {noun}s? · page \d+ of \d+", page)
    assert found, f"no count of {noun}s on the page"
    return int(found.group(1))


def test_the_review_queue_filters_sorts_pages_and_saves_views(client: TestClient) -> None:
    signed_in_client(client, "um@lacare.demo")
    decided = client.get("/app/authorizations?show=approved").text
    everything = _count(decided, "request")
    routine = _count(
        client.get("/app/authorizations?show=approved&urgency=routine").text, "request"
    )
    expedited = _count(
        client.get("/app/authorizations?show=approved&urgency=expedited").text, "request"
    )
    assert routine + expedited == everything
    ecm = _count(client.get("/app/authorizations?show=approved&program=ecm").text, "request")
    assert 0 < ecm < everything
    newest = client.get("/app/authorizations?show=approved&sort=newest").text
    oldest = client.get("/app/authorizations?show=approved&sort=oldest").text
    link = r'href="/app/authorizations/([0-9a-f-]{36})"'
    assert re.findall(link, newest)[0] != re.findall(link, oldest)[0]
    if everything > 25:
        assert 'rel="next"' in decided
        assert "page 2 of" in client.get("/app/authorizations?show=approved&page=2").text
    assert client.get("/app/authorizations?show=x&urgency=y&program=z&page=-1").status_code == 200
    saved = client.post(
        "/app/authorizations/views",
        data={"csrf_token": csrf_of(decided), "view_name": "ECM approvals",
              "query": "show=approved&program=ecm"},
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303
    assert (
        'href="/app/authorizations?program=ecm&amp;show=approved"'
        in client.get("/app/authorizations").text
    )
    nowhere = client.post(
        "/app/members/views", data={"csrf_token": csrf_of(decided), "view_name": "x"}
    )
    assert nowhere.status_code == 404


def test_tasks_filter_by_kind_and_sort(client: TestClient) -> None:
    signed_in_client(client, "um@lacare.demo")
    everything = _count(client.get("/app/tasks?show=all").text, "task")
    decisions = _count(client.get("/app/tasks?show=all&kind=authorization_decision").text, "task")
    assert 0 < decisions <= everything
    assert _count(client.get("/app/tasks?show=all&kind=outreach").text, "task") == 0
    soonest = client.get("/app/tasks?show=all&sort=due").text
    latest = client.get("/app/tasks?show=all&sort=latest").text
    due = r'<td data-label="Due">([^<]+)'
    assert re.findall(due, soonest)[0] != re.findall(due, latest)[0]
