"""One program's compiled SQL, in a chosen dialect: what a reviewer reads to see exactly how a
rule is evaluated (snapshotted per program under tests/sql/, at the rule's path)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence

import sqlglot

from calaim.engine.compile.pipeline import build_pipeline
from calaim.engine.loading.resolve import ResolvedPolicy, ResolvedProgram, RLeaf, RNode

DIALECTS = ("duckdb", "spark")


def for_program(resolved: ResolvedPolicy, program_id: str) -> ResolvedPolicy:
    """The resolved policy narrowed to one program and the feature tests it reads."""
    program = resolved.programs[program_id]
    keys = {leaf.key for leaf in _program_leaves(program)}
    return dataclasses.replace(
        resolved,
        programs={program_id: program},
        leaves={key: leaf for key, leaf in resolved.leaves.items() if key in keys},
    )


def program_sql(
    resolved: ResolvedPolicy,
    program_id: str,
    dialect: str,
    *,
    diagnosis_columns: Sequence[str],
    counties: Sequence[str] = (),
) -> str:
    """Every step of `program_id`'s pipeline, transpiled to `dialect` and pretty-printed."""
    pipeline = build_pipeline(
        for_program(resolved, program_id), diagnosis_columns=diagnosis_columns, counties=counties
    )
    parts = [(step.name, step.sql) for step in pipeline.steps]
    parts += [("determinations", pipeline.determinations_sql), ("evidence", pipeline.evidence_sql)]
    out = [f"-- {program_id} as of {resolved.as_of} ({dialect})\n"]
    for name, sql in parts:
        text = sqlglot.transpile(sql, read="duckdb", write=dialect, pretty=True)[0]
        out.append(f"-- {name}\n{text};\n")
    return "\n".join(out)


def _program_leaves(program: ResolvedProgram) -> Iterator[RLeaf]:
    roots: list[RNode] = [*program.exclusions, *(o.require for o in program.overlays)]
    if program.criteria is not None:
        roots.append(program.criteria)
    for root in roots:
        yield from _leaves(root)


def _leaves(node: RNode) -> Iterator[RLeaf]:
    if isinstance(node, RLeaf):
        yield node
        return
    for child in node.children:
        yield from _leaves(child)
