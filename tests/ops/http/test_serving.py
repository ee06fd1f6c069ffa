"""Serving under load: admission control, worker settings, several workers, prompt stop."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from calaim.ops.auth.tokens import SECRET_KEY_VARIABLE
from calaim.ops.http.admission import AdmissionMiddleware
from calaim.ops.http.nodelay import no_delay
from calaim.ops.server.workers import (
    CLOCK_OFFSET_VARIABLE,
    CONCURRENCY_VARIABLE,
    app_from_environment,
    clock_from_environment,
    pool_options,
    start_clock_at,
)


class SlowApp:
    """An ASGI app that takes a while and counts how many requests run at once."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.running += 1
        self.most = max(self.most, self.running)
        await asyncio.sleep(0.01)
        self.running -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def _burst(limit: int, requests: int) -> tuple[SlowApp, list[int]]:
    inner = SlowApp()
    transport = httpx.ASGITransport(app=AdmissionMiddleware(inner, limit=limit))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        responses = await asyncio.gather(*(client.get("/") for _ in range(requests)))
    return inner, [response.status_code for response in responses]


def test_admission_runs_at_most_the_limit_and_queues_the_rest() -> None:
    inner, statuses = asyncio.run(_burst(limit=3, requests=20))
    assert statuses == [200] * 20
    assert inner.most == 3


def test_admission_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        AdmissionMiddleware(SlowApp(), limit=0)


def test_pool_matches_the_admission_limit_on_postgresql_only() -> None:
    options = pool_options("postgresql+psycopg://u@h/db", 8)
    assert options["pool_size"] + options["max_overflow"] > 8
    assert pool_options("sqlite:///x.db", 8) == {}


def test_worker_app_needs_the_shared_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECRET_KEY_VARIABLE, raising=False)
    with pytest.raises(RuntimeError, match=SECRET_KEY_VARIABLE):
        app_from_environment()


def test_worker_app_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(SECRET_KEY_VARIABLE, "a-secret-for-this-test-only")
    monkeypatch.setenv(CONCURRENCY_VARIABLE, "3")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    app = app_from_environment()
    assert app.state.engine.url.database.endswith("w.db")


def test_the_demo_clock_starts_at_its_date_and_runs_on(monkeypatch: pytest.MonkeyPatch) -> None:
    demo_now = dt.datetime(2025, 10, 1, 16, 0, tzinfo=dt.UTC)
    real = [dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)]
    # setenv first so the monkeypatch removes what start_clock_at writes (a leaked offset
    # would put every app this worker serves later on the demo's date).
    monkeypatch.setenv(CLOCK_OFFSET_VARIABLE, "")
    start_clock_at(demo_now, real=lambda: real[0])
    clock = clock_from_environment(real=lambda: real[0])
    assert clock() == demo_now
    real[0] += dt.timedelta(minutes=90)
    assert clock() == demo_now + dt.timedelta(minutes=90)


def test_without_an_offset_the_clock_is_the_real_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CLOCK_OFFSET_VARIABLE, raising=False)
    before = dt.datetime.now(dt.UTC)
    assert before <= clock_from_environment()() <= dt.datetime.now(dt.UTC)


def test_a_malformed_offset_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CLOCK_OFFSET_VARIABLE, "yesterday")
    with pytest.raises(RuntimeError, match=CLOCK_OFFSET_VARIABLE):
        clock_from_environment()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_two_workers_answer_and_stop_promptly_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    env.pop(SECRET_KEY_VARIABLE, None)
    command = [sys.executable, "-c", "from calaim.cli import app; app()", "serve"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _healthy(f"http://127.0.0.1:{port}/health")
    finally:
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert time.monotonic() - started < 15


def _healthy(url: str) -> bool:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            time.sleep(0.3)
    return False


def test_no_delay_turns_nagle_off_on_tcp_connections() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname())
        accepted, _ = listener.accept()
        with client, accepted:

            class Transport(asyncio.BaseTransport):
                def get_extra_info(self, name: str, default: object = None) -> object:
                    return accepted if name == "socket" else default

            no_delay(Transport())
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
