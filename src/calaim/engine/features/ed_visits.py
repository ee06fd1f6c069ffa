"""Emergency department visits in a lookback window (distinct visit dates)."""

from __future__ import annotations

from typing import Any

from calaim.engine.features.base import Arg, ArgKind, Args, Context
from calaim.engine.features.counts import AT_LEAST, MONTHS, VALUE_SET, WindowCount

URGENT_CARE_MARK = "urgent care (revenue code 0456)"


class EdVisits(WindowCount):
    """ED visits: distinct dates with an ED revenue code, ED place of service or ED E/M code.

    Dates whose only ED-like line is revenue code 0456 (urgent care) count unless
    `urgent_care_revenue_code` is false (a dated parameter in the rules that decide it).
    """

    name = "ed_visits"
    source = "ed_visit"
    summary = "ED visits (distinct dates) in the lookback window"
    noun = "ED visit"
    args = {
        "months": MONTHS,
        "at_least": AT_LEAST,
        "value_set": VALUE_SET,
        "urgent_care_revenue_code": Arg(
            ArgKind.FLAG,
            required=False,
            help="count visits billed only with revenue code 0456 (urgent care); default yes",
        ),
    }

    def _counts_urgent_care(self, args: Args) -> bool:
        flag = args.get("urgent_care_revenue_code")
        return flag is None or bool(flag.value)

    def _window(self, args: Args, ctx: Context) -> str:
        condition = ctx.in_window("visit_date", args["months"].value)
        value_set = args.get("value_set")
        if value_set and value_set.value:
            condition += f" AND list_contains(value_sets, '{value_set.value}')"
        return condition

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Distinct visit dates in the window (optionally only visits with a matching dx)."""
        condition = self._window(args, ctx)
        if not self._counts_urgent_care(args):
            condition += " AND NOT urgent_care_only"
        # One row per person and date in the source: counting rows counts distinct dates.
        return f"count(*) FILTER (WHERE {condition})"

    def describe(self, args: Args) -> str:
        """'at least 5 ED visits in the last 6 months (urgent-care visits ... not counted)'."""
        text = super().describe(args)
        if not self._counts_urgent_care(args):
            text += " (visits billed only as urgent care, revenue code 0456, not counted)"
        return text

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """Every ED-like visit in the window; urgent-care-only dates are marked."""
        return (
            "SELECT person_id, visit_date AS date, CASE WHEN urgent_care_only THEN "
            f"'{URGENT_CARE_MARK}, claim ' ELSE 'ED visit, claim ' END || claim_ids AS detail "
            f"FROM ed_visit WHERE {self._window(args, ctx)}"
        )

    def note(self, args: Args, evidence: list[dict[str, Any]]) -> str | None:
        """ED visits with and without the urgent-care revenue code, when it makes a difference."""
        urgent = sum(1 for row in evidence if str(row["detail"]).startswith(URGENT_CARE_MARK))
        if not urgent:
            return None
        total = len({row["date"] for row in evidence})
        without = len(
            {row["date"] for row in evidence if not str(row["detail"]).startswith(URGENT_CARE_MARK)}
        )
        counted = "counted" if self._counts_urgent_care(args) else "not counted"
        return (
            f"{without} ED visits without urgent-care visits billed as revenue code 0456, "
            f"{total} with them ({counted} here)"
        )


FEATURE = EdVisits()
