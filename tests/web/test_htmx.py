"""HTMX: fragments for hx requests, whole pages otherwise; the CSRF header; CSP still strict."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .helpers import USER_BY_ROLE, csrf_of, signed_in_client

HX = {"HX-Request": "true"}
QUERY = "/app/dashboards?from=2025-01-01&to=2025-10-01&county=Kern"


def test_the_dashboard_filters_answer_htmx_with_the_results_fragment(client: TestClient) -> None:
    signed_in_client(client, USER_BY_ROLE["plan_care_coordination"])
    whole = client.get(QUERY)
    assert whole.status_code == 200
    assert whole.text.startswith("<!doctype html>")
    assert 'hx-target="#dashboard-results"' in whole.text
    assert 'hx-push-url="true"' in whole.text
    part = client.get(QUERY, headers=HX)
    assert part.status_code == 200
    assert "<html" not in part.text
    assert 'id="dashboard-results"' not in part.text  # the inside of the target only
    assert 'data-total="eligible"' in part.text
    assert "ecm-funnel.csv?from=2025-01-01&amp;to=2025-10-01&amp;county=Kern" in part.text
    assert part.headers["vary"] == "HX-Request"
    assert "script-src 'self'" in part.headers["content-security-policy"]
    # Going back with an empty history cache asks for the whole page again.
    restore = client.get(QUERY, headers={**HX, "HX-History-Restore-Request": "true"})
    assert restore.text.startswith("<!doctype html>")


def test_filter_errors_under_htmx_load_the_whole_page_with_the_messages(
    client: TestClient,
) -> None:
    signed_in_client(client, USER_BY_ROLE["plan_care_coordination"])
    bad = "/app/dashboards?from=not-a-date"
    response = client.get(bad, headers=HX)
    assert response.headers["hx-redirect"].endswith(bad)
    assert response.text == ""
    assert client.get(bad).status_code == 422


def test_pages_have_no_inline_script_and_send_the_csrf_header(client: TestClient) -> None:
    signed_in_client(client, "staff@cs.demo")
    page = client.get("/app").text
    token = csrf_of(page)
    assert f'hx-headers=\'{{"X-CSRF-Token": "{token}"}}\'' in page
    assert '<script src="/app/static/vendor/htmx-2.0.11.min.js" defer></script>' in page
    assert page.count("<script") == 1
    assert '"allowEval": false' in page


def test_an_htmx_post_is_checked_by_its_csrf_header(client: TestClient) -> None:
    signed_in_client(client, "staff@cs.demo")
    token = csrf_of(client.get("/app").text)
    wrong = client.post("/app/sign-out", headers={**HX, "X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    assert client.get("/app", follow_redirects=False).status_code == 200  # still signed in
    right = client.post(
        "/app/sign-out", headers={**HX, "X-CSRF-Token": token}, follow_redirects=False
    )
    assert right.status_code == 303
    assert client.get("/app", follow_redirects=False).status_code in (302, 303, 307)
