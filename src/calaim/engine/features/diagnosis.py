"""Claims carrying a diagnosis from a value set, in a lookback window or ever."""

from __future__ import annotations

from calaim.engine.features.base import Arg, ArgKind, Args, Context, Feature, plural
from calaim.engine.features.plain import value_set_name


class Diagnosis(Feature):
    """Distinct claims with a diagnosis code in the value set."""

    name = "diagnosis"
    source = "dx"
    summary = "claims with a diagnosis in the value set"
    args = {
        "value_set": Arg(ArgKind.VALUE_SET, help="the diagnosis value set"),
        "months": Arg(ArgKind.NUMBER, required=False, help="lookback in months (omit: ever)"),
        "at_least": Arg(ArgKind.NUMBER, required=False, default=1, help="minimum claims"),
    }

    def _condition(self, args: Args, ctx: Context) -> str:
        condition = f"value_set = '{args['value_set'].value}' AND service_date <= {ctx.as_of_sql}"
        months = args.get("months")
        if months and months.value is not None:
            condition += f" AND {ctx.in_window('service_date', months.value)}"
        return condition

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Claims with a matching diagnosis (the dx source has one row per claim and set)."""
        return f"count(*) FILTER (WHERE {self._condition(args, ctx)})"

    def test_sql(self, value: str, args: Args) -> str:
        """At least `at_least` claims (default 1)."""
        return f"(coalesce({value}, 0) >= {args['at_least'].value or 1})"

    def describe(self, args: Args) -> str:
        """'at least 1 claim with a diagnosis in smi in the last 12 months'."""
        months = args.get("months")
        when = f" in the last {months.value} months" if months and months.value else " ever"
        count = plural(args["at_least"].value or 1, "claim")
        return (
            f"at least {count} with a diagnosis of {value_set_name(args['value_set'].value)}{when}"
        )

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """The matching diagnoses."""
        return (
            "SELECT person_id, service_date AS date, "
            "'diagnosis ' || codes || ' on claim ' || claim_id AS detail "
            f"FROM dx WHERE {self._condition(args, ctx)}"
        )


FEATURE = Diagnosis()
