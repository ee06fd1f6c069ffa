"""The closed-loop compliance report as XLSX (summary sheets and the loops) and CSV.

The plan reads its own report, so counts are not suppressed; the drill-down names members and
is for the plan's own use (reading it is audited per referral).
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook  # type: ignore[import-untyped]

from calaim.reports.clr import MEASURES, ClrReport, Loop, Tally
from calaim.reports.csv_export import to_csv
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


# Months and quarters carry the dated events; open loops and notices are per period and provider.
PERIODIC = ("opened", "closed", "declined", "late")


def _counts(tally: Tally, measures: tuple[str, ...] = MEASURES) -> list[Value]:
    return [tally.counts[m] for m in measures]


def _grouped(
    title: str, groups: dict[str, Tally], measures: tuple[str, ...] = MEASURES
) -> tuple[list[str], list[list[Value]]]:
    header = [title, *(MEASURE_LABELS[m] for m in measures)]
    return header, [[key, *_counts(tally, measures)] for key, tally in sorted(groups.items())]


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


def clr_xlsx(report: ClrReport) -> bytes:
    """Sheets: About, Summary (plan and providers), By month, By quarter, Closure reasons, Loops."""
    book = Workbook()
    about_sheet(book, TITLE, report.plan, report.provenance, NOTES)
    summary = book.create_sheet("Summary")
    header = ["", *(MEASURE_LABELS[m] for m in MEASURES)]
    table(summary, (1, 1), f"Plan {report.plan}", header,
          [[report.plan, *_counts(report.plan_total)]])  # fmt: skip
    header, rows = _grouped("Provider", report.by_provider)
    table(summary, (5, 1), "By provider", header, rows)
    for name, groups in (("By month", report.by_month), ("By quarter", report.by_quarter)):
        header, rows = _grouped(name.removeprefix("By ").title(), groups, PERIODIC)
        table(book.create_sheet(name), (1, 1), name, header, rows)
    reasons = book.create_sheet("Closure reasons")
    table(reasons, (1, 1), "Closure and decline reasons", ["Reason", "Loops"],
          [[k, v] for k, v in report.plan_total.reasons.most_common()])  # fmt: skip
    loops = book.create_sheet("Loops")
    table(loops, (1, 1), "Loops (plan's own use)", list(LOOP_COLUMNS),
          [loop_row(loop) for loop in report.loops])  # fmt: skip
    return to_bytes(book)


def clr_csv(report: ClrReport) -> str:
    """The summary in long form: section, group, measure, value (provenance first)."""
    rows: list[list[object]] = [["about", "", label, value] for label, value in
                                report.provenance.lines()]  # fmt: skip
    sections = [("plan", {report.plan: report.plan_total}), ("provider", report.by_provider),
                ("month", report.by_month), ("quarter", report.by_quarter)]  # fmt: skip
    for section, groups in sections:
        measures = PERIODIC if section in ("month", "quarter") else MEASURES
        for key, tally in sorted(groups.items()):
            rows += [[section, key, m, tally.counts[m]] for m in measures]
    for reason, count in report.plan_total.reasons.most_common():
        rows.append(["closure_reason", report.plan, reason, count])
    return to_csv(["section", "group", "measure", "value"], rows)


def loops_csv(report: ClrReport) -> str:
    """The drill-down: one line per loop."""
    return to_csv(LOOP_COLUMNS, [loop_row(loop) for loop in report.loops])
