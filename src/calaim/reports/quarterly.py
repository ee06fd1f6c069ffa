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

Cell values are distinct members; `quarterly_workbook` suppresses them for publication.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import uuid
import zlib
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, lazyload

from calaim.engine.loading.policy import Policy
from calaim.ops.access.scopes import (
    authorization_visible,
    enrollment_visible,
    service_episode_visible,
)
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import (
    Authorization,
    Enrollment,
    Member,
    Organization,
    OrganizationKind,
    ProviderProfile,
    ServiceEpisode,
    User,
)
from calaim.reports.clr import require_plan
from calaim.reports.filters import Filters, Period
from calaim.reports.funnel import cohort as ecm_cohort
from calaim.reports.provenance import Provenance, RowKey, provenance
from calaim.reports.scope import audit

ADULT_AGE = 21
AGE_BANDS = ((0, 20), (21, 34), (35, 49), (50, 64), (65, 200))
ECM_MEASURES = ("eligible", "newly_enrolled", "continuously_enrolled", "disenrolled")
CS_MEASURES = ("requested", "authorized", "denied", "provided")
UNKNOWN = "unknown"
Members = dict[str, set[uuid.UUID]]  # measure -> members


@dataclass(frozen=True)
class Quarterly:
    """The quarter's numbers, unsuppressed (the workbook suppresses them)."""

    plan: str
    provenance: Provenance
    # table -> row key -> measure -> members (ECM tables) ; plus each table's total members
    ecm: dict[str, dict[str, Members]]
    ecm_totals: Members
    disenrollment_reasons: dict[str, set[uuid.UUID]]
    cs: dict[str, Members]
    cs_totals: Members
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


def age_on(birth: dt.date, day: dt.date) -> int:
    """Age in whole years on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_band(age: int) -> str:
    """The age band key, e.g. `21-34` (the last is `65+`)."""
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}+" if high >= 200 else f"{low}-{high}"
    return UNKNOWN


def quarterly(
    session: Session, actor: User, policy: Policy, period: Period, as_of: dt.date
) -> Quarterly:
    """The plan's quarterly monitoring numbers (see the module docstring); audited."""
    require_plan(actor)
    rows: list[RowKey] = []
    cohort = ecm_cohort(session, actor, period, Filters())
    populations: dict[uuid.UUID, set[str]] = defaultdict(set)
    for member_id, (program, _county) in cohort:
        populations[member_id].add(program)
    measures, reasons = _ecm_measures(session, actor, period, rows)
    measures["eligible"] = set(populations)
    members = _members(session, set().union(*measures.values()), rows)
    ecm = _ecm_tables(measures, members, populations, period.end)
    cs, cs_totals, days = _cs(session, actor, period, rows)
    rows += [("determination_member", str(m), 0) for m in populations]
    report = Quarterly(
        actor.organization.plan_code or actor.organization.name,
        provenance(policy, period, as_of, rows), ecm, measures, reasons, cs, cs_totals, days,
        _providers(session, actor.organization), _population_names(policy),
    )  # fmt: skip
    facts = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    audit(session, actor, "dhcs_quarterly", {**facts, "fingerprint": facts_hash(report)})
    return report


def facts_hash(report: Quarterly) -> str:
    """The report's input fingerprint (for the audit record)."""
    return report.provenance.input_fingerprint


def _population_names(policy: Policy) -> dict[str, str]:
    return {pid: p.name for pid, p in policy.programs.items() if p.kind in ("ecm_pof", "cs")}


def _ecm_measures(
    session: Session, actor: User, period: Period, rows: list[RowKey]
) -> tuple[Members, dict[str, set[uuid.UUID]]]:
    e = Enrollment
    # The rows' member is not read here: skip the joined load (one member per row).
    statement = (
        select(e)
        .options(lazyload(e.member))
        .where(
            enrollment_visible(actor),
            e.enrolled_on.is_not(None),
            e.enrolled_on <= period.end,
            or_(e.discontinued_on.is_(None), e.discontinued_on >= period.start),
        )
    )
    measures: Members = defaultdict(set)
    reasons: dict[str, set[uuid.UUID]] = defaultdict(set)
    for row in session.scalars(statement).unique():
        rows.append(("enrollment", str(row.id), row.version))
        enrolled = row.enrolled_on
        assert enrolled is not None
        if enrolled >= period.start:
            measures["newly_enrolled"].add(row.member_id)
        elif row.discontinued_on is None or row.discontinued_on > period.end:
            measures["continuously_enrolled"].add(row.member_id)
        if row.discontinued_on is not None and row.discontinued_on <= period.end:
            measures["disenrolled"].add(row.member_id)
            reasons[row.discontinuation_reason_code or UNKNOWN].add(row.member_id)
    return measures, dict(reasons)


