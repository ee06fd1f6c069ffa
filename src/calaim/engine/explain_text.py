"""Plain-English rendering of an explanation, for the terminal and for plain-text reports."""

from __future__ import annotations

from typing import Any

from calaim.engine.explain import Explanation, NodeResult, ProgramResult

MET, NOT_MET, NOT_CHECKED = "✓", "✗", "?"
CONFIDENCE_WORDS = {
    "verified": "confirmed in a published source",
    "recalled": "from DHCS guidance as recalled, not yet confirmed in a source",
    "assumption": "a modelling choice calaim makes where DHCS is silent",
}
MAX_EVIDENCE = 12


def render_text(explanation: Explanation) -> str:
    """The whole explanation as indented plain text."""
    e = explanation
    lines = [f"{e.person_id} on {e.as_of} (policy {e.policy_hash})"]
    if not e.enrolled:
        lines.append(e.note or "not enrolled")
        return "\n".join(lines)
    m = e.member
    lines.append(
        f"Enrolled with {m.get('payer')} in {m.get('county')}; born {m.get('birth_date')}; "
        f"race {m.get('race') or 'not recorded'}."
    )
    for program in e.programs:
        lines.append("")
        lines.extend(_program(program))
    return "\n".join(lines)


def _program(p: ProgramResult) -> list[str]:
    offered = {None: "no plan configuration", True: "offered", False: "not offered"}[p.offered]
    head = f"{p.name}: {p.status.upper().replace('_', ' ')}"
    if p.rule_version is None:
        return [head, f"  {p.reason}"] + ([f"  {p.go_live}"] if p.go_live else [])
    confidence = CONFIDENCE_WORDS.get(p.confidence or "", p.confidence or "")
    lines = [
        f"{head} (rules in force from {p.rule_version}, {confidence}; {offered})",
        *([f"  {p.go_live}"] if p.go_live else []),
        "  Criteria:",
    ]
    if p.criteria is not None and p.program_id == "ecm":
        lines.extend(_populations(p.criteria))
    elif p.criteria is not None:
        lines.extend(_node(p.criteria, 2))
    for overlay in p.overlays:
        lines.append("  Plan criteria:")
        lines.extend(_node(overlay, 2))
    if p.exclusions:
        applies = [x for x in p.exclusions if x.passed]
        lines.append("  Exclusions: " + ("APPLY" if applies else "none apply"))
        for exclusion in p.exclusions:
            lines.extend(_node(exclusion, 2))
    return lines


def _populations(criteria: NodeResult) -> list[str]:
    """The ECM aggregate: one line per Population of Focus (details: --program <id>)."""
    found = _find(criteria, lambda node: node.label.startswith("meets at least one"))
    pofs = found.children if found else []
    mark = MET if criteria.passed else NOT_MET
    lines = [f"    {mark} meets at least one ECM Population of Focus"]
    for pof in pofs:
        lines.append(f"      {MET if pof.passed else NOT_MET} {pof.label}")
    lines.append("      (explain one Population of Focus on its own for its criteria and evidence)")
    return lines


def _find(node: NodeResult, wanted: Any) -> NodeResult | None:
    if wanted(node):
        return node
    for child in node.children:
        hit = _find(child, wanted)
        if hit is not None:
            return hit
    return None


def _node(node: NodeResult, depth: int) -> list[str]:
    pad = "  " * depth
    mark = MET if node.passed else NOT_MET
    if node.kind != "leaf":
        lines = [f"{pad}{mark} {node.label}"]
        for child in node.children:
            lines.extend(_node(child, depth + 1))
        return lines
    found = "" if node.value is None else f": found {_value(node.value)}"
    if node.not_checked:
        mark, found = NOT_CHECKED, f" ({node.not_checked})"
    lines = [f"{pad}{mark} {node.label}{found}"]
    if node.note:
        lines.append(f"{pad}    {node.note}")
    for parameter in node.parameters:
        lines.append(
            f"{pad}    {parameter['parameter']} = {_value(parameter['value'])} from "
            f"{parameter['effective']} ({parameter['confidence']}; {parameter['source']})"
        )
    for item in node.evidence[:MAX_EVIDENCE]:
        lines.append(f"{pad}    · {item['date']}  {item['detail']}")
    if len(node.evidence) > MAX_EVIDENCE:
        lines.append(f"{pad}    · … and {len(node.evidence) - MAX_EVIDENCE} more")
    return lines


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) if len(value) <= 6 else f"{len(value)} items"
    return str(value)
