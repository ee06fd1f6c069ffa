"""Pregnant on the as-of date, or within the postpartum period after a pregnancy ended."""

from __future__ import annotations

from calaim.engine.features.base import Arg, ArgKind, Args, Context, Feature


class Pregnancy(Feature):
    """A `pregnancy` row that is ongoing, or ended no more than `postpartum_months` ago."""

    name = "pregnancy"
    source = "pregnancy"
    summary = "pregnancies ongoing or ended within the postpartum period"
    args = {
        "postpartum_months": Arg(ArgKind.NUMBER, help="months after the end that still count"),
    }

    def _condition(self, args: Args, ctx: Context) -> str:
        since = ctx.months_before(args["postpartum_months"].value)
        return f"start_date <= {ctx.as_of_sql} AND (end_date IS NULL OR end_date > {since})"

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Number of qualifying pregnancies."""
        return f"count(*) FILTER (WHERE {self._condition(args, ctx)})"

    def test_sql(self, value: str, args: Args) -> str:
        """At least one."""
        return f"(coalesce({value}, 0) >= 1)"

    def describe(self, args: Args) -> str:
        """'pregnant, or up to 12 months postpartum'."""
        return f"pregnant, or up to {args['postpartum_months'].value} months postpartum"

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """The pregnancies."""
        return (
            "SELECT person_id, start_date AS date, 'pregnancy from ' || "
            "CAST(start_date AS VARCHAR) || ' to ' || coalesce(CAST(end_date AS VARCHAR), "
            "'ongoing') AS detail FROM pregnancy "
            f"WHERE {self._condition(args, ctx)}"
        )


FEATURE = Pregnancy()
