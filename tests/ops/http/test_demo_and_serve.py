"""The demo seed makes a usable world; `calaim serve` really starts and answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.ops.auth.service import authenticate
from calaim.ops.demo import DEMO_PASSWORD, USERS, seed_demo
from calaim.ops.models import Member, MemberDetermination, Organization, ProviderProfile, Role


@pytest.mark.slow
def test_the_demo_seed(session: Session, tmp_path: Path) -> None:
    world = seed_demo(session, tmp_path, members=300, history_months=0)
    kinds = sorted({org.kind for org in world.organizations.values()})
    assert kinds == [
        "county_dmc",
        "county_jail",
        "county_mhp",
        "cs_provider",
        "ecm_provider",
        "plan",
        "referrer",
        "state",
    ]
    plans = [org.plan_code for org in world.organizations.values() if org.plan_code]
    assert sorted(plans) == ["ANTHEM", "HEALTHNET", "LACARE"]  # two plans in Sacramento too
    # Every staff role has a demo user; members open their own accounts with an emailed code.
    assert {Role(user.role) for user in world.users.values()} == set(Role) - {Role.MEMBER}
    # Every demo user signs in with the printed password.
    email = USERS[0][0]
    assert authenticate(session, email, DEMO_PASSWORD).email == email
    assert world.members > 0
    plan_ids = [org.id for org in world.organizations.values() if org.plan_code]
    imported = select(func.count()).where(
        MemberDetermination.member_id.in_(
            select(Member.id).where(Member.plan_organization_id.in_(plan_ids))
        )
    )
    assert world.determination_rows == session.scalar(imported)
    provider_ids = [world.organizations[key].id for key in ("ecm", "cs")]
    profiles = select(func.count()).where(ProviderProfile.organization_id.in_(provider_ids))
    assert session.scalar(profiles) == 2
    statuses = {referral.status for referral in world.referrals}
    assert statuses == {
        "received",
        "accepted",
        "declined",
        "in_progress",
        "services_received",
        "closed",
    }
    assert session.get(Organization, world.organizations["state"].id) is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_serve_starts_uvicorn(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    command = [sys.executable, "-c", "from calaim.cli import app; app()", "serve"]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        health = _wait_for(f"{base}/health")
        assert health.json() == {"status": "ok", "database": "ok"}
        document = httpx.get(f"{base}/openapi.json").json()
        assert document["info"]["title"] == "calaim care coordination API"
        assert "/referrals" in document["paths"]
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait_for(url: str) -> httpx.Response:
    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