def _members(session: Session, ids: set[uuid.UUID], rows: list[RowKey]) -> dict[uuid.UUID, Member]:
    found: dict[uuid.UUID, Member] = {}
    listed = sorted(ids)
    for start in range(0, len(listed), 500):
        chunk = listed[start : start + 500]
        for member in session.scalars(select(Member).where(Member.id.in_(chunk))):
            found[member.id] = member
    rows += [("member", str(m.id), _attributes(m)) for m in found.values()]
    return found


def _attributes(member: Member) -> int:
    """A checksum of the member fields the report breaks down by (members carry no version)."""
    text = f"{member.birth_date}|{member.county}|{member.language}|{member.sex}"
    return zlib.crc32(text.encode())


def _ecm_tables(
    measures: Members,
    members: dict[uuid.UUID, Member],
    populations: dict[uuid.UUID, set[str]],
    end: dt.date,
) -> dict[str, dict[str, Members]]:
    tables: dict[str, dict[str, Members]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )
    for measure, ids in measures.items():
        for member_id in ids:
            member = members[member_id]
            age = age_on(member.birth_date, end)
            keys = {
                "adult_child": "adult" if age >= ADULT_AGE else "child",
                "age_band": age_band(age),
                "county": member.county or UNKNOWN,
                "language": (member.language or UNKNOWN).strip().lower() or UNKNOWN,
                "sex": (member.sex or "U").upper(),
            }
            for table, key in keys.items():
                tables[table][key][measure].add(member_id)
            for population in populations.get(member_id, {UNKNOWN}):
                tables["population"][population][measure].add(member_id)
    return {name: dict(table) for name, table in tables.items()}


def _cs(
    session: Session, actor: User, period: Period, rows: list[RowKey]
) -> tuple[dict[str, Members], Members, dict[str, list[float]]]:
    a = Authorization
    requested = (
        select(a)
        .options(lazyload(a.member))
        .where(
            authorization_visible(actor),
            a.program_id.like("cs.%"),
            a.requested_at >= period.start_instant(),
            a.requested_at < period.end_instant(),
        )
    )
    table: dict[str, Members] = defaultdict(lambda: defaultdict(set))
    totals: Members = defaultdict(set)
    days: dict[str, list[float]] = defaultdict(list)
    for row in session.scalars(requested).unique():
        rows.append(("authorization", str(row.id), row.version))
        counts = ["requested"]
        counts += {"approved": ["authorized"], "denied": ["denied"]}.get(row.status, [])
        for measure in counts:
            table[row.program_id][measure].add(row.member_id)
            totals[measure].add(row.member_id)
        if row.decided_at is not None and row.status in ("approved", "denied"):
            waited = _aware(row.decided_at) - _aware(row.requested_at)
            days[row.program_id].append(waited.total_seconds() / 86400)
    s = ServiceEpisode
    provided = (
        select(s)
        .options(lazyload(s.member))
        .where(
            service_episode_visible(actor),
            s.program_id.like("cs.%"),
            s.started_on <= period.end,
            or_(s.ended_on.is_(None), s.ended_on >= period.start),
        )
    )
    for episode in session.scalars(provided).unique():
        rows.append(("service_episode", str(episode.id), episode.version))
        table[episode.program_id]["provided"].add(episode.member_id)
        totals["provided"].add(episode.member_id)
    return dict(table), totals, dict(days)


def median_days(values: list[float]) -> float | None:
    """The median days to decision, one decimal (None with no decisions)."""
    return round(statistics.median(values), 1) if values else None


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _providers(session: Session, plan: Organization) -> dict[str, tuple[int, int]]:
    statement = select(Organization.kind, ProviderProfile).join(
        ProviderProfile, ProviderProfile.organization_id == Organization.id
    )
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for kind, profile in session.execute(statement):
        if plan.plan_code not in (profile.contracted_plans or []):
            continue
        keys = {
            OrganizationKind.ECM_PROVIDER.value: ["ecm"],
            OrganizationKind.CS_PROVIDER.value: [
                "cs",
                *(p for p in profile.programs_served or [] if str(p).startswith("cs.")),
            ],
        }
        for key in keys.get(kind, []):  # fmt: skip
            found[key][0] += 1
            found[key][1] += profile.capacity or 0
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
