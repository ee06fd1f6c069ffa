"""The whole policy: registry, parameters, rules, value sets, coding table and plans.

`Policy.load()` reads and checks every file once; `Policy.resolve(as_of)` picks the rule
versions, parameter values, value-set rows and plan entries in force on that date.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from calaim.engine.features import FEATURES
from calaim.engine.features.base import ArgKind
from calaim.engine.loading.criteria import Leaf, NamedCriterion, Node, Use, walk
from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.labels import placeholders
from calaim.engine.loading.parameters import Parameter, load_parameters
from calaim.engine.loading.plans import PlanConfig, load_plans
from calaim.engine.loading.rules import Program, Rule, load_named_criteria, load_programs, load_rule
from calaim.engine.loading.value_sets import DEFINITION_VALUE_SETS as DEFINITION_VALUE_SETS
from calaim.engine.loading.value_sets import (
    ServiceCode,
    ValueSet,
    load_service_codes,
    load_value_sets,
)

if TYPE_CHECKING:
    from calaim.engine.loading.resolve import ResolvedPolicy


def default_policy_dir() -> Path:
    """The policy data shipped inside the package."""
    return Path(str(resources.files("calaim") / "policy"))


def default_plans_dir() -> Path:
    """The sample plan configuration shipped inside the package."""
    return default_policy_dir() / "plans"


def load_counties(policy_dir: Path) -> dict[str, str]:
    """County code → name, from the reference list."""
    with (policy_dir / "reference" / "counties.csv").open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


@dataclass(frozen=True)
class Policy:
    """Everything calaim knows about the program rules, checked and ready to resolve."""

    root: Path
    programs: dict[str, Program]
    rules: dict[str, Rule]
    named: dict[str, NamedCriterion]
    parameters: dict[str, Parameter]
    value_sets: dict[str, ValueSet]
    service_codes: tuple[ServiceCode, ...]
    plans: dict[str, PlanConfig]
    counties: dict[str, str]

    @classmethod
    def load(cls, root: Path | None = None, plans_dir: Path | None = None) -> Policy:
        """Load and check the policy folder (default: shipped) and a plans folder."""
        root = root or default_policy_dir()
        programs = load_programs(root / "programs.yaml")
        counties = load_counties(root)
        policy = cls(
            root=root,
            programs=programs,
            rules={
                pid: load_rule(root / "rules" / p.rule_path, pid) for pid, p in programs.items()
            },
            named=load_named_criteria(root / "rules" / "common.yaml"),
            parameters=load_parameters(root / "parameters"),
            value_sets=load_value_sets(root / "value_sets"),
            service_codes=load_service_codes(root / "value_sets"),
            plans=load_plans(
                plans_dir or root / "plans",
                counties=set(counties.values()),
                program_kinds={pid: p.kind for pid, p in programs.items()},
            ),
            counties=counties,
        )
        policy.check()
        return policy

    def check(self) -> None:
        """Cross-file checks: every citation resolves, every feature argument is well formed."""
        for set_id in DEFINITION_VALUE_SETS:
            if set_id not in self.value_sets:
                raise PolicyError(
                    self.root / "value_sets", f"required value set {set_id!r} missing"
                )
        for program in self.programs.values():
            if program.in_effect not in self.parameters:
                raise PolicyError(
                    self.root / "programs.yaml",
                    f"{program.id}: switch {program.in_effect!r} is not a parameter",
                )
        for code in self.service_codes:
            if code.program_id not in self.programs:
                raise PolicyError("service_codes.csv", f"unknown program {code.program_id!r}")
        for name, named in self.named.items():
            self._check_tree(named.definition, f"rules/common.yaml ({name})")
        for rule in self.rules.values():
            for version in rule.versions:
                where = f"{rule.file} (version {version.label})"
                for node in (version.criteria, *version.exclusions):
                    self._check_tree(node, where)
        for plan in self.plans.values():
            for overlay in plan.overlays:
                self._check_tree(overlay.require, f"{plan.file} ({overlay.program_id} overlay)")

    def _check_tree(self, tree: Node, where: str) -> None:
        for node in walk(tree):
            for path in placeholders(node.label or ""):
                if path not in self.parameters:
                    raise PolicyError(
                        where, f"label names parameter {{{path}}}, which does not exist"
                    )
            reserved = node.name == "any_population_of_focus" if isinstance(node, Use) else False
            if isinstance(node, Use) and node.name not in self.named and not reserved:
                raise PolicyError(where, f"'use: {node.name}' names no criterion in common.yaml")
            if isinstance(node, Leaf):
                self._check_leaf(node, where)

    def _check_leaf(self, leaf: Leaf, where: str) -> None:
        feature = FEATURES.get(leaf.feature)
        if feature is None:
            raise PolicyError(where, f"unknown feature {leaf.feature!r}; known: {sorted(FEATURES)}")
        unknown = set(leaf.args) - set(feature.args)
        if unknown:
            raise PolicyError(
                where,
                f"feature {leaf.feature!r} takes no {sorted(unknown)}; "
                f"it takes {sorted(feature.args)}",
            )
        for name, spec in feature.args.items():
            value = leaf.args.get(name)
            if value is None:
                if spec.required:
                    raise PolicyError(where, f"feature {leaf.feature!r} needs '{name}'")
                continue
            self._check_arg(leaf.feature, name, spec.kind, spec.choices, value, where)

    def _check_arg(
        self,
        feature: str,
        name: str,
        kind: ArgKind,
        choices: tuple[str, ...],
        value: object,
        where: str,
    ) -> None:
        what = f"{feature}.{name}"
        if kind in (ArgKind.NUMBER, ArgKind.LIST, ArgKind.FLAG) and isinstance(value, str):
            if value not in self.parameters:
                raise PolicyError(where, f"{what}: parameter {value!r} does not exist")
        elif kind == ArgKind.NUMBER and not isinstance(value, int | float):
            raise PolicyError(where, f"{what}: expected a number or a parameter path")
        elif kind == ArgKind.LIST and not isinstance(value, list):
            raise PolicyError(where, f"{what}: expected a list or a parameter path")
        elif kind == ArgKind.VALUE_SET and value not in self.value_sets:
            raise PolicyError(where, f"{what}: value set {value!r} does not exist")
        elif kind == ArgKind.NAME and choices and value not in choices:
            raise PolicyError(where, f"{what}: {value!r} is not one of {list(choices)}")
        elif kind in (ArgKind.BOOL, ArgKind.FLAG) and not isinstance(value, bool):
            raise PolicyError(where, f"{what}: expected true or false")

    def resolve(self, as_of: dt.date) -> ResolvedPolicy:
        """The policy in force on `as_of` (see calaim.engine.loading.resolve)."""
        from calaim.engine.loading.resolve import resolve_policy

        return resolve_policy(self, as_of)
