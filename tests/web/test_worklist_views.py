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
