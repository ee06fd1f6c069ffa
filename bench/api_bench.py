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

It also reports the server's CPU time per request (its worker processes included, from
/proc) and the bench client's own CPU share: client, server and PostgreSQL share the machine.

    uv run python bench/api_bench.py --rate 200 --seconds 20 --rounds 2 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from api_server import BIRTH_DATE, BenchSetupError, Server, cin, seed, server, throwaway_database
from api_server import token as sign_in

TARGET_P99_MS = 50.0


@dataclass
class Phase:
    """Latencies (seconds), failures and CPU use of one phase."""

    name: str
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    started: float = 0.0
    ended: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0

    def percentile(self, q: float) -> float:
        """The q-th percentile latency in milliseconds."""
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))
        return ordered[index] * 1000

    def throughput(self) -> float:
        """Successful requests per second."""
        return (len(self.latencies) - self.failures) / max(self.ended - self.started, 1e-9)

    def cpu_per_request(self) -> float:
        """Server CPU milliseconds per request."""
        return self.server_cpu * 1000 / max(len(self.latencies), 1)


async def timed(
    phase: Phase, call: Awaitable[httpx.Response], ok: set[int]
) -> httpx.Response | None:
    """Await `call`, recording its latency; a failure when its status is not in `ok` or it
    raised (a timeout counts with the time it took)."""
    started = time.perf_counter()
    try:
        response = await call
    except httpx.HTTPError:
        phase.latencies.append(time.perf_counter() - started)
        phase.failures += 1
        return None
    phase.latencies.append(time.perf_counter() - started)
    if response.status_code not in ok:
        phase.failures += 1
    return response


async def open_loop(
    phase: Phase,
    rate: float,
    seconds: float,
    operation: Callable[[int], Awaitable[None]],
    running: Server,
) -> None:
    """Start `operation(i)` at `rate` per second for `seconds`, then wait for all of them."""
    tasks: list[asyncio.Task[None]] = []
    cpu, own = running.cpu_seconds(), time.process_time()
    phase.started = time.perf_counter()
    for index in range(int(rate * seconds)):
        delay = phase.started + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(operation(index)))
    await asyncio.gather(*tasks)
    phase.ended = time.perf_counter()
    phase.server_cpu = running.cpu_seconds() - cpu
    phase.client_cpu = time.process_time() - own


def referral_body(number: int) -> dict[str, object]:
    """A hospital's ECM referral of bench member `number`, named by CIN and birth date."""
    return {
        "member": {"cin": cin(number), "birth_date": BIRTH_DATE.isoformat()},
        "program_id": "ecm",
        "source_kind": "hospital",
    }


class Load:
    """The two request kinds over one client: `/health`, and intake + authorization."""

    def __init__(self, client: httpx.AsyncClient, base: str) -> None:
        self.client = client
        self.referrer = {"Authorization": f"Bearer {sign_in(base, 'referrer@bench.test')}"}
        self.planner = {"Authorization": f"Bearer {sign_in(base, 'um@bench.test')}"}

    async def health(self, phase: Phase) -> None:
        """One `GET /health`."""
        await timed(phase, self.client.get("/health"), {200})

    async def intake_and_decide(self, phase: Phase, number: int) -> None:
        """Refer member `number`, then request (and get) the authorization."""
        post = self.client.post("/referrals", headers=self.referrer, json=referral_body(number))
        referral = await timed(phase, post, {201})
        if referral is None or referral.status_code != 201:
            return
        body = referral.json()
        request = {"member_id": body["member_id"], "program_id": "ecm", "referral_id": body["id"]}
        post = self.client.post("/authorizations", headers=self.planner, json=request)
        await timed(phase, post, {201})


