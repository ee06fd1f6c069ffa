"""What a care plan says, and the checks on it (pure, no database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from calaim.ops.errors import InvalidRequest


class InvalidCarePlan(InvalidRequest):
    """A care plan field is missing, malformed or dated impossibly."""


@dataclass(frozen=True)
class CarePlanContent:
    """The whole care plan as the provider writes it (each save replaces the previous one)."""

    assessment_started_on: dt.date | None = None
    assessment_completed_on: dt.date | None = None
    last_care_conference_on: dt.date | None = None
    # [{"description", "target_date", "status"}]
    goals: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    # [{"description", "responsible", "due_date"}]
    interventions: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    # [{"name", "role", "organization", "contact"}]
    care_team: Sequence[Mapping[str, Any]] = field(default_factory=tuple)


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
