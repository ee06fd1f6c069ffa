"""Records of listed kinds dated within a lookback window: releases from custody, pre-release
services received in custody.

One feature class, one instance per source table: each names the table, the column holding the
kind (`facility_type`, `service`), the dated column, and how its sentences and evidence read.
A new "a record of one of these kinds in the last N months" feature is one more instance here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from calaim.engine.features.base import Arg, ArgKind, Args, Context, Feature, sql_list
from calaim.engine.features.plain import setting_names


@dataclass(frozen=True)
class Lookback:
    """How one source table's dated records read: columns, words and evidence."""

    kinds_arg: str  # the rule's argument listing the kinds, e.g. `facilities`
    kinds_help: str
    kind_column: str
    date_column: str
    months_help: str
    describe: Callable[[list[str], object], str]  # (kinds, months) -> the plain sentence
    detail_sql: str  # SQL for the evidence row's `detail`


class RecordsInWindow(Feature):
    """At least one record of the listed kinds dated in the window (on or before the as-of)."""

    def __init__(self, name: str, source: str, summary: str, lookback: Lookback) -> None:
        self.name = name
        self.source = source
        self.summary = summary
        self.lookback = lookback
        self.args = {
            lookback.kinds_arg: Arg(ArgKind.LIST, help=lookback.kinds_help),
            "months": Arg(ArgKind.NUMBER, help=lookback.months_help),
        }

    def _condition(self, args: Args, ctx: Context) -> str:
        kinds = args[self.lookback.kinds_arg].value
        return (
            f"{self.lookback.kind_column} IN {sql_list(kinds)} AND "
            f"{ctx.in_window(self.lookback.date_column, args['months'].value)}"
        )

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Number of records in the window."""
        return f"count(*) FILTER (WHERE {self._condition(args, ctx)})"

    def test_sql(self, value: str, args: Args) -> str:
        """At least one record."""
        return f"(coalesce({value}, 0) >= 1)"

    def describe(self, args: Args) -> str:
        """E.g. 'released from jail or prison in the last 12 months'."""
        return self.lookback.describe(args[self.lookback.kinds_arg].value, args["months"].value)

    def evidence_sql(self, args: Args, ctx: Context) -> str:
        """The records, dated."""
        return (
            f"SELECT person_id, {self.lookback.date_column} AS date, "
            f"{self.lookback.detail_sql} AS detail FROM {self.source} "
            f"WHERE {self._condition(args, ctx)}"
        )


INCARCERATION_RELEASE = RecordsInWindow(
    "incarceration_release",
    "incarceration",
    "releases from incarceration in the lookback window",
    Lookback(
        kinds_arg="facilities",
        kinds_help="jail, prison, youth_facility",
        kind_column="facility_type",
        date_column="release_date",
        months_help="release within this many months",
        describe=lambda kinds, months: (
            f"released from {setting_names(kinds)} in the last {months} months"
        ),
        detail_sql=(
            "'released from ' || facility_type || "
            "' (admitted ' || CAST(admission_date AS VARCHAR) || ')'"
        ),
    ),
)
PRE_RELEASE_SERVICE = RecordsInWindow(
    "pre_release_service",
    "pre_release_service",
    "pre-release services received in the lookback window",
    Lookback(
        kinds_arg="services",
        kinds_help="reentry_care_management, medication, mat, ...",
        kind_column="service",
        date_column="service_date",
        months_help="service within this many months",
        describe=lambda _kinds, months: (
            f"received pre-release services in the last {months} months"
        ),
        detail_sql="'pre-release service: ' || service",
    ),
)
