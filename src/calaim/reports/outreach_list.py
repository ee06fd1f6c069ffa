"""The eligible-but-not-enrolled list: whom the plan should reach next, in priority order.

Who: the members in the funnel's cohort on the period's last day (latest ECM Population of
Focus determination eligible) who are not enrolled in ECM by then (never assigned, assigned,
in outreach, or enrolled earlier and since discontinued).

Order (highest first):
1. PHM risk score, when a `calaim tiers` file is given (the operational store keeps no tiers);
2. utilization: ED visits plus hospital stays the tiers file observed (12 months);
3. the number of Populations of Focus the member is eligible for;
4. days since a determination first found the member eligible (longest waiting first);
5. person id (so the order is stable).

Member data for the plan's own outreach: not suppressed, every listed member audited
(`member.report`, with the report's name).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.orm import Session

from calaim.engine.loading.policy import Policy
from calaim.ops.audit.service import record
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import Enrollment, User
from calaim.ops.read_models.program import (
    eligible_since,
    input_keys,
    latest_episodes,
    members_by_id,
    organization_names,
)
from calaim.reports.clr import require_plan
from calaim.reports.filters import Filters, Period
from calaim.reports.funnel import cohort as ecm_cohort
from calaim.reports.funnel import stages as ecm_stages
from calaim.reports.provenance import Provenance, provenance
from calaim.reports.scope import audit

TIER_COLUMNS = ("person_id", "tier", "score")
UTILIZATION_COLUMNS = ("ed_visits__value", "inpatient_stays__value")


@dataclass(frozen=True)
class Tier:
    """A member's PHM tier, score and observed utilization (from a `calaim tiers` file)."""

    tier: str
    score: int
    utilization: int


@dataclass(frozen=True)
class Candidate:
    """One member to reach, with what the outreach team needs and why they rank where they do."""

    rank: int
    member_id: uuid.UUID
    person_id: str
    cin: str
    name: str
    birth_date: dt.date
    county: str
    language: str
    phone: str
    populations: tuple[str, ...]
    eligible_since: dt.date | None
    days_waiting: int | None
    stage: str  # not_assigned, assigned, outreach, discontinued
    provider: str
    tier: Tier | None


@dataclass(frozen=True)
class OutreachList:
    """The list with its provenance (as-of, policy hash, input fingerprint)."""

    plan: str
    provenance: Provenance
    tiers_used: bool
    candidates: tuple[Candidate, ...]
    total: int  # members eligible and not enrolled (candidates may be the first `limit`)


def read_tiers(path: Path) -> dict[str, Tier]:
    """Person id → tier from a `calaim tiers` output (Parquet or CSV); bad files named."""
    import duckdb

    reader = "read_parquet" if path.suffix.lower() == ".parquet" else "read_csv_auto"
    connection = duckdb.connect()
    try:
        relation = connection.sql(f"SELECT * FROM {reader}(?)", params=[str(path)])
        columns = relation.columns if relation is not None else []
        missing = [c for c in TIER_COLUMNS if c not in columns]
        if missing:
            raise InvalidRequest(
                f"{path}: missing column(s) {missing}; write it with `calaim tiers`", field="tiers"
            )
        use = " + ".join(f"coalesce({c}, 0)" for c in UTILIZATION_COLUMNS if c in columns)
        rows = connection.execute(
            f"SELECT person_id, tier, score, {use or '0'} FROM {reader}(?)", [str(path)]
        ).fetchall()
    except duckdb.Error as error:
        raise InvalidRequest(
            f"{path}: cannot read it as a tiers file ({error})", field="tiers"
        ) from error
    finally:
        connection.close()
    return {str(p): Tier(str(t), int(s or 0), int(u or 0)) for p, t, s, u in rows}


def outreach_list(
    session: Session,
    actor: User,
    policy: Policy,
    period: Period,
    filters: Filters,
    now: dt.datetime,
    tiers: dict[str, Tier] | None = None,
    limit: int | None = None,
) -> OutreachList:
    """The plan's eligible members not enrolled by `period.end`, in priority order (the first
    `limit` when given); every member returned is audited."""
    require_plan(actor)
    populations: dict[uuid.UUID, set[str]] = defaultdict(set)
    for member_id, (population, _county) in ecm_cohort(session, actor, period, filters):
        populations[member_id].add(population)
    stages = ecm_stages(session, actor, period, set(populations))
    waiting = {m for m in populations if "enrolled" not in stages.get(m, set())}
    members = members_by_id(session, actor, waiting)
    episodes = latest_episodes(session, actor, waiting, period.end)
    since = eligible_since(session, actor, period.end)
    providers = organization_names(session, {e.provider_organization_id for e in episodes.values()})
    names = {pid: p.name for pid, p in policy.programs.items()}
    found = []
    for member_id, member in members.items():
        stage, provider = _stage(episodes.get(member_id), period.end, providers)
        pofs = tuple(sorted(names.get(p, p) for p in populations[member_id]))
        first = since.get(member_id)
        days = (period.end - first).days if first else None
        found.append(Candidate(
            0, member_id, member.person_id, member.cin or "",
            f"{member.first_name} {member.last_name}", member.birth_date, member.county,
            member.language or "", member.phone or "", pofs, first, days, stage, provider,
            (tiers or {}).get(member.person_id),
        ))  # fmt: skip
    ranked = tuple(replace(c, rank=n) for n, c in enumerate(sorted(found, key=_priority), 1))
    listed = ranked[:limit] if limit is not None else ranked
    for candidate in listed:
        record(session, actor, "member.report", members[candidate.member_id],
               details={"report": "eligible_not_enrolled"})  # fmt: skip
    keys = input_keys(session, actor, period.start, period.end)
    facts = provenance(policy, period, min(now.date(), period.end), keys)
    audit(session, actor, "eligible_not_enrolled", {
        "to": period.end.isoformat(), "members": len(listed), "tiers": tiers is not None,
        "fingerprint": facts.input_fingerprint})  # fmt: skip
    plan = actor.organization.plan_code or actor.organization.name
    return OutreachList(plan, facts, tiers is not None, listed, len(ranked))


def _stage(
    episode: Enrollment | None, end: dt.date, providers: dict[uuid.UUID, str]
) -> tuple[str, str]:
    if episode is None:
        return "not_assigned", ""
    name = providers.get(episode.provider_organization_id, "")
    if episode.discontinued_on is not None and episode.discontinued_on <= end:
        return "discontinued", name
    started = episode.outreach_started_on is not None and episode.outreach_started_on <= end
    return ("outreach" if started else "assigned"), name


def _priority(c: Candidate) -> tuple[int, int, int, int, str]:
    score = c.tier.score if c.tier else -1
    used = c.tier.utilization if c.tier else -1
    return (-score, -used, -len(c.populations), -(c.days_waiting or 0), c.person_id)
