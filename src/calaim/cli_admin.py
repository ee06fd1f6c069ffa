"""`calaim org` and `calaim user`: set up organizations, users and API keys of a deployment.

Each command is one transaction on the configured database (`DATABASE_URL`, else ./calaim.db):
it either does everything it says or nothing, and prints what it did.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from calaim.ops.models import OrganizationKind, Role

T = TypeVar("T")
org_app = typer.Typer(help="Organizations: plans, providers, referrers, the state.")
user_app = typer.Typer(help="Users who sign in to the API.")

OrgOpt = Annotated[str, typer.Option("--org", help="Organization id, plan code or name.")]


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


def safely(action: Callable[[], T]) -> T:
    """Run `action`, printing workflow errors (what is wrong, what to do) with exit code 2."""
    from calaim.cli import errors, run_safely
    from calaim.ops.errors import OpsError

    def guarded() -> T:
        try:
            return action()
        except OpsError as error:
            errors.print(f"[bold red]Error:[/] {error}", highlight=False)
            raise typer.Exit(code=2) from error

    return run_safely(guarded)


@org_app.command("add")
def org_add(
    name: Annotated[str, typer.Option("--name", help="The organization's name.")],
    kind: Annotated[OrganizationKind, typer.Option("--kind", help="What it is.")],
    plan_code: Annotated[
        str | None, typer.Option("--plan-code", help="Plans only: the payer code in the data.")
    ] = None,
    county: Annotated[
        list[str] | None, typer.Option("--county", help="A county served (repeatable).")
    ] = None,
) -> None:
    """Add an organization."""
    from calaim.cli import console
    from calaim.ops.admin.service import create_organization

    def action() -> None:
        with transaction() as session:
            made = create_organization(
                session, name=name, kind=kind, plan_code=plan_code, counties=county
            )
            console.print(f"Added {made.kind} {made.name!r} (id {made.id})", highlight=False)

    safely(action)


@org_app.command("list")
def org_list() -> None:
    """List the organizations."""
    from calaim.cli import console
    from calaim.ops.admin.service import list_organizations

    def action() -> None:
        table = Table("kind", "name", "plan code", "counties", "id")
        table.columns[-1].overflow = "fold"
        with transaction() as session:
            for org in list_organizations(session):
                counties = ", ".join(org.counties_served or [])
                table.add_row(org.kind, org.name, org.plan_code or "", counties, str(org.id))
        console.print(table)

    safely(action)


@org_app.command("key")
def org_key(
    org: OrgOpt,
    name: Annotated[str, typer.Option("--name", help="What the key is for.")],
) -> None:
    """Issue an API key for an organization's systems (shown once: store it safely)."""
    from calaim.cli import console
    from calaim.ops.admin.service import find_organization, issue_key

    def action() -> None:
        with transaction() as session:
            organization = find_organization(session, org)
            issued = issue_key(session, organization, name, dt.datetime.now(dt.UTC))
            console.print(f"API key for {organization.name!r} (shown once; send as X-API-Key):")
            console.print(issued.full_key, highlight=False, soft_wrap=True)

    safely(action)


@user_app.command("add")
def user_add(
    org: OrgOpt,
    email: Annotated[str, typer.Option("--email", help="Sign-in email.")],
    role: Annotated[Role, typer.Option("--role", help="What the user does.")],
    name: Annotated[str, typer.Option("--name", help="Full name.")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a user; the password is prompted for (or read from stdin), never an argument."""
    from calaim.cli import console
    from calaim.ops.admin.service import create_user, find_organization

    password = _read_password(password_stdin)

    def action() -> None:
        with transaction() as session:
            organization = find_organization(session, org)
            made = create_user(
                session,
                organization=organization,
                email=email,
                name=name,
                role=role,
                password=password,
            )
            console.print(f"Added {made.role} {made.email} to {organization.name!r}")

    safely(action)


def _read_password(from_stdin: bool) -> str:
    """The new user's password, from stdin or a hidden prompt asked twice."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
