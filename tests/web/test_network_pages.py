"""The applications and payment models pages on the demo: who may open them, a plan sees its
own lines only, a denial without a reason is refused (nothing saved), bad numbers are named."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from .helpers import csrf_of, signed_in_client

LEAD, LACARE, HEALTHNET = "lead@network.demo", "admin@lacare.demo", "admin@healthnet.demo"


def test_applications_by_role(client: TestClient) -> None:
    lead = signed_in_client(client, LEAD).get("/app/applications")
    assert lead.status_code == 200
    assert "Los Angeles Community Care Network" in lead.text
    assert lead.text.count("Waiting for the plan") == 2  # one line at each plan
    plan = signed_in_client(client, LACARE).get("/app/applications")
    assert plan.text.count('name="decision" value="approved"') == 1  # its own line only
    assert "Health Net" not in plan.text.split("Applications to your plan")[1]
    line = re.search(r'action="/app/applications/lines/([0-9a-f-]+)"', plan.text)
    assert line is not None
    denied = client.post(
        f"/app/applications/lines/{line.group(1)}",
        data={"csrf_token": csrf_of(plan.text), "decision": "denied", "version": "1", "reason": ""},
    )
    assert denied.status_code == 422
    assert "Say why the line is denied" in denied.text
    assert client.get("/app/applications").text.count('value="approved"') == 1
    assert (
        signed_in_client(client, "referrer@hospital.demo").get("/app/applications").status_code
        == 403
    )


def test_payment_models_page(client: TestClient) -> None:
    page = signed_in_client(client, LEAD).get("/app/payments", params={"months": "6"})
    assert page.status_code == 200
    assert 'role="img"' in page.text
    assert page.text.count("<polyline") == 6
    assert "Break-even caseload" in page.text
    bad = client.get("/app/payments", params={"churn": "lots"})
    assert bad.status_code == 422
    assert 'id="churn" name="churn" value="lots" aria-invalid="true"' in bad.text
    assert (
        signed_in_client(client, "referrer@hospital.demo").get("/app/payments").status_code == 403
    )
