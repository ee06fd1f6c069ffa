"""The search box: on every page, typo-tolerant, scoped like the API, a plain link too."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from .helpers import signed_in_client
from .members import dashed


def _lacare_member(url: str) -> tuple[str, str, str, str, str]:
    """Some LA Care member: id, first and last name, CIN, birth date."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT m.id, m.first_name, m.last_name, m.cin, m.birth_date FROM members m "
                    "JOIN organizations o ON o.id = m.plan_organization_id "
                    "WHERE o.plan_code = 'LACARE' AND length(m.last_name) >= 5 "
                    # The rarest full name, so a misspelling has one best match (the demo's
                    # names come from short lists; a common one has many equal candidates).
                    "ORDER BY (SELECT count(*) FROM members n WHERE n.last_name = m.last_name "
                    "AND n.first_name = m.first_name), m.last_name, m.first_name LIMIT 1"
                )
            ).one()
    finally:
        engine.dispose()
    return dashed(str(row[0])), row[1], row[2], row[3], str(row[4])


def _typo(name: str) -> str:
    """The name with two inner letters swapped."""
    return name[:2] + name[3] + name[2] + name[4:]


def test_the_header_has_a_search_box_on_every_page(client: TestClient) -> None:
    signed_in_client(client, "cc@lacare.demo")
    for path in ("/app", "/app/referrals", "/app/coverage", "/app/search?q=zz"):
        page = client.get(path).text
        assert 'role="search"' in page, path
        assert 'action="/app/search"' in page, path


def test_a_misspelled_name_finds_the_member(client: TestClient, demo_url: str) -> None:
    member_id, first, last, _cin, _born = _lacare_member(demo_url)
    signed_in_client(client, "cc@lacare.demo")
    page = client.get("/app/search", params={"q": f"{first} {_typo(last)}"})
    assert page.status_code == 200
    assert f"/app/members/{member_id}" in page.text
    assert "for this name" in page.text


def test_cin_and_birth_date_find_the_member(client: TestClient, demo_url: str) -> None:
    member_id, _first, _last, cin, born = _lacare_member(demo_url)
    signed_in_client(client, "cc@lacare.demo")
    assert f"/app/members/{member_id}" in client.get(f"/app/search?q={cin}").text
    assert f"/app/members/{member_id}" in client.get(f"/app/search?q={born}").text


def test_another_plan_finds_nothing_of_ours(client: TestClient, demo_url: str) -> None:
    member_id, first, last, cin, _born = _lacare_member(demo_url)
    signed_in_client(client, "cc@healthnet.demo")
    assert "0 results for this CIN" in client.get("/app/search", params={"q": cin}).text
    assert member_id not in client.get("/app/search", params={"q": f"{first} {last}"}).text


def test_the_state_analyst_finds_no_one(client: TestClient, demo_url: str) -> None:
    _member_id, first, last, _cin, _born = _lacare_member(demo_url)
    signed_in_client(client, "analyst@state.demo")
    page = client.get("/app/search", params={"q": f"{first} {last}"}).text
    assert "0 results" in page
    assert "/app/members/" not in page


def test_too_short_a_search_explains_itself(client: TestClient) -> None:
    signed_in_client(client, "cc@lacare.demo")
    page = client.get("/app/search?q=a").text
    assert "at least two letters" in page


def test_search_needs_sign_in(client: TestClient) -> None:
    response = client.get("/app/search?q=smith", follow_redirects=False)
    assert response.status_code in (303, 307)
    assert "/app/sign-in" in response.headers["location"]
