"""What a program requires, read from the policy (statewide rule and the plan's own overlays),
as labelled lines a reviewer can read next to the engine's answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from calaim.engine.loading.resolve import ResolvedPolicy, RGroup, RLeaf, RNode
from calaim.ops.policy import shipped_policy

WORDS = {"all": "all of these", "any": "any of these", "not": "none of these"}


@dataclass(frozen=True)
class Criterion:
    """One line of the criteria, indented by its depth in the rule."""

    label: str
    depth: int
    group: str | None = None  # "all of these" / "any of these" / "none of these" (groups)


@dataclass(frozen=True)
class ProgramCriteria:
    """A program's statewide criteria and the overlays the member's plan adds in the county."""

    name: str
    description: str
    criteria: list[Criterion] = field(default_factory=list)
    overlays: list[tuple[str, list[Criterion]]] = field(default_factory=list)
    evaluated: bool = True


@lru_cache(maxsize=8)
def _resolved(as_of: dt.date) -> ResolvedPolicy:
    return shipped_policy().resolve(as_of)


def program_criteria(
    program_id: str, plan_code: str | None, county: str, as_of: dt.date
) -> ProgramCriteria | None:
    """The criteria of `program_id` on `as_of`, with the plan's overlays for `county`."""
    resolved = _resolved(as_of).programs.get(program_id)
    if resolved is None:
        return None
    program = resolved.program
    lines = _lines(resolved.criteria, 0) if resolved.criteria is not None else []
    overlays = [
        (overlay.label, _lines(overlay.require, 1))
        for overlay in resolved.overlays
        if overlay.plan.upper() == (plan_code or "").upper()
        and (overlay.counties is None or county in overlay.counties)
    ]
    return ProgramCriteria(
        name=program.name,
        description=getattr(program, "description", "") or "",
        criteria=lines,
        overlays=overlays,
        evaluated=resolved.version is not None,
    )


def _lines(node: RNode, depth: int, limit: int = 60) -> list[Criterion]:
    found: list[Criterion] = []
    _walk(node, depth, found, limit)
    return found


def _walk(node: RNode, depth: int, found: list[Criterion], limit: int) -> None:
    if len(found) >= limit:
        return
    if isinstance(node, RLeaf):
        found.append(Criterion(node.label or node.feature.replace("_", " "), depth))
        return
    assert isinstance(node, RGroup)
    if node.label:
        found.append(Criterion(node.label, depth, WORDS[node.op]))
        depth += 1
    for child in node.children:
        _walk(child, depth, found, limit)
