"""Score a screening and route the person: "no wrong door".

Whoever the person contacts (the plan or the county), the same tool decides where the
assessment happens: safety answers first (any yes: crisis services now, no score); then the
items answered yes are summed; a youth item that sends the youth straight to the county
(child welfare, juvenile justice: RECALLED) does so whatever the score; otherwise the score
meets the cut-off (county mental health plan) or not (the plan). A licensed clinician may
override the result with a written reason (BHIN 25-020, VERIFIED). A yes on substance use
also offers the county drug program (a calaim suggestion, flagged as an assumption).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from calaim.ops.errors import InvalidRequest
from calaim.ops.screenings.tools import Tool, route_labels, screening_tools

ROUTES = ("plan", "county_mhp", "crisis")
SYSTEMS = ("plan", "county_mhp")


@dataclass(frozen=True)
class Override:
    """A licensed clinician's different recommendation, with the reason."""

    route: str
    justification: str
    by_licensed_clinician: bool


@dataclass(frozen=True)
class Result:
    """The score (None when not scored or bypassed), the route and why."""

    tool: str
    label: str
    score: int | None
    county_at_least: int | None
    route: str
    route_label: str
    reasons: list[str] = field(default_factory=list)
    also_offer: list[str] = field(default_factory=list)
    confidence: str = "recalled"
    overridden: bool = False


def tool_named(tool_id: str) -> Tool:
    """The tool, or a 422 naming the known ones."""
    tools = screening_tools()
    if tool_id not in tools:
        raise InvalidRequest(
            f"tool {tool_id!r} is unknown; use one of {sorted(tools)}", field="tool"
        )
    return tools[tool_id]


def score(tool_id: str, answers: dict[str, bool], override: Override | None = None) -> Result:
    """Score a screening tool's answers (every question answered yes or no)."""
    tool = tool_named(tool_id)
    if not tool.scored:
        raise InvalidRequest(
            f"the {tool.label} is not scored; send its fields to transition instead", field="tool"
        )
    _check_answers(tool, answers)
    result = _route(tool, answers)
    return _overridden(result, override) if override else result


def transition(tool_id: str, fields: dict[str, str], override: Override | None = None) -> Result:
    """The Transition of Care Tool: no score; the receiving system is the route."""
    tool = tool_named(tool_id)
    if tool.scored:
        raise InvalidRequest(f"the {tool.label} is scored; send answers", field="tool")
    for name in ("current_system", "receiving_system", "reason"):
        if not str(fields.get(name) or "").strip():
            raise InvalidRequest(
                f"{name} is required for a transition of care", field=f"fields.{name}"
            )
    current, receiving = fields["current_system"], fields["receiving_system"]
    if current not in SYSTEMS or receiving not in SYSTEMS or current == receiving:
        raise InvalidRequest(
            "current_system and receiving_system are 'plan' and 'county_mhp', one each",
            field="fields.receiving_system",
        )
    reasons = [
        f"moving from the {route_labels()[current]} to the {route_labels()[receiving]}",
        "the referring system stays responsible until the receiving system accepts (recalled)",
    ]
    result = Result(tool.id, tool.label, None, None, receiving, route_labels()[receiving], reasons)
    return _overridden(result, override) if override else result


def _check_answers(tool: Tool, answers: dict[str, bool]) -> None:
    known = {item.id for item in (*tool.safety, *tool.items)}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise InvalidRequest(
            f"{tool.label} has no question {unknown[0]!r}", field=f"answers.{unknown[0]}"
        )
    for item in (*tool.safety, *tool.items):
        if item.id not in answers:
            raise InvalidRequest(f"answer every question: {item.text}", field=f"answers.{item.id}")


def _route(tool: Tool, answers: dict[str, bool]) -> Result:
    labels = route_labels()
    unsafe = [item.text for item in tool.safety if answers[item.id]]
    if unsafe:
        reasons = [f"safety: {unsafe[0]}", "urgent need goes to crisis services, not scored"]
        return Result(
            tool.id, tool.label, None, tool.county_at_least, "crisis", labels["crisis"], reasons
        )
    yes = [item for item in tool.items if answers[item.id]]
    total = sum(item.weight for item in yes)
    also = ["county_dmc"] if any(item.part2 for item in yes) else []
    direct = next((item for item in yes if item.direct_to), None)
    cut = tool.county_at_least or 0
    if direct is not None and direct.direct_to:
        route, why = direct.direct_to, f"{direct.area}: {direct.text} (goes to the county directly)"
    else:
        route = "county_mhp" if total >= cut else "plan"
        why = f"score {total} {'meets' if total >= cut else 'is below'} the cut-off of {cut}"
    confidence = (
        "assumption" if any(i.confidence == "assumption" for i in tool.items) else "recalled"
    )
    return Result(tool.id, tool.label, total, cut, route, labels[route], [why], also, confidence)


def _overridden(result: Result, override: Override) -> Result:
    if not override.by_licensed_clinician:
        raise InvalidRequest(
            "only a licensed clinician (LPHA) may override the tool's recommendation",
            field="override.by_licensed_clinician",
        )
    if override.route not in SYSTEMS:
        raise InvalidRequest("an override routes to 'plan' or 'county_mhp'", field="override.route")
    if not override.justification.strip():
        raise InvalidRequest(
            "an override needs its written justification", field="override.justification"
        )
    reasons = [
        *result.reasons,
        f"overridden by a licensed clinician: {override.justification.strip()}",
    ]
    return Result(result.tool, result.label, result.score, result.county_at_least, override.route,
                  route_labels()[override.route], reasons, result.also_offer, result.confidence,
                  overridden=True)  # fmt: skip
