"""Benchmark: the DHCS quarterly monitoring report (numbers + XLSX) for one large plan.

Not a test. It builds a migrated SQLite store for one plan with `--members` members, each with
one stored determination per ECM Population of Focus (as `calaim db import` stores identify's
output: every member × program; ~4% eligible for at least one), ECM enrollments (2% of members,
some discontinued in the quarter), Community Supports authorizations (1%) and service episodes
(0.5%), then times, median of `--rounds`:

- **report**: `quarterly()` (cohort, measures, breakdowns, CS, providers, fingerprint, audit)
  plus `quarterly_xlsx()`: what `calaim report quarterly` does;
- **baseline**: one pass that reads the same input columns the report needs (determinations
  of ECM populations, enrollments, members, authorizations, episodes) with plain SQL and counts
  them, in the same process on the same file: the floor for any report over this store.

    uv run python bench/quarterly_bench.py --members 200000 --rounds 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from calaim.ops.db import make_engine, session_factory
from calaim.ops.migrate import upgrade
from calaim.ops.models import (
    Authorization,
    Enrollment,
    Member,
    MemberDetermination,
    Organization,
    ProviderProfile,
    ServiceEpisode,
    User,
)
from calaim.ops.policy import shipped_policy
from calaim.reports.quarterly import quarter, quarterly
from calaim.reports.quarterly_export import quarterly_xlsx

TARGET_SECONDS = 30.0
Q3 = quarter("2025Q3")
CHUNK = 20_000
COUNTIES = ("Los Angeles", "Orange", "Riverside", "San Bernardino", "Kern")
LANGUAGES = ("en", "es", "zh", "vi", "ko", "tl")


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _put(session: Session, model: Any, rows: Iterator[dict[str, Any]]) -> None:
    for batch in _chunks(rows):
        session.execute(insert(model.__table__), batch)


def build(url: str, members: int, seed: int) -> None:
    """Seed the store (see the module docstring)."""
    rng = random.Random(seed)
    with session_factory(make_engine(url))() as session, session.begin():
        plan, ecm, cs = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        for key, kind, code in ((plan, "plan", "BIG"), (ecm, "ecm_provider", None),
                                (cs, "cs_provider", None)):  # fmt: skip
            org = {"id": key, "name": f"{kind} bench", "kind": kind, "plan_code": code,
                   "counties_served": list(COUNTIES)}  # fmt: skip
            session.execute(insert(Organization.__table__), [org])
        for key, programs in ((ecm, ["ecm.homeless_adult"]), (cs, ["cs.recuperative_care"])):
            session.execute(insert(ProviderProfile.__table__), [{"organization_id": key,
                            "programs_served": programs, "contracted_plans": ["BIG"],
                            "capacity": 5000, "languages": ["en"]}])  # fmt: skip
        session.execute(insert(User.__table__), [{"id": uuid.uuid4(), "organization_id": plan,
                        "email": "bench@plan.example", "name": "Bench",
                        "role": "plan_care_coordination"}])  # fmt: skip
        ids = [uuid.uuid4() for _ in range(members)]
        _put(session, Member, (_member(rng, key, n, plan) for n, key in enumerate(ids)))
        pofs = [p for p, v in shipped_policy().programs.items() if v.kind == "ecm_pof"]
        eligible = set(rng.sample(range(members), members // 25))
        _put(session, MemberDetermination, (
            {"id": uuid.uuid4(), "member_id": key, "program_id": pof, "as_of": dt.date(2025, 9, 1),
             "eligible": n in eligible and pof == pofs[n % len(pofs)], "status": "eligible"
             if n in eligible and pof == pofs[n % len(pofs)] else "not_eligible",
             "rule_version": "2025-07-01", "policy_hash": "bench", "part2": pof == "ecm.smh_sud"}
            for n, key in enumerate(ids) for pof in pofs
        ))  # fmt: skip
        chosen = sorted(eligible)[: members // 50]
        _put(session, Enrollment, (_enrollment(rng, ids[n], plan, ecm) for n in chosen))
        _cs(session, rng, [ids[n] for n in rng.sample(range(members), members // 100)], plan, cs)


def _member(rng: random.Random, key: uuid.UUID, n: int, plan: uuid.UUID) -> dict[str, Any]:
    return {"id": key, "plan_organization_id": plan, "person_id": f"P{n:09d}", "cin": None,
            "first_name": "Ana", "last_name": f"Bench{n}", "payer": "BIG",
            "birth_date": dt.date(1940 + rng.randrange(80), 1 + rng.randrange(12), 1),
            "county": rng.choice(COUNTIES), "language": rng.choice(LANGUAGES),
            "sex": rng.choice("FM")}  # fmt: skip


def _enrollment(
    rng: random.Random, member: uuid.UUID, plan: uuid.UUID, ecm: uuid.UUID
) -> dict[str, Any]:
    assigned = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(240))
    enrolled = assigned + dt.timedelta(days=14)
    gone = enrolled + dt.timedelta(days=60) if rng.random() < 0.2 else None
    return {"id": uuid.uuid4(), "member_id": member, "plan_organization_id": plan,
            "provider_organization_id": ecm, "status": "discontinued" if gone else "enrolled",
            "assignment_reason": "matched", "assigned_on": assigned,
            "outreach_started_on": assigned, "enrolled_on": enrolled, "discontinued_on": gone,
            "discontinuation_reason_code": "01" if gone else None, "version": 1}  # fmt: skip


def _cs(session: Session, rng: random.Random, members: list[uuid.UUID], plan: uuid.UUID,
        cs: uuid.UUID) -> None:  # fmt: skip
    auths, episodes = [], []
    for n, member in enumerate(members):
        asked = dt.datetime(2025, 7, 1, tzinfo=dt.UTC) + dt.timedelta(hours=rng.randrange(2000))
        key = uuid.uuid4()
        status = "approved" if n % 5 else "denied"
        auths.append({"id": key, "member_id": member, "program_id": "cs.recuperative_care",
                      "plan_organization_id": plan, "provider_organization_id": cs,
                      "urgency": "routine", "status": status, "requested_at": asked,
                      "decision_due_at": asked + dt.timedelta(days=5),
                      "decided_at": asked + dt.timedelta(days=rng.randrange(1, 8)),
                      "version": 1})  # fmt: skip
        if status == "approved" and n % 2:
            episodes.append({"id": uuid.uuid4(), "member_id": member, "authorization_id": key,
                             "program_id": "cs.recuperative_care", "provider_organization_id": cs,
                             "status": "open", "started_on": asked.date(),
                             "version": 1})  # fmt: skip
    _put(session, Authorization, iter(auths))
    _put(session, ServiceEpisode, iter(episodes))


def report(url: str) -> int:
    """The quarterly report and its workbook; the workbook's size."""
    with session_factory(make_engine(url))() as session, session.begin():
        actor = session.query(User).filter(User.email == "bench@plan.example").one()
        found = quarterly(session, actor, shipped_policy(), Q3, Q3.end)
        return len(quarterly_xlsx(found))


