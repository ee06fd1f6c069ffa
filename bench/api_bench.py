"""Benchmark: referral intake + authorization decision over HTTP on PostgreSQL.

Not a test. It creates a throwaway PostgreSQL database, seeds a plan with members already
found eligible for ECM, a referring hospital and a utilization-management user, starts
`calaim serve` in a child process, and drives it over loopback from concurrent clients at a
fixed arrival rate (open loop: requests are sent on schedule whether or not earlier ones
have returned, so a slow server shows up as latency instead of a lower request rate).

One operation is two requests:

1. the hospital refers a member to ECM, naming them by CIN and birth date (`POST /referrals`);
2. the plan requests an authorization for that referral (`POST /authorizations`), which the
   engine's eligibility decides at once (automatic approval).

In the same run, alternating phases, a baseline phase sends `GET /health` (one database
round trip, no sign-in) at the same request rate. It reports p50/p99 latency and throughput
per phase and the ratio workload / baseline.

    uv run python bench/api_bench.py --rate 200 --seconds 20 --rounds 2
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from calaim.ops.auth.passwords import hash_password
from calaim.ops.db import make_engine, session_factory
from calaim.ops.migrate import upgrade
from calaim.ops.models import (
    Member,
    MemberDetermination,
    Organization,
    OrganizationKind,
    Role,
    User,
)

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "bench-password-not-secret"
AS_OF = dt.date(2025, 10, 1)
BIRTH_DATE = dt.date(1970, 5, 17)


@dataclass
class Phase:
    """Latencies (seconds) and failures of one phase."""

    name: str
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    started: float = 0.0
    ended: float = 0.0

    def percentile(self, q: float) -> float:
        """The q-th percentile latency in milliseconds."""
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))
        return ordered[index] * 1000

    def throughput(self) -> float:
        """Completed requests per second."""
        return len(self.latencies) / max(self.ended - self.started, 1e-9)


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A migrated PostgreSQL database that is dropped afterwards."""
    name = f"calaim_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seed(url: str, members: int) -> None:
    """A plan, its UM user, a hospital and its referrer, and members eligible for ECM."""
    engine = make_engine(url)
    with session_factory(engine)() as session:
        plan = Organization(name="Bench Plan", kind=OrganizationKind.PLAN, plan_code="LACARE")
        hospital = Organization(name="Bench Hospital", kind=OrganizationKind.REFERRER)
        plan.counties_served = hospital.counties_served = ["Los Angeles"]
        session.add_all([plan, hospital])
        session.flush()
        password_hash = hash_password(PASSWORD)
        session.add_all(
            [
                User(
                    organization_id=plan.id,
                    email="um@bench.test",
                    name="UM",
                    role=Role.PLAN_UTILIZATION_MANAGEMENT,
                    password_hash=password_hash,
                ),
                User(
                    organization_id=hospital.id,
                    email="referrer@bench.test",
                    name="Referrer",
                    role=Role.REFERRER,
                    password_hash=password_hash,
                ),
            ]
        )
        for number in range(members):
            member = Member(
                plan_organization_id=plan.id,
                person_id=f"B{number:08d}",
                cin=cin(number),
                first_name="Bench",
                last_name=f"Member {number}",
                birth_date=BIRTH_DATE,
                payer="LACARE",
                county="Los Angeles",
            )
            session.add(member)
            session.flush()
            session.add(eligible_for_ecm(member))
        session.commit()
    engine.dispose()


def cin(number: int) -> str:
    """The bench member's CIN."""
    return f"9{number:07d}A"


def eligible_for_ecm(member: Member) -> MemberDetermination:
    """An `ecm` determination saying the member is eligible."""
    return MemberDetermination(
        member_id=member.id,
        program_id="ecm",
        as_of=AS_OF,
        eligible=True,
        offered=None,
        status="eligible",
        rule_version="bench",
        policy_hash="bench",
    )


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(url: str) -> Iterator[str]:
    """`calaim serve` on `url` in a child process; yields its base URL."""
    port = free_port()
    executable = shutil.which("calaim", path=str(Path(sys.executable).parent)) or "calaim"
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "CALAIM_SECRET_KEY": secrets.token_urlsafe(48),
    }
    log = Path(tempfile.gettempdir()) / f"calaim-bench-serve-{port}.log"
    print(f"server log: {log}")
    child = subprocess.Popen(
        [executable, "serve", "--port", str(port)],
        env=environment,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, child)
        yield base
    finally:
        child.terminate()
        child.wait(timeout=30)


