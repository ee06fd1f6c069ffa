"""The DHCS quarterly ECM and Community Supports monitoring numbers of one plan.

Counted from the operational store, only the plan's own members (the report scope):

- ECM *eligible*: members whose latest ECM Population of Focus determination on or before the
  quarter's end makes them eligible (the funnel's cohort); *newly enrolled*: ECM enrollment
  date in the quarter; *continuously enrolled*: enrolled before the quarter and not discontinued
  before its end; *disenrolled*: discontinued in the quarter, with the reason code.
- Each by Population of Focus (the member's eligible populations), adult (21 and over at the
  quarter's end) or child/youth, county, language, age band and sex.
- Community Supports by service: requested (authorizations requested in the quarter), authorized
  and denied (of those), provided (members with a service episode in the quarter), and the
  median days from request to decision.
- ECM and CS providers contracted with the plan, with their declared capacity.

Cell values are distinct members; `quarterly_workbook` suppresses them for publication. The
rows are read as plain columns through `ops/read_models/quarterly.py` and the ECM breakdowns
are counted in DuckDB (`quarterly_tables`), so no per-member Python work grows with the plan.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import uuid
import zlib
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.engine.loading.policy import Policy
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import Organization, OrganizationKind, User
from calaim.ops.read_models.quarterly import (
    EnrollmentRow,
    MemberRow,
    cs_episodes,
    cs_requests,
    ecm_eligible,
    ecm_enrollments,
    provider_profiles,
)
from calaim.reports.clr import require_plan
from calaim.reports.filters import Period
from calaim.reports.provenance import Provenance, RowKey, provenance
from calaim.reports.quarterly_tables import UNKNOWN, Counts, Tables, ecm_tables
from calaim.reports.scope import audit

ECM_MEASURES = ("eligible", "newly_enrolled", "continuously_enrolled", "disenrolled")
CS_MEASURES = ("requested", "authorized", "denied", "provided")


@dataclass(frozen=True)
class Quarterly:
    """The quarter's numbers (distinct members), unsuppressed (the workbook suppresses them)."""

    plan: str
    provenance: Provenance
    ecm: Tables  # table -> row key -> measure -> members
    ecm_totals: Counts
    disenrollment_reasons: dict[str, int]
    cs: dict[str, Counts]  # service -> measure -> members
    cs_totals: Counts
    cs_days_to_decision: dict[str, list[float]]
    providers: dict[str, tuple[int, int]]  # row -> (providers, capacity)
    population_names: dict[str, str]


def quarter(text: str) -> Period:
    """`2025Q3` as the period 2025-07-01 to 2025-09-30."""
    found = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*", text or "")
    if found is None:
        raise InvalidRequest(f"{text!r} is not a quarter; write it like 2025Q3", field="quarter")
    year, number = int(found.group(1)), int(found.group(2))
    start = dt.date(year, 3 * number - 2, 1)
    after = dt.date(year + (number == 4), 1 if number == 4 else 3 * number + 1, 1)
    return Period(start, after - dt.timedelta(days=1))


def quarterly(
    session: Session, actor: User, policy: Policy, period: Period, as_of: dt.date
) -> Quarterly:
    """The plan's quarterly monitoring numbers (see the module docstring); audited."""
    require_plan(actor)
    rows: list[RowKey] = []
    cohort = ecm_eligible(session, actor, period.end)
    populations = {(row.member.id, row.program_id) for row in cohort}
    members = {row.member.id: row.member for row in cohort}
    eligible = set(members)
    enrollments = ecm_enrollments(session, actor, period.start, period.end)
    members |= {row.member.id: row.member for row in enrollments}
    facts, reasons = _ecm_measures(enrollments, period, rows)
    facts += [(member_id, "eligible") for member_id in eligible]
    rows += [("member", str(m.id), _attributes(m)) for m in members.values()]
    ecm, totals = ecm_tables(list(members.values()), facts, populations, period.end)
    cs, cs_totals, days = _cs(session, actor, period, rows)
    rows += [("determination_member", str(m), 0) for m in eligible]
    report = Quarterly(
        actor.organization.plan_code or actor.organization.name,
        provenance(policy, period, as_of, rows), ecm, totals, reasons, cs, cs_totals, days,
        _providers(session, actor.organization), _population_names(policy),
    )  # fmt: skip
    facts_seen = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    audit(session, actor, "dhcs_quarterly", {**facts_seen, "fingerprint": facts_hash(report)})
    return report


