"""Plain-English reasons for a stored determination (the evidence itself stays in the engine).

A reason is a sentence template and its values, so the web shows it in the page's language
with the program's plain name (`Reason.text` is the English template; the web translates it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from calaim.ops.models import Member
from calaim.ops.policy import shipped_policy

EXCLUDED = (
    "Meets the criteria of %(program)s on %(on)s, but an exclusion applies "
    "(for example, a service that would duplicate it)."
)
NOT_OFFERED = (
    "Meets the criteria of %(program)s on %(on)s, but the member's plan does not offer it "
    "in %(county)s on that date."
)
ELIGIBLE = "Meets the statewide criteria of %(program)s on %(on)s."
NOT_ELIGIBLE = "Does not meet the criteria of %(program)s on %(on)s."


@dataclass(frozen=True)
class Reason:
    """A reason's English template, the program it is about, and the day and county."""

    text: str
    program_id: str
    on: dt.date
    county: str

    def __str__(self) -> str:
        """The reason in English, naming the program by its registry name."""
        program = shipped_policy().programs.get(self.program_id)
        name = program.name if program else self.program_id
        return self.text % {"program": name, "on": self.on.isoformat(), "county": self.county}


def reason(
    name: str, status: str, eligible: bool, offered: bool, member: Member, as_of: dt.date
) -> Reason:
    """Why the member's determination for program `name` on `as_of` is what it is."""
    if status == "excluded":
        text = EXCLUDED
    elif eligible and not offered:
        text = NOT_OFFERED
    elif eligible:
        text = ELIGIBLE
    else:
        text = NOT_ELIGIBLE
    return Reason(text, name, as_of, member.county)
