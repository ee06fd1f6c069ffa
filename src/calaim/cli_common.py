"""What every command module shares: the consoles, user errors, dates, progress, transactions.

A leaf: it imports no other command module, so `cli.py` (the assembly), `cli_admin.py`,
`cli_phm.py`, `cli_reports.py`, `cli_worker.py` and `cli_exchange/` all import from here and
never from each other's helpers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from calaim.data.errors import ContractError
from calaim.engine.backends.base import BackendError
from calaim.engine.explain import UnknownProgramError
from calaim.engine.identify import EngineError, OutputPathError
from calaim.engine.loading.errors import PolicyError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from calaim.engine.loading.policy import Policy

console = Console()
errors = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")

OrgOpt = Annotated[str, typer.Option("--org", help="Organization id, plan code or name.")]
DataOpt = Annotated[Path, typer.Option("--data", help="Folder of input tables (CSV/Parquet).")]
CountyOpt = Annotated[
    str | None,
    typer.Option(
        "--county",
        help="Default county (name or Medi-Cal code) for members whose county is neither in "
        "the files nor derivable from their zip_code.",
    ),
]
EngineOpt = Annotated[
    str,
    typer.Option(
        "--engine",
        help="Where the rules run: duckdb (embedded, the default) or spark (local, or the "
        "cluster of spark-submit; reads Parquet or Delta from any path Spark reads).",
    ),
]
AsOfOpt = Annotated[str, typer.Option("--as-of", help="Evaluation date, YYYY-MM-DD.")]
PlansOpt = Annotated[
    Path | None, typer.Option("--plans", help="Folder of plan configuration (default: sample).")
]
PolicyOpt = Annotated[
    Path | None,
    typer.Option("--policy", help="Policy folder to use instead of the shipped one."),
]


class UserError(Exception):
    """A problem the user can fix; printed without a traceback."""


def parse_date(text: str, option: str = "--as-of") -> dt.date:
    """An ISO date, or a clear error naming the option."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise UserError(f"{option} {text!r} is not a date; write it as YYYY-MM-DD.") from error


def run_safely(action: Callable[[], T]) -> T:
    """Run a command body, turning known errors into messages and exit code 2."""
    try:
        return action()
    except ContractError as error:
        errors.print(
            "[bold red]The input does not match the data contract.[/] Nothing was evaluated."
        )
        errors.print(error.render(), markup=False, highlight=False)
    except PolicyError as error:
        errors.print(f"[bold red]Policy configuration error:[/] {error}", highlight=False)
    except (
        UserError,
        OutputPathError,
        EngineError,
        UnknownProgramError,
        FileNotFoundError,
    ) as error:
        errors.print(f"[bold red]Error:[/] {error}", highlight=False)
    except BackendError as error:
        errors.print(
            f"[bold red]The engine failed:[/] {str(error).splitlines()[0]}\n"
            "Run again with --debug for the SQL log, and report it.",
            highlight=False,
        )
    raise typer.Exit(code=2)


def load_policy(policy_dir: Path | None, plans: Path | None) -> Policy:
    """The shipped policy (or another folder) with the sample plans (or another folder)."""
    from calaim.engine.loading.policy import Policy

    return Policy.load(policy_dir, plans_dir=plans)


def safely(action: Callable[[], T]) -> T:
    """Run `action`, printing workflow errors (what is wrong, what to do) with exit code 2."""
    from calaim.ops.errors import OpsError

    def guarded() -> T:
        try:
            return action()
        except OpsError as error:
            errors.print(f"[bold red]Error:[/] {error}", highlight=False)
            raise typer.Exit(code=2) from error

    return run_safely(guarded)


@contextmanager
def transaction() -> Iterator[Session]:
    """A session on the configured database, committed only if the block succeeds."""
    from calaim.ops.db import make_engine, session_factory

    engine = make_engine()
    try:
        with session_factory(engine)() as session, session.begin():
            yield session
    finally:
        engine.dispose()


@contextmanager
def progress_bar(title: str) -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar fed by (step, done, total) callbacks."""
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[step]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=errors, transient=False) as bar:
        task = bar.add_task(title, total=1, step="")

        def update(step: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=max(total, 1), step=step)

        yield update
