"""The coverage navigator and dashboards pages over the seeded demo database (no browser)."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient

from ..helpers import USER_BY_ROLE, signed_in_client

CC = USER_BY_ROLE["plan_care_coordination"]
ANALYST = USER_BY_ROLE["state_analyst"]


def test_grid_for_a_county_lists_its_plans_and_supports(client: TestClient) -> None:
    page = signed_in_client(client, CC).get("/app/coverage", params={"county": "Sacramento"})
    assert page.status_code == 200, page.text
    plans = re.findall(r'<th scope="col" data-plan="([A-Z]+)"', page.text)
    assert plans == ["ANTHEM", "HEALTHNET", "KAISER", "MOLINA"]
    assert page.text.count("<tr data-program=") == 15
    assert "to confirm with DHCS" in page.text


def test_a_bad_county_and_date_are_shown_next_to_their_fields(client: TestClient) -> None:
    page = signed_in_client(client, CC).get(
        "/app/coverage", params={"county": "Atlantis", "as_of": "2025-13-01"}
    )
    assert page.status_code == 422
    assert 'id="county-error"' in page.text
    assert 'id="as_of-error"' in page.text
    assert "is not a California county" in page.text


def test_member_lookup_shows_eligibility_and_unknown_members_say_so(client: TestClient) -> None:
    signed = signed_in_client(client, CC)
    page = signed.get("/app/coverage", params={"member": "NOSUCHCIN"})
    assert page.status_code == 422
    assert 'id="member-error"' in page.text


def test_dashboards_filters_change_the_numbers_and_csv_matches(client: TestClient) -> None:
    signed = signed_in_client(client, ANALYST)
    wide = signed.get("/app/dashboards", params={"from": "2025-01-01", "to": "2025-10-01"})
    assert wide.status_code == 200, wide.text
    assert "<svg" in wide.text
    assert '<title id="funnel-chart-title">' in wide.text
    download = signed.get(
        "/app/dashboards/ecm-funnel.csv", params={"from": "2025-01-01", "to": "2025-10-01"}
    )
    assert download.headers["content-type"].startswith("text/csv")
    totals = list(csv.DictReader(io.StringIO(download.text)))[-1]
    shown = dict(re.findall(r'data-total="(\w+)">([^<]*)<', wide.text))
    assert shown == {s: totals[s] for s in ("eligible", "assigned", "outreached", "enrolled")}
    narrow = signed.get("/app/dashboards", params={"county": "Kern", "to": "2025-10-01"})
    assert dict(re.findall(r'data-total="(\w+)">([^<]*)<', narrow.text)) != shown


def test_dashboard_filter_errors_name_the_field(client: TestClient) -> None:
    page = signed_in_client(client, ANALYST).get(
        "/app/dashboards", params={"from": "2025-10-02", "to": "2025-10-01", "plan": "NOPE"}
    )
    assert page.status_code == 422
    assert 'id="from-error"' in page.text
    assert 'id="plan-error"' in page.text


def test_pages_speak_spanish(client: TestClient) -> None:
    signed = signed_in_client(client, CC)
    signed.cookies.set("calaim_lang", "es")
    assert "Embudo de ECM" in signed.get("/app/dashboards").text
    grid = signed.get("/app/coverage", params={"county": "Los Angeles"}).text
    assert "Navegador de cobertura" in grid
    assert "por confirmar con el DHCS" in grid


def test_program_view_page_in_english_and_spanish_with_downloads(client: TestClient) -> None:
    signed = signed_in_client(client, CC)
    params = {"from": "2025-07-01", "to": "2025-10-01"}
    page = signed.get("/app/program", params=params)
    assert page.status_code == 200, page.text
    assert 'href="/app/program"' in page.text  # in the navigation
    for table in ("months-table", "program-funnel", "reach-table", "cs-table", "ecm-capacity"):
        assert f'id="{table}"' in page.text
    assert '<title id="months-chart-title">' in page.text
    assert "data fingerprint" in page.text
    assert re.search(r"<td class=\"num\" data-stage=\"eligible\">\d+</td>", page.text)
    listed = signed.get("/app/program/not-enrolled.csv", params=params)
    assert listed.text.startswith("rank,person_id,")
    summary = signed.get("/app/program/view.xlsx", params=params)
    assert summary.content[:2] == b"PK"
    client.cookies.set("calaim_lang", "es")
    spanish = client.get("/app/program", params=params).text
    assert "Vista del programa" in spanish
    assert "Elegibles pero no inscritos" in spanish
    bad = client.get("/app/program", params={"program": "cs.respite"})
    assert bad.status_code == 422


def test_program_view_is_for_plans(client: TestClient) -> None:
    signed = signed_in_client(client, ANALYST)
    assert 'href="/app/program"' not in signed.get("/app").text
    assert signed.get("/app/program").status_code == 403
