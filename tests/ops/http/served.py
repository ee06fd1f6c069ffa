"""A served app for race tests: `calaim serve` with 2 workers on a throwaway PostgreSQL database.

Requests travel over real sockets to separate worker processes, so simultaneous requests really
run at once (each with its own connection and transaction), as they do in production.
`fire` starts them together behind a barrier.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from calaim.ops.auth.passwords import hash_password
from calaim.ops.auth.tokens import SECRET_KEY_VARIABLE
from calaim.ops.models import User
from calaim.ops.server.workers import CLOCK_OFFSET_VARIABLE

PASSWORD = "race-test-password-long-enough"
_HASH = hash_password(PASSWORD)
# Long and random-looking: a served app may refuse short signing keys.
SECRET = "race-tests-signing-key-0f3c9a7e51b24d8c9e6a1f0b7d2c4e8a"


def with_password(person: User) -> User:
    """Give a test user the shared password, so it can sign in to the served app."""
    person.password_hash = _HASH
    return person


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    """The base URL of a running server, and the file its log goes to."""

    url: str
    log: Path

    def token(self, person: User) -> dict[str, str]:
        """Bearer headers for `person`, signed in through `POST /auth/token`."""
        body = {"email": person.email, "password": PASSWORD}
        response = httpx.post(f"{self.url}/auth/token", json=body, timeout=30)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


@contextmanager
def served(database_url: str, log: Path, workers: int = 2) -> Iterator[Server]:
    """`calaim serve` on `database_url` until the block ends (stopped with SIGTERM).

    The server's log goes to the file `log` (a pipe nobody reads would fill up and stall it).
    """
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, SECRET_KEY_VARIABLE: SECRET}
    env.pop(CLOCK_OFFSET_VARIABLE, None)  # the real clock, whatever an earlier test left set
    command = [sys.executable, "-c", "from calaim.cli import app; app()", "serve"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield Server(url, log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"calaim serve stopped at start-up:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("calaim serve did not become healthy within 300 s")


Call = Callable[[httpx.Client], httpx.Response]


def fire(server: Server, calls: list[Call]) -> list[httpx.Response]:
    """Run `calls` at once, one thread and connection each, released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Call) -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            client.get("/health")  # connect first, so the barrier releases ready requests
            barrier.wait()
            try:
                results[index] = call(client)
            except Exception as error:  # kept, and reported by the caller's assertion
                results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    failures = [r for r in results if not isinstance(r, httpx.Response)]
    assert not failures, failures
    return results


def statuses(responses: list[httpx.Response]) -> list[int]:
    """The status codes, sorted (the order requests finish in is not meaningful)."""
    return sorted(response.status_code for response in responses)


def plain_losers(server: Server, responses: list[httpx.Response], winner: int) -> None:
    """Every response but the winners is a 409 or 412 in the error shape, in plain words,
    and the server logged no unexpected error."""
    log = server.log.read_text(errors="replace")
    assert "unexpected error" not in log, log[-4000:]
    for response in responses:
        if response.status_code == winner:
            continue
        assert response.status_code in (409, 412), response.text
        message = response.json()["error"]["message"]
        assert message
        assert "Traceback" not in message
        assert "UniqueViolation" not in message
