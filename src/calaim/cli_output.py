"""Rich tables the CLI prints: eligible counts by program and county, programs in force."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.table import Table

from calaim.engine.loading.resolve import ResolvedPolicy


def summary_table(summary: list[dict[str, Any]], *, title: str) -> Table:
    """Programs as rows, counties as columns, eligible counts (and share of members) in cells."""
    counties = sorted({str(row["county"]) for row in summary})
    by_program: dict[str, dict[str, int]] = defaultdict(dict)
    members: dict[str, int] = {}
    for row in summary:
        by_program[str(row["program_id"])][str(row["county"])] = int(row["eligible"])
        members[str(row["county"])] = int(row["members"])
    table = Table(title=title, show_lines=False)
    table.add_column("program")
    for county in counties:
        table.add_column(county, justify="right")
    table.add_column("total", justify="right")
    table.add_column("share", justify="right")
    everyone = sum(members.values()) or 1
    for program, counts in by_program.items():
        total = sum(counts.values())
        cells = [f"{counts.get(county, 0):,}" for county in counties]
        style = "bold" if program == "ecm" else None
        table.add_row(program, *cells, f"{total:,}", f"{100 * total / everyone:.2f}%", style=style)
    table.add_row(
        "members", *[f"{members[c]:,}" for c in counties], f"{everyone:,}", "", style="dim"
    )
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
