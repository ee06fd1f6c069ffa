"""Explain one person's determinations: every criterion, pass or fail, and the facts behind it.

The same compiled pipeline runs restricted to the person, so the explanation reads exactly
the values and test results that produced the determination; nothing is re-decided here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from calaim.data.reader import InputSet
from calaim.engine.backends.base import Backend
from calaim.engine.compile.rules import met_column, program_column
from calaim.engine.features import FEATURES
from calaim.engine.features.base import Context
from calaim.engine.go_live import go_live, go_live_sentence
from calaim.engine.identify import compile_for, opened, run_steps
from calaim.engine.loading.parameters import Reference
from calaim.engine.loading.policy import Policy
from calaim.engine.loading.resolve import ResolvedPolicy, ResolvedProgram, RGroup, RLeaf, RNode


class UnknownProgramError(ValueError):
    """The program id is not in the registry."""


# The input table each feature source reads, and what its absence means in plain words.
SOURCE_TABLES = {
    "housing_status": ("housing_status", "housing status data"),
    "program_span": ("program_enrollment", "program enrollment data"),
    "incarceration": ("incarceration", "incarceration data"),
    "pre_release_service": ("pre_release_service", "pre-release service data"),
    "pregnancy": ("pregnancy", "pregnancy data"),
    "member_fact": ("member_fact", "screening or assessment data"),
}


@dataclass
class NodeResult:
    """One criterion's outcome."""

    label: str
    passed: bool
    kind: str  # all / any / not / leaf
    id: str | None = None  # a program id on the Population of Focus nodes of the ECM aggregate
    value: Any = None
    not_checked: str | None = None  # why the inputs cannot answer this criterion (leaves)
    note: str | None = None  # an extra plain sentence about the value (leaves)
    parameters: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    children: list[NodeResult] = field(default_factory=list)


@dataclass
class ProgramResult:
    """One program's determination and why."""

    program_id: str
    name: str
    status: str
    eligible: bool | None  # None when withheld (42 CFR Part 2: ops/access/part2.py)
    offered: bool | None
    rule_version: str | None
    reason: str | None = None
    confidence: str | None = None  # of the rule version used
    go_live: str | None = None  # when the program is (or was) live in the member's county
    sources: list[str] = field(default_factory=list)  # the rule's references
    criteria: NodeResult | None = None
    exclusions: list[NodeResult] = field(default_factory=list)
    overlays: list[NodeResult] = field(default_factory=list)


