"""Emergency department visits in a lookback window (distinct visit dates)."""

from __future__ import annotations

from calaim.engine.features.base import Args, Context
from calaim.engine.features.counts import AT_LEAST, MONTHS, VALUE_SET, WindowCount


class EdVisits(WindowCount):
    """ED visits: distinct dates with an ED revenue code, ED place of service or ED E/M code."""

    name = "ed_visits"
    source = "ed_visit"
    summary = "ED visits (distinct dates) in the lookback window"
    noun = "ED visit"
    args = {"months": MONTHS, "at_least": AT_LEAST, "value_set": VALUE_SET}

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Distinct visit dates in the window (optionally only visits with a matching dx)."""
        condition = ctx.in_window("visit_date", args["months"].value)
        value_set = args.get("value_set")
        if value_set and value_set.value:
            condition += f" AND list_contains(value_sets, '{value_set.value}')"
        return f"count(DISTINCT visit_date) FILTER (WHERE {condition})"

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """The ED visits counted."""
        condition = ctx.in_window("visit_date", args["months"].value)
        return (
            f"SELECT person_id, visit_date AS date, 'ED visit, claim ' || claim_ids AS detail "
            f"FROM ed_visit WHERE {condition}"
        )


FEATURE = EdVisits()
