"""Enrollment in other programs (waivers, hospice, SMHS, foster care, ...)."""

from __future__ import annotations

from calaim.engine.features.base import Arg, ArgKind, Args, Context, Feature, sql_list


class Program(Feature):
    """Enrolled in one of the programs on the as-of date, or within `months` before it."""

    name = "program"
    source = "program_enrollment"
    summary = "enrollment in one of the given programs"
    args = {
        "programs": Arg(ArgKind.LIST, help="program codes (contract vocabulary)"),
        "months": Arg(
            ArgKind.NUMBER, required=False, help="also count enrollments that ended this recently"
        ),
    }

    def _condition(self, args: Args, ctx: Context) -> str:
        months = args.get("months")
        # Active on the as-of date (end on or after it), or, with `months`, ended inside the
        # window (as_of - months, as_of]: an end exactly `months` months ago is outside.
        if months and months.value:
            still = f"end_date > {ctx.months_before(months.value)}"
        else:
            still = f"end_date >= {ctx.as_of_sql}"
        return (
            f"program IN {sql_list(args['programs'].value)} AND start_date <= {ctx.as_of_sql} "
            f"AND (end_date IS NULL OR {still})"
        )

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Number of qualifying enrollments."""
        return f"count(*) FILTER (WHERE {self._condition(args, ctx)})"

    def test_sql(self, value: str, args: Args) -> str:
        """At least one."""
        return f"(coalesce({value}, 0) >= 1)"

    def describe(self, args: Args) -> str:
        """'enrolled in hospice or pace'."""
        programs = " or ".join(args["programs"].value)
        months = args.get("months")
        if months and months.value:
            return f"enrolled in {programs} now or in the last {months.value} months"
        return f"enrolled in {programs} on the as-of date"

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """The enrollments."""
        return (
            "SELECT person_id, start_date AS date, 'enrolled in ' || program || ' from ' || "
            "CAST(start_date AS VARCHAR) || ' to ' || coalesce(CAST(end_date AS VARCHAR), "
            f"'ongoing') AS detail FROM program_enrollment WHERE {self._condition(args, ctx)}"
        )


FEATURE = Program()
