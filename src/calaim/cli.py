"""calaim's command line: synth, identify, explain, demo, policy, db.

Every command takes explicit dates; nothing is evaluated "as of today" unless you say so.
Errors a user can fix are printed as such (file, row, column, what to do), never as tracebacks.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from calaim.cli_common import AsOfOpt as AsOfOpt
from calaim.cli_common import CountyOpt as CountyOpt
from calaim.cli_common import DataOpt as DataOpt
from calaim.cli_common import EngineOpt as EngineOpt
from calaim.cli_common import PlansOpt as PlansOpt
from calaim.cli_common import PolicyOpt as PolicyOpt
from calaim.cli_common import UserError as UserError
from calaim.cli_common import console as console
from calaim.cli_common import errors as errors
from calaim.cli_common import load_policy as load_policy
from calaim.cli_common import parse_date as parse_date
from calaim.cli_common import progress_bar as progress_bar
from calaim.cli_common import run_safely as run_safely
from calaim.cli_output import summary_table

if TYPE_CHECKING:
    pass

app = typer.Typer(
    name="calaim",
    help="CalAIM ECM and Community Supports: identify eligible members and explain why.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
policy_app = typer.Typer(help="Inspect and check the policy data.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")
db_app = typer.Typer(help="Manage the operational database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.callback()
def main(debug: Annotated[bool, typer.Option(help="Log every SQL statement.")] = False) -> None:
    """calaim command line."""
    if debug:
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)


@app.command()
def synth(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the tables to.")],
    members: Annotated[int, typer.Option("--members", min=1, help="Number of people.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same data).")] = 1,
    end_date: Annotated[str, typer.Option("--end-date", help="Last date of history.")] = (
        "2025-12-31"
    ),
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    plant_effects: Annotated[
        str | None,
        typer.Option(
            "--plant-effects",
            help="Plant known service effects: 'default' or a YAML file (docs/evaluation.md).",
        ),
    ] = None,
    partition_size: Annotated[
        int | None,
        typer.Option(
            "--partition-size",
            min=1,
            help="Build and write this many members at a time (bounded memory); each table "
            "becomes a folder of Parquet files.",
        ),
    ] = None,
) -> None:
    """Write a realistic, deterministic synthetic population in the contract format."""

    def action() -> None:
        from calaim.data.synth import generate
        from calaim.data.synth.planted import load_scenario

        if fmt not in ("parquet", "csv"):
            raise UserError(f"--format {fmt!r}: use parquet or csv.")
        if partition_size is not None and fmt != "parquet":
            raise UserError("--partition-size writes Parquet: leave out --format csv.")
        chosen: Literal["parquet", "csv"] = "csv" if fmt == "csv" else "parquet"
        end = parse_date(end_date, "--end-date")
        try:
            scenario = load_scenario(plant_effects) if plant_effects else None
        except ValueError as error:
            raise UserError(f"--plant-effects: {error}") from error
        with progress_bar(f"Synthesizing {members:,} members") as update:
            counts = generate(
                out,
                members=members,
                seed=seed,
                end_date=end,
                fmt=chosen,
                progress=update,
                scenario=scenario,
                partition_size=partition_size,
            )
        for table, rows in counts.items():
            console.print(f"  {table:<20} {rows:>12,} rows")
        console.print(f"Wrote {out}")

    run_safely(action)


@app.command()
def identify(
    data: DataOpt,
    as_of: AsOfOpt,
    out: Annotated[Path, typer.Option("--out", help="Determinations file (.csv or .parquet).")],
    plans: PlansOpt = None,
    policy: PolicyOpt = None,
    memory_limit: Annotated[
        str | None, typer.Option("--memory-limit", help="DuckDB memory limit, e.g. 4GB.")
    ] = None,
    county: CountyOpt = None,
    engine: EngineOpt = "duckdb",
    determinations: Annotated[
        str,
        typer.Option(
            "--determinations",
            help="long: one row per member and program (default); compact: only the rows "
            "whose status is not not_eligible (every absent row is not_eligible).",
        ),
    ] = "long",
) -> None:
    """Determine every program for every person enrolled on the as-of date."""

    def action() -> None:
        from calaim.engine.identify import LAYOUTS, make_backend
        from calaim.engine.identify import identify as run_identify

        date = parse_date(as_of)
        if determinations not in LAYOUTS:
            raise UserError(f"--determinations {determinations!r}: use {' or '.join(LAYOUTS)}.")
        backend = make_backend(engine, memory_limit=memory_limit)
        with progress_bar(f"Identifying as of {date}") as update:
            result = run_identify(
                data,
                date,
                out,
                policy=load_policy(policy, plans),
                progress=update,
                memory_limit=memory_limit,
                county=county,
                backend=backend,
                layout=determinations,
            )
        for line in result.input_report.lines():
            console.print(line, markup=False, highlight=False)
        console.print(
            summary_table(
                result.summary, title=f"Eligible members as of {date}", width=console.width
            )
        )
        console.print(
            f"{result.members:,} enrolled members; {result.rows:,} determinations "
            f"(policy {result.policy_hash})"
        )
        console.print(
            f"  determinations: {result.determinations}\n  evidence:       "
            f"{result.evidence}\n  dictionary:     {result.dictionary}\n  summary:        "
            f"{result.summary_file}"
        )

    run_safely(action)


@app.command()
def explain(
    data: DataOpt,
    as_of: AsOfOpt,
    person: Annotated[str, typer.Option("--person", help="The person_id to explain.")],
    program: Annotated[
        str | None, typer.Option("--program", help="Only this program id (e.g. ecm.smh_sud).")
    ] = None,
    plans: PlansOpt = None,
    policy: PolicyOpt = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="text (every criterion and the facts behind it), json, or the one-page "
            "plain explanation for an authorization packet: plain (text) or html.",
        ),
    ] = "text",
    county: CountyOpt = None,
    withhold_part2: Annotated[
        bool,
        typer.Option(
            "--withhold-part2",
            help="For someone without the member's 42 CFR Part 2 consent: withhold substance-"
            "use programs and any result they could explain.",
        ),
    ] = False,
    engine: EngineOpt = "duckdb",
) -> None:
    """Explain, in plain English, why a person is or is not eligible."""

    def action() -> None:
        from calaim.engine.explain import explain as run_explain
        from calaim.engine.explain_packet import packet_html, packet_text
        from calaim.engine.explain_text import render_text
        from calaim.engine.identify import make_backend

        if fmt not in ("text", "json", "plain", "html"):
            raise UserError(f"--format {fmt!r}: use text, json, plain or html.")
        result = run_explain(
            data,
            parse_date(as_of),
            person,
            program=program,
            policy=load_policy(policy, plans),
            county=county,
            backend=make_backend(engine),
        )
        if withhold_part2:
            from calaim.ops.access.part2 import mask_explanation

            result = mask_explanation(result)
        if fmt == "json":
            sys.stdout.write(json.dumps(result.to_dict(), indent=2, default=str) + "\n")
        elif fmt == "plain":
            sys.stdout.write(packet_text(result))
        elif fmt == "html":
            sys.stdout.write(packet_html(result))
        else:
            console.print(render_text(result), markup=False, highlight=False)

    run_safely(action)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Working folder.")] = Path("demo"),
    members: Annotated[int, typer.Option("--members", min=100)] = 20_000,
    seed: Annotated[int, typer.Option("--seed")] = 1,
    as_of: AsOfOpt = "2025-10-01",
) -> None:
    """Synthesize a population, identify it, and print a summary (no setup needed)."""

    def action() -> None:
        from calaim.data.synth import generate
        from calaim.engine.identify import identify as run_identify

        date = parse_date(as_of)
        data = out / "data"
        with progress_bar(f"Synthesizing {members:,} members") as update:
            generate(data, members=members, seed=seed, progress=update)
        with progress_bar(f"Identifying as of {date}") as update:
            result = run_identify(data, date, out / "determinations.csv", progress=update)
        console.print(
            summary_table(
                result.summary, title=f"Eligible members as of {date}", width=console.width
            )
        )
        first = _first_eligible(result.determinations)
        console.print(f"{result.members:,} members; outputs in {out}/")
        if first:
            console.print(
                f"Next: see why {first} is eligible:\n  uv run calaim explain --data {data} "
                f"--as-of {date} --person {first} --program ecm"
            )

    run_safely(action)


def _first_eligible(determinations: Path) -> str | None:
    import duckdb

    rows = duckdb.execute(
        f"SELECT person_id FROM read_csv('{determinations}') WHERE program_id = 'ecm' "
        "AND eligible ORDER BY person_id LIMIT 1"
    ).fetchall()
    return str(rows[0][0]) if rows else None


@policy_app.command("check")
def policy_check(plans: PlansOpt = None, policy_dir: PolicyOpt = None) -> None:
    """Load and check every policy, value set and plan file, and every label against values."""

    def action() -> None:
        from calaim.engine.loading.labels import label_problems

        policy = load_policy(policy_dir, plans)
        problems = label_problems(policy)
        if problems:
            raise UserError(
                f"{len(problems)} label(s) state a number their criterion does not cite:\n"
                + "\n".join(problems)
            )
        console.print(
            f"OK: {len(policy.programs)} programs, {len(policy.parameters)} "
            f"parameters, {len(policy.value_sets)} value sets, {len(policy.plans)} plans; "
            "every label agrees with its values"
        )

    run_safely(action)


@policy_app.command("programs")
def policy_programs(as_of: AsOfOpt, plans: PlansOpt = None, policy_dir: PolicyOpt = None) -> None:
    """List every program with the rule version in force and its confidence on a date."""

    def action() -> None:
        from calaim.cli_output import programs_table

        resolved = load_policy(policy_dir, plans).resolve(parse_date(as_of))
        console.print(programs_table(resolved))

    run_safely(action)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the operational database (DATABASE_URL, else ./calaim.db)."""

    def action() -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from calaim.ops.db import database_url, describe
        from calaim.ops.migrate import upgrade

        url = database_url()
        try:
            upgrade(url)
        except SQLAlchemyError as error:
            first_line = str(getattr(error, "orig", None) or error).splitlines()[0]
            raise UserError(
                f"cannot migrate {describe(url)}: {first_line}. Check DATABASE_URL."
            ) from error
        console.print(f"Database is up to date: {describe(url)}", highlight=False)

    run_safely(action)


