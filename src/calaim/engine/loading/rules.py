"""The program registry (`programs.yaml`), rule files and shared named criteria.

A rule file holds dated versions. A version applies from its `from` date until the next
version's; a program is evaluated only while its `in_effect` switch parameter is true.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calaim.engine.loading.criteria import NamedCriterion, Node, parse_node
from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.parameters import CONFIDENCES, Reference, parse_references
from calaim.engine.loading.yamlio import parse_date, read_yaml

KINDS = ("ecm", "ecm_pof", "cs")


@dataclass(frozen=True)
class Program:
    """One entry of the registry: ECM, an ECM Population of Focus, or a Community Support."""

    id: str
    name: str
    kind: str
    rule_path: str
    in_effect: str  # dotted path of the dated on/off switch parameter
    pof: str | None = None  # DHCS numbering of a Population of Focus, e.g. "1a"
    description: str = ""


@dataclass(frozen=True)
class RuleVersion:
    """Criteria and exclusions in force from `start` until the next version."""

    start: dt.date
    confidence: str
    criteria: Node
    exclusions: tuple[Node, ...]
    note: str | None = None

    @property
    def label(self) -> str:
        """The version name written to determinations, e.g. '2023-07-01'."""
        return self.start.isoformat()


@dataclass(frozen=True)
class Rule:
    """All dated versions of one program's rule."""

    program_id: str
    label: str
    references: tuple[Reference, ...]
    versions: tuple[RuleVersion, ...]
    file: str

    def version_at(self, as_of: dt.date) -> RuleVersion | None:
        """The version in force on `as_of`, if any."""
        current = None
        for version in self.versions:
            if version.start <= as_of:
                current = version
        return current


def load_programs(file: Path) -> dict[str, Program]:
    """Read the program registry."""
    raw = read_yaml(file)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("programs"), list):
        raise PolicyError(file, "must have a 'programs' list")
    programs: dict[str, Program] = {}
    for i, item in enumerate(raw["programs"]):
        where = f"{file} (programs[{i}])"
        for key in ("id", "name", "kind", "rule", "in_effect"):
            if not item.get(key):
                raise PolicyError(where, f"'{key}' is required")
        if item["kind"] not in KINDS:
            raise PolicyError(where, f"kind must be one of {list(KINDS)}")
        if item["id"] in programs:
            raise PolicyError(where, f"duplicate program id {item['id']!r}")
        programs[item["id"]] = Program(
            id=item["id"],
            name=item["name"],
            kind=item["kind"],
            rule_path=item["rule"],
            in_effect=item["in_effect"],
            pof=item.get("pof"),
            description=item.get("description", ""),
        )
    return programs


def load_rule(file: Path, program_id: str) -> Rule:
    """Read one rule file and check it belongs to `program_id`."""
    raw = read_yaml(file)
    where = str(file)
    if not isinstance(raw, Mapping):
        raise PolicyError(file, "must be a mapping with id, label, reference, versions")
    if raw.get("id") != program_id:
        raise PolicyError(file, f"id is {raw.get('id')!r} but the registry says {program_id!r}")
    for key in ("label", "reference", "versions"):
        if not raw.get(key):
            raise PolicyError(file, f"'{key}' is required")
    versions = tuple(
        _parse_version(item, f"{where} (versions[{i}])") for i, item in enumerate(raw["versions"])
    )
    starts = [version.start for version in versions]
    if starts != sorted(starts) or len(set(starts)) != len(starts):
        raise PolicyError(file, "versions must have distinct 'from' dates in ascending order")
    return Rule(
        program_id=program_id,
        label=str(raw["label"]),
        references=parse_references(raw["reference"], where),
        versions=versions,
        file=where,
    )


def _parse_version(raw: Any, where: str) -> RuleVersion:
    if not isinstance(raw, Mapping) or "from" not in raw or "criteria" not in raw:
        raise PolicyError(where, "a version needs 'from' and 'criteria'")
    extra = set(raw) - {"from", "confidence", "criteria", "exclusions", "note"}
    if extra:
        raise PolicyError(where, f"unexpected keys {sorted(extra)}")
    confidence = raw.get("confidence", "verified")
    if confidence not in CONFIDENCES:
        raise PolicyError(where, f"confidence must be one of {list(CONFIDENCES)}")
    exclusions = raw.get("exclusions") or []
    if not isinstance(exclusions, list):
        raise PolicyError(where, "'exclusions' must be a list of criteria")
    return RuleVersion(
        start=parse_date(raw["from"], where, "from"),
        confidence=confidence,
        criteria=parse_node(raw["criteria"], f"{where}.criteria"),
        exclusions=tuple(
            parse_node(item, f"{where}.exclusions[{i}]") for i, item in enumerate(exclusions)
        ),
        note=raw.get("note"),
    )


def load_named_criteria(file: Path) -> dict[str, NamedCriterion]:
    """Read the shared named criteria (`rules/common.yaml`)."""
    raw = read_yaml(file)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("criteria"), Mapping):
        raise PolicyError(file, "must have a 'criteria' mapping of name → definition")
    named = {}
    for name, item in raw["criteria"].items():
        where = f"{file} (criteria.{name})"
        if not isinstance(item, Mapping) or "definition" not in item or "label" not in item:
            raise PolicyError(where, "needs 'label' and 'definition'")
        named[str(name)] = NamedCriterion(
            name=str(name),
            label=str(item["label"]),
            definition=parse_node(item["definition"], f"{where}.definition"),
            reference=tuple(item.get("reference") or ()),
        )
    return named
