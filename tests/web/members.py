"""Picking demo members for the web tests (read straight from the test database)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import create_engine, text


@dataclass(frozen=True)
class Pick:
    """A member the journey uses: their id and what a referrer knows."""

    id: str
    cin: str
    birth_date: str
    first_name: str


_UNTOUCHED = """
SELECT m.id, m.cin, m.birth_date, m.first_name FROM members m
JOIN organizations o ON o.id = m.plan_organization_id AND o.plan_code = :plan
WHERE m.id NOT IN (SELECT member_id FROM enrollments)
  AND m.id NOT IN (SELECT member_id FROM referrals)
  AND m.id NOT IN (SELECT member_id FROM authorizations)
  AND m.id NOT IN (SELECT member_id FROM service_episodes)
ORDER BY (SELECT count(*) FROM member_determinations d
          WHERE d.member_id = m.id AND d.program_id LIKE :program AND d.eligible) DESC,
         m.id
LIMIT :count
"""


def untouched_members(url: str, *, plan: str, program: str, count: int) -> list[Pick]:
    """Members of `plan` no workflow has touched, those eligible for `program` first."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(_UNTOUCHED), {"plan": plan, "program": f"{program}%", "count": count}
            ).all()
    finally:
        engine.dispose()
    return [Pick(str(r[0]).replace("-", ""), r[1], str(r[2]), r[3]) for r in rows]


def any_member_of(url: str, plan: str) -> str:
    """The id (as the pages write it) of some member of `plan`."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT m.id FROM members m JOIN organizations o "
                    "ON o.id = m.plan_organization_id WHERE o.plan_code = :plan LIMIT 1"
                ),
                {"plan": plan},
            ).scalar_one()
    finally:
        engine.dispose()
    return dashed(str(found))


def dashed(hex_id: str) -> str:
    """A UUID as 8-4-4-4-12 (SQLite stores them as 32 hex digits)."""
    h = hex_id.replace("-", "")
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