@db_app.command("demo")
def db_demo(
    folder: Annotated[
        Path, typer.Option("--dir", help="Folder of the demo database (reused if present).")
    ] = Path("demo/ops"),
    members: Annotated[int, typer.Option("--members", min=300)] = 10_000,  # ops.demo.DEMO_MEMBERS
    history_months: Annotated[
        int,
        typer.Option(
            "--history-months", min=0, help="Earlier months of engine runs to store (trends)."
        ),
    ] = 3,  # ops.demo.DEMO_HISTORY_MONTHS
) -> None:
    """Seed a demo database with every workflow state (as `serve --demo` does), then stop.

    Point other commands at it with the printed DATABASE_URL.
    """

    def action() -> None:
        from calaim.ops.server import serve as server

        with progress_bar(f"Seeding the demo in {folder}") as update:
            url, world = server.demo_database(
                folder, members=members, progress=update, history_months=history_months
            )
        if world is None:
            console.print(f"Reusing the demo database already in {folder}.")
        console.print(f"export DATABASE_URL={url}", highlight=False, soft_wrap=True)

    run_safely(action)


@db_app.command("import")
def db_import(
    data: DataOpt,
    as_of: AsOfOpt,
    determinations: Annotated[
        Path | None,
        typer.Option("--determinations", help="Determinations file from `calaim identify`."),
    ] = None,
    county: CountyOpt = None,
) -> None:
    """Import members enrolled on --as-of (and their determinations), all or nothing."""

    def action() -> None:
        from calaim.ops.db import database_url, describe, make_engine, session_factory
        from calaim.ops.maintenance.repository import refresh_statistics
        from calaim.ops.members.importer import import_determinations, import_members

        date = parse_date(as_of)
        url = database_url()
        engine = make_engine(url)
        with session_factory(engine)() as session:
            with progress_bar(f"Importing members enrolled on {date}") as update:
                members = import_members(session, data, date, progress=update, county=county)
            found = None
            if determinations is not None:
                with progress_bar("Importing determinations") as update:
                    found = import_determinations(session, determinations, progress=update)
            session.commit()
        refresh_statistics(engine, ("members", "member_determinations"))  # the planner's row counts
        console.print(
            f"{members.members_created:,} members added, {members.members_updated:,} updated, "
            f"{members.people_skipped:,} people skipped (no plan organization for their payer)"
        )
        if members.people_skipped:
            console.print(
                "To import them, add their plans first: "
                "calaim org add --kind plan --plan-code CODE --name NAME",
                highlight=False,
            )
        if found is not None:
            console.print(
                f"{found.determinations:,} determinations imported, "
                f"{found.determinations_skipped:,} skipped (no imported member)"
            )
        console.print(f"Database: {describe(url)}", highlight=False)

    run_safely(action)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Serve a seeded demo database instead.")
    ] = False,
    demo_dir: Annotated[
        Path | None,
        typer.Option("--demo-dir", help="Folder of the demo database (default: a temp folder)."),
    ] = None,
    demo_members: Annotated[
        int, typer.Option("--demo-members", min=300)
    ] = 10_000,  # ops.demo.DEMO_MEMBERS
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes (one per core).")
    ] = 1,
    concurrency: Annotated[
        int,
        typer.Option("--concurrency", min=1, help="Requests run at once per worker (queued)."),
    ] = 8,
    access_log: Annotated[
        bool, typer.Option("--access-log", help="Log every request (costs CPU).")
    ] = False,
) -> None:
    """Serve the REST API (DATABASE_URL, else ./calaim.db; migrated first)."""

    def action() -> None:
        import tempfile

        from calaim.app import APP_FACTORY
        from calaim.ops.db import database_url, describe
        from calaim.ops.demo import DEMO_NOW
        from calaim.ops.server import serve as server
        from calaim.ops.server.workers import (
            ServeOptions,
            clock_from_environment,
            ensure_secret,
            start_clock_at,
        )
        from calaim.ops.server.workers import serve as start

        options = ServeOptions(host, port, workers, concurrency, access_log)
        if not demo:
            _refuse_a_weak_secret()
        generated = ensure_secret()
        if not demo:
            url = database_url()
            if generated:
                console.print(
                    "CALAIM_SECRET_KEY is not set: tokens are signed with a random secret "
                    "for this run and stop working when the server restarts."
                )
            console.print(f"Database: {describe(url)}; docs at http://{host}:{port}/docs")
            start(url, options, APP_FACTORY)
            return
        folder = demo_dir or Path(tempfile.mkdtemp(prefix="calaim-demo-"))
        with progress_bar(f"Seeding the demo in {folder}") as update:
            url, _world = server.demo_database(folder, members=demo_members, progress=update)
        # The demo's records are dated around its as-of date: its clock starts there too, so
        # due dates and "time left" read as they would on that day.
        start_clock_at(DEMO_NOW)
        base = f"http://{host}:{port}"
        console.print(server.demo_banner(base), highlight=False)
        console.print("\n".join(server.member_banner(url, base)), highlight=False)
        server.print_demo_mail(url, base, clock_from_environment(), print)
        console.print(f"The demo's clock starts at {DEMO_NOW:%Y-%m-%d %H:%M} UTC, its data's date.")
        start(url, options, APP_FACTORY)

    run_safely(action)


