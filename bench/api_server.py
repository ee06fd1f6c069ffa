"""The API benchmark's server side: a throwaway PostgreSQL database, its seed, `calaim serve`.

Used by `api_bench.py` (not a test, not a module of calaim).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

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
STOP_TIMEOUT = 30.0


class BenchSetupError(Exception):
    """The benchmark cannot run here (no PostgreSQL, the server would not start)."""


@contextmanager
def throwaway_database(admin_url: str = ADMIN_URL) -> Iterator[str]:
    """A migrated PostgreSQL database that is dropped afterwards."""
    name = f"calaim_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        raise BenchSetupError(
            f"PostgreSQL is not reachable at {admin_url.split('@')[-1]} "
            f"({str(error.orig).strip().splitlines()[0]}); start it, or pass --admin-url"
        ) from None
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
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
        for organization, email, role in (
            (plan, "um@bench.test", Role.PLAN_UTILIZATION_MANAGEMENT),
            (hospital, "referrer@bench.test", Role.REFERRER),
        ):
            session.add(
                User(
                    organization_id=organization.id,
                    email=email,
                    name=role.value,
                    role=role,
                    password_hash=password_hash,
                )
            )
        for number in range(members):
            member = bench_member(plan, number)
            session.add(member)
            session.flush()
            session.add(eligible_for_ecm(member))
        session.commit()
    engine.dispose()


def bench_member(plan: Organization, number: int) -> Member:
    """The `number`-th bench member of `plan`."""
    return Member(
        plan_organization_id=plan.id,
        person_id=f"B{number:08d}",
        cin=cin(number),
        first_name="Bench",
        last_name=f"Member {number}",
        birth_date=BIRTH_DATE,
        payer="LACARE",
        county="Los Angeles",
    )


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


@dataclass
class Server:
    """A running `calaim serve`: its base URL and process (workers are its children)."""

    base: str
    process: subprocess.Popen[bytes]
    log: Path
    stop_seconds: float | None = None

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and its worker processes so far (Linux /proc)."""
        pids = [self.process.pid, *children(self.process.pid)]
        return sum(process_cpu(pid) for pid in pids)


def children(pid: int) -> list[int]:
    """The process ids whose parent is `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def server(url: str, workers: int, concurrency: int) -> Iterator[Server]:
    """`calaim serve` on `url` in a child process; stopped with SIGTERM afterwards."""
    port = free_port()
    executable = shutil.which("calaim", path=str(Path(sys.executable).parent)) or "calaim"
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "CALAIM_SECRET_KEY": secrets.token_urlsafe(48),
    }
    log = Path(tempfile.gettempdir()) / f"calaim-bench-serve-{port}.log"
    command = [executable, "serve", "--port", str(port), "--workers", str(workers)]
    command += ["--concurrency", str(concurrency)]
    child = subprocess.Popen(
        command, env=environment, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    running = Server(f"http://127.0.0.1:{port}", child, log)
    try:
        wait_until_up(running)
        yield running
    finally:
        running.stop_seconds = stop(child)


def stop(child: subprocess.Popen[bytes]) -> float | None:
    """SIGTERM, then the seconds the server took to exit (None: killed after 30 s)."""
    started = time.perf_counter()
    child.terminate()
    try:
        child.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        return None
    return time.perf_counter() - started


def wait_until_up(running: Server) -> None:
    """Poll `/health` until the server answers (or fail if it died)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise BenchSetupError(
                f"calaim serve exited with {running.process.returncode}; see {running.log}"
            )
        try:
            if httpx.get(f"{running.base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise BenchSetupError(f"calaim serve did not come up within 60 s; see {running.log}")


def token(base: str, email: str) -> str:
    """A bearer token for a seeded user."""
    response = httpx.post(f"{base}/auth/token", json={"email": email, "password": PASSWORD})
    response.raise_for_status()
    return str(response.json()["access_token"])
