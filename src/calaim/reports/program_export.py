"""The program view as files (XLSX, CSV) that may leave the plan: small cells suppressed.

Each table is built once (`tables`) and written as XLSX sheets or as long-form CSV (section,
group, measure, value). Member counts of 1 to 10 are `<11`, with complementary suppression in
every column that shows its total (`reports/suppression.py`). A rate, a month-over-month change
or a dollar amount is withheld (`<11`) when a count it is computed from is suppressed, so it
cannot give the count back. Provider capacity is not a member count and is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook  # type: ignore[import-untyped]

from calaim.reports.csv_export import to_csv
from calaim.reports.funnel import STAGES
from calaim.reports.program import RATE_STAGES, ProgramView, rate
from calaim.reports.program_cs import ACTIVITY
from calaim.reports.scope import SUPPRESSED
from calaim.reports.suppression import Shown, small, suppress
from calaim.reports.workbook import Value, about_sheet, table, to_bytes

TITLE = "ECM and Community Supports program view"
NOTES = [
    "Counts of 1 to 10 members are shown as <11; in a column with its total one more cell is "
    "hidden when only one is, so the total cannot give it back. Rates, changes and dollars "
    "computed from a hidden count are hidden too.",
    "Eligible: the latest stored ECM Population of Focus determination on or before the "
    "period's (or month's) last day is eligible. Rates are shares of the eligible members.",
    "DHCS pricing ranges are placeholders (confidence: assumption) until the plan enters the "
    "guidance in force (policy/cs_pricing.yaml).",
]


@dataclass(frozen=True)
class Table:
    """A titled table of published values."""

    sheet: str
    title: str
    header: list[str]
    rows: list[list[Value]]


def _columns(rows: Sequence[Sequence[int]], totals: Sequence[int] | None) -> list[list[Shown]]:
    """Each column suppressed (against its total when given); back as rows."""
    if not rows:
        return []
    shown_columns = []
    for index in range(len(rows[0])):
        cells = [row[index] for row in rows]
        shown, _ = suppress(cells, totals[index] if totals is not None else None)
        shown_columns.append(shown)
    return [list(values) for values in zip(*shown_columns, strict=True)]


def _total(value: int) -> Shown:
    return SUPPRESSED if small(value) else value


def _rate(part: Shown, whole: Shown) -> Value:
    if isinstance(part, str) or isinstance(whole, str):
        return SUPPRESSED
    return rate(part, whole)


def _funnel(view: ProgramView) -> Table:
    rows = view.funnel.rows
    counts = [[getattr(r, s) or 0 for s in STAGES] for r in rows]
    totals = [view.funnel.totals[s] or 0 for s in STAGES]
    shown = _columns(counts, totals)
    header = ["Population of Focus", "County", *(s.title() for s in STAGES)]
    header += [f"% {s}" for s in RATE_STAGES]
    body: list[list[Value]] = []
    for row, cells in zip(rows, shown, strict=True):
        rates = [_rate(cells[STAGES.index(s)], cells[0]) for s in RATE_STAGES]
        body.append([row.population_name, row.county, *cells, *rates])
    total_cells: list[Shown] = [_total(t) for t in totals]
    rates = [_rate(total_cells[STAGES.index(s)], total_cells[0]) for s in RATE_STAGES]
    body.append(["All (distinct members)", "", *total_cells, *rates])
    return Table("Funnel", "ECM funnel by Population of Focus and county", header, body)


def _months(view: ProgramView) -> Table:
    header = ["Month", *(s.title() for s in STAGES), *(f"% {s}" for s in RATE_STAGES)]
    header += [f"Change in {s}" for s in STAGES]
    body: list[list[Value]] = []
    previous: list[Shown] | None = None
    for month in view.months:
        cells: list[Shown] = [_total(month.counts[s]) for s in STAGES]
        rates = [_rate(cells[STAGES.index(s)], cells[0]) for s in RATE_STAGES]
        changes = [_change(cells[i], previous[i] if previous else None) for i in range(len(STAGES))]
        body.append([month.month, *cells, *rates, *changes])
        previous = cells
    return Table("By month", "Distinct members by month, with the change from the month before",
                 header, body)  # fmt: skip


def _change(now: Shown, before: Shown | None) -> Value:
    if before is None:
        return None
    if isinstance(now, str) or isinstance(before, str):
        return SUPPRESSED
    return now - before


def _month_populations(view: ProgramView) -> Table:
    header = ["Month", "Population of Focus", *(s.title() for s in STAGES)]
    body: list[list[Value]] = []
    for month in view.months:
        keys = sorted(month.by_population)
        counts = [[month.by_population[k][s] for s in STAGES] for k in keys]
        shown = _columns(counts, [month.counts[s] for s in STAGES])
        for key, cells in zip(keys, shown, strict=True):
            body.append([month.month, view.population_names.get(key, key), *cells])
    return Table("Month by population", "Members by month and Population of Focus", header, body)


def _services(view: ProgramView) -> Table:
    services = view.services
    totals = [sum(s.activity[k] for s in services) for k in ACTIVITY]
    activity = _columns([[s.activity[k] for k in ACTIVITY] for s in services], totals)
    people = _columns([[s.members_paid, s.members_at_cap, s.members_near_cap] for s in services],
                      None)  # fmt: skip
    header = ["Community Support", *(k.replace("_", " ").title() for k in ACTIVITY)]
    header += ["Members paid for", "Unit", "Units", "Billed ($)", "Paid ($)", "Paid per unit ($)",
               "DHCS range low ($)", "DHCS range high ($)", "Range confidence", "Paid rate is",
               "Lifetime cap ($)", "Members at cap", "Members near cap (80%+)"]  # fmt: skip
    body: list[list[Value]] = []
    for service, counts, members in zip(services, activity, people, strict=True):
        hidden = isinstance(members[0], str)
        money = [_money(v, hidden) for v in (service.units, service.billed, service.paid,
                                            service.paid_per_unit)]  # fmt: skip
        found = service.guidance
        band = [_money(found.low, False), _money(found.high, False), found.confidence] if found \
            else [None, None, "no guidance on file"]  # fmt: skip
        position = SUPPRESSED if hidden else service.guidance_position.replace("_", " ")
        cap = _money(service.cap, False) if service.cap is not None else None
        body.append([service.name, *counts, members[0], service.unit, *money, *band, position,
                     cap, members[1], members[2]])  # fmt: skip
    body.append(["All services", *(_total(t) for t in totals)])
    return Table("Community Supports", "Community Supports requests, decisions, spend", header,
                 body)  # fmt: skip


def _money(value: Decimal | None, hidden: bool) -> Value:
    if hidden:
        return SUPPRESSED
    return None if value is None else str(value)


def _providers(view: ProgramView) -> Table:
    providers = view.providers
    active = [p.active for p in providers]
    shown = _columns([[a] for a in active], [sum(active)])
    header = ["ECM provider", "Counties", "Declared capacity", "Plan's members active",
              "% of capacity used"]  # fmt: skip
    body: list[list[Value]] = [
        [p.name, ", ".join(p.counties), p.capacity, cells[0], _rate(cells[0], p.capacity)]
        for p, cells in zip(providers, shown, strict=True)
    ]
    total = _total(sum(active))
    body.append(["All", "", sum(p.capacity for p in providers), total,
                 _rate(total, sum(p.capacity for p in providers))])  # fmt: skip
    return Table("ECM capacity", "ECM providers: capacity against the plan's assignments",
                 header, body)  # fmt: skip


def coverage_note(view: ProgramView) -> list[str]:
    """A note when the period starts before the first stored determination."""
    first = view.determinations_from
    if first is None or first <= view.provenance.period.start:
        return []
    return [f"Stored determinations start on {first}: earlier months show no eligible members "
            "because none were determined then, not because none were eligible."]  # fmt: skip


def tables(view: ProgramView) -> list[Table]:
    """Every table of the published program view."""
    return [_funnel(view), _months(view), _month_populations(view), _services(view),
            _providers(view)]  # fmt: skip


def program_xlsx(view: ProgramView) -> bytes:
    """About (provenance), then one sheet per table."""
    book = Workbook()
    about_sheet(book, TITLE, view.plan, view.provenance, [*NOTES, *coverage_note(view)])
    for found in tables(view):
        table(book.create_sheet(found.sheet), (1, 1), found.title, found.header, found.rows)
    return to_bytes(book)


def program_csv(view: ProgramView) -> str:
    """Long form: section, group, measure, value (the provenance first)."""
    rows: list[list[object]] = [["about", view.plan, k, v] for k, v in view.provenance.lines()]
    for found in tables(view):
        keys = 2 if found.sheet in ("Funnel", "Month by population") else 1
        for line in found.rows:
            group = " / ".join(str(v) for v in line[:keys])
            for label, value in zip(found.header[keys:], line[keys:], strict=False):
                rows.append([found.sheet, group, label, "" if value is None else value])
    return to_csv(["section", "group", "measure", "value"], rows)