def _refuse_a_weak_secret() -> None:
    """Stop `serve` (outside the demo) when the configured signing key is too short."""
    import os

    from calaim.ops.auth.tokens import SECRET_KEY_VARIABLE, weak_secret_problem

    configured = os.environ.get(SECRET_KEY_VARIABLE, "").strip()
    problem = weak_secret_problem(configured) if configured else None
    if problem:
        errors.print(f"[bold red]Error:[/] {problem}", highlight=False)
        raise typer.Exit(code=2)


def _register_subcommands() -> None:
    # Imported last: these commands reuse this module's console and error handling.
    from calaim.cli_admin import org_app, user_app

    app.add_typer(org_app, name="org", no_args_is_help=True)
    app.add_typer(user_app, name="user", no_args_is_help=True)
    from calaim.cli_exchange import exchange_app

    app.add_typer(exchange_app, name="exchange", no_args_is_help=True)
    from calaim.cli_reports import report_app

    app.add_typer(report_app, name="report", no_args_is_help=True)
    from calaim.cli_worker import worker

    app.command("worker")(worker)
    from calaim.cli_phm import tiers

    app.command("tiers")(tiers)
    from calaim.cli_simulate import simulate_app

    app.add_typer(simulate_app, name="simulate", no_args_is_help=True)
    from calaim.cli_evaluate import evaluate

    app.command("evaluate")(evaluate)


_register_subcommands()
