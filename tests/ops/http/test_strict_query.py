"""Every API operation refuses query parameters it does not declare (422), never ignores them."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from .conftest import AuthHeaders, Tenants, assert_error


def _api_gets(app: FastAPI) -> list[str]:
    # Every documented GET of a domain (sign-in and health are not domain routes).
    return sorted(
        path
        for path, operations in app.openapi()["paths"].items()
        if "get" in operations and not set(operations["get"]["tags"]) & {"auth", "system"}
    )


def test_an_unknown_filter_is_refused_not_ignored(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    headers = auth(tenants.plan_admin)
    assert client.get("/referrals", headers=headers).status_code == 200
    error = assert_error(client.get("/referrals?overdue=true", headers=headers), 422, "invalid")
    assert error["field"] == "overdue"
    assert "unknown query parameter" in str(error["message"])
    assert "status" in str(error["message"]), "the message lists what is accepted"
    # Declared filters and paging still work.
    ok = client.get("/referrals?status=received&limit=5&offset=0", headers=headers)
    assert ok.status_code == 200, ok.text


def test_every_api_read_refuses_an_unknown_parameter(
    app: FastAPI, client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    headers = auth(tenants.plan_admin)
    paths = _api_gets(app)
    assert len(paths) > 20, "every domain's GET routes are strict"
    for path in paths:
        # Path parameters get a well-formed value; the unknown query name is the only fault.
        concrete = re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", path)
        response = client.get(f"{concrete}?no_such_filter=1", headers=headers)
        assert response.status_code == 422, (path, response.status_code, response.text)
        assert response.json()["error"]["field"] == "no_such_filter", path
