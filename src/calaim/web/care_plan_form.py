"""The care plan form: the assessment by domain, several goals, steps and the care team.

Rows are numbered (`goal-0-description`, `step-1-due`, `team-0-name`, ...). The form shows each
saved item plus blank rows; a row whose first field is left empty is dropped, so clearing a
goal's description removes the goal. Problems the ops validation finds (`goals[1].target_date`)
are shown next to the row's field (`goal-1-target`).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import FormData

from calaim.ops.care_plans.content import CarePlanContent
from calaim.ops.care_plans.domains import assessment_domains, need_levels
from calaim.ops.models import CarePlan
from calaim.web.forms import FormErrors, day, text
from calaim.web.i18n import N_

BLANK_GOALS, BLANK_STEPS, BLANK_TEAM = 2, 2, 1
GOAL_STATUSES = [
    ("in_progress", N_("In progress")),
    ("met", N_("Met")),
    ("not_met", N_("Not met")),
    ("stopped", N_("Stopped")),
]
# (form prefix, care plan list, {form suffix: item key}); the first suffix is the row's text.
ROWS: dict[str, tuple[str, dict[str, str]]] = {
    "goal": (
        "goals",
        {
            "description": "description",
            "domain": "domain",
            "target": "target_date",
            "status": "status",
        },
    ),
    "step": (
        "interventions",
        {
            "description": "description",
            "responsible": "responsible",
            "due": "due_date",
            "status": "status",
        },
    ),
    "team": (
        "care_team",
        {"name": "name", "role": "role", "organization": "organization", "contact": "contact"},
    ),
}
DATE_SUFFIXES = {"target", "due"}
MAX_ROWS = 50


def read_care_plan(form: FormData, errors: FormErrors) -> CarePlanContent:
    """The care plan the form describes (field problems go to `errors`)."""
    completed = day(form, "assessment_completed_on", errors)
    started = day(form, "assessment_started_on", errors, required=False) or completed
    lists = {prefix: _rows(form, prefix, errors) for prefix in ROWS}
    if not lists["goal"]:
        errors.add("goal-0-description", N_("Write at least one goal."))
    return CarePlanContent(
        assessment_started_on=started,
        assessment_completed_on=completed,
        last_care_conference_on=day(form, "last_care_conference_on", errors, required=False),
        assessment=_assessment(form),
        goals=lists["goal"],
        interventions=lists["step"],
        care_team=lists["team"],
    )


def _assessment(form: FormData) -> list[dict[str, str]]:
    known_needs = {level.id for level in need_levels()}
    found = []
    for domain in assessment_domains():
        need = text(form, f"need-{domain.id}", 20)
        note = text(form, f"note-{domain.id}", 1000)
        if need in known_needs and (need != "not_assessed" or note):
            found.append({"domain": domain.id, "need": need, "note": note})
    return found


def _rows(form: FormData, prefix: str, errors: FormErrors) -> list[dict[str, Any]]:
    _, keys = ROWS[prefix]
    first = next(iter(keys))
    rows = []
    for index in range(MAX_ROWS):
        if f"{prefix}-{index}-{first}" not in form:
            break
        if not text(form, f"{prefix}-{index}-{first}"):
            continue
        row: dict[str, Any] = {}
        for suffix, key in keys.items():
            name = f"{prefix}-{index}-{suffix}"
            if suffix in DATE_SUFFIXES:
                when = day(form, name, errors, required=False)
                row[key] = when.isoformat() if when else None
            else:
                row[key] = text(form, name, 500) or None
        if "status" in row and row["status"] is None:
            row["status"] = "in_progress"
        rows.append(row)
    if prefix == "team":
        for index, row in enumerate(rows):
            errors.require(f"team-{index}-role", row.get("role"), N_("Say this person's role."))
    return rows


def form_field(ops_field: str | None) -> str | None:
    """The form field of an ops validation field: `goals[1].target_date` -> `goal-1-target`."""
    match = re.fullmatch(r"(\w+)\[(\d+)\]\.(\w+)", ops_field or "")
    if match is None:
        return ops_field
    listed, index, key = match.groups()
    for prefix, (name, keys) in ROWS.items():
        if name == listed:
            suffix = next((s for s, k in keys.items() if k == key), key)
            return f"{prefix}-{index}-{suffix}"
    if listed == "assessment":
        return "assessment_completed_on"
    return ops_field


def form_rows(care_plan: CarePlan | None, values: dict[str, str]) -> dict[str, Any]:
    """What the form shows: each row's values (the user's after a refusal, else the saved ones)."""
    saved = _saved_values(care_plan)
    merged = values or saved
    counts = {
        prefix: _count(merged, prefix) + blank
        for prefix, blank in (("goal", BLANK_GOALS), ("step", BLANK_STEPS), ("team", BLANK_TEAM))
    }
    return {"values": merged, "counts": counts}


def _saved_values(care_plan: CarePlan | None) -> dict[str, str]:
    if care_plan is None:
        return {}
    values: dict[str, str] = {}
    for prefix, (name, keys) in ROWS.items():
        for index, item in enumerate(getattr(care_plan, name) or []):
            for suffix, key in keys.items():
                if item.get(key) is not None:
                    values[f"{prefix}-{index}-{suffix}"] = str(item[key])
    for item in care_plan.assessment or []:
        values[f"need-{item['domain']}"] = str(item.get("need") or "")
        values[f"note-{item['domain']}"] = str(item.get("note") or "")
    for name in ("assessment_started_on", "assessment_completed_on", "last_care_conference_on"):
        when = getattr(care_plan, name)
        if when is not None:
            values[name] = when.isoformat()
    return values


def _count(values: dict[str, str], prefix: str) -> int:
    indexes = [
        int(match.group(1))
        for name in values
        if (match := re.fullmatch(rf"{prefix}-(\d+)-\w+", name)) and values[name]
    ]
    return max(indexes, default=-1) + 1
