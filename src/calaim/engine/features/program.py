"""Enrollment in other programs (waivers, hospice, SMHS, foster care, ...)."""

from __future__ import annotations

from calaim.engine.features.base import Arg, ArgKind, Args, Context, Feature, sql_list
from calaim.engine.features.plain import program_names


class Program(Feature):
    """Enrolled in one of the programs on the as-of date, or within `months` before it; or,
    with `since_age`, ever enrolled on or after the member's birthday at that age."""

    name = "program"
    source = "program_span"
    summary = "enrollment in one of the given programs"
    args = {
        "programs": Arg(ArgKind.LIST, help="program codes (contract vocabulary)"),
        "months": Arg(
            ArgKind.NUMBER, required=False, help="also count enrollments that ended this recently"
        ),
        "since_age": Arg(
            ArgKind.NUMBER,
            required=False,
            help="count any enrollment (ever) still open on or after this birthday",
        ),
    }

    def _condition(self, args: Args, ctx: Context) -> str:
        since_age = args.get("since_age")
        months = args.get("months")
        programs = f"program IN {sql_list(args['programs'].value)}"
        started = f"start_date <= {ctx.as_of_sql}"
        if since_age and since_age.value is not None:
            # In the program on or after the birthday (e.g. in foster care at 18 or later:
            # aged out), whenever that was; an ongoing enrollment counts up to the as-of date.
            birthday = f"CAST(birth_date + INTERVAL {int(since_age.value)} YEAR AS DATE)"
            until = f"coalesce(end_date, {ctx.as_of_sql})"
            return (
                f"{programs} AND {started} AND {until} >= {birthday} "
                f"AND {birthday} <= {ctx.as_of_sql}"
            )
        # Active on the as-of date (end on or after it), or, with `months`, ended inside the
        # window (as_of - months, as_of]: an end exactly `months` months ago is outside.
        if months and months.value:
            still = f"end_date > {ctx.months_before(months.value)}"
        else:
            still = f"end_date >= {ctx.as_of_sql}"
        return f"{programs} AND {started} AND (end_date IS NULL OR {still})"

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Number of qualifying enrollments."""
        return f"count(*) FILTER (WHERE {self._condition(args, ctx)})"

    def test_sql(self, value: str, args: Args) -> str:
        """At least one."""
        return f"(coalesce({value}, 0) >= 1)"

    def describe(self, args: Args) -> str:
        """'enrolled in hospice or PACE on the as-of date'."""
        programs = program_names(args["programs"].value)
        since_age = args.get("since_age")
        if since_age and since_age.value is not None:
            return f"enrolled in {programs} on or after their {since_age.value}th birthday"
        months = args.get("months")
        if months and months.value:
            return f"enrolled in {programs} now or in the last {months.value} months"
        return f"enrolled in {programs} now"

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """The enrollments."""
        return (
            "SELECT person_id, start_date AS date, 'enrolled in ' || program || ' from ' || "
            "CAST(start_date AS VARCHAR) || ' to ' || coalesce(CAST(end_date AS VARCHAR), "
            f"'ongoing') AS detail FROM program_span WHERE {self._condition(args, ctx)}"
        )


FEATURE = Program()
