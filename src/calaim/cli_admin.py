"""`calaim org` and `calaim user`: set up organizations, users and API keys of a deployment.

Each command is one transaction on the configured database (`DATABASE_URL`, else ./calaim.db):
it either does everything it says or nothing, and prints what it did.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, TypeVar

import typer
from rich.table import Table

from calaim.cli_common import OrgOpt as OrgOpt
from calaim.cli_common import safely as safely
from calaim.cli_common import transaction as transaction
from calaim.ops.models import OrganizationKind, Role

T = TypeVar("T")
org_app = typer.Typer(help="Organizations: plans, providers, referrers, the state.")
user_app = typer.Typer(help="Users who sign in to the API.")


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
    from calaim.cli_common import console
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
    from calaim.cli_common import console
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
    from calaim.cli_common import console
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
    from calaim.cli_common import console
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


EmailOpt = Annotated[str, typer.Option("--email", help="The user's sign-in email.")]


@user_app.command("password")
def user_password(
    email: EmailOpt,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Set a user's password; every session the user has ends (they sign in again)."""
    from calaim.cli_common import console
    from calaim.ops.admin.service import find_user
    from calaim.ops.auth.passwords import WeakPassword
    from calaim.ops.auth.service import set_password
    from calaim.ops.errors import InvalidRequest

    password = _read_password(password_stdin)

    def action() -> None:
        with transaction() as session:
            user = find_user(session, email)
            try:
                ended = set_password(session, user, password, dt.datetime.now(dt.UTC))
            except WeakPassword as error:
                raise InvalidRequest(str(error), field="password") from error
            console.print(f"New password set for {user.email}; {ended} session(s) ended.")

    safely(action)


@user_app.command("sign-out-everywhere")
def user_sign_out_everywhere(email: EmailOpt) -> None:
    """End every session of a user (a lost laptop, a departure): their tokens stop working."""
    from calaim.cli_common import console
    from calaim.ops.admin.service import find_user
    from calaim.ops.auth import sessions

    def action() -> None:
        with transaction() as session:
            user = find_user(session, email)
            now = dt.datetime.now(dt.UTC)
            ended = sessions.revoke_all(session, user, now, sessions.REVOKED_BY_ADMIN, None)
            console.print(f"Ended {ended} session(s) of {user.email}.")

    safely(action)


@user_app.command("locks")
def user_locks() -> None:
    """List the sign-in throttles in force now (accounts, client addresses, API keys)."""
    from calaim.cli_common import console
    from calaim.ops.auth.throttle import locked_now

    def action() -> None:
        table = Table("kind", "who", "failed attempts", "blocked until (UTC)")
        table.columns[1].overflow = "fold"
        with transaction() as session:
            for row in locked_now(session, dt.datetime.now(dt.UTC)):
                until = row.blocked_until.strftime("%Y-%m-%d %H:%M:%S") if row.blocked_until else ""
                table.add_row(row.scope, row.key, str(row.failures), until)
        console.print(table)

    safely(action)


@user_app.command("unlock")
def user_unlock(
    email: Annotated[str | None, typer.Option("--email", help="A sign-in email.")] = None,
    client: Annotated[
        str | None, typer.Option("--client", help="A client's network address.")
    ] = None,
    api_key_prefix: Annotated[
        str | None, typer.Option("--api-key-prefix", help="An API key's prefix.")
    ] = None,
) -> None:
    """Lift the sign-in throttle on an account, a client address or an API key (audited)."""
    from calaim.cli_common import console
    from calaim.ops.admin.service import unlock_sign_in
    from calaim.ops.auth.throttle import Scope, ThrottleKey
    from calaim.ops.errors import InvalidRequest

    given = {Scope.ACCOUNT: email, Scope.CLIENT: client, Scope.API_KEY: api_key_prefix}
    keys = [ThrottleKey.of(scope, value) for scope, value in given.items() if value]

    def action() -> None:
        if not keys:
            raise InvalidRequest("say what to unlock: --email, --client or --api-key-prefix")
        with transaction() as session:
            cleared = unlock_sign_in(session, keys)
        console.print(f"Cleared {cleared} sign-in counter(s); sign-in is open again.")

    safely(action)
