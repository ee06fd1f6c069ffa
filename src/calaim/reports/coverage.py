"""The coverage grid: for a county and a date, which plans offer which Community Supports.

Built from policy data alone (plan elections, overlays, dated switches and rule versions),
never from member data, so every signed-in user may read it. It is the grid hospital discharge
planners assemble by hand today: one column per plan serving the county, one row per Community
Support, each cell saying since when the plan offers it, until when, from when it will, and the
plan's extra criteria. Facts the sources could not confirm (`confidence: recalled`) are flagged
so users confirm them with DHCS.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from calaim.engine.loading.criteria import Leaf, Node, walk
from calaim.engine.loading.plans import PlanConfig
from calaim.engine.loading.policy import Policy
from calaim.engine.loading.rules import Program

RECALLED = "recalled"


@dataclass(frozen=True)
class CoverageCell:
    """One plan and one Community Support on the as-of date."""

    plan: str
    program_id: str
    offered: bool
    offered_from: dt.date | None  # start of the election in force
    offered_until: dt.date | None  # last day offered, when the election ends
    upcoming_from: dt.date | None  # a later election's start, when not offered yet
    criteria: tuple[str, ...]  # the plan's extra (narrowing) criteria in force
    recalled: tuple[str, ...]  # which of the facts behind the cell are unconfirmed


@dataclass(frozen=True)
class PlanColumn:
    """A plan serving the county on the as-of date."""

    code: str
    name: str
    model: str


@dataclass(frozen=True)
class SupportRow:
    """One Community Support: statewide status and one cell per plan."""

    program_id: str
    name: str
    in_effect: bool  # the statewide switch is on
    recalled: tuple[str, ...]  # unconfirmed statewide facts (rule version, switch)
    cells: tuple[CoverageCell, ...]


@dataclass(frozen=True)
class CoverageGrid:
    """The grid of one county on one date."""

    county: str
    as_of: dt.date
    plans: tuple[PlanColumn, ...]
    rows: tuple[SupportRow, ...]


def coverage_grid(policy: Policy, county: str, as_of: dt.date) -> CoverageGrid:
    """Plans serving `county` on `as_of` × Community Supports, from policy data alone."""
    plans = [p for _, p in sorted(policy.plans.items()) if p.serves(county, as_of)]
    supports = [p for p in policy.programs.values() if p.kind == "cs"]
    rows = tuple(_row(policy, program, plans, county, as_of) for program in supports)
    columns = tuple(PlanColumn(p.code, p.name, p.model) for p in plans)
    return CoverageGrid(county, as_of, columns, rows)


def counties_with_plans(policy: Policy, as_of: dt.date) -> list[str]:
    """Counties at least one configured plan serves on `as_of`, by name."""
    return sorted({c for p in policy.plans.values() for c, _ in p.counties if p.serves(c, as_of)})


def _row(
    policy: Policy, program: Program, plans: list[PlanConfig], county: str, as_of: dt.date
) -> SupportRow:
    switch = policy.parameters[program.in_effect]
    value = switch.value_at(as_of)
    in_effect = bool(value and value[1])
    recalled = []
    if switch.confidence == RECALLED:
        recalled.append(f"the date {program.name} took effect statewide")
    version = policy.rules[program.id].version_at(as_of)
    if version is not None and version.confidence == RECALLED:
        recalled.append(f"the statewide criteria of {program.name} ({version.label})")
    cells = tuple(_cell(policy, plan, program.id, county, as_of, in_effect) for plan in plans)
    return SupportRow(program.id, program.name, in_effect, tuple(recalled), cells)


def _cell(
    policy: Policy, plan: PlanConfig, program_id: str, county: str, as_of: dt.date, live: bool
) -> CoverageCell:
    elections = [e for e in plan.elections if e.program_id == program_id and county in e.counties]
    current = next((e for e in elections if e.period.covers(as_of)), None)
    later = sorted(e.period.start for e in elections if e.period.start > as_of)
    overlays = [
        o
        for o in plan.overlays
        if o.program_id == program_id
        and o.period.covers(as_of)
        and (o.counties is None or county in o.counties)
    ]
    recalled = sorted(
        {
            f"{o.label}: {path}"
            for o in overlays
            for path in _parameters(policy, o.require)
            if policy.parameters[path].confidence == RECALLED
        }
    )
    end = current.period.end if current else None
    return CoverageCell(
        plan=plan.code,
        program_id=program_id,
        offered=current is not None and live,
        offered_from=current.period.start if current else None,
        offered_until=end - dt.timedelta(days=1) if end else None,
        upcoming_from=later[0] if current is None and later else None,
        criteria=tuple(o.label for o in overlays) if current else (),
        recalled=tuple(recalled),
    )


def _parameters(policy: Policy, tree: Node) -> set[str]:
    """Parameter paths an overlay's criteria cite."""
    found: set[str] = set()
    for node in walk(tree):
        if isinstance(node, Leaf):
            found |= {
                v for v in node.args.values() if isinstance(v, str) and v in policy.parameters
            }
    return found
