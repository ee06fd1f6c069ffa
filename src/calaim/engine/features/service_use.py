"""Past use of ECM or Community Supports, read from claims by HCPCS code + modifier.

This is how once-per-lifetime services, rolling-window caps and the combined 6-month limit on
recuperative care, post-hospitalization housing and transitional rent are computed.
"""

from __future__ import annotations

from calaim.engine.features.base import Arg, ArgKind, Args, Context, Feature, sql_list

MEASURES = ("episodes", "units", "days")
PERIODS = ("calendar_year",)


class ServiceUse(Feature):
    """Episodes (distinct claims), units, or days of the listed services, in a window or ever.

    A line counts when it overlaps the window (as_of - months, as_of]; `days` counts only the
    days of each line that fall inside the window and not after the as-of date.
    """

    name = "service_use"
    source = "service"
    summary = "past use of ECM / Community Supports services"
    args = {
        "services": Arg(ArgKind.LIST, help="program ids of the services counted together"),
        "measure": Arg(ArgKind.NAME, choices=MEASURES, help="episodes, units or days"),
        "at_least": Arg(ArgKind.NUMBER, help="the use is at least this"),
        "months": Arg(ArgKind.NUMBER, required=False, help="rolling window (omit: lifetime)"),
        "period": Arg(
            ArgKind.NAME,
            required=False,
            choices=PERIODS,
            help="calendar_year: count only use since January 1 of the as-of year",
        ),
    }

    def _window_start(self, args: Args, ctx: Context) -> str | None:
        """The (exclusive) day before the window, or None for lifetime use."""
        period = args.get("period")
        if period and period.value == "calendar_year":
            return f"DATE '{ctx.as_of.year - 1}-12-31'"
        months = args.get("months")
        return ctx.months_before(months.value) if months and months.value else None

    def _condition(self, args: Args, ctx: Context) -> str:
        condition = (
            f"program_id IN {sql_list(args['services'].value)} AND start_date <= {ctx.as_of_sql}"
        )
        start = self._window_start(args, ctx)
        if start is not None:
            condition += f" AND span_end > {start}"
        return condition

    def _days_inside(self, args: Args, ctx: Context) -> str:
        start = self._window_start(args, ctx)
        first = "start_date" if start is None else f"greatest(start_date, {start} + 1)"
        return f"(date_diff('day', {first}, least(span_end, {ctx.as_of_sql})) + 1)"

    def value_sql(self, args: Args, ctx: Context) -> str:
        """The use measured: distinct claims, units, or days inside the window."""
        expression = {
            "episodes": "count(DISTINCT claim_id)",
            "units": "sum(units)",
            "days": f"sum({self._days_inside(args, ctx)})",
        }[args["measure"].value]
        return f"{expression} FILTER (WHERE {self._condition(args, ctx)})"

    def test_sql(self, value: str, args: Args) -> str:
        """Use at least the threshold."""
        return f"(coalesce({value}, 0) >= {args['at_least'].value})"

    def describe(self, args: Args) -> str:
        """'at least 183 days of cs.recuperative_care in the last 12 months'."""
        months = args.get("months")
        period = args.get("period")
        if period and period.value == "calendar_year":
            when = "this calendar year"
        else:
            when = f"in the last {months.value} months" if months and months.value else "ever"
        services = " + ".join(args["services"].value)
        return f"at least {args['at_least'].value} {args['measure'].value} of {services} {when}"

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """The service lines counted, with the days each stands for."""
        return (
            "SELECT person_id, start_date AS date, program_id || ': ' || hcpcs || ' ' || "
            "modifier || ', ' || CAST(units AS VARCHAR) || ' unit(s), ' || "
            "CAST(start_date AS VARCHAR) || ' to ' || CAST(span_end AS VARCHAR) || ', claim ' "
            f"|| claim_id AS detail FROM service WHERE {self._condition(args, ctx)}"
        )


FEATURE = ServiceUse()
