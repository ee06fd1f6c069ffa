"""API responses are never cached (they carry member data); `/docs` has a strict CSP."""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi.testclient import TestClient

from .conftest import AuthHeaders, Tenants


def test_member_data_is_marked_no_store(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    member = tenants.members[0]
    for path in ("/members", f"/members/{member.id}", "/referrals", "/openapi.json"):
        response = client.get(path, headers=auth(tenants.plan_admin))
        assert response.status_code == 200, (path, response.text)
        assert response.headers["cache-control"] == "no-store", path
        assert response.headers["x-content-type-options"] == "nosniff"


def test_errors_are_marked_no_store_too(client: TestClient) -> None:
    response = client.get("/members")
    assert response.status_code == 401
    assert response.headers["cache-control"] == "no-store"


def test_docs_have_a_csp_allowing_exactly_swagger_ui(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in policy
    assert directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    # The page's one inline script is allowed by its hash, and nothing else inline.
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in directives["script-src"]
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    for source in sources:
        assert source in policy or source.startswith("data:"), source


def test_the_workspace_keeps_its_own_headers(client: TestClient) -> None:
    response = client.get("/app/sign-in")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert client.get("/redoc").status_code == 404  # not served: it would need more sources