async def run_phases(running: Server, args: argparse.Namespace) -> list[Phase]:
    """Alternate baseline and workload phases; return them all."""
    limits = httpx.Limits(max_connections=args.connections)
    phases: list[Phase] = []
    async with httpx.AsyncClient(base_url=running.base, limits=limits, timeout=30) as client:
        load = Load(client, running.base)
        # Unmeasured warm-up: connection pools, the first request on each path, each worker.
        warm = Phase("warm-up")
        await open_loop(warm, 20, 2, lambda i: load.intake_and_decide(warm, i), running)
        next_member = 40
        for round_number in range(1, args.rounds + 1):
            baseline = Phase(f"baseline GET /health, round {round_number}")
            await open_loop(
                baseline, args.rate, args.seconds, lambda _i, p=baseline: load.health(p), running
            )
            workload = Phase(f"intake + authorization, round {round_number}")
            first = next_member

            async def operation(index: int, phase: Phase = workload, start: int = first) -> None:
                await load.intake_and_decide(phase, start + index)

            # Two requests per operation: half the operation rate gives the request rate.
            await open_loop(workload, args.rate / 2, args.seconds, operation, running)
            next_member += int(args.rate / 2 * args.seconds)
            phases += [baseline, workload]
    return phases


def report(phases: list[Phase], args: argparse.Namespace, running: Server) -> None:
    """Print one line per phase and the medians over rounds."""
    print(
        f"target rate {args.rate:.0f} requests/s for {args.seconds:.0f} s per phase; "
        f"{args.workers} worker(s), {args.concurrency} concurrent requests per worker"
    )
    header = f"{'phase':<38} {'requests':>8} {'ok/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'fail':>5}"
    print(f"{header} {'srv CPU ms/req':>14} {'client CPU':>10}")
    for phase in phases:
        print(
            f"{phase.name:<38} {len(phase.latencies):>8} {phase.throughput():>7.1f} "
            f"{phase.percentile(50):>7.1f} {phase.percentile(99):>7.1f} {phase.failures:>5} "
            f"{phase.cpu_per_request():>14.2f} "
            f"{phase.client_cpu / (phase.ended - phase.started):>10.0%}"
        )
    baselines = [p for p in phases if p.name.startswith("baseline")]
    workloads = [p for p in phases if not p.name.startswith("baseline")]
    for label, q in (("p50", 50.0), ("p99", 99.0)):
        base = statistics.median(p.percentile(q) for p in baselines)
        work = statistics.median(p.percentile(q) for p in workloads)
        print(f"median {label}: workload {work:.1f} ms, baseline {base:.1f} ms, {work / base:.1f}×")
    p99 = statistics.median(p.percentile(99) for p in workloads)
    throughput = statistics.median(p.throughput() for p in workloads)
    failures = sum(p.failures for p in workloads)
    met = p99 < TARGET_P99_MS and failures == 0 and throughput >= 0.95 * args.rate
    print(
        f"target p99 < {TARGET_P99_MS:.0f} ms at {args.rate:.0f} requests/s: "
        f"{'met' if met else 'NOT met'} (p99 {p99:.1f} ms, {throughput:.1f} ok/s, "
        f"{failures} failures)"
    )
    stopped = running.stop_seconds
    print(f"server stopped {'only when killed' if stopped is None else f'in {stopped:.1f} s'}")


def main() -> None:
    """Parse arguments, seed, serve, load, report."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rate", type=float, default=200, help="requests per second")
    parser.add_argument("--seconds", type=float, default=20, help="length of each phase")
    parser.add_argument("--rounds", type=int, default=2, help="baseline/workload pairs")
    parser.add_argument("--connections", type=int, default=64, help="client connection pool")
    parser.add_argument("--workers", type=int, default=1, help="calaim serve --workers")
    parser.add_argument("--concurrency", type=int, default=8, help="calaim serve --concurrency")
    args = parser.parse_args()
    members = int(args.rate / 2 * args.seconds * args.rounds) + 60
    try:
        with throwaway_database() as url:
            started = time.perf_counter()
            seed(url, members)
            print(f"seeded {members} members in {time.perf_counter() - started:.1f} s")
            with server(url, args.workers, args.concurrency) as running:
                print(f"server log: {running.log}")
                phases = asyncio.run(run_phases(running, args))
    except BenchSetupError as error:
        sys.exit(f"api_bench: {error}")
    report(phases, args, running)


if __name__ == "__main__":
    main()