def wait_until_up(base: str, child: subprocess.Popen[bytes]) -> None:
    """Poll `/health` until the server answers (or fail if it died)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"calaim serve exited with {child.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("calaim serve did not come up within 60 s")


def token(base: str, email: str) -> str:
    """A bearer token for a seeded user."""
    response = httpx.post(f"{base}/auth/token", json={"email": email, "password": PASSWORD})
    response.raise_for_status()
    return str(response.json()["access_token"])


async def timed(phase: Phase, call: Awaitable[httpx.Response], ok: set[int]) -> httpx.Response:
    """Await `call`, recording its latency (or a failure when its status is not in `ok`)."""
    started = time.perf_counter()
    response = await call
    phase.latencies.append(time.perf_counter() - started)
    if response.status_code not in ok:
        phase.failures += 1
    return response


async def open_loop(
    phase: Phase, rate: float, seconds: float, operation: Callable[[int], Awaitable[None]]
) -> None:
    """Start `operation(i)` at `rate` per second for `seconds`, then wait for all of them."""
    tasks: list[asyncio.Task[None]] = []
    phase.started = time.perf_counter()
    for index in range(int(rate * seconds)):
        delay = phase.started + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(operation(index)))
    await asyncio.gather(*tasks)
    phase.ended = time.perf_counter()


async def run_phases(base: str, args: argparse.Namespace) -> list[Phase]:
    """Alternate baseline and workload phases; return them all."""
    referrer = {"Authorization": f"Bearer {token(base, 'referrer@bench.test')}"}
    planner = {"Authorization": f"Bearer {token(base, 'um@bench.test')}"}
    limits = httpx.Limits(max_connections=args.connections)
    phases: list[Phase] = []
    next_member = 0
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def health(phase: Phase) -> None:
            await timed(phase, client.get("/health"), {200})

        async def intake_and_decide(phase: Phase, number: int) -> None:
            referral = await timed(
                phase,
                client.post(
                    "/referrals",
                    headers=referrer,
                    json={
                        "member": {"cin": cin(number), "birth_date": BIRTH_DATE.isoformat()},
                        "program_id": "ecm",
                        "source_kind": "hospital",
                    },
                ),
                {201},
            )
            if referral.status_code != 201:
                return
            body = referral.json()
            await timed(
                phase,
                client.post(
                    "/authorizations",
                    headers=planner,
                    json={
                        "member_id": body["member_id"],
                        "program_id": "ecm",
                        "referral_id": body["id"],
                    },
                ),
                {201},
            )

        # Unmeasured warm-up: connection pools, the first request on each path.
        warm = Phase("warm-up")
        await open_loop(warm, 10, 1, lambda i, p=warm: intake_and_decide(p, i))
        next_member = 10
        for round_number in range(args.rounds):
            baseline = Phase(f"baseline GET /health, round {round_number + 1}")
            await open_loop(baseline, args.rate, args.seconds, lambda _i, p=baseline: health(p))
            workload = Phase(f"intake + authorization, round {round_number + 1}")
            start = next_member

            async def operation(index: int, phase: Phase = workload, first: int = start) -> None:
                await intake_and_decide(phase, first + index)

            # Two requests per operation: half the operation rate gives the request rate.
            await open_loop(workload, args.rate / 2, args.seconds, operation)
            next_member += int(args.rate / 2 * args.seconds)
            phases += [baseline, workload]
    return phases


def report(phases: list[Phase], args: argparse.Namespace) -> None:
    """Print one line per phase and the medians over rounds."""
    print(f"target rate {args.rate:.0f} requests/s for {args.seconds:.0f} s per phase")
    print(f"{'phase':<38} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'fail':>5}")
    for phase in phases:
        print(
            f"{phase.name:<38} {len(phase.latencies):>8} {phase.throughput():>7.1f} "
            f"{phase.percentile(50):>7.1f} {phase.percentile(99):>7.1f} {phase.failures:>5}"
        )
    baselines = [p for p in phases if p.name.startswith("baseline")]
    workloads = [p for p in phases if not p.name.startswith("baseline")]
    for label, q in (("p50", 50.0), ("p99", 99.0)):
        base = statistics.median(p.percentile(q) for p in baselines)
        work = statistics.median(p.percentile(q) for p in workloads)
        print(f"median {label}: workload {work:.1f} ms, baseline {base:.1f} ms, {work / base:.1f}×")


def main() -> None:
    """Parse arguments, seed, serve, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200, help="requests per second")
    parser.add_argument("--seconds", type=float, default=20, help="length of each phase")
    parser.add_argument("--rounds", type=int, default=2, help="baseline/workload pairs")
    parser.add_argument("--connections", type=int, default=64, help="client connection pool")
    args = parser.parse_args()
    members = int(args.rate / 2 * args.seconds * args.rounds) + 20
    with throwaway_database() as url:
        started = time.perf_counter()
        seed(url, members)
        print(f"seeded {members} members in {time.perf_counter() - started:.1f} s")
        with server(url) as base:
            phases = asyncio.run(run_phases(base, args))
    report(phases, args)


if __name__ == "__main__":
    main()
