"""The quarterly monitoring report as an XLSX workbook laid out by `layouts/dhcs_quarterly.yaml`.

Member counts leave the plan, so each column is suppressed with its total (`suppression`):
1 to 10 members show as "<11", plus a complementary cell where one would be recoverable. A
median days to decision over fewer than 11 decisions shows as "<11" too. Provider counts and
capacity are not about members and are shown as they are.
"""

from __future__ import annotations

from openpyxl import Workbook  # type: ignore[import-untyped]

from calaim.ops.determinations.aggregates import SMALL_CELL_LIMIT
from calaim.reports.layout import Layout, Section, load_layout
from calaim.reports.quarterly import Quarterly, median_days
from calaim.reports.quarterly_tables import Counts
from calaim.reports.scope import SUPPRESSED
from calaim.reports.suppression import suppress
from calaim.reports.workbook import Value, about_sheet, table, to_bytes

TOTAL = "Total (distinct members)"


def quarterly_xlsx(report: Quarterly, layout: Layout | None = None) -> bytes:
    """The report as XLSX bytes."""
    return to_bytes(quarterly_workbook(report, layout or load_layout("dhcs_quarterly")))


def quarterly_workbook(report: Quarterly, layout: Layout) -> Workbook:
    """The workbook: About (provenance, layout note), then the layout's sheets."""
    book = Workbook()
    notes = [
        f"Layout: {layout.id} (confidence: {layout.confidence}). {layout.note}",
        f"Counts of 1 to {SMALL_CELL_LIMIT - 1} members are shown as {SUPPRESSED}; where one "
        "suppressed cell could be recovered from its total, another cell is suppressed too.",
    ]
    about_sheet(book, layout.title, report.plan, report.provenance, notes)
    for declared in layout.sheets:
        sheet = book.create_sheet(declared.name)
        for section in declared.sections:
            origin = section.origin
            if section.source == "note":
                sheet.cell(origin[0], origin[1], section.title)
                sheet.cell(origin[0] + 1, origin[1], section.text)
                continue
            header = [section.row_header, *(c.label for c in section.columns)]
            table(sheet, origin, section.title, header, section_rows(report, section))
    return book


def row_lines(report: Quarterly, section: Section, found: list[str]) -> list[tuple[str, str]]:
    """(key, label) of the section's rows: fixed, from the registry, or from the data."""
    if section.rows:
        return [(line.key, line.label) for line in section.rows]
    if section.rows_from is not None:
        prefix = "ecm." if section.rows_from == "ecm_pof" else "cs."
        names = report.population_names
        return [(key, names[key]) for key in sorted(names) if key.startswith(prefix)]
    return [(key, key) for key in sorted(found)]


def section_rows(report: Quarterly, section: Section) -> list[list[Value]]:
    """The section's data rows and total row, suppressed where they count members."""
    kind, _, name = section.source.partition(".")
    if kind == "providers":
        return _providers(report, section, name)
    if section.source == "ecm.disenrollment_reasons":
        data = {key: {"disenrolled": n} for key, n in report.disenrollment_reasons.items()}
        totals: Counts = {"disenrolled": report.ecm_totals.get("disenrolled", 0)}
    elif kind == "cs":
        data, totals = report.cs, report.cs_totals
    else:
        data, totals = report.ecm.get(name, {}), report.ecm_totals
    lines = row_lines(report, section, list(data))
    columns: list[list[Value]] = []
    for column in section.columns:
        if column.key == "median_days_to_decision":
            columns.append(_medians(report, [key for key, _ in lines]))
            continue
        counts = [data.get(key, {}).get(column.key, 0) for key, _ in lines]
        cells, total = suppress(counts, totals.get(column.key, 0))
        columns.append([*cells, total])
    labels: list[Value] = [label for _, label in lines]
    labels.append(TOTAL)
    return [[labels[i], *(column[i] for column in columns)] for i in range(len(labels))]


def _medians(report: Quarterly, keys: list[str]) -> list[Value]:
    values: list[Value] = []
    for key in keys:
        decided = report.cs_days_to_decision.get(key, [])
        small = 0 < len(decided) < SMALL_CELL_LIMIT
        values.append(SUPPRESSED if small else median_days(decided))
    every = [days for found in report.cs_days_to_decision.values() for days in found]
    values.append(SUPPRESSED if 0 < len(every) < SMALL_CELL_LIMIT else median_days(every))
    return values


def _providers(report: Quarterly, section: Section, name: str) -> list[list[Value]]:
    lines = row_lines(report, section, [k for k in report.providers if k.startswith("cs.")])
    rows: list[list[Value]] = []
    for key, label in lines:
        count, capacity = report.providers.get(key, (0, 0))
        rows.append([label, count, capacity])
    if name == "program":
        rows.append([TOTAL.replace("distinct members", "providers"), None, None])
        rows[-1][1:] = [sum(r[1] for r in rows[:-1]), sum(r[2] for r in rows[:-1])]  # type: ignore[misc]
    return rows
