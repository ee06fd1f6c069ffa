"""Throttling holds across the workers of a real server: `calaim serve --workers 2` on PostgreSQL,
hit by parallel clients; every failure is counted once, whichever worker answered it."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import create_engine, select

from calaim.ops.auth.tokens import SECRET_KEY_VARIABLE
from calaim.ops.models import SignInCounter

from ..conftest import _throwaway_postgres


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(base: str) -> None:
    deadline = time.monotonic() + 300  # two workers start slowly on a busy machine
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("the server did not start")


@pytest.mark.postgres
@pytest.mark.slow
def test_two_workers_share_one_count_of_failures() -> None:
    databases = _throwaway_postgres()
    url = next(databases)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, SECRET_KEY_VARIABLE: secrets.token_urlsafe(48)}
    command = [sys.executable, "-c", "from calaim.cli import app; app()", "serve"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    email = f"served-{uuid.uuid4().hex[:8]}@example.org"
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base)

        def guess(_: int) -> int:
            body = {"email": email, "password": "a wrong guess"}
            return httpx.post(f"{base}/auth/token", json=body, timeout=120).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(guess, range(16)))
        # Then one at a time until refused (the lockout comes at the 10th failure at most).
        for attempt in range(11):
            statuses.append(guess(attempt))
            if statuses[-1] == 429:
                break
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            failures = connection.scalar(
                select(SignInCounter.failures).where(
                    SignInCounter.scope == "account", SignInCounter.key == email
                )
            )
    finally:
        engine.dispose()
        next(databases, None)
    assert set(statuses) <= {401, 429}, statuses
    assert failures == statuses.count(401)  # none lost, none counted twice
    assert statuses[-1] == 429
