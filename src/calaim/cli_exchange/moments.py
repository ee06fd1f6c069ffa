"""`--at`: the time a command records, given explicitly or taken as now at the command line."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

AtOpt = Annotated[
    str | None,
    typer.Option("--at", help="The time to record (ISO 8601, UTC if no zone); default now."),
]


def moment(text: str | None) -> dt.datetime:
    """The explicit time given, or now (UTC) for an interactive command."""
    from calaim.cli_common import UserError

    if text is None:
        return dt.datetime.now(dt.UTC)
    try:
        given = dt.datetime.fromisoformat(text)
    except ValueError as error:
        raise UserError(f"--at {text!r} is not a date-time; write 2025-10-01T12:00:00Z") from error
    return given if given.tzinfo else given.replace(tzinfo=dt.UTC)
