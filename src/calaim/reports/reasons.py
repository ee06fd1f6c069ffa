"""Plain-English reasons for a stored determination (the evidence itself stays in the engine).

What the member page and the navigator show beside each program: the program's name (never
its id), the outcome, the date and confidence of the rules in force, and when the program
went live in the member's county. The full criteria and the facts behind them are in the
engine's one-page explanation for an authorization packet.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from calaim.engine.explain_text import CONFIDENCE_WORDS
from calaim.engine.go_live import go_live, go_live_sentence
from calaim.engine.loading.policy import Policy
from calaim.ops.models import Member


@lru_cache(maxsize=1)
def _policy() -> Policy:
    return Policy.load()


def _program_id(policy: Policy, name_or_id: str) -> str | None:
    if name_or_id in policy.programs:
        return name_or_id
    by_name = {program.name: pid for pid, program in policy.programs.items()}
    return by_name.get(name_or_id)


def reason(
    name: str, status: str, eligible: bool, offered: bool, member: Member, as_of: dt.date
) -> str:
    """Why the member's determination for program `name` (its name or id) on `as_of` is what
    it is, with the rules' date and confidence and the go-live date in the member's county."""
    policy = _policy()
    program_id = _program_id(policy, name)
    shown = policy.programs[program_id].name if program_id else name
    sentences = [_outcome(shown, status, eligible, offered, member, as_of)]
    if program_id:
        version = policy.rules[program_id].version_at(as_of)
        if version is not None:
            how_sure = CONFIDENCE_WORDS.get(version.confidence, version.confidence)
            sentences.append(f"Rules in force from {version.label}: {how_sure}.")
        if member.county:
            found = go_live(policy, program_id, member.county)
            sentences.append(go_live_sentence(found, as_of))
    return " ".join(sentences)


def _outcome(
    name: str, status: str, eligible: bool, offered: bool, member: Member, as_of: dt.date
) -> str:
    on = as_of.isoformat()
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
        f"Does not meet the criteria of {name} on {on}. The eligibility explanation lists "
        "each criterion, the facts behind it, and what could not be checked."
    )
