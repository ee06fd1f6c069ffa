"""The report API: JSON and CSV with the same numbers, 422 naming the field, roles refused."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from ops.http.conftest import AuthHeaders, Tenants, assert_error


def rows(text: str) -> list[dict[str, str]]:
    """A CSV document's rows."""
    return list(csv.DictReader(io.StringIO(text)))


def test_coverage_grid_json_and_csv_agree(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    headers = auth(tenants.hospital)  # a referrer may read the grid: policy data only
    params = {"county": "los angeles", "as_of": "2025-06-30"}
    body = client.get("/reports/coverage", params=params, headers=headers).json()
    (grid,) = body["grids"]
    assert grid["county"] == "Los Angeles"
    assert [p["code"] for p in grid["plans"]] == ["HEALTHNET", "KAISER", "LACARE"]
    download = client.get("/reports/coverage.csv", params=params, headers=headers)
    assert download.headers["content-type"].startswith("text/csv")
    lines = rows(download.text)
    assert len(lines) == 15 * 3
    rent = next(
        r for r in lines if (r["plan"], r["program_id"]) == ("LACARE", "cs.transitional_rent")
    )
    assert (rent["offered"], rent["upcoming_from"]) == ("no", "2025-07-01")
    same = client.get("/reports/coverage", params={**params, "format": "csv"}, headers=headers)
    assert same.text == download.text


def test_funnel_csv_has_the_json_numbers(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    headers = auth(tenants.plan_coordinator)
    params = {"from": "2025-01-01", "to": "2025-10-01"}
    body = client.get("/reports/funnel", params=params, headers=headers).json()
    text = client.get("/reports/funnel.csv", params=params, headers=headers).text
    lines = rows(text)
    assert lines[-1]["population_of_focus"] == "(all)"
    assert lines[-1]["eligible"] == str(body["totals"]["eligible"])
    assert len(lines) == len(body["rows"]) + 1


def test_bad_inputs_name_their_field(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    headers = auth(tenants.plan_admin)
    cases = [
        ("/reports/funnel", {"county": "Atlantis"}, "county"),
        ("/reports/funnel", {"program": "cs.respite"}, "program"),  # not a population of focus
        ("/reports/capacity", {"program": "ecm.homeless_adult"}, "program"),
        ("/reports/authorizations", {"plan": "NOPLAN"}, "plan"),
        ("/reports/funnel", {"from": "2025-09-02", "to": "2025-09-01"}, "from"),
        ("/reports/coverage", {"county": "Nowhere"}, "county"),
    ]
    for path, params, field in cases:
        error = assert_error(client.get(path, params=params, headers=headers), 422, "invalid")
        assert error["field"] == field, (path, params, error)


def test_referrers_get_no_dashboards_and_the_state_no_member(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    assert_error(client.get("/reports/funnel", headers=auth(tenants.hospital)), 403, "forbidden")
    path = f"/reports/coverage/members/{tenants.members[0].id}"
    assert_error(client.get(path, headers=auth(tenants.state_analyst)), 404, "not_found")
    own = client.get(path, headers=auth(tenants.plan_coordinator))
    assert own.status_code == 200, own.text
    assert own.json()["county"] == "Los Angeles"


def test_state_capacity_and_timeliness_answer(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    headers = auth(tenants.state_analyst)
    capacity = client.get("/reports/capacity", params={"to": "2025-10-01"}, headers=headers)
    assert capacity.status_code == 200, capacity.text
    assert capacity.json()["suppressed_below"] == 11
    times = client.get("/reports/authorizations.csv", headers=headers)
    assert times.status_code == 200
    assert rows(times.text)[-1]["program_id"] == "(all)"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_plan_downloads_its_quarterly_and_clr_files(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    headers = auth(tenants.plan_coordinator)
    quarterly = client.get("/reports/dhcs-quarterly.xlsx", params={"quarter": "2025Q3"},
                           headers=headers)  # fmt: skip
    assert quarterly.status_code == 200, quarterly.text
    assert quarterly.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(quarterly.content))
    assert book["About"]["B2"].value == tenants.plan.plan_code
    assert book["About"]["B3"].value == "2025-07-01 to 2025-09-30"
    params = {"from": "2025-07-01", "to": "2025-09-30"}
    workbook = client.get("/reports/clr", params=params, headers=headers)
    assert workbook.headers["content-type"] == XLSX
    assert "Loops" in load_workbook(io.BytesIO(workbook.content)).sheetnames
    dhcs = client.get("/reports/clr", params={**params, "format": "dhcs.xlsx"}, headers=headers)
    assert dhcs.headers["content-disposition"].endswith('-dhcs.xlsx"')
    assert "Loops" not in load_workbook(io.BytesIO(dhcs.content)).sheetnames
    summary = client.get("/reports/clr", params={**params, "format": "csv"}, headers=headers)
    assert summary.headers["content-type"].startswith("text/csv")
    assert rows(summary.text)[0]["measure"] == "Period"


def test_submissions_refuse_bad_input_and_non_plans(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    headers = auth(tenants.plan_admin)
    bad = client.get("/reports/dhcs-quarterly.xlsx", params={"quarter": "2025Q9"}, headers=headers)
    assert assert_error(bad, 422, "invalid")["field"] == "quarter"
    late = client.get("/reports/clr", params={"from": "2025-09-02", "to": "2025-09-01"},
                      headers=headers)  # fmt: skip
    assert assert_error(late, 422, "invalid")["field"] == "from"
    provider = auth(tenants.provider_staff)
    refused = client.get("/reports/dhcs-quarterly.xlsx", params={"quarter": "2025Q3"},
                         headers=provider)  # fmt: skip
    assert_error(refused, 403, "forbidden")


def test_program_view_json_and_files(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    headers = auth(tenants.plan_coordinator)
    params = {"from": "2025-07-01", "to": "2025-09-30"}
    body = client.get("/reports/program", params=params, headers=headers).json()
    assert [m["month"] for m in body["months"]] == ["2025-07", "2025-08", "2025-09"]
    assert len(body["provenance"]["input_fingerprint"]) == 32
    text = client.get("/reports/program", params={**params, "format": "csv"}, headers=headers)
    assert text.headers["content-disposition"].endswith('.csv"')
    about = [r for r in rows(text.text) if r["section"] == "about"]
    assert {"measure": "Input fingerprint", "value": body["provenance"]["input_fingerprint"]} in [
        {"measure": r["measure"], "value": r["value"]} for r in about
    ]
    book = client.get("/reports/program", params={**params, "format": "xlsx"}, headers=headers)
    assert book.content[:2] == b"PK"
    listed = client.get("/reports/program/not-enrolled", params=params, headers=headers).json()
    assert [c["rank"] for c in listed["candidates"]] == list(
        range(1, len(listed["candidates"]) + 1)
    )
    wrong = client.get("/reports/program", params={"program": "cs.respite"}, headers=headers)
    assert assert_error(wrong, 422, "invalid")["field"] == "program"
    refused = client.get("/reports/program", headers=auth(tenants.state_analyst))
    assert_error(refused, 403, "forbidden")
