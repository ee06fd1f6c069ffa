"""The risk score model as policy data: factors (criteria worth dated points), tier cut
points and the equity check's parameters, read from `policy/phm/risk_tiers.yaml`.

`load_model` checks the file against the policy (every parameter and feature exists);
`resolve_model` fixes every value in force on one as-of date, hashed like the eligibility
policy so two runs with the same hash scored with exactly the same data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calaim.engine.loading.criteria import Node, parse_node
from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.labels import fill
from calaim.engine.loading.policy import Policy
from calaim.engine.loading.resolve import (
    ResolvedPolicy,
    RLeaf,
    RNode,
    resolve_criteria,
    value_sets_for,
)
from calaim.engine.loading.yamlio import read_yaml

MODEL_FILE = Path("phm") / "risk_tiers.yaml"
NAME = re.compile(r"^[a-z][a-z0-9_]*$")  # factor and tier ids become column names and values


@dataclass(frozen=True)
class Factor:
    """One scored factor: a criterion and the parameter holding its points."""

    id: str
    label: str
    points: str
    criterion: Node
    part2: bool = False  # reveals substance use (42 CFR Part 2): withheld without consent


@dataclass(frozen=True)
class TierCut:
    """A tier and the parameter holding the score from which it applies."""

    tier: str
    label: str
    at_least: str


@dataclass(frozen=True)
class RiskModel:
    """The whole model as written in the policy folder."""

    file: Path
    factors: tuple[Factor, ...]
    tiers: tuple[TierCut, ...]
    default_tier: str
    default_label: str
    equity: Mapping[str, str]


@dataclass(frozen=True)
class ResolvedFactor:
    """A factor on the as-of date: its resolved criterion, points and where they come from."""

    id: str
    label: str
    points: int
    points_parameter: str
    effective: dt.date | None
    node: RNode
    part2: bool = False


@dataclass(frozen=True)
class ResolvedTier:
    """A tier and its cut point on the as-of date."""

    tier: str
    label: str
    at_least: int
    parameter: str


@dataclass(frozen=True)
class ResolvedModel:
    """Everything a scoring run needs for one date."""

    as_of: dt.date
    factors: tuple[ResolvedFactor, ...]
    tiers: tuple[ResolvedTier, ...]
    default_tier: str
    default_label: str
    min_cell: int
    disparity_points: float
    policy: ResolvedPolicy
    parameters_used: dict[str, dict[str, Any]]

    @property
    def policy_hash(self) -> str:
        """SHA-256 (16 hex digits) of the factors, points, cut points and features read."""
        snapshot = {
            "engine": self.policy.snapshot(),
            "factors": [[f.id, f.points, f.label] for f in self.factors],
            "tiers": [[t.tier, t.at_least] for t in self.tiers],
            "default": self.default_tier,
            "equity": [self.min_cell, self.disparity_points],
            "parameters": self.parameters_used,
        }
        text = json.dumps(snapshot, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_model(policy: Policy) -> RiskModel:
    """Read and check `phm/risk_tiers.yaml` in the policy folder."""
    file = policy.root / MODEL_FILE
    if not file.exists():
        raise PolicyError(file, "the risk tier model is missing from the policy folder")
    raw = read_yaml(file)
    if not isinstance(raw, Mapping):
        raise PolicyError(file, "expected a mapping with factors, tiers and default_tier")
    factors = tuple(
        _factor(item, f"{file} factors[{i}]") for i, item in enumerate(_list(raw, "factors", file))
    )
    ids = [factor.id for factor in factors]
    if len(set(ids)) != len(ids):
        raise PolicyError(file, "factor ids must be unique")
    tiers = tuple(
        _tier(item, f"{file} tiers[{i}]") for i, item in enumerate(_list(raw, "tiers", file))
    )
    default = raw.get("default_tier")
    if not isinstance(default, Mapping) or not default.get("tier"):
        raise PolicyError(file, "default_tier needs a 'tier' (and a 'label')")
    equity = raw.get("equity")
    if not isinstance(equity, Mapping) or set(equity) != {"min_cell", "disparity_points"}:
        raise PolicyError(file, "equity needs exactly min_cell and disparity_points parameters")
    model = RiskModel(
        file=file,
        factors=factors,
        tiers=tiers,
        default_tier=str(default["tier"]),
        default_label=str(default.get("label", default["tier"])),
        equity={key: str(value) for key, value in equity.items()},
    )
    _check(model, policy)
    return model


def _list(raw: Mapping[str, Any], key: str, file: Path) -> list[Any]:
    items = raw.get(key)
    if not isinstance(items, list) or not items:
        raise PolicyError(file, f"'{key}' needs a non-empty list")
    return items


def _factor(raw: Any, where: str) -> Factor:
    required = {"id", "label", "points", "criterion"}
    if not isinstance(raw, Mapping) or not required <= set(raw) <= required | {"part2"}:
        raise PolicyError(where, "a factor has id, label, points, criterion (and part2?)")
    if not isinstance(raw.get("part2", False), bool):
        raise PolicyError(where, "part2 must be true or false")
    return Factor(
        id=str(raw["id"]),
        label=str(raw["label"]),
        points=str(raw["points"]),
        criterion=parse_node(raw["criterion"], f"{where}.criterion"),
        part2=bool(raw.get("part2", False)),
    )


def _tier(raw: Any, where: str) -> TierCut:
    if not isinstance(raw, Mapping) or set(raw) != {"tier", "label", "at_least"}:
        raise PolicyError(where, "a tier has exactly tier, label and at_least")
    return TierCut(str(raw["tier"]), str(raw["label"]), str(raw["at_least"]))


def _check(model: RiskModel, policy: Policy) -> None:
    names = [f.id for f in model.factors] + [t.tier for t in model.tiers] + [model.default_tier]
    for name in names:
        if not NAME.match(name):
            raise PolicyError(model.file, f"{name!r}: ids are lower-case letters, digits and _")
    paths = [f.points for f in model.factors] + [t.at_least for t in model.tiers]
    paths += list(model.equity.values())
    for path in paths:
        if path not in policy.parameters:
            raise PolicyError(model.file, f"parameter {path!r} does not exist")
    for factor in model.factors:
        policy._check_tree(factor.criterion, f"{model.file} (factor {factor.id})")


def resolve_model(policy: Policy, model: RiskModel, as_of: dt.date) -> ResolvedModel:
    """Every factor, point value and cut point in force on `as_of`."""
    _require_in_force(policy, model, as_of)
    nodes, leaves, used = resolve_criteria(policy, as_of, tuple(f.criterion for f in model.factors))
    factors = []
    for factor, node in zip(model.factors, nodes, strict=True):
        points, effective = _number(policy, factor.points, as_of, used, required=False)
        factors.append(
            ResolvedFactor(
                id=factor.id,
                label=fill(factor.label, policy, as_of),
                points=int(points),
                points_parameter=factor.points,
                effective=effective,
                node=node,
                part2=factor.part2,
            )
        )
    tiers = tuple(
        ResolvedTier(t.tier, t.label, int(_number(policy, t.at_least, as_of, used)[0]), t.at_least)
        for t in model.tiers
    )
    cuts = [tier.at_least for tier in tiers]
    if cuts != sorted(cuts, reverse=True):
        raise PolicyError(
            model.file, f"on {as_of} the tier cut points must go from highest to lowest"
        )
    engine_policy = ResolvedPolicy(
        as_of=as_of,
        programs={},
        leaves=leaves,
        value_sets=value_sets_for(policy, as_of, leaves),
        service_codes=policy.service_codes,
        offers=(),
        configured_payers=(),
        parameters_used=used,
    )
    return ResolvedModel(
        as_of=as_of,
        factors=tuple(factors),
        tiers=tiers,
        default_tier=model.default_tier,
        default_label=model.default_label,
        min_cell=int(_number(policy, model.equity["min_cell"], as_of, used)[0]),
        disparity_points=float(_number(policy, model.equity["disparity_points"], as_of, used)[0]),
        policy=engine_policy,
        parameters_used=used,
    )


def _require_in_force(policy: Policy, model: RiskModel, as_of: dt.date) -> None:
    """A clear refusal before the model's first date (no tier exists then)."""
    for tier in model.tiers:
        parameter = policy.parameters[tier.at_least]
        if parameter.value_at(as_of) is None:
            starts = [start for start, value in parameter.values if value is not None]
            since = f" it starts on {starts[0]}" if starts else " it has no value"
            raise PolicyError(
                model.file,
                f"no {tier.label} cut point ({tier.at_least}) is in force on {as_of}:{since}; "
                "choose a later --as-of date or add a dated value",
            )


def leaf_of(node: RNode) -> RLeaf | None:
    """The single feature a factor tests, when it tests only one (its value is then shown)."""
    return node if isinstance(node, RLeaf) else None


def _number(
    policy: Policy,
    path: str,
    as_of: dt.date,
    used: dict[str, dict[str, Any]],
    *,
    required: bool = True,
) -> tuple[float, dt.date | None]:
    parameter = policy.parameters[path]
    found = parameter.value_at(as_of)
    if found is None:
        if required:
            raise PolicyError(
                path,
                f"has no value in force on {as_of}; risk tiers cannot be computed before the "
                "model's first effective date",
            )
        return 0, None  # a factor whose points have ended scores nothing
    effective, value = found
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise PolicyError(path, f"{value!r} is not a number")
    used[path] = {
        "value": value,
        "effective": effective.isoformat(),
        "confidence": parameter.confidence,
        "description": parameter.description,
        "reference": [{"title": r.title, "href": r.href} for r in parameter.references],
    }
    return value, effective