BASELINE = [
    "SELECT count(*), sum(eligible) FROM member_determinations WHERE program_id LIKE 'ecm.%' "
    "AND as_of <= '2025-09-30'",
    "SELECT count(*), count(enrolled_on), count(discontinued_on) FROM enrollments",
    "SELECT count(*), count(DISTINCT county), count(DISTINCT language) FROM members",
    "SELECT count(*), count(decided_at) FROM authorizations",
    "SELECT count(*) FROM service_episodes",
]


def baseline(url: str) -> int:
    """Plain SQL reading the same inputs once (the floor)."""
    with make_engine(url).connect() as connection:
        return sum(int(connection.execute(text(q)).first()[0]) for q in BASELINE)  # type: ignore[index]


def timed(action: Callable[[], Any], rounds: int) -> float:
    """The median seconds of `rounds` runs."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Build, then time the report against the baseline."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="quarterly-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    start = time.perf_counter()
    build(url, args.members, args.seed)
    print(f"built {args.members:,} members in {time.perf_counter() - start:.1f} s ({folder})")
    floor = timed(lambda: baseline(url), args.rounds)
    took = timed(lambda: report(url), args.rounds)
    print(f"baseline (read the inputs once): {floor:.2f} s")
    print(f"quarterly report + XLSX:         {took:.2f} s ({took / floor:.1f}x baseline)")
    per_million = took * 1_000_000 / args.members
    verdict = "meets" if per_million < TARGET_SECONDS else "misses"
    print(
        f"linear projection to 1M members: {per_million:.1f} s "
        f"({verdict} the {TARGET_SECONDS:.0f} s target)"
    )


if __name__ == "__main__":
    main()
