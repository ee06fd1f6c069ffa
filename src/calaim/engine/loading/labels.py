"""Labels that restate numbers stay true: built from parameter values, or checked against them.

A label may name a parameter in braces, e.g. "{cs.medically_tailored_meals.max_weeks} weeks
of meals": the resolver fills in the value in force (money as "$7,500"). Any other number a
label states ("5+ ED visits ... in 6 months") must equal a value that the criterion itself
cites, on the date each rule version starts; `calaim policy check` reports every label that
does not (a parameter changed and left a stale label behind).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from calaim.engine.features import FEATURES
from calaim.engine.features.base import ArgKind
from calaim.engine.loading.criteria import Leaf, Node, Not, Use

if TYPE_CHECKING:
    from calaim.engine.loading.parameters import Parameter
    from calaim.engine.loading.policy import Policy

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\}")
# A number standing on its own: not part of a code (Z59.0x, J45, 1915(c), PoF 1a) or a year.
NUMBER = re.compile(r"(?<![\w.$])(\d+(?:\.\d+)?)(?![\w.(])")
MONEY = re.compile(r"\$(\d{1,3}(?:,\d{3})*|\d+)")
YEAR = re.compile(r"^(19|20)\d\d$")


def placeholders(label: str) -> list[str]:
    """Parameter paths a label names in braces."""
    return PLACEHOLDER.findall(label)


def format_value(parameter: Parameter, value: Any) -> str:
    """A parameter value as a label shows it: '$7,500', '12', 'a, b'."""
    if parameter.unit == "usd":
        amount = Decimal(str(value))
        return f"${amount:,.0f}" if amount == amount.to_integral() else f"${amount:,.2f}"
    if isinstance(value, tuple | list):
        return ", ".join(str(item) for item in value)
    return str(value)


def fill(label: str, policy: Policy, as_of: dt.date) -> str:
    """The label with each {parameter} replaced by its value in force on `as_of`."""

    def value(match: re.Match[str]) -> str:
        parameter = policy.parameters[match.group(1)]
        found = parameter.value_at(as_of)
        return "?" if found is None else format_value(parameter, found[1])

    return PLACEHOLDER.sub(value, label)


def stated_numbers(label: str) -> list[Decimal]:
    """Numbers a label states outside its placeholders (years and codes left out)."""
    text = PLACEHOLDER.sub(" ", label)
    found = [Decimal(m.replace(",", "")) for m in MONEY.findall(text)]
    text = MONEY.sub(" ", text)
    found += [Decimal(m) for m in NUMBER.findall(text) if not YEAR.match(m)]
    return found


def label_problems(policy: Policy) -> list[str]:
    """Every label that states a number its criterion does not cite, per rule version."""
    problems: list[str] = []
    for program_id, rule in policy.rules.items():
        for version in rule.versions:
            where = f"{rule.file} (version {version.label})"
            for tree in (version.criteria, *version.exclusions):
                problems += _tree_problems(policy, tree, version.start, where)
        del program_id
    for code, plan in policy.plans.items():
        for overlay in plan.overlays:
            where = f"{plan.file} ({overlay.program_id} overlay)"
            start = overlay.period.start
            problems += _check(policy, overlay.label, overlay.require, start, where)
            problems += _tree_problems(policy, overlay.require, start, where)
        del code
    return sorted(set(problems))


def _tree_problems(policy: Policy, tree: Node, on: dt.date, where: str) -> list[str]:
    problems = []
    for node, context in _labelled(policy, tree, where):
        problems += _check(policy, node.label or "", node, on, context)
    return problems


def _labelled(policy: Policy, tree: Node, where: str) -> Iterator[tuple[Node, str]]:
    """Every labelled node, named criteria expanded (checked in the using rule's context)."""
    if tree.label:
        yield tree, where
    if isinstance(tree, Use) and tree.name in policy.named:
        named = policy.named[tree.name]
        context = f"{where} via rules/common.yaml ({tree.name})"
        yield Use(tree.name, label=named.label), context
        yield from _labelled(policy, named.definition, context)
    elif isinstance(tree, Not):
        yield from _labelled(policy, tree.child, where)
    elif not isinstance(tree, Leaf | Use):
        for child in tree.children:
            yield from _labelled(policy, child, where)


def _check(policy: Policy, label: str, node: Node, on: dt.date, where: str) -> list[str]:
    stated = stated_numbers(label)
    if not stated:
        return []
    cited = _cited_numbers(policy, node, on)
    return [
        f"{where}: label {label!r} states {_plain(number)}, but the criterion cites "
        f"{', '.join(sorted({_plain(c) for c in cited})) or 'no number'} on {on}; "
        "name the parameter in the label ({path}) or correct it"
        for number in stated
        if number not in cited
    ]


def _cited_numbers(policy: Policy, node: Node, on: dt.date) -> set[Decimal]:
    found: set[Decimal] = set()
    for leaf in _leaves(policy, node):
        feature = FEATURES[leaf.feature]
        for name, spec in feature.args.items():
            raw = leaf.args.get(name)
            if spec.kind != ArgKind.NUMBER or raw is None:
                continue
            if isinstance(raw, str):
                value = policy.parameters[raw].value_at(on)
                if value is not None and not isinstance(value[1], bool):
                    found.add(Decimal(str(value[1])))
            elif not isinstance(raw, bool):
                found.add(Decimal(str(raw)))
    return found


def _leaves(policy: Policy, node: Node) -> Iterator[Leaf]:
    if isinstance(node, Leaf):
        yield node
    elif isinstance(node, Use):
        if node.name in policy.named:
            yield from _leaves(policy, policy.named[node.name].definition)
    elif isinstance(node, Not):
        yield from _leaves(policy, node.child)
    else:
        for child in node.children:
            yield from _leaves(policy, child)


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")
