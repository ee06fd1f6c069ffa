"""The closed-loop compliance report as XLSX (summary sheets and the loops) and CSV.

Two audiences. The plan's own copy is not suppressed and carries the drill-down, which names
members (reading it is audited per referral). The copy for DHCS (`for_dhcs=True`) leaves the
plan: no drill-down, and every count of 1 to 10 shows as "<11", with complementary suppression
in each column against its total (providers, months and quarters against the plan's figure,
closure reasons against their sum), as the quarterly workbook does (`suppression`).
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook  # type: ignore[import-untyped]

from calaim.ops.determinations.aggregates import SMALL_CELL_LIMIT
from calaim.reports.clr import MEASURES, ClrReport, Loop, Tally
from calaim.reports.csv_export import to_csv
from calaim.reports.scope import SUPPRESSED
from calaim.reports.suppression import suppress
from calaim.reports.workbook import Value, about_sheet, table, to_bytes

TITLE = "Closed-Loop Referral Compliance Report"
MEASURE_LABELS = {
    "opened": "Loops opened",
    "closed": "Loops closed",
    "declined": "Loops declined",
    "late": "Loops late (a step past its DHCS window)",
    "open_at_end": "Loops open at the period's end",
    "member_notices": "Notices to members",
    "referrer_notices": "Notices to referring entities",
}
LOOP_COLUMNS = (
    "referral_id", "person_id", "member", "program", "provider", "referrer", "received_at",
    "status", "ended_at", "late_step", "late_due", "late_days", "member_notices",
    "referrer_notices", "closure_reason",
)  # fmt: skip
NOTES = [
    "Late: a step (route, accept or decline, start, close) ran past its window in "
    "closed_loop.yaml, counted in the month its window ended.",
    "Counts are the plan's own members' loops; they are not suppressed (the plan's own use).",
]
DHCS_NOTES = [
    NOTES[0],
    f"Counts of 1 to {SMALL_CELL_LIMIT - 1} are shown as {SUPPRESSED}; where one suppressed "
    "cell could be recovered from its total, another cell is suppressed too. The list of "
    "loops stays with the plan.",
]
ALL_REASONS = "All reasons"


# Months and quarters carry the dated events; open loops and notices are per period and provider.
PERIODIC = ("opened", "closed", "declined", "late")


def _columns(
    groups: dict[str, Tally], measures: tuple[str, ...], total: Tally | None
) -> list[list[Value]]:
    """One column of values per measure, in key order; suppressed against `total` if given."""
    keys = sorted(groups)
    columns: list[list[Value]] = []
    for measure in measures:
        counts = [groups[key].counts[measure] for key in keys]
        if total is None:
            columns.append(list(counts))
        else:
            cells, _ = suppress(counts, total.counts[measure])
            columns.append(list(cells))
    return columns


def _grouped(
    title: str,
    groups: dict[str, Tally],
    measures: tuple[str, ...] = MEASURES,
    total: Tally | None = None,
) -> tuple[list[str], list[list[Value]]]:
    """A header and one row per group; with `total`, suppressed for DHCS."""
    header = [title, *(MEASURE_LABELS[m] for m in measures)]
    columns = _columns(groups, measures, total)
    return header, [[key, *(c[i] for c in columns)] for i, key in enumerate(sorted(groups))]


def _plan_row(report: ClrReport, for_dhcs: bool) -> list[Value]:
    counts = [report.plan_total.counts[m] for m in MEASURES]
    return [report.plan, *(suppress([], c)[1] if for_dhcs else c for c in counts)]


def _reasons(report: ClrReport, for_dhcs: bool) -> list[list[Value]]:
    """Closure reasons, most common first; for DHCS with their sum, suppressed against it."""
    found = report.plan_total.reasons.most_common()
    if not for_dhcs:
        return [[reason, count] for reason, count in found]
    cells, total = suppress([count for _, count in found], sum(c for _, c in found))
    rows: list[list[Value]] = [
        [reason, cell] for (reason, _), cell in zip(found, cells, strict=True)
    ]
    return [*rows, [ALL_REASONS, total]]


def _time(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat(timespec="minutes") if moment else None


def loop_row(loop: Loop) -> list[Value]:
    """One drill-down line."""
    return [
        str(loop.referral_id), loop.person_id, loop.member_name, loop.program_id, loop.provider,
        loop.referrer, _time(loop.received_at), loop.status, _time(loop.ended_at),
        loop.late_step, _time(loop.late_due), loop.late_days, loop.member_notices,
        loop.referrer_notices, loop.closure_reason,
    ]  # fmt: skip


def clr_xlsx(report: ClrReport, *, for_dhcs: bool = False) -> bytes:
    """Sheets: About, Summary (plan and providers), By month, By quarter, Closure reasons, and
    for the plan's own copy Loops (see the module docstring for the DHCS copy)."""
    total = report.plan_total if for_dhcs else None
    book = Workbook()
    about_sheet(book, TITLE, report.plan, report.provenance, DHCS_NOTES if for_dhcs else NOTES)
    summary = book.create_sheet("Summary")
    header = ["", *(MEASURE_LABELS[m] for m in MEASURES)]
    table(summary, (1, 1), f"Plan {report.plan}", header, [_plan_row(report, for_dhcs)])
    header, rows = _grouped("Provider", report.by_provider, MEASURES, total)
    table(summary, (5, 1), "By provider", header, rows)
    for name, groups in (("By month", report.by_month), ("By quarter", report.by_quarter)):
        header, rows = _grouped(name.removeprefix("By ").title(), groups, PERIODIC, total)
        table(book.create_sheet(name), (1, 1), name, header, rows)
    reasons = book.create_sheet("Closure reasons")
    table(reasons, (1, 1), "Closure and decline reasons", ["Reason", "Loops"],
          _reasons(report, for_dhcs))  # fmt: skip
    if not for_dhcs:
        loops = book.create_sheet("Loops")
        table(loops, (1, 1), "Loops (plan's own use)", list(LOOP_COLUMNS),
              [loop_row(loop) for loop in report.loops])  # fmt: skip
    return to_bytes(book)


def clr_csv(report: ClrReport, *, for_dhcs: bool = False) -> str:
    """The summary in long form: section, group, measure, value (provenance first); for DHCS
    suppressed (see the module docstring)."""
    rows: list[list[object]] = [["about", "", label, value] for label, value in
                                report.provenance.lines()]  # fmt: skip
    plan = _plan_row(report, for_dhcs)
    rows += [["plan", report.plan, m, plan[1 + i]] for i, m in enumerate(MEASURES)]
    total = report.plan_total if for_dhcs else None
    sections = [("provider", report.by_provider), ("month", report.by_month),
                ("quarter", report.by_quarter)]  # fmt: skip
    for section, groups in sections:
        measures = PERIODIC if section in ("month", "quarter") else MEASURES
        columns = _columns(groups, measures, total)
        for i, key in enumerate(sorted(groups)):
            rows += [[section, key, m, columns[j][i]] for j, m in enumerate(measures)]
    for reason, count in _reasons(report, for_dhcs):
        rows.append(["closure_reason", report.plan, reason, count])
    return to_csv(["section", "group", "measure", "value"], rows)


def loops_csv(report: ClrReport) -> str:
    """The drill-down: one line per loop (the plan's own use; never in the DHCS copy)."""
    return to_csv(LOOP_COLUMNS, [loop_row(loop) for loop in report.loops])
