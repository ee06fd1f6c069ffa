"""Plain-English reasons for a stored determination (the evidence itself stays in the engine).

What the member page and the navigator show beside each program: the program's name (never
its id), the outcome, the date and confidence of the rules in force, and when the program
went live in the member's county. The full criteria and the facts behind them are in the
engine's one-page explanation for an authorization packet.

The outcome is a sentence template and its values, so the web shows it in the page's language
with the program's plain name (`Reason.text` is the English template; the web translates it);
so are `Reason.notes` (the rules' date and confidence, the go-live): each a `Note`, whose
`str()` is the English sentence the API and the navigator give.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from calaim.engine.explain_text import CONFIDENCE_WORDS
from calaim.engine.go_live import GoLive, go_live
from calaim.engine.loading.policy import Policy
from calaim.ops.access.part2 import RESTRICTED
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
RESTRICTED_TEXT = (
    "The result for %(program)s on %(on)s may rest on information protected by 42 CFR Part 2, "
    "which you may see only with the member's written consent; the member's plan can tell you "
    "more."
)


RULES_NOTE = "Rules in force from %(version)s: %(confidence)s."
NOT_LIVE = "Not live in %(county)s County on any date calaim knows of."
GOES_LIVE = "Goes live in %(county)s County on %(day)s."
GOES_LIVE_PHASED = (
    "Goes live in %(county)s County on %(day)s (counties went live at different times)."
)
STATEWIDE = "In effect statewide since %(day)s."
LIVE_PHASED = "Live in %(county)s County since %(day)s (counties went live at different times)."


@dataclass(frozen=True)
class Note:
    """A note's English template and its values (dates as dates); `words` are the values that
    are themselves sentences to translate (the confidence)."""

    text: str
    values: dict[str, object]
    words: tuple[str, ...] = ()

    def __str__(self) -> str:
        """The note in English, dates as ISO dates."""
        shown = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in self.values.items()}
        return self.text % shown


@dataclass(frozen=True)
class Reason:
    """A reason's English template, the program it is about, the day and county, and notes."""

    text: str
    program_id: str
    on: dt.date
    county: str
    notes: tuple[Note, ...] = field(default=())

    def __str__(self) -> str:
        """The reason in English, naming the program by its registry name."""
        program = shipped_policy().programs.get(self.program_id)
        name = program.name if program else self.program_id
        outcome = self.text % {"program": name, "on": self.on.isoformat(), "county": self.county}
        return " ".join((outcome, *(str(note) for note in self.notes)))


def _program_id(policy: Policy, name_or_id: str) -> str | None:
    if name_or_id in policy.programs:
        return name_or_id
    by_name = {program.name: pid for pid, program in policy.programs.items()}
    return by_name.get(name_or_id)


def reason(
    name: str, status: str, eligible: bool | None, offered: bool, member: Member, as_of: dt.date
) -> Reason:
    """Why the member's determination for program `name` (its name or id) on `as_of` is what
    it is, with the rules' date and confidence and the go-live date in the member's county."""
    policy = shipped_policy()
    program_id = _program_id(policy, name) or name
    if status == RESTRICTED:
        # Nothing about a withheld program's rules: the notes could hint at the result.
        return Reason(RESTRICTED_TEXT, program_id, as_of, member.county)
    return Reason(
        _outcome(status, eligible, offered), program_id, as_of, member.county,
        _notes(policy, program_id, member, as_of),
    )  # fmt: skip


def _outcome(status: str, eligible: bool | None, offered: bool) -> str:
    if status == "excluded":
        return EXCLUDED
    if eligible and not offered:
        return NOT_OFFERED
    return ELIGIBLE if eligible else NOT_ELIGIBLE


def _notes(policy: Policy, program_id: str, member: Member, as_of: dt.date) -> tuple[Note, ...]:
    if program_id not in policy.programs:
        return ()
    notes = []
    version = policy.rules[program_id].version_at(as_of)
    if version is not None:
        how_sure = CONFIDENCE_WORDS.get(version.confidence, version.confidence)
        notes.append(Note(RULES_NOTE, {"version": version.start, "confidence": how_sure},
                          ("confidence",)))  # fmt: skip
    if member.county:
        notes.append(go_live_note(go_live(policy, program_id, member.county), as_of))
    return tuple(notes)


def go_live_note(found: GoLive, as_of: dt.date) -> Note:
    """When the program went (or goes) live in the member's county, as a note."""
    county = found.county
    if found.date is None:
        return Note(NOT_LIVE, {"county": county})
    values: dict[str, object] = {"county": county, "day": found.date}
    if found.date > as_of:
        return Note(GOES_LIVE_PHASED if found.phased else GOES_LIVE, values)
    if not found.phased:
        return Note(STATEWIDE, values)
    return Note(LIVE_PHASED, values)
