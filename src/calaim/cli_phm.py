"""`calaim tiers`: Population Health Management risk tiers for every member (docs/phm.md)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from calaim.cli_common import (
    AsOfOpt,
    CountyOpt,
    DataOpt,
    PlansOpt,
    PolicyOpt,
    UserError,
    console,
    load_policy,
    parse_date,
    progress_bar,
    run_safely,
)

if TYPE_CHECKING:
    from calaim.engine.loading.policy import Policy


def tiers(
    data: DataOpt,
    as_of: AsOfOpt,
    out: Annotated[
        Path | None, typer.Option("--out", help="Tiers file (.csv or .parquet).")
    ] = None,
    person: Annotated[
        str | None, typer.Option("--person", help="Explain this person_id's tier instead.")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="With --person: explain the tier (the default).")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="With --person: text or json.")] = "text",
    withhold_part2: Annotated[
        bool,
        typer.Option(
            "--withhold-part2",
            help="With --person, for someone without the member's 42 CFR Part 2 consent: leave "
            "substance-use factors out of the explanation and the score shown.",
        ),
    ] = False,
    plans: PlansOpt = None,
    policy: PolicyOpt = None,
    county: CountyOpt = None,
) -> None:
    """Score every member's risk and place them in a tier (high, rising, low), with an equity
    check by race/ethnicity, language and county."""

    def action() -> None:
        date = parse_date(as_of)
        if person is not None:
            chosen = load_policy(policy, plans)
            _explain(data, date, person, fmt, chosen, county, withhold_part2)
            return
        if explain:
            raise UserError("--explain needs --person (the member whose tier to explain).")
        if out is None:
            raise UserError("--out is required: the tiers file to write (.csv or .parquet).")
        _run(data, date, out, load_policy(policy, plans), county)

    run_safely(action)


def _explain(
    data: Path,
    date: dt.date,
    person: str,
    fmt: str,
    policy: Policy,
    county: str | None,
    withhold_part2: bool,
) -> None:
    from calaim.engine.phm.explain import NotScoredError, explain_tier, render

    if fmt not in ("text", "json"):
        raise UserError(f"--format {fmt!r}: use text or json.")
    try:
        explained = explain_tier(
            data, date, person, policy=policy, county=county, withhold_part2=withhold_part2
        )
    except NotScoredError as error:
        raise UserError(str(error)) from error
    if fmt == "json":
        sys.stdout.write(json.dumps(explained.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(render(explained))


def _run(data: Path, date: dt.date, out: Path, policy: Policy, county: str | None) -> None:
    from calaim.engine.phm.tiers import compute_tiers

    with progress_bar(f"Scoring risk as of {date}") as update:
        result = compute_tiers(data, date, out, policy=policy, progress=update, county=county)
    total = max(result.members, 1)
    console.print(f"{result.members:,} members scored as of {date} (policy {result.policy_hash})")
    for row in result.by_tier:
        console.print(f"  {row['tier']:<8} {row['members']:>8,}  {row['members'] / total:6.1%}")
    flagged = [row for row in result.equity if row.flagged]
    if result.model is not None:
        console.print(
            f"Equity check: {len(flagged)} group(s) differ from the overall share in the "
            f"{result.model.tiers[0].label} tier by more than "
            f"{result.model.disparity_points:g} percentage points."
        )
    for group in flagged:
        console.print(f"  {group.sentence}", markup=False, highlight=False)
    console.print(
        f"  tiers:   {result.out}\n  summary: {result.summary_file}\n"
        f"  equity:  {result.equity_file}"
    )
