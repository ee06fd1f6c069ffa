"""`calaim worker`: the background work no request does itself.

Each round (every `--interval` seconds, or once with `--once`): bring the DHCS clock tasks up
to date (and tell both parties of loops running late), then send the email outbox over SMTP
(`CALAIM_SMTP_HOST` and friends; see `calaim.ops.notifications.outbox`). Each round is one
transaction; several workers may run at once (on PostgreSQL they never claim the same email).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from calaim.ops.tasks.sweep import SweepResult


def worker(
    once: Annotated[bool, typer.Option("--once", help="Run one round and stop.")] = False,
    interval: Annotated[
        float, typer.Option("--interval", min=0.1, help="Seconds between rounds.")
    ] = 30.0,
    at: Annotated[
        str | None,
        typer.Option("--at", help="Run as of this time (ISO, e.g. 2025-10-01T16:00:00Z)."),
    ] = None,
) -> None:
    """Sweep the clock tasks and send the email outbox, in rounds."""
    from calaim.cli_common import console, run_safely

    def action() -> None:
        while True:
            now = _now(at)
            swept, sent, failed = one_round(now)
            console.print(
                f"{now:%Y-%m-%d %H:%M:%S} UTC: {swept.created} tasks created, "
                f"{swept.closed} closed, {swept.late_loops} loops late; "
                f"{sent} emails sent, {failed} not sent yet",
                highlight=False,
            )
            if once:
                return
            time.sleep(interval)

    run_safely(action)


def one_round(now: dt.datetime) -> tuple[SweepResult, int, int]:
    """One round on the configured database: (sweep result, emails sent, emails failed)."""
    from calaim.cli_common import transaction
    from calaim.ops.notifications.outbox import SmtpSettings, send_batch
    from calaim.ops.tasks.sweep import sweep

    with transaction() as session:
        swept = sweep(session, now)
    settings = SmtpSettings.from_environment()
    if settings is None:
        return swept, 0, 0
    with transaction() as session:
        sent, failed = send_batch(session, settings, now)
    return swept, sent, failed


def _now(at: str | None) -> dt.datetime:
    if at is None:
        # The worker is the one place that reads the machine's clock: it runs in real time.
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError as error:
        raise typer.BadParameter(f"--at {at!r} is not a time like 2025-10-01T16:00:00Z") from error
    if moment.tzinfo is None:
        raise typer.BadParameter("--at needs a time zone, e.g. 2025-10-01T16:00:00Z")
    return moment.astimezone(dt.UTC)
