"""A one-page plain explanation of a determination, for an authorization packet.

Written for the people who read a packet: a care manager, a utilization reviewer, a member.
Program names (never ids), the outcome in words, the rules' date and how sure calaim is of
them, when the program went live in the member's county, each criterion met or not (or not
checked, when the data cannot answer it) with the facts behind it, and the sources. Text and
HTML carry the same content; the HTML is one self-contained printable page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

import jinja2

from calaim.engine.explain import Explanation, NodeResult, ProgramResult
from calaim.engine.explain_text import CONFIDENCE_WORDS

STATUS_WORDS = {
    "eligible": "Eligible",
    "not_eligible": "Not eligible",
    "excluded": "Meets the criteria, but an exclusion applies",
    "not_offered": "Meets the criteria, but the member's plan does not offer it in this county",
}
MARKS = {"met": "✓", "not_met": "✗", "not_checked": "?"}
MAX_FACTS = 3
MAX_DETAILS = 6


@dataclass
class Reason:
    """One criterion as the packet shows it."""

    state: str  # met, not_met, not_checked
    text: str
    facts: list[str] = field(default_factory=list)
    details: list[Reason] = field(default_factory=list)

    @property
    def mark(self) -> str:
        """✓, ✗ or ?."""
        return MARKS[self.state]


@dataclass
class Section:
    """One program's page section."""

    name: str
    outcome: str
    rules: str | None
    go_live: str | None
    reasons: list[Reason]
    exclusions: list[Reason]
    not_checked: list[str]
    sources: list[str]
    reason: str | None = None


@dataclass
class Packet:
    """The whole page."""

    title: str
    member: list[tuple[str, str]]
    as_of: str
    sections: list[Section]
    summary: list[tuple[str, str]]
    footer: str


def build_packet(explanation: Explanation) -> Packet:
    """The page's content, shared by the text and HTML forms."""
    e = explanation
    m = e.member
    member = [
        ("Medi-Cal ID", str(m.get("member_id") or "not recorded")),
        ("Born", str(m.get("birth_date") or "not recorded")),
        ("Plan", str(m.get("payer") or "not recorded")),
        ("County", str(m.get("county") or "not recorded")),
    ]
    footer = (
        f"Determined by calaim from the data on file as of {e.as_of}; policy fingerprint "
        f"{e.policy_hash}. A criterion marked ? could not be checked from the data on file and "
        "counts as not met until the information is recorded."
    )
    if not e.enrolled:
        return Packet("Eligibility explanation", member, str(e.as_of), [], [], e.note or "")
    one = len(e.programs) == 1
    sections = [_section(p) for p in e.programs] if one else []
    summary = [] if one else [(p.name, STATUS_WORDS.get(p.status, p.status)) for p in e.programs]
    return Packet("Eligibility explanation", member, str(e.as_of), sections, summary, footer)


def _section(p: ProgramResult) -> Section:
    rules = None
    if p.rule_version is not None:
        how_sure = CONFIDENCE_WORDS.get(p.confidence or "", p.confidence or "")
        rules = f"Rules in force from {p.rule_version}; {how_sure}."
    reasons = _top_reasons(p.criteria) if p.criteria else []
    for overlay in p.overlays:
        reasons.append(_reason(overlay, depth=1))
    exclusions = [_reason(x, depth=1) for x in p.exclusions if x.passed]
    not_checked = _not_checked(_leaves(p))
    return Section(
        name=p.name,
        outcome=STATUS_WORDS.get(p.status, p.status) if p.rule_version else "Not eligible",
        rules=rules,
        go_live=p.go_live,
        reasons=reasons,
        exclusions=exclusions,
        not_checked=not_checked,
        sources=p.sources,
        reason=p.reason,
    )


def _not_checked(leaves: list[NodeResult]) -> list[str]:
    """'No household data recorded for this member: lives with their children (under 21)'."""
    grouped: dict[str, list[str]] = {}
    for leaf in leaves:
        if leaf.not_checked:
            why = leaf.not_checked.removeprefix("not checked: ")
            names = grouped.setdefault(why[:1].upper() + why[1:], [])
            name = _title(leaf)
            if name not in names:
                names.append(name)
    return [f"{why}: {'; '.join(names)}" for why, names in sorted(grouped.items())]


def _top_reasons(criteria: NodeResult) -> list[Reason]:
    """The program's own criteria: the children of its top-level all / any."""
    node = criteria.children[0] if len(criteria.children) == 1 else criteria
    if node.kind in ("all", "any") and node.children:
        return [_reason(child, depth=1) for child in node.children]
    return [_reason(node, depth=1)]


