"""Office, home and urgent-care visits (not ED visits) in a lookback window.

Used for "sick or urgent-care visits" (Asthma Remediation) and for members whose only care is
crisis, ED, urgent care or inpatient (ECM PoF 3: no routine visit at all).
"""

from __future__ import annotations

from calaim.engine.features.base import Arg, ArgKind, Args, Context
from calaim.engine.features.counts import AT_LEAST, MONTHS, VALUE_SET, WindowCount
from calaim.engine.features.plain import value_set_name

KINDS = ("any", "urgent_care", "routine", "sick")


class OfficeVisits(WindowCount):
    """Distinct visit dates of the chosen kind:

    - `any`: every office, home or urgent-care visit;
    - `urgent_care`: urgent-care visits (revenue 0456, place of service 20, S9083/S9088);
    - `routine`: office or home visits that are not urgent care;
    - `sick`: urgent-care visits, or any visit with a diagnosis in `acute_value_set`.
    With `value_set`, only visits whose claim has a diagnosis in it (for `sick`, the urgent-care
    visits must have one).
    """

    name = "office_visits"
    source = "office_visit"
    summary = "office, home or urgent-care visits (distinct dates) in the lookback window"
    noun = "visit"
    args = {
        "months": MONTHS,
        "at_least": AT_LEAST,
        "value_set": VALUE_SET,
        "kind": Arg(ArgKind.NAME, required=False, choices=KINDS, default="any"),
        "acute_value_set": Arg(
            ArgKind.VALUE_SET, required=False, help="sick: any visit with this diagnosis counts"
        ),
    }

    def _condition(self, args: Args, ctx: Context) -> str:
        condition = ctx.in_window("visit_date", args["months"].value)
        value_set = args.get("value_set")
        has_dx = (
            f"list_contains(value_sets, '{value_set.value}')"
            if value_set and value_set.value
            else "TRUE"
        )
        kind = args["kind"].value if args.get("kind") else "any"
        if kind == "sick":
            acute = args.get("acute_value_set")
            acute_dx = f"list_contains(value_sets, '{acute.value}')" if acute else "FALSE"
            return f"{condition} AND ((urgent AND {has_dx}) OR {acute_dx})"
        extra = {"any": "TRUE", "urgent_care": "urgent", "routine": "NOT urgent"}[kind]
        return f"{condition} AND {extra} AND {has_dx}"

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Distinct visit dates of the kind in the window (the source has one row per person
        and date, so counting rows counts dates, without a per-person distinct set)."""
        return f"count(*) FILTER (WHERE {self._condition(args, ctx)})"

    def describe(self, args: Args) -> str:
        """'at least 2 sick or urgent-care visits for asthma in the last 12 months'."""
        kind = args["kind"].value if args.get("kind") else "any"
        value_set = args.get("value_set")
        topic = f" for {value_set_name(value_set.value)}" if value_set and value_set.value else ""
        what = {
            "any": "office, home or urgent-care visits",
            "urgent_care": "urgent-care visits",
            "routine": "routine office or home visits (not urgent care)",
            "sick": "sick or urgent-care visits",
        }[kind]
        months = args["months"].value
        text = f"at least {args['at_least'].value} {what}{topic} in the last {months} months"
        acute = args.get("acute_value_set")
        if kind == "sick" and acute and acute.value:
            text += f" (a sick visit is one for {value_set_name(acute.value)})"
        return text

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """The visits counted."""
        return (
            "SELECT person_id, visit_date AS date, CASE WHEN urgent THEN 'urgent-care visit' "
            "ELSE 'office visit' END || ', claim ' || claim_ids AS detail "
            f"FROM office_visit WHERE {self._condition(args, ctx)}"
        )


FEATURE = OfficeVisits()