def facts_hash(report: Quarterly) -> str:
    """The report's input fingerprint (for the audit record)."""
    return report.provenance.input_fingerprint


def _population_names(policy: Policy) -> dict[str, str]:
    return {pid: p.name for pid, p in policy.programs.items() if p.kind in ("ecm_pof", "cs")}


def _ecm_measures(
    enrollments: list[EnrollmentRow], period: Period, rows: list[RowKey]
) -> tuple[list[tuple[uuid.UUID, str]], dict[str, int]]:
    """(member, measure) facts of the enrollments, and disenrolled members by reason code."""
    facts: list[tuple[uuid.UUID, str]] = []
    reasons: dict[str, set[uuid.UUID]] = defaultdict(set)
    for row in enrollments:
        rows.append(("enrollment", str(row.id), row.version))
        gone = row.discontinued_on
        if row.enrolled_on >= period.start:
            facts.append((row.member.id, "newly_enrolled"))
        elif gone is None or gone > period.end:
            facts.append((row.member.id, "continuously_enrolled"))
        if gone is not None and gone <= period.end:
            facts.append((row.member.id, "disenrolled"))
            reasons[row.reason_code or UNKNOWN].add(row.member.id)
    return facts, {code: len(ids) for code, ids in reasons.items()}


def _attributes(member: MemberRow) -> int:
    """A checksum of the member fields the report breaks down by (members carry no version)."""
    text = f"{member.birth_date}|{member.county}|{member.language}|{member.sex}"
    return zlib.crc32(text.encode())


def _cs(
    session: Session, actor: User, period: Period, rows: list[RowKey]
) -> tuple[dict[str, Counts], Counts, dict[str, list[float]]]:
    table: dict[str, dict[str, set[uuid.UUID]]] = defaultdict(lambda: defaultdict(set))
    totals: dict[str, set[uuid.UUID]] = defaultdict(set)
    days: dict[str, list[float]] = defaultdict(list)
    for row in cs_requests(session, actor, period.start_instant(), period.end_instant()):
        rows.append(("authorization", str(row.id), row.version))
        counts = ["requested"]
        counts += {"approved": ["authorized"], "denied": ["denied"]}.get(row.status, [])
        for measure in counts:
            table[row.program_id][measure].add(row.member_id)
            totals[measure].add(row.member_id)
        if row.decided_at is not None and row.status in ("approved", "denied"):
            waited = _aware(row.decided_at) - _aware(row.requested_at)
            days[row.program_id].append(waited.total_seconds() / 86400)
    for episode in cs_episodes(session, actor, period.start, period.end):
        rows.append(("service_episode", str(episode.id), episode.version))
        table[episode.program_id]["provided"].add(episode.member_id)
        totals["provided"].add(episode.member_id)
    counted = {program: _sizes(measures) for program, measures in table.items()}
    return counted, _sizes(totals), dict(days)


def _sizes(members: dict[str, set[uuid.UUID]]) -> Counts:
    return {measure: len(ids) for measure, ids in members.items()}


def median_days(values: list[float]) -> float | None:
    """The median days to decision, one decimal (None with no decisions)."""
    return round(statistics.median(values), 1) if values else None


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _providers(session: Session, plan: Organization) -> dict[str, tuple[int, int]]:
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for kind, programs, plans, capacity in provider_profiles(session):
        if plan.plan_code not in (plans or []):
            continue
        keys = {
            OrganizationKind.ECM_PROVIDER.value: ["ecm"],
            OrganizationKind.CS_PROVIDER.value: [
                "cs", *(p for p in programs or [] if str(p).startswith("cs.")),
            ],
        }  # fmt: skip
        for key in keys.get(kind, []):
            found[key][0] += 1
            found[key][1] += capacity or 0
    return {key: (count, capacity) for key, (count, capacity) in found.items()}


def period_text(text: str) -> Period:
    """`2025-07-01:2025-09-30` (inclusive), or a quarter like `2025Q3`."""
    from calaim.reports.filters import period as checked

    if re.fullmatch(r"\s*\d{4}\s*-?\s*[Qq][1-4]\s*", text or ""):
        return quarter(text)
    start, colon, end = (text or "").partition(":")
    try:
        if not colon:
            raise ValueError(text)
        first, last = dt.date.fromisoformat(start.strip()), dt.date.fromisoformat(end.strip())
    except ValueError as error:
        raise InvalidRequest(
            f"{text!r} is not a period; write it as 2025-07-01:2025-09-30 or 2025Q3",
            field="period",
        ) from error
    return checked(first, last, field="period")
