"""Reentry over HTTP: a jail opens a case, the in-reach care manager works it, the release
date moves, the member is released; versions, errors and scoping as everywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from calaim.ops.db import session_factory
from calaim.ops.models import OrganizationKind, Role, User

from ..factories import organization, user
from .conftest import NOW, AuthHeaders, Tenants, assert_error

TODAY = NOW.date()
RELEASE = TODAY + dt.timedelta(days=40)


def _staff(engine: Engine, kind: OrganizationKind, role: Role) -> User:
    with session_factory(engine)() as session:
        person = user(session, organization(session, kind), role)
        session.commit()
    return person


def _post(client: TestClient, auth: AuthHeaders, who: User, path: str, body: Any, case: Any) -> Any:
    headers = auth(who, **{"If-Match": f'"{case["version"]}"'})
    response = client.post(f"/reentry/cases/{case['id']}/{path}", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_case_from_opening_to_release(
    client: TestClient, tenants: Tenants, auth: AuthHeaders, engine: Engine
) -> None:
    jail = _staff(engine, OrganizationKind.COUNTY_JAIL, Role.FACILITY_REENTRY_STAFF)
    lcm = _staff(engine, OrganizationKind.ECM_PROVIDER, Role.LEAD_CARE_MANAGER)
    person = tenants.members[0]
    card = {"cin": person.cin, "birth_date": str(person.birth_date)}
    body = {"member": card, "expected_release_on": str(RELEASE)}
    response = client.post("/reentry/cases", json=body, headers=auth(jail))
    assert response.status_code == 201, response.text
    case = response.json()
    assert case["dates"]["window_opens_on"] == str(RELEASE - dt.timedelta(days=90))
    assert case["member_name"].startswith("Ana")
    # The facility now sees the member's row; the other plan does not see the case.
    assert client.get(f"/members/{person.id}", headers=auth(jail)).status_code == 200
    hidden = client.get(f"/reentry/cases/{case['id']}", headers=auth(tenants.other_plan_admin))
    assert_error(hidden, 404, "not_found")
    case = _post(
        client, auth, jail, "medi-cal", {"status": "suspended", "applied_on": str(TODAY)}, case
    )
    ids = {"pre_release_provider_id": str(lcm.organization_id)}
    case = _post(client, auth, jail, "providers", ids, case)
    case = _post(client, auth, lcm, "providers", {"care_manager_user_id": str(lcm.id)}, case)
    case = _post(
        client, auth, lcm, "assessment", {"assessed_on": str(TODAY), "needs": ["housing"]}, case
    )
    goals = {
        "written_on": str(TODAY),
        "goals": [{"description": "Bed at a shelter", "need": "housing"}],
    }
    case = _post(client, auth, lcm, "care-plan", goals, case)
    later = {"expected_release_on": str(RELEASE + dt.timedelta(days=5)), "reason": "hearing moved"}
    case = _post(client, auth, jail, "release-date", later, case)
    assert case["dates"]["handoff_due_on"] == str(RELEASE + dt.timedelta(days=5 - 7))
    case = _post(client, auth, lcm, "handoff", {"held_on": str(TODAY)}, case)
    supply = {"medication_days": 30, "equipment": ["cane"]}
    case = _post(client, auth, jail, "release-supply", supply, case)
    case = _post(client, auth, jail, "release", {"released_on": str(TODAY)}, case)
    assert case["status"] == "released"
    kinds = [step["kind"] for step in case["history"]]
    assert kinds[0] == "opened"
    assert "date_late" in kinds
    assert kinds[-1] == "released"
    # The in-reach provider's list shows the case; the plan's notices include the release.
    listed = client.get("/reentry/cases", headers=auth(lcm)).json()
    assert [item["id"] for item in listed["items"]] == [case["id"]]
    notices = client.get("/notices", params={"subject_id": case["id"]},
                         headers=auth(tenants.plan_coordinator)).json()  # fmt: skip
    assert "reentry_release" in {n["kind"] for n in notices["items"]}


def test_errors_are_plain_and_change_nothing(
    client: TestClient, tenants: Tenants, auth: AuthHeaders, engine: Engine
) -> None:
    jail = _staff(engine, OrganizationKind.STATE_PRISON, Role.FACILITY_REENTRY_STAFF)
    person = tenants.members[1]
    card = {"cin": person.cin, "birth_date": str(person.birth_date)}
    body = {"member": card, "expected_release_on": str(RELEASE)}
    case = client.post("/reentry/cases", json=body, headers=auth(jail)).json()
    path = f"/reentry/cases/{case['id']}/release-supply"
    short = {"medication_days": 10}
    missing = client.post(path, json=short, headers=auth(jail))
    assert_error(missing, 428, "precondition_required")
    refused = client.post(path, json=short, headers=auth(jail, **{"If-Match": '"1"'}))
    error = assert_error(refused, 422, "invalid")
    assert error["field"] == "note"
    stale = client.post(
        path, json={"medication_days": 30}, headers=auth(jail, **{"If-Match": '"9"'})
    )
    assert_error(stale, 412, "stale_version")
    # A referrer may not open cases; a plan may read but not open.
    opened = client.post("/reentry/cases", json=body, headers=auth(tenants.hospital))
    assert_error(opened, 403, "forbidden")
    again = client.get(f"/reentry/cases/{case['id']}", headers=auth(jail)).json()
    assert again["version"] == 1
    assert again["medication_days"] is None
