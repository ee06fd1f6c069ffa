"""Release from jail, prison or a youth facility within a lookback window."""

from __future__ import annotations

from calaim.engine.features.base import Arg, ArgKind, Args, Context, Feature, sql_list
from calaim.engine.features.plain import setting_names


class IncarcerationRelease(Feature):
    """Released from one of the facility types in the window (release date on or before as-of)."""

    name = "incarceration_release"
    source = "incarceration"
    summary = "releases from incarceration in the lookback window"
    args = {
        "facilities": Arg(ArgKind.LIST, help="jail, prison, youth_facility"),
        "months": Arg(ArgKind.NUMBER, help="release within this many months"),
    }

    def _condition(self, args: Args, ctx: Context) -> str:
        return (
            f"facility_type IN {sql_list(args['facilities'].value)} AND "
            f"{ctx.in_window('release_date', args['months'].value)}"
        )

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Number of releases in the window."""
        return f"count(*) FILTER (WHERE {self._condition(args, ctx)})"

    def test_sql(self, value: str, args: Args) -> str:
        """At least one release."""
        return f"(coalesce({value}, 0) >= 1)"

    def describe(self, args: Args) -> str:
        """'released from jail or prison in the last 12 months'."""
        places = setting_names(args["facilities"].value)
        return f"released from {places} in the last {args['months'].value} months"

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """The releases."""
        return (
            "SELECT person_id, release_date AS date, 'released from ' || facility_type || "
            "' (admitted ' || CAST(admission_date AS VARCHAR) || ')' AS detail FROM incarceration "
            f"WHERE {self._condition(args, ctx)}"
        )


FEATURE = IncarcerationRelease()
