"""Rich tables the CLI prints: eligible counts by program and county, programs in force."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.table import Table

from calaim.engine.loading.resolve import ResolvedPolicy


def summary_table(summary: list[dict[str, Any]], *, title: str, width: int = 200) -> Table:
    """Eligible counts by program and county; compact (total and share) when the full grid
    would not fit in `width` columns."""
    counties = sorted({str(row["county"]) for row in summary})
    by_program: dict[str, dict[str, int]] = defaultdict(dict)
    members: dict[str, int] = {}
    for row in summary:
        by_program[str(row["program_id"])][str(row["county"])] = int(row["eligible"])
        members[str(row["county"])] = int(row["members"])
    everyone = sum(members.values()) or 1
    longest = max((len(program) for program in by_program), default=10)
    full = longest + 10 * (len(counties) + 2) <= width
    table = Table(title=title)
    table.add_column("program", no_wrap=True)
    table.add_column("eligible", justify="right", no_wrap=True)
    table.add_column("share", justify="right", no_wrap=True)
    if full:
        for county in counties:
            table.add_column(county, justify="right", no_wrap=True)
    else:
        table.caption = "Widen the terminal to see counties; they are in the summary file."
    for program, counts in by_program.items():
        total = sum(counts.values())
        cells = [program, f"{total:,}", f"{100 * total / everyone:.2f}%"]
        if full:
            cells += [f"{counts.get(county, 0):,}" for county in counties]
        table.add_row(*cells, style="bold" if program == "ecm" else None)
    tail = [f"{members[c]:,}" for c in counties] if full else []
    table.add_row("members", f"{everyone:,}", "", *tail, style="dim")
    return table


def programs_table(resolved: ResolvedPolicy) -> Table:
    """Each program's rule version (or why none) on the resolved date."""
    table = Table(title=f"Programs on {resolved.as_of} (policy {resolved.policy_hash})")
    for column in ("program", "name", "rule version", "confidence", "plan overlays"):
        table.add_column(column)
    for pid, program in resolved.programs.items():
        version = program.version
        table.add_row(
            pid,
            program.program.name,
            version.label if version else "not in effect",
            version.confidence if version else "",
            ", ".join(sorted({o.plan for o in program.overlays})),
        )
    return table
