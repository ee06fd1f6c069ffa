"""Resolve the policy for one as-of date: rule versions, parameter values, plan entries.

The result is plain data with every value that an evaluation will use, each traced to its
parameter and effective date. Its canonical JSON snapshot is hashed into `policy_hash`, so
two runs with the same hash applied exactly the same rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from calaim.engine.features import FEATURES
from calaim.engine.features.base import ArgKind, ResolvedArg
from calaim.engine.loading.criteria import AllOf, Leaf, Node, Not, Use
from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.labels import fill
from calaim.engine.loading.rules import Program, RuleVersion
from calaim.engine.loading.value_sets import DEFINITION_VALUE_SETS, CodeRow, ServiceCode

if TYPE_CHECKING:
    from calaim.engine.loading.policy import Policy

PARAMETER_KINDS = (ArgKind.NUMBER, ArgKind.LIST, ArgKind.FLAG)
"""Argument kinds written as a parameter path (a string) in rules."""

ANY_POPULATION_OF_FOCUS = "any_population_of_focus"
"""Reserved `use:` name: the ECM aggregate meets it when any Population of Focus is met."""


@dataclass(frozen=True)
class RLeaf:
    """A feature test with its arguments resolved for the as-of date."""

    feature: str
    args: Mapping[str, ResolvedArg]
    key: str  # column name shared by every identical test
    label: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class RGroup:
    """A resolved all / any / not."""

    op: Literal["all", "any", "not"]
    children: tuple[RNode, ...]
    label: str | None = None
    id: str | None = None


RNode: TypeAlias = RLeaf | RGroup


@dataclass(frozen=True)
class ResolvedOverlay:
    """A plan's extra criteria for a Community Support, in force on the as-of date."""

    plan: str
    counties: tuple[str, ...] | None
    label: str
    require: RNode


@dataclass(frozen=True)
class ResolvedProgram:
    """One program as it stands on the as-of date."""

    program: Program
    version: RuleVersion | None
    reason: str | None  # why the program is not evaluated, when version is None
    criteria: RNode | None = None
    exclusions: tuple[RNode, ...] = ()
    overlays: tuple[ResolvedOverlay, ...] = ()


