"""What every feature module provides: its arguments, its SQL, its plain-English reading.

A feature is one kind of fact about a member that rules may test, computed set-at-a-time from
one *source* relation (the enrolled members, or an event table built from claims and the
supplement tables). Its SQL is written in DuckDB's dialect and parsed by SQLGlot, so the same
feature runs on any backend SQLGlot can write for. Features never see YAML or plans.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ArgKind(StrEnum):
    """How a feature argument is written in a rule."""

    NUMBER = "number"  # a parameter path (or a literal number)
    LIST = "list"  # a parameter path (or a literal list)
    VALUE_SET = "value_set"  # a value set id
    NAME = "name"  # a literal word from a closed list (`choices`)
    BOOL = "bool"  # a literal true/false
    FLAG = "flag"  # a parameter path to a dated yes/no (or a literal true/false)


@dataclass(frozen=True)
class Arg:
    """One argument a feature takes."""

    kind: ArgKind
    required: bool = True
    choices: tuple[str, ...] = ()
    default: Any = None
    help: str = ""


@dataclass(frozen=True)
class ResolvedArg:
    """An argument's value for one evaluation, and where it came from."""

    value: Any
    parameter: str | None = None  # dotted path when the value came from a parameter
    effective: dt.date | None = None  # the date that parameter value took effect


Args = Mapping[str, ResolvedArg]


@dataclass(frozen=True)
class Context:
    """What a feature's SQL may depend on besides its arguments."""

    as_of: dt.date

    @property
    def as_of_sql(self) -> str:
        """The as-of date as a SQL literal."""
        return f"DATE '{self.as_of.isoformat()}'"

    def months_before(self, months: int) -> str:
        """SQL for the date `months` months before the as-of date."""
        return f"CAST({self.as_of_sql} - INTERVAL {int(months)} MONTH AS DATE)"

    def days_before(self, days: int) -> str:
        """SQL for the date `days` days before the as-of date."""
        return f"CAST({self.as_of_sql} - INTERVAL {int(days)} DAY AS DATE)"

    def in_window(self, column: str, months: int) -> str:
        """Condition: `column` falls in the `months`-month lookback ending on the as-of date.

        The window is (as_of - months, as_of]: an event exactly `months` months before the
        as-of date is outside it, the day after is inside, and the as-of date itself counts.
        """
        return f"({column} > {self.months_before(months)} AND {column} <= {self.as_of_sql})"


class Feature:
    """Base class of a feature module's single feature object."""

    name: str = ""
    source: str = ""
    summary: str = ""
    args: Mapping[str, Arg] = {}

    def value_sql(self, args: Args, ctx: Context) -> str:
        """Aggregate (or, for the members source, scalar) SQL for the observed value."""
        raise NotImplementedError

    def test_sql(self, value: str, args: Args) -> str:
        """Boolean SQL over the observed value; NULL (no rows) must read as 'not met'."""
        raise NotImplementedError

    def describe(self, args: Args) -> str:
        """Plain English for the test, e.g. 'at least 5 ED visits in the last 6 months'."""
        raise NotImplementedError

    def evidence_sql(self, args: Args, ctx: Context) -> str | None:
        """SQL listing the facts behind the value: columns person_id, date, detail (the
        explainer keeps one person's rows)."""
        return None

    def unchecked(self, args: Args, value: object) -> str | None:
        """Why the member's value cannot answer the test (e.g. 'not checked: no household
        data recorded'), or None when it can. The test itself still reads as not met."""
        return None

    def note(self, args: Args, evidence: list[dict[str, Any]]) -> str | None:
        """An extra plain sentence about the value, from its evidence rows (or None)."""
        return None


def sql_list(values: Any) -> str:
    """A SQL list literal of text values, e.g. ('a', 'b')."""
    quoted = ", ".join("'" + str(value).replace("'", "''") + "'" for value in values)
    return f"({quoted})"


def plural(count: Any, word: str) -> str:
    """'1 visit', '5 visits'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
