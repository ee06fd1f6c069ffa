"""The eligible-but-not-enrolled list as CSV or XLSX, for the plan's own outreach team.

Member data: not suppressed, never for publication; reading it is audited per member
(`reports/outreach_list.py`). The XLSX's About sheet gives the as-of date, the policy hash and
the input fingerprint; the CSV repeats the as-of date and fingerprint on every line, so a
filtered copy still says where it came from.
"""

from __future__ import annotations

from openpyxl import Workbook  # type: ignore[import-untyped]

from calaim.reports.csv_export import to_csv
from calaim.reports.outreach_list import Candidate, OutreachList
from calaim.reports.workbook import Value, about_sheet, table, to_bytes

TITLE = "ECM: eligible members not enrolled (for outreach)"
COLUMNS = (
    "rank", "person_id", "cin", "name", "birth_date", "county", "language", "phone",
    "populations_of_focus", "eligible_since", "days_waiting", "stage", "ecm_provider",
    "phm_tier", "phm_score", "utilization",
)  # fmt: skip
NOTES = [
    "Member data for the plan's own outreach: do not send outside the plan.",
    "Order: PHM risk score and utilization (when a tiers file was given), then the number of "
    "Populations of Focus, then the longest wait since first found eligible.",
]


def row(c: Candidate) -> list[Value]:
    """One member's line."""
    tier = c.tier
    return [
        c.rank, c.person_id, c.cin, c.name, c.birth_date.isoformat(), c.county, c.language,
        c.phone, "; ".join(c.populations),
        c.eligible_since.isoformat() if c.eligible_since else None, c.days_waiting,
        c.stage.replace("_", " "), c.provider, tier.tier if tier else None,
        tier.score if tier else None, tier.utilization if tier else None,
    ]  # fmt: skip


def outreach_csv(found: OutreachList) -> str:
    """One line per member, with the list's as-of date and input fingerprint."""
    facts = found.provenance
    header = [*COLUMNS, "as_of", "input_fingerprint"]
    extra = [facts.as_of.isoformat(), facts.input_fingerprint]
    return to_csv(header, [[*row(c), *extra] for c in found.candidates])


def outreach_xlsx(found: OutreachList) -> bytes:
    """About (provenance), then the list."""
    book = Workbook()
    notes = [*NOTES, f"PHM tiers file used: {'yes' if found.tiers_used else 'no'}"]
    about_sheet(book, TITLE, found.plan, found.provenance, notes)
    table(book.create_sheet("Members"), (1, 1), TITLE, list(COLUMNS),
          [row(c) for c in found.candidates])  # fmt: skip
    return to_bytes(book)