def _state(node: NodeResult) -> str:
    if node.passed:
        return "met"
    if node.not_checked or (node.kind != "leaf" and _all_unchecked(node)):
        return "not_checked"
    return "not_met"


def _all_unchecked(node: NodeResult) -> bool:
    leaves = [n for n in _walk(node) if n.kind == "leaf"]
    return bool(leaves) and all(n.not_checked for n in leaves)


def _unwrap(node: NodeResult) -> NodeResult:
    """Skip the unlabeled single-child groups a named criterion wraps its definition in."""
    inner = node
    while inner.kind != "leaf" and len(inner.children) == 1:
        inner = inner.children[0]
    if inner is node or inner.kind == "leaf":
        return node
    return NodeResult(node.label, node.passed, inner.kind, id=node.id, children=inner.children)


def _title(node: NodeResult) -> str:
    """A leaf's rule label without the feature's restatement, when it has one."""
    return (
        node.label.split(": ", 1)[0] if node.kind == "leaf" and ": " in node.label else node.label
    )


def _reason(node: NodeResult, depth: int) -> Reason:
    node = _unwrap(node)
    reason = Reason(_state(node), _title(node))
    if node.kind == "leaf":
        reason.facts = [f"{row['date']}: {row['detail']}" for row in node.evidence[:MAX_FACTS]]
        if len(node.evidence) > MAX_FACTS:
            reason.facts.append(f"and {len(node.evidence) - MAX_FACTS} more")
        if node.note:
            reason.facts.append(node.note)
        return reason
    if depth < 2:
        # Show what met a met group, or every alternative of an unmet one.
        shown = [c for c in node.children if c.passed] if node.passed else node.children
        reason.details = [_reason(child, depth + 1) for child in shown[:MAX_DETAILS]]
    elif node.passed:
        # Deeper down, the facts behind what was met are enough.
        rows = [row for n in _walk(node) if n.kind == "leaf" and n.passed for row in n.evidence]
        facts = dict.fromkeys(f"{row['date']}: {row['detail']}" for row in rows)
        reason.facts = list(facts)[:MAX_FACTS]
    return reason


def _walk(node: NodeResult) -> list[NodeResult]:
    found = [node]
    for child in node.children:
        found.extend(_walk(child))
    return found


def _leaves(p: ProgramResult) -> list[NodeResult]:
    roots = [r for r in (p.criteria, *p.overlays, *p.exclusions) if r is not None]
    return [n for root in roots for n in _walk(root) if n.kind == "leaf"]


def packet_text(explanation: Explanation) -> str:
    """The page as plain text."""
    packet = build_packet(explanation)
    lines = [f"{packet.title} as of {packet.as_of}", ""]
    lines += [f"{label}: {value}" for label, value in packet.member]
    for section in packet.sections:
        lines += ["", section.name, f"Outcome: {section.outcome}"]
        lines += [text for text in (section.rules, section.go_live, section.reason) if text]
        if section.reasons:
            lines.append("Why:")
            for reason in section.reasons:
                lines += _reason_lines(reason, 1)
        if section.exclusions:
            lines.append("Exclusions that apply:")
            for reason in section.exclusions:
                lines += _reason_lines(reason, 1)
        if section.not_checked:
            lines.append("Not checked (no data on file):")
            lines += [f"  - {item}" for item in section.not_checked]
        if section.sources:
            lines.append("Sources: " + "; ".join(section.sources))
    if packet.summary:
        lines += ["", "Programs (explain one program for the criteria behind it):"]
        lines += [f"  {name}: {outcome}" for name, outcome in packet.summary]
    lines += ["", packet.footer]
    return "\n".join(lines) + "\n"


def _reason_lines(reason: Reason, depth: int) -> list[str]:
    pad = "  " * depth
    lines = [f"{pad}{reason.mark} {reason.text}"]
    lines += [f"{pad}    {fact}" for fact in reason.facts]
    for detail in reason.details:
        lines += _reason_lines(detail, depth + 1)
    return lines


def packet_html(explanation: Explanation) -> str:
    """The page as one self-contained, printable HTML document."""
    source = resources.files("calaim.engine") / "templates" / "explain_packet.html"
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.from_string(source.read_text(encoding="utf-8"))
    return template.render(packet=build_packet(explanation))
