"""Garbage credentials (any bearer token, API key or session cookie) get a clean 401, never a 500.

A bearer token whose last segment has a length of 1 mod 4 used to escape the token reader as
`itsdangerous.BadData` and answer 500 with a traceback on every signed-in operation.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from calaim.app import build_app
from calaim.ops.auth.tokens import TokenSigner

from .conftest import NOW, UNTHROTTLED, assert_error, client_address

SIGNED_IN_PATHS = ["/members", "/referrals", "/auth/me", "/authorizations"]
# Header values: any bytes but line breaks (which no HTTP client can send in a header).
HEADER_BYTES = st.binary(max_size=300).filter(lambda raw: b"\r" not in raw and b"\n" not in raw)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def unthrottled(engine: Engine) -> Iterator[TestClient]:
    """A client of an app whose sign-in never throttles, so every garbage key gets its 401."""
    signer = TokenSigner("test-secret-not-for-production-0123456789")
    app: FastAPI = build_app(engine, clock=lambda: NOW, signer=signer, sign_in_limits=UNTHROTTLED)
    with TestClient(app, raise_server_exceptions=False, client=client_address()) as client:
        yield client


@pytest.mark.parametrize("path", SIGNED_IN_PATHS)
@pytest.mark.parametrize("token", ["a.b.c", "a.b.cdefg", "x", "..", "a.b.c=="])
def test_a_garbage_bearer_token_is_401(client: TestClient, path: str, token: str) -> None:
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert_error(response, 401, "unauthenticated")


@PROPERTY
@given(raw=HEADER_BYTES)
def test_any_bearer_bytes_get_a_clean_401(unthrottled: TestClient, raw: bytes) -> None:
    response = unthrottled.get("/members", headers={b"Authorization": b"Bearer " + raw})
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "unauthenticated"


# Each unknown key costs one argon2 verification (so it looks like a wrong one): few examples.
API_KEYS = HEADER_BYTES.filter(bool) | st.text(max_size=120).map(
    lambda text: f"calaim_{text}".encode()
).filter(lambda raw: b"\r" not in raw and b"\n" not in raw)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=API_KEYS)
def test_any_api_key_bytes_get_a_clean_401(unthrottled: TestClient, raw: bytes) -> None:
    response = unthrottled.get("/members", headers={b"X-API-Key": raw})
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "unauthenticated"
