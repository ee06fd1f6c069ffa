"""`POST /member-accounts`: the member's own plan opens an account for the member pages."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from .conftest import AuthHeaders, Tenants


def body(member_id: object, holder: str = "self") -> dict[str, object]:
    email = f"holder-{uuid.uuid4().hex[:8]}@example.org"
    return {"member_id": str(member_id), "email": email, "name": "Ana", "holder": holder}


def test_the_members_plan_opens_an_account_and_nobody_else_can(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    member = tenants.members[0]
    sent = body(member.id, "representative")
    opened = client.post("/member-accounts", json=sent, headers=auth(tenants.plan_admin))
    assert opened.status_code == 201, opened.text
    assert opened.json()["holder"] == "representative"
    assert opened.json()["email"] == sent["email"]
    again = client.post("/member-accounts", json=sent, headers=auth(tenants.plan_admin))
    assert again.status_code == 409
    # Another plan does not see the member; a coordinator may not open accounts.
    elsewhere = client.post(
        "/member-accounts", json=body(member.id), headers=auth(tenants.other_plan_admin)
    )
    assert elsewhere.status_code == 404
    coordinator = client.post(
        "/member-accounts", json=body(member.id), headers=auth(tenants.plan_coordinator)
    )
    assert coordinator.status_code == 403
    control = {**body(member.id), "name": "Ana\u0000"}
    assert (
        client.post("/member-accounts", json=control, headers=auth(tenants.plan_admin)).status_code
        == 422
    )
