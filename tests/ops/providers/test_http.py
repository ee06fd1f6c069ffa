"""The provider API: profile edits checked field by field, an application refused whole with
each unmet requirement named, decisions per plan, the common form as CSV."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from calaim.ops.db import session_factory
from calaim.ops.models import Organization, OrganizationKind, ProviderProfile, Role

from ..factories import organization, user
from ..http.conftest import AuthHeaders, Tenants, app, assert_error, auth, client, signer, tenants

__all__ = ["app", "auth", "client", "signer", "tenants"]  # fixtures used here


def lacare(engine: Engine) -> Organization:
    """The L.A. Care plan of the shared HTTP database (made once)."""
    with session_factory(engine)() as session:
        found = session.scalars(select(Organization).where(Organization.plan_code == "LACARE"))
        plan = found.first() or organization(session, OrganizationKind.PLAN, "LACARE")
        session.commit()
        return plan


def test_profile_application_decision_and_export(
    client: TestClient, auth: AuthHeaders, tenants: Tenants, engine: Engine
) -> None:
    plan = lacare(engine)
    with session_factory(engine)() as session:
        session.add(ProviderProfile(organization_id=tenants.provider.id, capacity=1))
        lacare_admin = user(session, plan, Role.PLAN_ADMIN)
        session.commit()
    staff = auth(tenants.provider_staff)
    bad = client.put("/providers/profile", json={"npi": "12345", "capacity": 3}, headers=staff)
    assert assert_error(bad, 422, "invalid")["field"] == "npi"
    body = {"npi": "1234567893", "languages": ["Spanish", "en"], "capacity": 12,
            "programs_served": ["cs.recuperative_care"], "counties": ["Los Angeles"]}  # fmt: skip
    saved = client.put("/providers/profile", json=body, headers=staff)
    assert saved.status_code == 200, saved.text
    assert (saved.json()["languages"], saved.json()["capacity"]) == (["es", "en"], 12)
    ask = {"plan_codes": ["LACARE", tenants.plan.plan_code], "programs": ["cs.recuperative_care"],
           "counties": ["Los Angeles"], "answers": {"lacare.hipaa_attestation": True}}  # fmt: skip
    refused = client.post("/providers/applications", json=ask, headers=staff)
    error = assert_error(refused, 422, "invalid")
    assert "lacare.general_liability" in str(error["message"])
    insurance = {"kind": "insurance", "credential_type": "general_liability",
                 "label": "General liability", "expires_on": "2027-01-01"}  # fmt: skip
    added = client.post("/providers/profile/credentials", json=insurance, headers=staff)
    assert added.status_code == 201, added.text
    sent = client.post("/providers/applications", json=ask, headers=staff)
    assert sent.status_code == 201, sent.text
    assert len(sent.json()["lines"]) == 2
    path = f"/providers/applications/{sent.json()['id']}"
    mine = client.get(path, headers=auth(lacare_admin)).json()["lines"]
    assert len(mine) == 1
    decision = {"decision": "approved", "version": mine[0]["version"]}
    url = f"/providers/applications/lines/{mine[0]['id']}/decision"
    assert client.post(url, json=decision, headers=staff).status_code == 403
    decided = client.post(url, json=decision, headers=auth(lacare_admin))
    assert decided.status_code == 200, decided.text
    again = client.post(url, json=decision, headers=auth(lacare_admin))
    assert_error(again, 412, "stale_version")
    current = {**decision, "version": decided.json()["lines"][0]["version"]}
    assert_error(client.post(url, json=current, headers=auth(lacare_admin)), 409, "conflict")
    exported = client.get(f"{path}/export", params={"format": "csv"}, headers=staff)
    rows = dict(csv.reader(io.StringIO(exported.text)))
    assert rows["profile.organization.npi"] == "1234567893"
    assert sorted(v for k, v in rows.items() if k.endswith(".decision")) == [
        "approved",
        "pending",
    ]