@dataclass
class Explanation:
    """Everything calaim can say about one person on one date."""

    person_id: str
    as_of: dt.date
    policy_hash: str
    enrolled: bool
    member: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    programs: list[ProgramResult] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Machine-readable form (JSON-able with default=str)."""
        return asdict(self)


def explain(
    data: Path | str,
    as_of: dt.date,
    person: str,
    *,
    program: str | None = None,
    policy: Policy | None = None,
    plans: Path | None = None,
    county: str | None = None,
    backend: Backend | None = None,
) -> Explanation:
    """Explain `person`'s determinations on `as_of` (all programs, or one).

    `county`: default county for spans with none in the files and none from their zip_code.
    `backend`: where the SQL runs (a fresh DuckDB one unless given); closed at the end.
    """
    policy = policy or Policy.load(plans_dir=plans)
    if program is not None and program not in policy.programs:
        raise UnknownProgramError(
            f"unknown program {program!r}; known ids: {', '.join(policy.programs)}"
        )
    resolved = policy.resolve(as_of)
    with opened(data, backend=backend, county=county) as (backend, inputs):
        pipeline = compile_for(policy, resolved, inputs, backend, person=person)
        run_steps(backend, pipeline, None)
        found = backend.rows("SELECT * FROM decision")
        result = Explanation(person, as_of, resolved.policy_hash, enrolled=bool(found))
        if not found:
            result.note = _not_enrolled_note(backend, person, as_of)
            return result
        row = found[0]
        result.member = _member(backend, row)
        walker = _Walker(backend, row, Context(as_of), resolved, policy, inputs)
        for pid, resolved_program in resolved.programs.items():
            if program is None or pid == program:
                result.programs.append(walker.program(resolved_program, row))
        return result


def _member(backend: Backend, row: dict[str, Any]) -> dict[str, Any]:
    members = backend.rows("SELECT * FROM members")
    member = members[0] if members else {}
    return {
        key: member.get(key)
        for key in (
            "member_id",
            "birth_date",
            "gender",
            "race",
            "payer",
            "plan",
            "county",
            "language",
        )
    }


def _not_enrolled_note(backend: Backend, person: str, as_of: dt.date) -> str:
    quoted = person.replace("'", "''")
    spans = backend.rows(
        "SELECT enrollment_start_date, enrollment_end_date, payer, payer_type, death_date "
        "FROM eligibility "
        f"WHERE person_id = '{quoted}' ORDER BY enrollment_start_date"
    )
    if not spans:
        return f"No person {person!r} in eligibility. Check the person_id."
    listed = "; ".join(
        f"{s['payer']} {s['enrollment_start_date']} to {s['enrollment_end_date'] or 'open'}"
        + (f" (died {s['death_date']})" if s["death_date"] else "")
        + (
            f" ({s['payer_type']}: only Medicaid spans enroll)"
            if s["payer_type"] not in (None, "medicaid")
            else ""
        )
        for s in spans
    )
    return f"{person} is not enrolled on {as_of}, so no program is evaluated. Spans: {listed}."


class _Walker:
    """Turns resolved trees plus one decision row into NodeResults."""

    def __init__(
        self,
        backend: Backend,
        row: dict[str, Any],
        ctx: Context,
        resolved: ResolvedPolicy,
        policy: Policy,
        inputs: InputSet,
    ) -> None:
        self.backend = backend
        self.row = row
        self.ctx = ctx
        self.used = resolved.parameters_used
        self.policy = policy
        self.inputs = inputs
        ids = sorted(policy.programs, key=len, reverse=True)
        self._ids = re.compile(r"\b(" + "|".join(re.escape(i) for i in ids) + r")\b")

    def program(self, program: ResolvedProgram, row: dict[str, Any]) -> ProgramResult:
        pid = program.program.id
        met = bool(row[program_column(pid, "met")])
        excluded = bool(row[program_column(pid, "excluded")])
        offered = row[program_column(pid, "offered")]
        result = ProgramResult(
            pid,
            program.program.name,
            "not_eligible",
            False,
            None if offered is None else bool(offered),
            program.version.label if program.version else None,
            reason=self.names(program.reason) if program.reason else None,
            confidence=program.version.confidence if program.version else None,
            sources=[_source(ref) for ref in self.policy.rules[pid].references],
        )
        if program.program.kind != "ecm" and row.get("county"):
            found = go_live(self.policy, pid, str(row["county"]))
            result.go_live = go_live_sentence(found, self.ctx.as_of)
        if program.version is None or program.criteria is None:
            return result
        result.eligible = met and not excluded
        result.status = _status(met, excluded, result.offered)
        result.criteria = self.node(program.criteria)
        result.exclusions = [self.node(node) for node in program.exclusions]
        for overlay in program.overlays:
            if overlay.plan == row["payer"] and (
                overlay.counties is None or row["county"] in overlay.counties
            ):
                node = self.node(overlay.require)
                node.label = f"{overlay.plan} requires: {overlay.label}"
                result.overlays.append(node)
        return result

    def node(self, node: RNode) -> NodeResult:
        if isinstance(node, RLeaf):
            return self.leaf(node)
        children = [self.node(child) for child in node.children]
        passed = _combine(node, children)
        default = {"all": "all of", "any": "any of", "not": "none of"}[node.op]
        label = self.names(node.label or default)
        return NodeResult(label, passed, node.op, id=node.id, children=children)

    def names(self, text: str) -> str:
        """Program names in place of program ids (a care manager never reads an id)."""
        return self._ids.sub(lambda m: self.policy.programs[m.group(1)].name, text)

    def unchecked(self, leaf: RLeaf, value: Any) -> str | None:
        """Why the inputs cannot answer the leaf: its table is absent, or no record exists."""
        feature = FEATURES[leaf.feature]
        table = SOURCE_TABLES.get(feature.source)
        if table is not None and self.inputs.tables[table[0]].path is None:
            return f"not checked: no {table[1]} in the data provided"
        return feature.unchecked(leaf.args, value)

    def leaf(self, leaf: RLeaf) -> NodeResult:
        feature = FEATURES[leaf.feature]
        description = feature.describe(leaf.args)
        label = self.names(f"{leaf.label}: {description}" if leaf.label else description)
        evidence_sql = feature.evidence_sql(leaf.args, self.ctx)
        evidence = []
        if evidence_sql:
            person = str(self.row["person_id"]).replace("'", "''")
            evidence = self.backend.rows(
                f"SELECT date, detail FROM ({evidence_sql}) AS e "
                f"WHERE person_id = '{person}' ORDER BY date, detail"
            )
        parameters = [
            {
                "argument": name,
                "parameter": arg.parameter,
                "value": _plain(arg.value),
                "effective": arg.effective.isoformat() if arg.effective else None,
                "confidence": self.used[arg.parameter]["confidence"],
                "source": "; ".join(ref["title"] for ref in self.used[arg.parameter]["reference"]),
            }
            for name, arg in leaf.args.items()
            if arg.parameter
        ]
        value = _plain(self.row.get(leaf.key))
        passed = bool(self.row[met_column(leaf.key)])
        return NodeResult(
            label,
            passed,
            "leaf",
            value=value,
            not_checked=None if passed else self.unchecked(leaf, value),
            note=feature.note(leaf.args, evidence),
            parameters=parameters,
            evidence=evidence,
        )


def _source(reference: Reference) -> str:
    return f"{reference.title} ({reference.href})" if reference.href else reference.title


def _combine(node: RGroup, children: list[NodeResult]) -> bool:
    if node.op == "not":
        return not children[0].passed
    if node.op == "all":
        return all(child.passed for child in children)
    return any(child.passed for child in children)


def _status(met: bool, excluded: bool, offered: bool | None) -> str:
    if met and excluded:
        return "excluded"
    if met and offered is False:
        return "not_offered"
    return "eligible" if met else "not_eligible"


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value
