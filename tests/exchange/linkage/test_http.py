"""The /exchange/rosters API: upload (dry run and real), read, CSV download, list, a bad file
(422 naming row and column, nothing stored), permissions, tenants, idempotent retries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from calaim.exchange.linkage.sample import write_csv
from calaim.ops.db import session_factory
from calaim.ops.models import Member, MemberContactChange, Role, RosterReport, User
from exchange.linkage.world import AS_OF, as_row, build
from ops import factories
from ops.http.conftest import AuthHeaders, assert_error

URL = "/exchange/rosters"
FORM = {"kind": "member-file", "as_of": AS_OF.isoformat()}


@dataclass(frozen=True)
class Plan:
    """A committed plan with members, its users, and another plan's admin."""

    admin: User
    provider_user: User
    other_admin: User
    referrer: User
    rows: list[dict[str, Any]]
    moved_id: uuid.UUID


@pytest.fixture
def plan(engine: Engine) -> Plan:
    """Eight members of a plan of its own (unique codes: HTTP tests commit)."""
    with session_factory(engine)() as session:
        world = build(session, count=8, tag=uuid.uuid4().hex[:8].upper())
        other_admin = factories.user(session, world.other_plan, Role.PLAN_ADMIN)
        referrer = factories.user(session, world.provider, Role.LEAD_CARE_MANAGER)
        rows = [as_row(m) for m in world.members]
        found = Plan(
            world.plan_user,
            world.provider_user,
            other_admin,
            referrer,
            rows,
            world.members[2].id,
        )
        session.commit()
        session.expunge_all()
    return found


def _csv(tmp_path: Path, rows: list[dict[str, Any]]) -> bytes:
    path = tmp_path / "jan.csv"
    write_csv(rows, path)
    return path.read_bytes()


def _upload(
    client: TestClient, headers: dict[str, str], data: bytes, name: str = "jan.csv", **form: Any
) -> Any:
    files = {"file": (name, data, "text/csv")}
    return client.post(URL, files=files, data={**FORM, **form}, headers=headers)


def _reports(engine: Engine, user: User) -> int:
    with session_factory(engine)() as session:
        statement = select(func.count()).where(RosterReport.organization_id == user.organization_id)
        return int(session.scalar(statement) or 0)


def test_upload_read_download_and_list(
    client: TestClient, auth: AuthHeaders, plan: Plan, engine: Engine, tmp_path: Path
) -> None:
    rows = [dict(r) for r in plan.rows]
    rows[2] |= {"address_line": "77 NEW HOME WAY", "city": "Ventura", "zip_code": "93001"}
    data, admin = _csv(tmp_path, rows), auth(plan.admin)
    dry = _upload(client, admin, data, dry_run="true")
    assert dry.status_code == 201, dry.text
    assert dry.json()["dry_run"] is True
    assert dry.json()["summary"]["matched"] == 8
    real = _upload(client, admin, data)
    assert real.status_code == 201, real.text
    body = real.json()
    assert (body["row_count"], body["summary"]["address_changed"]) == (8, 1)
    report = client.get(f"{URL}/{body['id']}", params={"limit": 3}, headers=admin).json()
    assert report["findings"]["total"] == 9  # 8 matched + 1 address change
    assert len(report["findings"]["items"]) == 3
    assert report["findings"]["items"][0]["category"] == "matched"
    download = client.get(f"{URL}/{body['id']}/csv", headers=admin)
    assert download.headers["content-type"].startswith("text/csv")
    lines = download.text.splitlines()
    assert lines[0].startswith("category,row,person_id")
    assert len(lines) == 10
    listed = client.get(URL, headers=admin).json()
    assert [item["id"] for item in listed["items"]] == [body["id"], dry.json()["id"]]
    with session_factory(engine)() as session:
        moved = session.get(Member, plan.moved_id)
        assert moved is not None
        assert (moved.address_line, moved.city, moved.zip_code) == (
            "77 NEW HOME WAY",
            "VENTURA",
            "93001",
        )


def test_bad_file_is_422_naming_row_and_column_and_stores_nothing(
    client: TestClient, auth: AuthHeaders, plan: Plan, engine: Engine, tmp_path: Path
) -> None:
    rows = [dict(r) for r in plan.rows]
    rows[1]["birth_date"] = "31/31/1990"
    rows[2]["address_line"] = "somewhere else"
    response = _upload(client, auth(plan.admin), _csv(tmp_path, rows))
    error = assert_error(response, 422, "invalid")
    assert error["field"] == "file"
    problem = {
        "file": "jan.csv",
        "row": 3,
        "column": "DOB",
        "message": "is not a date; write YYYY-MM-DD",
    }
    assert error["details"]["problems"] == [problem]  # type: ignore[index]
    assert _reports(engine, plan.admin) == 0
    with session_factory(engine)() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(MemberContactChange)
                .where(MemberContactChange.member_id == plan.moved_id)
            )
            == 0
        )


