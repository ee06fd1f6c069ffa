"""When a program is (or was) live in one county, read from the policy data itself.

A program is live in a county on a date when its dated switch is on and the rule version in
force does not gate it to other counties (a `county` leaf directly under the version's
top-level `all`, as the 2022 phase-1 and the early justice-involved versions are written).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from calaim.engine.loading.criteria import AllOf, Leaf, Node
from calaim.engine.loading.policy import Policy


@dataclass(frozen=True)
class GoLive:
    """The first date a program is live in a county (None: not live on any dated change)."""

    program_id: str
    county: str
    date: dt.date | None
    phased: bool  # True when some counties went live before others


def go_live(policy: Policy, program_id: str, county: str) -> GoLive:
    """The first date `program_id` is live in `county`."""
    program = policy.programs[program_id]
    rule = policy.rules[program_id]
    switch = policy.parameters[program.in_effect]
    dates = sorted({start for start, _ in switch.values} | {v.start for v in rule.versions})
    phased = any(_county_gate(policy, v.criteria, v.start) is not None for v in rule.versions)
    for day in dates:
        on = switch.value_at(day)
        version = rule.version_at(day)
        if on is None or not on[1] or version is None:
            continue
        counties = _county_gate(policy, version.criteria, day)
        if counties is None or county in counties:
            return GoLive(program_id, county, day, phased)
    return GoLive(program_id, county, None, phased)


def _county_gate(policy: Policy, criteria: Node, day: dt.date) -> tuple[str, ...] | None:
    """The counties a version is limited to, or None when it applies statewide."""
    children = criteria.children if isinstance(criteria, AllOf) else (criteria,)
    for child in children:
        if isinstance(child, Leaf) and child.feature == "county":
            counties = child.args["counties"]
            if isinstance(counties, str):
                found = policy.parameters[counties].value_at(day)
                return tuple(found[1]) if found else ()
            return tuple(counties)
    return None


def go_live_sentence(found: GoLive, as_of: dt.date) -> str:
    """'Live in Sacramento County since 2022-07-01 (counties went live at different times).'"""
    where = f"{found.county} County"
    if found.date is None:
        return f"Not live in {where} on any date calaim knows of."
    phased = " (counties went live at different times)" if found.phased else ""
    if found.date > as_of:
        return f"Goes live in {where} on {found.date.isoformat()}{phased}."
    if not found.phased:
        return f"In effect statewide since {found.date.isoformat()}."
    return f"Live in {where} since {found.date.isoformat()}{phased}."
