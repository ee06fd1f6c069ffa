"""Plain-English reasons for a stored determination (the evidence itself stays in the engine)."""

from __future__ import annotations

import datetime as dt

from calaim.ops.access.part2 import RESTRICTED
from calaim.ops.models import Member


def reason(
    name: str, status: str, eligible: bool | None, offered: bool, member: Member, as_of: dt.date
) -> str:
    """Why the member's determination for program `name` on `as_of` is what it is."""
    on = as_of.isoformat()
    if status == RESTRICTED:
        return (
            f"The result for {name} on {on} may rest on information protected by 42 CFR Part 2, "
            "which you may see only with the member's written consent; the member's plan can "
            "tell you more."
        )
    if status == "excluded":
        return (
            f"Meets the criteria of {name} on {on}, but an exclusion applies "
            "(for example, a service that would duplicate it)."
        )
    if eligible and not offered:
        return (
            f"Meets the criteria of {name} on {on}, but the member's plan ({member.payer}) "
            f"does not offer it in {member.county} on that date."
        )
    if eligible:
        return f"Meets the statewide criteria of {name} on {on}."
    return (
        f"Does not meet the criteria of {name} on {on}; "
        "run `calaim explain` for the criteria and the claims behind them."
    )
