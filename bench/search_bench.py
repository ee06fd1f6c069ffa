"""Benchmark: the search box over 100k members (SQLite FTS5 and PostgreSQL pg_trgm).

Not a test. It migrates a throwaway database (a SQLite file, or a fresh PostgreSQL database),
bulk-inserts `--members` members of one plan (names drawn from common California first and
last names, so many share a name and typos have close neighbours), and a second plan's members
to be scoped out. It then times `SearchService.search` as the first plan's care coordinator,
exactly as `/app/search` and `GET /search` call it (scope, ranking and audit rows included),
for each kind of query: a misspelled full name, a last name alone, a CIN, a birth date, a
phone, and a referral number. Reported: median and p95 over `--repeat` runs per query, and
each median's ratio to a baseline timed in the same run (a bare `SELECT` of one member by the
indexed CIN, no scope or audit), so a loaded machine's numbers can be compared; and the
database's plan for the name look-up, showing the index it uses (FTS5 or pg_trgm's GIN).

    uv run python bench/search_bench.py --members 100000 --backend sqlite
    uv run python bench/search_bench.py --members 100000 --backend postgresql

`--keep FILE` keeps the seeded database (SQLite: the file FILE; PostgreSQL: a database named
as FILE's last part) and reuses it when it exists, so a change to the search code can be
timed again without seeding 200,000 rows once more.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.orm import Session

from calaim.ops.db import make_engine
from calaim.ops.migrate import upgrade
from calaim.ops.models import Member, Organization, Role, User
from calaim.ops.search.repository import fts_match
from calaim.ops.search.service import SearchService

TARGET_MS = 300.0
FIRST = [
    "Maria",
    "Jose",
    "Juan",
    "Ana",
    "Luis",
    "Carmen",
    "David",
    "Michael",
    "Jennifer",
    "Linda",
    "Wei",
    "Min",
    "Thanh",
    "Nguyen",
    "Aram",
    "Olga",
    "Fatima",
    "Omar",
    "Rosa",
    "Jesus",
    "Guadalupe",
    "Sofia",
    "Daniel",
    "Angela",
    "Kevin",
    "Grace",
    "Hye",
    "Lucia",
]
LAST = ["Garcia", "Hernandez", "Lopez", "Martinez", "Gonzalez", "Rodriguez", "Perez", "Smith",
        "Johnson", "Williams", "Nguyen", "Tran", "Kim", "Lee", "Chen", "Wang", "Petrosyan",
        "Sargsyan", "Ivanova", "Hosseini", "Delgado", "Ramirez", "Flores", "Torres", "Rivera",
        "Gomez", "Diaz", "Reyes", "Morales", "Ortiz", "Castillo", "Jimenez", "Vasquez"]  # fmt: skip
POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _rows(plan: uuid.UUID, count: int, seed: int, tag: str) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        rows.append(
            {
                "id": uuid.uuid4(),
                "plan_organization_id": plan,
                "person_id": f"{tag}{n:07d}",
                "cin": f"9{(n * 73939133 + seed) % 10**8:08d}{'ABCDEFGH'[n % 8]}",
                "first_name": rng.choice(FIRST),
                "last_name": rng.choice(LAST) + ("" if n % 5 else rng.choice(["", "-Cruz"])),
                "birth_date": dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(25_000)),
                "payer": tag,
                "county": "Los Angeles",
                "phone": f"213-{200 + n % 800:03d}-{n % 10_000:04d}",
            }
        )
    return rows


def seed(url: str, members: int) -> tuple[uuid.UUID, Member]:
    """Two plans of `members` each; the first plan's care coordinator's id and one member."""
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        plans = []
        for code in ("BENCHA", "BENCHB"):
            plan = Organization(name=code, kind="plan", plan_code=code, counties_served=["LA"])
            session.add(plan)
            plans.append(plan)
        session.flush()
        coordinator = User(organization_id=plans[0].id, email="cc@bench.example", name="CC",
                           role=Role.PLAN_CARE_COORDINATION.value)  # fmt: skip
        session.add(coordinator)
        session.commit()
        for index, plan in enumerate(plans):
            rows = _rows(plan.id, members, index + 1, plan.plan_code or "")
            for start in range(0, len(rows), 10_000):
                session.execute(insert(Member), rows[start : start + 10_000])
            session.commit()
        if engine.dialect.name == "postgresql":
            session.execute(text("ANALYZE members"))
            session.commit()
    return coordinator.id, _one_member(engine, plans[0].id)


def _one_member(engine: object, plan: uuid.UUID) -> Member:
    with Session(engine) as session:  # type: ignore[arg-type]
        found = session.query(Member).filter(Member.plan_organization_id == plan).offset(777)
        member = found.first()
        assert member is not None
        session.expunge(member)
        return member


def queries(member: Member) -> dict[str, str]:
    """One query of each kind, aimed at a real member of the first plan."""
    last = member.last_name
    typo = last[:2] + last[3] + last[2] + last[4:] if len(last) > 4 else last + "e"
    return {
        "misspelled full name": f"{member.first_name} {typo}",
        "last name alone": last,
        "CIN": member.cin or "",
        "birth date": member.birth_date.strftime("%m/%d/%Y"),
        "phone": f"({member.phone[:3]}) {member.phone[4:]}" if member.phone else "",
        "referral number": "R-1A2B3C4D",
    }


def baseline(engine: object, member: Member, repeat: int) -> float:
    """The median time (ms) of a bare indexed look-up of one member by CIN."""
    times = []
    for _ in range(repeat):
        with Session(engine) as session:  # type: ignore[arg-type]
            began = time.perf_counter()
            session.execute(text("SELECT id FROM members WHERE cin = :c"), {"c": member.cin}).all()
            times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def name_plan(engine: object, name: str) -> list[str]:
    """The database's plan for the name index look-up (which index it uses)."""
    with Session(engine) as session:  # type: ignore[arg-type]
        if session.get_bind().dialect.name == "sqlite":
            match = fts_match(name.lower())
            rows = session.execute(
                text("EXPLAIN QUERY PLAN SELECT rowid FROM member_names WHERE member_names "
                     "MATCH :m ORDER BY rank LIMIT 200"), {"m": match},
            ).all()  # fmt: skip
            return [str(row[-1]) for row in rows]
        rows = session.execute(
            text("EXPLAIN SELECT id FROM members WHERE :n <% lower(first_name || ' ' || "
                 "last_name)"), {"n": name.lower()},
        ).all()  # fmt: skip
        return [str(row[0]) for row in rows]


