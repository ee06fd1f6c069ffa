"""Pre-release Medi-Cal services received in custody within a lookback window."""

from __future__ import annotations

from calaim.engine.features.base import Arg, ArgKind, Args, Context, Feature, sql_list


class PreReleaseService(Feature):
    """Received one of the pre-release services in the window (service date on or before as-of)."""

    name = "pre_release_service"
    source = "pre_release_service"
    summary = "pre-release services received in the lookback window"
    args = {
        "services": Arg(ArgKind.LIST, help="reentry_care_management, medication, mat, ..."),
        "months": Arg(ArgKind.NUMBER, help="service within this many months"),
    }

    def _condition(self, args: Args, ctx: Context) -> str:
        return (
            f"service IN {sql_list(args['services'].value)} AND "
            f"{ctx.in_window('service_date', args['months'].value)}"
        )

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Number of pre-release services in the window."""
        return f"count(*) FILTER (WHERE {self._condition(args, ctx)})"

    def test_sql(self, value: str, args: Args) -> str:
        """At least one service."""
        return f"(coalesce({value}, 0) >= 1)"

    def describe(self, args: Args) -> str:
        """'received pre-release services in the last 12 months'."""
        return f"received pre-release services in the last {args['months'].value} months"

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """The services."""
        return (
            "SELECT person_id, service_date AS date, 'pre-release service: ' || service AS detail "
            f"FROM pre_release_service WHERE {self._condition(args, ctx)}"
        )


FEATURE = PreReleaseService()
