"""Shared shape of the 'count events in a lookback window, at least N' features."""

from __future__ import annotations

from calaim.engine.features.base import Arg, ArgKind, Args, Feature, plural
from calaim.engine.features.plain import value_set_name

MONTHS = Arg(ArgKind.NUMBER, help="lookback window in months, ending on the as-of date")
AT_LEAST = Arg(ArgKind.NUMBER, help="threshold: the count must be at least this")
VALUE_SET = Arg(
    ArgKind.VALUE_SET, required=False, help="count only events with a diagnosis in this set"
)


class WindowCount(Feature):
    """Count events of one source in the lookback window and compare with a threshold."""

    noun = "event"
    date_column = "event_date"

    def test_sql(self, value: str, args: Args) -> str:
        """At least the threshold (no events reads as zero)."""
        return f"(coalesce({value}, 0) >= {args['at_least'].value})"

    def describe(self, args: Args) -> str:
        """'at least 5 ED visits in the last 6 months'."""
        what = plural(args["at_least"].value, self.noun).split(" ", 1)[1]
        if args.get("value_set") and args["value_set"].value:
            what += f" for {value_set_name(args['value_set'].value)}"
        return f"at least {args['at_least'].value} {what} in the last {args['months'].value} months"
