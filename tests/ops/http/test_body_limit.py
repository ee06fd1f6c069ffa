"""Request bodies are capped: too large is 413 at once, never read in full (a 200 MB sign-in)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from calaim.ops.http.body_limit import MIB, BodyLimitMiddleware, BodyLimits

from .conftest import assert_error

CHUNK = b"x" * MIB


def _send_streamed(app: FastAPI, path: str, megabytes: int) -> tuple[httpx.Response, int]:
    """POST `megabytes` of body in 1 MB chunks (no Content-Length); how many chunks were read."""
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(megabytes):
            sent += 1
            yield CHUNK

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post(
                path, content=body(), headers={"Content-Type": "application/json"}
            )

    return _run(post()), sent


def test_a_200_mb_sign_in_is_refused_after_reading_about_a_megabyte(app: FastAPI) -> None:
    response, chunks_read = _send_streamed(app, "/auth/token", megabytes=200)
    error = assert_error(response, 413, "payload_too_large")
    assert "1 MB" in str(error["message"])
    assert chunks_read <= 3  # the limit plus what was in flight; never the 200


def test_a_declared_oversized_body_is_refused_without_reading_it() -> None:
    read: list[str] = []

    async def never(scope: object, receive: object, send: object) -> None:
        raise AssertionError("the app must not run")

    async def receive() -> dict[str, object]:
        read.append("body")
        return {"type": "http.request", "body": b"", "more_body": False}

    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    middleware = BodyLimitMiddleware(never, BodyLimits())  # type: ignore[arg-type]
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/auth/token",
        "headers": [(b"content-length", str(200 * MIB).encode())],
    }
    _run(middleware(scope, receive, send))  # type: ignore[arg-type]
    assert sent[0]["status"] == 413
    assert read == []


def test_uploads_get_the_larger_limit(client: TestClient) -> None:
    limits = BodyLimits()
    assert limits.for_path("/exchange/files/import") == limits.upload > limits.default
    assert limits.for_path("/fhir/Bundle") == limits.upload
    assert limits.for_path("/auth/token") == limits.default
    assert limits.for_path("/exchange/files/import/x") == limits.default
    # Attachments (at most 10 MB each, checked by their endpoints) once met the 1 MB limit.
    assert limits.for_path("/attachments/referrals/5f0c0b4e") == limits.upload
    assert limits.for_path("/app/referrals/5f0c0b4e/attachments") == limits.upload
    assert limits.for_path("/app/profile/documents") == limits.upload
    assert limits.for_path("/app/referrals/5f0c0b4e/notes") == limits.default
    assert limits.for_path("/attachments/referrals/5f0c0b4e/x") == limits.default
    # A JSON body just over the default limit, to an ordinary endpoint: 413 with the shape.
    response = client.post(
        "/auth/token",
        content=b"{" + b" " * limits.default + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert_error(response, 413, "payload_too_large")


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALAIM_MAX_BODY_BYTES", "2048")
    monkeypatch.setenv("CALAIM_MAX_UPLOAD_BYTES", str(5 * MIB))
    assert BodyLimits.from_environment() == BodyLimits(default=2048, upload=5 * MIB)
    monkeypatch.setenv("CALAIM_MAX_BODY_BYTES", "lots")
    with pytest.raises(RuntimeError, match="CALAIM_MAX_BODY_BYTES"):
        BodyLimits.from_environment()


def _run(coroutine: Any) -> Any:
    """Run `coroutine` on a fresh event loop in its own thread (a browser test earlier in the
    same worker can leave a loop running in this one, where `asyncio.run` refuses)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
