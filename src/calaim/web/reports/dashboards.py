"""The dashboards page's data: each report run with the filters that apply to it, and charts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.models import User
from calaim.ops.policy import shipped_policy
from calaim.reports.capacity import Capacity, capacity
from calaim.reports.csv_export import total
from calaim.reports.funnel import STAGES, Funnel, funnel
from calaim.reports.scope import shown
from calaim.reports.timeliness import COLUMNS, TIMELINESS, Timeliness, timeliness
from calaim.web.i18n import N_
from calaim.web.reports.charts import Chart, bars
from calaim.web.reports.query import Query

# Page name of each dashboard → its CSV writer's prefix in `calaim.reports.csv_export`.
REPORTS = {
    "ecm-funnel": "funnel",
    "authorization-timeliness": "timeliness",
    "cs-capacity": "capacity",
}
# Which program kinds each dashboard's program filter accepts (others: the filter is ignored).
KINDS = {
    "ecm-funnel": ("ecm_pof",),
    "authorization-timeliness": ("ecm", "cs"),
    "cs-capacity": ("cs",),
}
STAGE_LABELS = {
    "eligible": N_("Eligible"),
    "assigned": N_("Assigned"),
    "outreached": N_("Outreached"),
    "enrolled": N_("Enrolled"),
}
TIMELINESS_LABELS = {
    "on_time": N_("Decided on time"),
    "late": N_("Decided late"),
    "overdue": N_("Overdue"),
    "open": N_("Open, not yet due"),
    "withdrawn": N_("Withdrawn"),
}


def _applies(report: str, query: Query) -> bool:
    program = query.filters.program
    return program is None or shipped_policy().programs[program].kind in KINDS[report]


def run_report(
    report: str, session: Session, actor: User, query: Query, now: dt.datetime
) -> Funnel | Timeliness | Capacity:
    """One dashboard's report (the program filter dropped where it does not apply)."""
    filters = query.filters
    if not _applies(report, query):
        filters = dataclasses.replace(filters, program=None)
    policy = shipped_policy()
    if report == "ecm-funnel":
        return funnel(session, actor, policy, query.period, filters)
    if report == "authorization-timeliness":
        return timeliness(session, actor, policy, query.period, filters, now)
    return capacity(session, actor, query.period.end, filters, actor.organization.plan_code)


def dashboard_context(
    session: Session, actor: User, query: Query, now: dt.datetime
) -> dict[str, Any]:
    """Everything the dashboards template shows (no reports when the filters are wrong)."""
    context: dict[str, Any] = {"query": query, "values": query.values, "errors": query.errors}
    context |= {"stages": STAGES, "stage_labels": STAGE_LABELS, "auth_columns": COLUMNS}
    context |= {"shown": shown, "total": total}
    context["programs"] = [
        (pid, p.name) for pid, p in shipped_policy().programs.items() if p.kind != "ecm"
    ]
    if query.errors:
        return context
    found = {name: run_report(name, session, actor, query, now) for name in REPORTS}
    context |= {"reports": found, "ignored": [n for n in REPORTS if not _applies(n, query)]}
    context["charts"] = _charts(found)
    return context


def _charts(found: dict[str, Any]) -> dict[str, Chart]:
    flow: Funnel = found["ecm-funnel"]
    clock: Timeliness = found["authorization-timeliness"]
    supply: Capacity = found["cs-capacity"]
    paired: list[tuple[str, int | None]] = []
    for row in supply.rows:
        paired += [(row.county, row.capacity), (row.county, row.demand)]  # series 0, 1
    return {
        "funnel": bars([(STAGE_LABELS[s], flow.totals[s]) for s in STAGES]),
        "timeliness": bars([(TIMELINESS_LABELS[t], clock.totals[t]) for t in TIMELINESS]),
        "capacity": bars(paired, per_group=2),
    }
