"""The reports as CSV tables: the same numbers as the JSON, suppressed cells as "<11"."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from calaim.reports.capacity import Capacity
from calaim.reports.funnel import STAGES, Funnel
from calaim.reports.navigator import CoverageReport
from calaim.reports.scope import shown
from calaim.reports.timeliness import COLUMNS, Timeliness

ALL = "(all)"
WITHHELD = "withheld"  # a total not shown because one of its cells is suppressed


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """One CSV document (RFC 4180 line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return out.getvalue()


def total(value: int | None) -> str:
    """A total cell: the number, or "withheld"."""
    return WITHHELD if value is None else str(value)


def coverage_csv(report: CoverageReport) -> str:
    """One line per county, Community Support and plan."""
    header = ["county", "as_of", "program_id", "community_support", "plan", "offered"]
    header += ["offered_from", "offered_until", "upcoming_from", "plan_criteria", "to_confirm"]
    rows = [
        [grid.county, grid.as_of, row.program_id, row.name, cell.plan, "yes" if cell.offered
         else "no", cell.offered_from, cell.offered_until, cell.upcoming_from,
         "; ".join(cell.criteria), "; ".join((*row.recalled, *cell.recalled))]
        for grid in report.grids
        for row in grid.rows
        for cell in row.cells
    ]  # fmt: skip
    return to_csv(header, rows)


def funnel_csv(report: Funnel) -> str:
    """One line per population of focus and county, then the totals."""
    header = ["population_of_focus", "name", "county", *STAGES]
    rows: list[list[object]] = [
        [r.population, r.population_name, r.county, *(shown(getattr(r, s)) for s in STAGES)]
        for r in report.rows
    ]
    rows.append([ALL, ALL, ALL, *(total(report.totals[s]) for s in STAGES)])
    return to_csv(header, rows)


def timeliness_csv(report: Timeliness) -> str:
    """One line per program and county, then the totals."""
    header = ["program_id", "program", "county", *COLUMNS]
    rows: list[list[object]] = [
        [r.program, r.program_name, r.county, *(shown(r.counts[c]) for c in COLUMNS)]
        for r in report.rows
    ]
    rows.append([ALL, ALL, ALL, *(total(report.totals[c]) for c in COLUMNS)])
    return to_csv(header, rows)


def capacity_csv(report: Capacity) -> str:
    """One line per county."""
    header = ["county", "as_of", "providers", "capacity", "open_referrals"]
    header += ["active_episodes", "demand"]
    rows = [
        [r.county, report.as_of, r.providers, r.capacity, shown(r.open_referrals),
         shown(r.active_episodes), shown(r.demand)]
        for r in report.rows
    ]  # fmt: skip
    return to_csv(header, rows)