@dataclass
class ResolvedPolicy:
    """Everything one evaluation needs, for one as-of date."""

    as_of: dt.date
    programs: dict[str, ResolvedProgram]
    leaves: dict[str, RLeaf]
    value_sets: dict[str, tuple[CodeRow, ...]]
    service_codes: tuple[ServiceCode, ...]
    offers: tuple[tuple[str, str, str], ...]  # (payer, county, program id) offered
    configured_payers: tuple[str, ...]
    parameters_used: dict[str, dict[str, Any]] = field(default_factory=dict)

    def snapshot(self) -> dict[str, Any]:
        """A canonical JSON-able description of the resolved policy."""
        return {
            "as_of": self.as_of.isoformat(),
            "programs": {pid: _program_json(p) for pid, p in self.programs.items()},
            "parameters": self.parameters_used,
            "value_sets": {
                sid: [[r.code, r.match, r.include] for r in rows]
                for sid, rows in sorted(self.value_sets.items())
            },
            "service_codes": [
                [c.program_id, c.hcpcs, c.modifier, c.unit, _iso(c.start), _iso(c.end)]
                for c in self.service_codes
            ],
            "offers": [list(offer) for offer in self.offers],
            "configured_payers": list(self.configured_payers),
        }

    @property
    def policy_hash(self) -> str:
        """SHA-256 (first 16 hex digits) of the canonical snapshot."""
        text = json.dumps(self.snapshot(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def resolve_policy(policy: Policy, as_of: dt.date) -> ResolvedPolicy:
    """Resolve `policy` for `as_of`."""
    resolver = _Resolver(policy, as_of)
    programs = {pid: resolver.program(program) for pid, program in policy.programs.items()}
    used_sets = {
        str(leaf.args[name].value)
        for leaf in resolver.leaves.values()
        for name, spec in FEATURES[leaf.feature].args.items()
        if spec.kind == ArgKind.VALUE_SET and name in leaf.args and leaf.args[name].value
    }
    return ResolvedPolicy(
        as_of=as_of,
        programs=programs,
        leaves=resolver.leaves,
        value_sets={
            sid: policy.value_sets[sid].rows_at(as_of)
            for sid in sorted(used_sets | set(DEFINITION_VALUE_SETS))
        },
        service_codes=policy.service_codes,
        offers=_offers(policy, as_of),
        configured_payers=tuple(sorted(policy.plans)),
        parameters_used=resolver.parameters_used,
    )


def resolve_criteria(
    policy: Policy, as_of: dt.date, nodes: tuple[Node, ...]
) -> tuple[tuple[RNode, ...], dict[str, RLeaf], dict[str, dict[str, Any]]]:
    """Resolve criteria outside the program registry (e.g. risk score factors): the resolved
    trees, the distinct leaves they test and the parameters they cite."""
    resolver = _Resolver(policy, as_of)
    resolved = tuple(resolver.node(node) for node in nodes)
    return resolved, resolver.leaves, resolver.parameters_used


def value_sets_for(
    policy: Policy, as_of: dt.date, leaves: Mapping[str, RLeaf]
) -> dict[str, tuple[CodeRow, ...]]:
    """The value-set rows in force that these leaves (and the event definitions) read."""
    used = {
        str(leaf.args[name].value)
        for leaf in leaves.values()
        for name, spec in FEATURES[leaf.feature].args.items()
        if spec.kind == ArgKind.VALUE_SET and name in leaf.args and leaf.args[name].value
    }
    return {
        sid: policy.value_sets[sid].rows_at(as_of)
        for sid in sorted(used | set(DEFINITION_VALUE_SETS))
    }


class _Resolver:
    def __init__(self, policy: Policy, as_of: dt.date) -> None:
        self.policy = policy
        self.as_of = as_of
        self.leaves: dict[str, RLeaf] = {}
        self.parameters_used: dict[str, dict[str, Any]] = {}
        self._pof_criteria: list[RNode] = []

    def program(self, program: Program) -> ResolvedProgram:
        switch = self.policy.parameters[program.in_effect].value_at(self.as_of)
        if switch is None or not switch[1]:
            return ResolvedProgram(
                program,
                None,
                f"{program.name} is not in effect on {self.as_of} (switch {program.in_effect})",
            )
        version = self.policy.rules[program.id].version_at(self.as_of)
        if version is None:
            return ResolvedProgram(
                program, None, f"no rule version of {program.id} is in force on {self.as_of}"
            )
        criteria = self.node(version.criteria)
        criteria = RGroup("all", (criteria,), label=program.name, id=program.id)
        if program.kind == "ecm_pof":
            self._pof_criteria.append(criteria)
        return ResolvedProgram(
            program=program,
            version=version,
            reason=None,
            criteria=criteria,
            exclusions=tuple(self.node(node) for node in version.exclusions),
            overlays=self.overlays(program.id),
        )

    def overlays(self, program_id: str) -> tuple[ResolvedOverlay, ...]:
        found = []
        for code, plan in sorted(self.policy.plans.items()):
            for overlay in plan.overlays:
                if overlay.program_id == program_id and overlay.period.covers(self.as_of):
                    found.append(
                        ResolvedOverlay(
                            code,
                            overlay.counties,
                            self.label(overlay.label) or overlay.label,
                            self.node(overlay.require),
                        )
                    )
        return tuple(found)

    def node(self, node: Node) -> RNode:
        if isinstance(node, Leaf):
            return self.leaf(node)
        if isinstance(node, Use):
            return self.use(node)
        if isinstance(node, Not):
            return RGroup("not", (self.node(node.child),), self.label(node.label), node.id)
        op: Literal["all", "any"] = "all" if isinstance(node, AllOf) else "any"
        children = tuple(self.node(child) for child in node.children)
        return RGroup(op, children, self.label(node.label), node.id)

    def label(self, label: str | None) -> str | None:
        """The label with any {parameter} filled in with its value in force."""
        return fill(label, self.policy, self.as_of) if label else label

    def use(self, node: Use) -> RNode:
        if node.name == ANY_POPULATION_OF_FOCUS:
            # Registry order puts every Population of Focus before the ECM aggregate.
            label = node.label or "meets at least one ECM Population of Focus"
            if not self._pof_criteria:
                return RGroup("any", (), label, node.id)
            return RGroup("any", tuple(self._pof_criteria), label, node.id)
        named = self.policy.named[node.name]
        return RGroup(
            "all",
            (self.node(named.definition),),
            self.label(node.label or named.label),
            node.id or named.name,
        )

    def leaf(self, leaf: Leaf) -> RLeaf:
        feature = FEATURES[leaf.feature]
        args: dict[str, ResolvedArg] = {}
        for name, spec in feature.args.items():
            raw = leaf.args.get(name, spec.default)
            if raw is None:
                continue
            if spec.kind in PARAMETER_KINDS and isinstance(raw, str):
                args[name] = self.parameter(raw)
            else:
                args[name] = ResolvedArg(tuple(raw) if isinstance(raw, list) else raw)
        key = _leaf_key(leaf.feature, args)
        resolved = RLeaf(leaf.feature, args, key, self.label(leaf.label), leaf.id)
        self.leaves.setdefault(key, RLeaf(leaf.feature, args, key))
        return resolved

    def parameter(self, path: str) -> ResolvedArg:
        parameter = self.policy.parameters[path]
        found = parameter.value_at(self.as_of)
        if found is None:
            raise PolicyError(
                path,
                f"has no value in force on {self.as_of}; add a dated value "
                "or end the rule version that cites it",
            )
        effective, value = found
        self.parameters_used[path] = {
            "value": _jsonable(value),
            "effective": effective.isoformat(),
            "confidence": parameter.confidence,
            "description": parameter.description,
            "reference": [{"title": r.title, "href": r.href} for r in parameter.references],
        }
        return ResolvedArg(value, parameter=path, effective=effective)


def _offers(policy: Policy, as_of: dt.date) -> tuple[tuple[str, str, str], ...]:
    offers = set()
    for code, plan in policy.plans.items():
        for election in plan.elections:
            if election.period.covers(as_of):
                for county in election.counties:
                    offers.add((code, county, election.program_id))
    return tuple(sorted(offers))


def _leaf_key(feature: str, args: Mapping[str, ResolvedArg]) -> str:
    canonical = json.dumps(
        {k: _jsonable(v.value) for k, v in sorted(args.items())}, sort_keys=True, default=str
    )
    digest = hashlib.sha256(f"{feature}:{canonical}".encode()).hexdigest()[:8]
    return f"{feature}_{digest}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal | dt.date):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _program_json(program: ResolvedProgram) -> dict[str, Any]:
    return {
        "version": program.version.label if program.version else None,
        "reason": program.reason,
        "criteria": _node_json(program.criteria) if program.criteria else None,
        "exclusions": [_node_json(node) for node in program.exclusions],
        "overlays": [
            {
                "plan": o.plan,
                "counties": o.counties,
                "label": o.label,
                "require": _node_json(o.require),
            }
            for o in program.overlays
        ],
    }


def _node_json(node: RNode) -> dict[str, Any]:
    if isinstance(node, RLeaf):
        return {
            "feature": node.feature,
            "key": node.key,
            "label": node.label,
            "id": node.id,
            "args": {k: _jsonable(v.value) for k, v in node.args.items()},
        }
    return {
        "op": node.op,
        "label": node.label,
        "id": node.id,
        "children": [_node_json(child) for child in node.children],
    }
