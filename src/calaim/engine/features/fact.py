"""The latest value of a screening or assessment fact (`member_fact`) in a lookback window."""

from __future__ import annotations

from calaim.data.contract import MEMBER_FACTS, ColumnType
from calaim.engine.features.base import Arg, ArgKind, Args, Context, Feature
from calaim.engine.features.plain import fact_name, fact_topic


class Fact(Feature):
    """Latest observation of one fact in the window; booleans must be true (or `equals`),
    integers compared with `at_least` / `at_most`."""

    name = "fact"
    source = "member_fact"
    summary = "latest observed value of a member fact in the lookback window"
    args = {
        "fact": Arg(ArgKind.NAME, choices=tuple(MEMBER_FACTS), help="the fact's name"),
        "months": Arg(ArgKind.NUMBER, help="lookback in months for the observation"),
        "equals": Arg(ArgKind.BOOL, required=False, help="boolean facts: required value"),
        "at_least": Arg(ArgKind.NUMBER, required=False, help="integer facts: minimum"),
        "at_most": Arg(ArgKind.NUMBER, required=False, help="integer facts: maximum"),
    }

    def _condition(self, args: Args, ctx: Context) -> str:
        return (
            f"fact = '{args['fact'].value}' AND "
            f"{ctx.in_window('observed_date', args['months'].value)}"
        )

    def value_sql(self, args: Args, ctx: Context) -> str:
        """The latest value in the window (text)."""
        return (
            f"arg_max(value, observed_date || ' ' || value) "
            f"FILTER (WHERE {self._condition(args, ctx)})"
        )

    def _is_boolean(self, args: Args) -> bool:
        return MEMBER_FACTS[args["fact"].value] == ColumnType.BOOLEAN

    def test_sql(self, value: str, args: Args) -> str:
        """Boolean facts compare with `equals` (default true); integers with the bounds."""
        if self._is_boolean(args):
            wanted = "true" if args.get("equals") is None or args["equals"].value else "false"
            return f"(coalesce({value} = '{wanted}', FALSE))"
        parts = [f"{value} IS NOT NULL"]
        if args.get("at_least") and args["at_least"].value is not None:
            parts.append(f"CAST({value} AS BIGINT) >= {args['at_least'].value}")
        if args.get("at_most") and args["at_most"].value is not None:
            parts.append(f"CAST({value} AS BIGINT) <= {args['at_most'].value}")
        return "(coalesce(" + " AND ".join(parts) + ", FALSE))"

    def describe(self, args: Args) -> str:
        """'lives alone (latest record in the last 12 months)'."""
        fact, months = args["fact"].value, args["months"].value
        name = fact_name(fact)
        when = f"(latest record in the last {months} months)"
        if self._is_boolean(args):
            wanted = args.get("equals") is None or args["equals"].value
            return f"{name} {when}" if wanted else f"{name}: no {when}"
        bounds = []
        if args.get("at_least") and args["at_least"].value is not None:
            bounds.append(f"at least {args['at_least'].value}")
        if args.get("at_most") and args["at_most"].value is not None:
            bounds.append(f"at most {args['at_most'].value}")
        return f"{name} {' and '.join(bounds)} {when}"

    def unchecked(self, args: Args, value: object) -> str | None:
        """No record of the fact in the window: the criterion could not be checked."""
        if value is None:
            return f"not checked: no {fact_topic(args['fact'].value)} recorded for this member"
        return None

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """The observations."""
        return (
            f"SELECT person_id, observed_date AS date, '{_sql_text(fact_name(args['fact'].value))}'"
            " || ': ' || value AS detail "
            f"FROM member_fact WHERE {self._condition(args, ctx)}"
        )


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


FEATURE = Fact()
