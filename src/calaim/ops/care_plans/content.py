"""What a care plan says, and the checks on it (pure, no database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from calaim.ops.care_plans.domains import domain_ids, need_ids
from calaim.ops.errors import InvalidRequest


class InvalidCarePlan(InvalidRequest):
    """A care plan field is missing, malformed or dated impossibly."""


@dataclass(frozen=True)
class CarePlanContent:
    """The whole care plan as the provider writes it (each save replaces the previous one)."""

    assessment_started_on: dt.date | None = None
    assessment_completed_on: dt.date | None = None
    last_care_conference_on: dt.date | None = None
    # [{"domain", "need", "note"}]: the structured assessment, one entry per domain at most
    assessment: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    # [{"description", "domain", "target_date", "status"}]
    goals: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    # [{"description", "responsible", "due_date"}]
    interventions: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    # [{"name", "role", "organization", "contact"}]
    care_team: Sequence[Mapping[str, Any]] = field(default_factory=tuple)


# A goal or step in one of these states is history: its old dates may precede a reassessment.
CLOSED_STATUSES = frozenset({"met", "achieved", "completed", "done", "not_met", "stopped"})

# Keys each list item must carry (non-empty text).
REQUIRED_KEYS = {
    "goals": ("description",),
    "interventions": ("description",),
    "care_team": ("name", "role"),
}


def validate(content: CarePlanContent, *, not_before: dt.date, today: dt.date) -> None:
    """Refuse impossible dates and malformed items; `not_before` is the assignment date."""
    dates = {
        "assessment_started_on": content.assessment_started_on,
        "assessment_completed_on": content.assessment_completed_on,
        "last_care_conference_on": content.last_care_conference_on,
    }
    for name, value in dates.items():
        if value is not None and value > today:
            raise InvalidCarePlan(
                f"{name} {value.isoformat()} is after today ({today.isoformat()}); "
                "record what has happened",
                field=name,
            )
        if value is not None and value < not_before:
            raise InvalidCarePlan(
                f"{name} {value.isoformat()} is before the member was assigned "
                f"({not_before.isoformat()}); check the date",
                field=name,
            )
    _check_assessment(content.assessment_started_on, content.assessment_completed_on)
    for name, keys in REQUIRED_KEYS.items():
        _check_items(name, getattr(content, name), keys)
    check_domains(content)
    assessed = content.assessment_completed_on or content.assessment_started_on
    if assessed is not None:
        _check_not_before(content.goals, "goals", "target_date", assessed)
        _check_not_before(content.interventions, "interventions", "due_date", assessed)


def check_domains(content: CarePlanContent) -> None:
    """Assessment entries and goals name known domains and need levels, each domain once."""
    known, needs = domain_ids(), need_ids()
    seen: set[str] = set()
    for index, item in enumerate(content.assessment):
        domain, need = item.get("domain"), item.get("need")
        if domain not in known or domain in seen:
            problem = "is given twice" if domain in seen else "is not an assessment domain"
            raise InvalidCarePlan(
                f"assessment[{index}].domain {domain!r} {problem}; use one of {sorted(known)}",
                field=f"assessment[{index}].domain",
            )
        seen.add(str(domain))
        if need not in needs:
            raise InvalidCarePlan(
                f"assessment[{index}].need {need!r} is unknown; use one of {sorted(needs)}",
                field=f"assessment[{index}].need",
            )
    for index, goal in enumerate(content.goals):
        domain = goal.get("domain")
        if domain is not None and domain not in known:
            raise InvalidCarePlan(
                f"goals[{index}].domain {domain!r} is not an assessment domain; "
                f"use one of {sorted(known)}",
                field=f"goals[{index}].domain",
            )


def _check_not_before(
    items: Sequence[Mapping[str, Any]], name: str, key: str, assessed: dt.date
) -> None:
    """An open goal's target or step's due date cannot come before the assessment it follows."""
    for index, item in enumerate(items):
        raw = item.get(key)
        if raw in (None, "") or str(item.get("status") or "").lower() in CLOSED_STATUSES:
            continue
        when = raw if isinstance(raw, dt.date) else _iso_date(raw, f"{name}[{index}].{key}")
        if when < assessed:
            raise InvalidCarePlan(
                f"{name}[{index}].{key} {when.isoformat()} is before the assessment "
                f"({assessed.isoformat()}); a plan's dates follow the assessment",
                field=f"{name}[{index}].{key}",
            )


def _iso_date(raw: object, field_name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise InvalidCarePlan(
            f"{field_name} {raw!r} is not a date; write it as YYYY-MM-DD", field=field_name
        ) from None


def _check_assessment(started: dt.date | None, completed: dt.date | None) -> None:
    if completed is None:
        return
    if started is None:
        raise InvalidCarePlan(
            "assessment_completed_on needs assessment_started_on; give the start date too",
            field="assessment_started_on",
        )
    if completed < started:
        raise InvalidCarePlan(
            f"assessment_completed_on {completed.isoformat()} is before "
            f"assessment_started_on {started.isoformat()}; a completion follows its start",
            field="assessment_completed_on",
        )


def _check_items(name: str, items: Sequence[Mapping[str, Any]], keys: tuple[str, ...]) -> None:
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise InvalidCarePlan(f"{name}[{index}] must be an object", field=name)
        for key in keys:
            value = item.get(key)
            if not isinstance(value, str) or not value.strip():
                raise InvalidCarePlan(
                    f"{name}[{index}] needs a non-empty {key!r}", field=f"{name}[{index}].{key}"
                )


def as_json(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The items as plain JSON-ready dictionaries (dates written as ISO text)."""
    return [
        {
            key: value.isoformat() if isinstance(value, dt.date) else value
            for key, value in i.items()
        }
        for i in items
    ]
