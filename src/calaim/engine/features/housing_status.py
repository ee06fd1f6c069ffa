"""The most recent housing status observed in a lookback window."""

from __future__ import annotations

from calaim.engine.features.base import Arg, ArgKind, Args, Context, Feature, sql_list
from calaim.engine.features.plain import housing_status_names


class HousingStatus(Feature):
    """Latest `housing_status` observation in the window is one of the given statuses.

    The latest observation wins, so a member later observed `housed` no longer counts as
    homeless; ties on one date are broken by the status name (deterministic).
    """

    name = "housing_status"
    source = "housing_status"
    summary = "latest housing status observed in the lookback window"
    args = {
        "statuses": Arg(ArgKind.LIST, help="statuses that meet the test"),
        "months": Arg(ArgKind.NUMBER, help="lookback in months for the observation"),
        "observed": Arg(
            ArgKind.NAME,
            required=False,
            choices=("latest", "any"),
            default="latest",
            help="latest: the latest observation must match; any: any observation in the window",
        ),
    }

    def _any(self, args: Args) -> bool:
        observed = args.get("observed")
        return observed is not None and observed.value == "any"

    def _condition(self, args: Args, ctx: Context) -> str:
        return ctx.in_window("observed_date", args["months"].value)

    def value_sql(self, args: Args, ctx: Context) -> str:
        """The latest status in the window (with `observed: any`, how many observations match)."""
        if self._any(args):
            statuses = sql_list(args["statuses"].value)
            return f"count(*) FILTER (WHERE {self._condition(args, ctx)} AND status IN {statuses})"
        return (
            f"arg_max(status, observed_date || ' ' || status) "
            f"FILTER (WHERE {self._condition(args, ctx)})"
        )

    def test_sql(self, value: str, args: Args) -> str:
        """The latest status is one of the listed ones (or any observation is)."""
        if self._any(args):
            return f"(coalesce({value}, 0) >= 1)"
        return f"(coalesce({value} IN {sql_list(args['statuses'].value)}, FALSE))"

    def describe(self, args: Args) -> str:
        """'latest housing status in the last 12 months is unsheltered or sheltered'."""
        statuses = housing_status_names(args["statuses"].value)
        if self._any(args):
            return f"observed {statuses} at some point in the last {args['months'].value} months"
        return f"latest housing status in the last {args['months'].value} months is {statuses}"

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """Every observation in the window."""
        return (
            "SELECT person_id, observed_date AS date, 'housing status ' || status || "
            "coalesce(' (source: ' || source || ')', '') AS detail FROM housing_status "
            f"WHERE {self._condition(args, ctx)}"
        )


FEATURE = HousingStatus()