def test_unreadable_and_unknown_files_are_located_422(
    client: TestClient, auth: AuthHeaders, plan: Plan
) -> None:
    admin = auth(plan.admin)
    error = assert_error(_upload(client, admin, b"x", name="../../etc/roster.txt"), 422, "invalid")
    assert error["details"]["problems"][0]["file"] == "roster.txt"  # type: ignore[index]
    error = assert_error(_upload(client, admin, b"PK\x03\x04junk", name="r.xlsx"), 422, "invalid")
    assert "not a readable XLSX" in str(error["message"])
    error = assert_error(_upload(client, admin, b"First Name\nAna\n"), 422, "invalid")
    columns = {p["column"] for p in error["details"]["problems"]}  # type: ignore[index]
    assert columns == {"last_name", "birth_date"}
    assert_error(_upload(client, admin, b"a", as_of="2026-02-30"), 422, "invalid")


def test_permissions_kinds_and_other_tenants(
    client: TestClient, auth: AuthHeaders, plan: Plan, tmp_path: Path
) -> None:
    data = _csv(tmp_path, plan.rows)
    assert_error(_upload(client, auth(plan.referrer), data), 403, "forbidden")
    wrong = assert_error(_upload(client, auth(plan.provider_user), data), 422, "invalid")
    assert wrong["field"] == "kind"
    report_id = _upload(client, auth(plan.admin), data, dry_run="true").json()["id"]
    other = auth(plan.other_admin)
    theirs = client.get(f"{URL}/{report_id}", headers=other)
    random_id = client.get(f"{URL}/{uuid.uuid4()}", headers=other)
    assert_error(theirs, 404, "not_found")
    assert theirs.json()["error"]["message"].replace(report_id, "X") == random_id.json()["error"][
        "message"
    ].replace(random_id.url.path.split("/")[-1], "X")
    assert_error(client.get(f"{URL}/{report_id}/csv", headers=other), 404, "not_found")
    assert client.get(URL, headers=other).json()["total"] == 0
    assert_error(client.get(URL, headers=auth(plan.referrer)), 403, "forbidden")


def test_a_retry_with_the_same_idempotency_key_reconciles_once(
    client: TestClient, auth: AuthHeaders, plan: Plan, engine: Engine, tmp_path: Path
) -> None:
    data = _csv(tmp_path, plan.rows)
    # The same request body byte for byte (one multipart boundary), as a retry resends it.
    headers = auth(
        plan.admin,
        **{"Idempotency-Key": str(uuid.uuid4())},
        **{"Content-Type": "multipart/form-data; boundary=calaim-test-boundary"},
    )
    first = _upload(client, headers, data)
    again = _upload(client, headers, data)
    assert first.status_code == again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert _reports(engine, plan.admin) == 1


def test_an_xlsx_bomb_is_refused_before_parsing(
    client: TestClient, engine: Engine, plan: Plan, auth: AuthHeaders
) -> None:
    from data.xlsx_builders import sheet_xml, workbook_with_sheet

    bomb = workbook_with_sheet(sheet_xml(1_200_000))
    before = _reports(engine, plan.admin)
    response = _upload(client, auth(plan.admin), bomb, name="jan.xlsx")
    error = assert_error(response, 422, "invalid")
    assert "over the limit of 50 MB" in response.text, error
    assert _reports(engine, plan.admin) == before


def test_a_roster_cell_with_a_tab_is_refused_like_the_api_refuses_it(
    client: TestClient, auth: AuthHeaders, plan: Plan, engine: Engine, tmp_path: Path
) -> None:
    rows = [dict(r) for r in plan.rows]
    rows[0]["last_name"] = "Tab\tInside"
    response = _upload(client, auth(plan.admin), _csv(tmp_path, rows))
    error = assert_error(response, 422, "invalid")
    problems = error["details"]["problems"]  # type: ignore[index]
    assert [(p["row"], p["message"]) for p in problems] == [
        (
            2,
            "holds a control character; remove it (NUL, tabs, line breaks and other "
            "control characters are refused)",
        )
    ]
    assert _reports(engine, plan.admin) == 0
