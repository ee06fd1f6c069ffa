"""Age on the as-of date, from birth date (exact, birthday-aware)."""

from __future__ import annotations

from calaim.engine.features.base import Arg, ArgKind, Args, Context, Feature


class Age(Feature):
    """The member's age in whole years on the as-of date."""

    name = "age"
    source = "members"
    summary = "age in whole years on the as-of date"
    args = {
        "at_least": Arg(ArgKind.NUMBER, required=False, help="minimum age in years"),
        "under": Arg(ArgKind.NUMBER, required=False, help="age must be below this"),
    }

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Whole years between birth and the as-of date."""
        # date_diff('year') counts calendar-year boundaries, so step back one year when the
        # birthday has not yet come round in the as-of year.
        return (
            f"(date_diff('year', birth_date, {ctx.as_of_sql}) - CASE WHEN "
            f"birth_date + INTERVAL (date_diff('year', birth_date, {ctx.as_of_sql})) YEAR "
            f"> {ctx.as_of_sql} THEN 1 ELSE 0 END)"
        )

    def test_sql(self, value: str, args: Args) -> str:
        """Within [at_least, under)."""
        parts = []
        if args.get("at_least") and args["at_least"].value is not None:
            parts.append(f"{value} >= {args['at_least'].value}")
        if args.get("under") and args["under"].value is not None:
            parts.append(f"{value} < {args['under'].value}")
        return "(" + " AND ".join(parts) + ")" if parts else "TRUE"

    def describe(self, args: Args) -> str:
        """'aged 21 or over', 'under 21'."""
        low = args.get("at_least")
        high = args.get("under")
        if low and low.value is not None and high and high.value is not None:
            return f"aged {low.value} or over and under {high.value}"
        if low and low.value is not None:
            return f"aged {low.value} or over"
        return f"under {high.value}" if high else "any age"


FEATURE = Age()
