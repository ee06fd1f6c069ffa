"""The criterion tree of a rule: `all`, `any`, `not`, named `use`, and feature leaves.

A rule never holds SQL. It combines named features (see `calaim.engine.features`) and cites
parameters by their dotted path. This module only parses and type-checks the tree shape;
feature arguments are checked against the feature registry in `calaim.engine.loading.policy`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from calaim.engine.loading.errors import PolicyError

_META_KEYS = frozenset({"id", "label"})


@dataclass(frozen=True)
class Leaf:
    """A test on one feature, e.g. ED visits in 6 months at least 5."""

    feature: str
    args: Mapping[str, Any]
    id: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class AllOf:
    """True when every child is true."""

    children: tuple[Node, ...]
    id: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class AnyOf:
    """True when at least one child is true."""

    children: tuple[Node, ...]
    id: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Not:
    """True when the child is false."""

    child: Node
    id: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Use:
    """A reference to a named criterion defined once in `rules/common.yaml`."""

    name: str
    id: str | None = None
    label: str | None = None


Node: TypeAlias = Leaf | AllOf | AnyOf | Not | Use


@dataclass(frozen=True)
class NamedCriterion:
    """A criterion defined once and reused by several rules (e.g. the homelessness definition)."""

    name: str
    label: str
    definition: Node
    reference: tuple[Mapping[str, str], ...] = field(default_factory=tuple)


def parse_node(raw: Any, where: str) -> Node:
    """Parse one YAML criterion node; `where` names the file and path for error messages."""
    if not isinstance(raw, Mapping):
        raise PolicyError(where, f"a criterion must be a mapping, got {raw!r}")
    meta = {"id": _opt_str(raw, "id", where), "label": _opt_str(raw, "label", where)}
    kinds = [key for key in ("all", "any", "not", "feature", "use") if key in raw]
    if len(kinds) != 1:
        raise PolicyError(where, "a criterion needs exactly one of all / any / not / feature / use")
    kind = kinds[0]
    if kind in ("all", "any"):
        return _parse_group(raw, kind, where, meta)
    if kind == "not":
        _no_extra(raw, {"not"}, where)
        return Not(parse_node(raw["not"], f"{where}.not"), **meta)
    if kind == "use":
        _no_extra(raw, {"use"}, where)
        return Use(str(raw["use"]), **meta)
    args = {key: value for key, value in raw.items() if key not in _META_KEYS | {"feature"}}
    return Leaf(feature=str(raw["feature"]), args=args, **meta)


def _parse_group(raw: Mapping[str, Any], kind: str, where: str, meta: dict[str, Any]) -> Node:
    _no_extra(raw, {kind}, where)
    items = raw[kind]
    if not isinstance(items, list) or not items:
        raise PolicyError(where, f"'{kind}' needs a non-empty list of criteria")
    children = tuple(parse_node(item, f"{where}.{kind}[{i}]") for i, item in enumerate(items))
    return AllOf(children, **meta) if kind == "all" else AnyOf(children, **meta)


def _no_extra(raw: Mapping[str, Any], allowed: set[str], where: str) -> None:
    extra = set(raw) - allowed - _META_KEYS
    if extra:
        raise PolicyError(where, f"unexpected keys {sorted(extra)}; allowed: {sorted(allowed)}")


def _opt_str(raw: Mapping[str, Any], key: str, where: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise PolicyError(where, f"'{key}' must be text, got {value!r}")
    return value


def walk(node: Node) -> Iterator[Node]:
    """Yield the node and all its descendants, depth first (named criteria not expanded)."""
    yield node
    if isinstance(node, AllOf | AnyOf):
        for child in node.children:
            yield from walk(child)
    elif isinstance(node, Not):
        yield from walk(node.child)