def reuse(url: str) -> tuple[uuid.UUID, Member]:
    """The coordinator's id and the timed member of a database seeded by an earlier run."""
    engine = make_engine(url)
    with Session(engine) as session:
        coordinator = session.query(User).filter(User.email == "cc@bench.example").one()
        plan, actor_id = coordinator.organization_id, coordinator.id
    return actor_id, _one_member(engine, plan)


def run(url: str, members: int, repeat: int, seeded: bool = False) -> bool:
    """Seed (unless `seeded`), then time each query; whether every median is under the target."""
    started = time.perf_counter()
    if seeded:
        actor_id, member = reuse(url)
    else:
        actor_id, member = seed(url, members)
        print(f"seeded {2 * members:,} members in {time.perf_counter() - started:.1f} s")
    engine = make_engine(url)
    base = baseline(engine, member, repeat)
    print(f"baseline (bare SELECT by CIN) {base:7.2f} ms median")
    for line in name_plan(engine, queries(member)["misspelled full name"]):
        print("  plan:", line)
    ok = True
    for kind, typed in queries(member).items():
        times, found = [], 0
        for _ in range(repeat):
            with Session(engine) as session:
                who = session.get(User, actor_id)
                assert who is not None
                began = time.perf_counter()
                results = SearchService(session, who).search(typed)
                times.append((time.perf_counter() - began) * 1000)
                found = results.count
                session.rollback()
        median = statistics.median(times)
        p95 = sorted(times)[max(int(len(times) * 0.95) - 1, 0)]
        ok &= median < TARGET_MS
        print(f"{kind:22s} {median:7.1f} ms median  {p95:7.1f} ms p95  {found:3d} found  "
              f"x{median / base:,.0f} baseline")  # fmt: skip
    engine.dispose()
    return ok


def on_postgres(members: int, repeat: int, keep: Path | None) -> bool:
    """Run in a fresh database (dropped after), or in database `keep` (reused when present)."""
    name = keep.name if keep else f"calaim_search_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        found = text("SELECT 1 FROM pg_database WHERE datname = :n")
        seeded = connection.execute(found, {"n": name}).first() is not None
        if not seeded:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        upgrade(url)
        return run(url, members, repeat, seeded)
    finally:
        if keep is None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    """Parse options and run on the chosen backend."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--keep", type=Path, help="keep (or reuse) the database: a SQLite file, a PostgreSQL name"
    )
    options = parser.parse_args()
    if options.backend == "sqlite" and options.keep is not None:
        url = f"sqlite:///{options.keep}"
        seeded = options.keep.exists()
        upgrade(url)
        ok = run(url, options.members, options.repeat, seeded)
    elif options.backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            upgrade(url)
            ok = run(url, options.members, options.repeat)
    else:
        ok = on_postgres(options.members, options.repeat, options.keep)
    print("every median under", TARGET_MS, "ms" if ok else "ms: NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
