"""Pages: limit bounds, offsets, and totals that count only what the caller may see."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import AuthHeaders, Tenants, assert_error


def test_total_counts_only_the_callers_members(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    mine = client.get("/members", headers=auth(tenants.plan_admin)).json()
    theirs = client.get("/members", headers=auth(tenants.other_plan_admin)).json()
    assert mine["total"] == 3
    assert {item["id"] for item in mine["items"]} == {str(m.id) for m in tenants.members}
    assert theirs["total"] == 1
    assert [item["id"] for item in theirs["items"]] == [str(tenants.other_member.id)]


def test_pages_walk_the_list_with_next_offset(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    headers = auth(tenants.plan_admin)
    first = client.get("/members?limit=2", headers=headers).json()
    assert (first["limit"], first["offset"], first["total"], first["next_offset"]) == (2, 0, 3, 2)
    second = client.get("/members?limit=2&offset=2", headers=headers).json()
    assert len(second["items"]) == 1
    assert second["next_offset"] is None
    seen = [item["id"] for item in first["items"] + second["items"]]
    assert sorted(seen) == sorted(str(m.id) for m in tenants.members)


def test_an_offset_past_the_end_is_an_empty_page_with_the_total(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    page = client.get("/members?offset=3", headers=auth(tenants.plan_admin)).json()
    assert (page["items"], page["total"], page["next_offset"]) == ([], 3, None)


def test_limit_bounds(client: TestClient, tenants: Tenants, auth: AuthHeaders) -> None:
    headers = auth(tenants.plan_admin)
    assert client.get("/members", headers=headers).json()["limit"] == 50
    assert client.get("/members?limit=200", headers=headers).status_code == 200
    assert client.get("/members?limit=1", headers=headers).status_code == 200
    assert (
        assert_error(client.get("/members?limit=201", headers=headers), 422, "invalid")["field"]
        == "limit"
    )
    assert (
        assert_error(client.get("/members?offset=-1", headers=headers), 422, "invalid")["field"]
        == "offset"
    )


def test_filters_narrow_the_total(client: TestClient, tenants: Tenants, auth: AuthHeaders) -> None:
    headers = auth(tenants.plan_admin)
    kern = client.get("/members?county=Kern", headers=headers).json()
    assert kern["total"] == 1
    assert kern["items"][0]["id"] == str(tenants.members[2].id)
    # Another plan's member by its exact person id: nothing, and a total of 0.
    other = client.get(f"/members?person_id={tenants.other_member.person_id}", headers=headers)
    assert other.json()["total"] == 0
