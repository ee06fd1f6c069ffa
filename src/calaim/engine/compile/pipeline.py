"""The identification pipeline for one as-of date: named SQL steps plus small lookup tables.

Steps run in order and each is materialized by the backend. The last two queries produce the
contract's determinations (long: person × program) and the evidence (wide: person × every
feature value, test and program flag). Nothing here executes SQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from calaim.engine.compile import sources
from calaim.engine.compile.rules import (
    criteria_expression,
    exclusion_expression,
    met_column,
    offered_expression,
    program_column,
)
from calaim.engine.features import FEATURES
from calaim.engine.features.base import ArgKind, Context
from calaim.engine.loading.resolve import ResolvedPolicy, ResolvedProgram, RLeaf
from calaim.engine.loading.value_sets import DEFINITION_VALUE_SETS

DIALECT = "duckdb"
SOURCE_ORDER = (
    "ed_visit",
    "office_visit",
    "stay",
    "service",
    "housing_status",
    "program_span",
    "incarceration",
    "pre_release_service",
    "pregnancy",
    "member_fact",
)


@dataclass(frozen=True)
class Step:
    """One named query whose result the backend keeps under that name: as a table, or as a
    view when it is only read once by the next step (saves writing a wide table)."""

    name: str
    sql: str
    view: bool = False


@dataclass
class Lookup:
    """A small table built from policy data (value sets, coding table, plan offers)."""

    name: str
    columns: dict[str, str]  # column name → DuckDB type
    rows: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class Pipeline:
    """Everything a backend needs to identify a population on one date."""

    lookups: tuple[Lookup, ...]
    steps: tuple[Step, ...]
    determinations_sql: str
    evidence_sql: str


def build_pipeline(
    resolved: ResolvedPolicy,
    *,
    diagnosis_columns: Sequence[str],
    counties: Sequence[str],
    person: str | None = None,
) -> Pipeline:
    """Compile the resolved policy into a pipeline (optionally for one person only)."""
    ctx = Context(resolved.as_of)
    leaves = list(resolved.leaves.values())
    dx_sets = _dx_value_sets(leaves)
    inputs = sources.SourceInputs(
        ctx=ctx,
        definitions={sid: resolved.value_sets[sid] for sid in DEFINITION_VALUE_SETS},
        diagnosis_columns=diagnosis_columns,
        person=person,
        needs_claim_value_sets=any(
            leaf.feature in ("ed_visits", "office_visits", "unplanned_stays", "hospital_stays")
            and leaf.args.get("value_set") is not None
            for leaf in leaves
        ),
    )
    lookups = (
        _dx_lookup(resolved, dx_sets),
        _service_lookup(resolved),
        _offer_lookup(resolved, counties),
    )
    lengths = sorted({len(row[1]) for row in lookups[0].rows if row[2] == "prefix"})
    hcpcs = sorted({row[1] for row in lookups[1].rows})
    steps = [
        Step("members", sources.members_sql(inputs)),
        Step("claim_line", sources.claim_line_sql(inputs, hcpcs)),
        Step("raw_code", sources.raw_code_sql(inputs)),
        Step("code_map", sources.code_map_sql(lengths)),
        Step("dx", sources.dx_sql(inputs)),
        Step("ed_visit", sources.ed_visit_sql(inputs)),
        Step("stay", sources.stay_sql(inputs)),
        Step("service", sources.service_sql(inputs)),
    ]
    by_source = _leaves_by_source(leaves)
    # Sources only some features read are built only when a rule in force reads them.
    if by_source.get("office_visit"):
        steps.append(Step("office_visit", sources.office_visit_sql(inputs)))
    if by_source.get("program_span"):
        steps.append(Step("program_span", sources.program_span_sql(inputs)))
    for source in ("dx", *SOURCE_ORDER):
        if by_source.get(source):
            steps.append(Step(f"agg_{source}", _aggregate_sql(source, by_source[source], ctx)))
    steps.append(Step("feature_values", _feature_values_sql(by_source, ctx), view=True))
    steps.append(Step("feature_tests", _feature_tests_sql(leaves), view=True))
    programs = list(resolved.programs.values())
    steps.append(Step("decision", _decision_sql(programs)))
    return Pipeline(
        lookups=lookups,
        steps=tuple(steps),
        determinations_sql=_determinations_sql(resolved, programs),
        evidence_sql="SELECT * FROM decision",
    )


def _dx_value_sets(leaves: Sequence[RLeaf]) -> list[str]:
    found = set()
    for leaf in leaves:
        for name, spec in FEATURES[leaf.feature].args.items():
            value_set = leaf.args.get(name)
            if spec.kind == ArgKind.VALUE_SET and value_set is not None and value_set.value:
                found.add(str(value_set.value))
    return sorted(found)


def _dx_lookup(resolved: ResolvedPolicy, set_ids: Sequence[str]) -> Lookup:
    lookup = Lookup(
        "dx_code",
        {
            "value_set": "VARCHAR",
            "code": "VARCHAR",
            "match": "VARCHAR",
            "include": "BOOLEAN",
            "code_length": "INTEGER",
        },
    )
    for set_id in set_ids:
        for row in resolved.value_sets[set_id]:
            lookup.rows.append((set_id, row.code, row.match, row.include, len(row.code)))
    return lookup


def _service_lookup(resolved: ResolvedPolicy) -> Lookup:
    lookup = Lookup(
        "service_code",
        {
            "program_id": "VARCHAR",
            "hcpcs": "VARCHAR",
            "modifier": "VARCHAR",
            "unit": "VARCHAR",
            "start_date": "DATE",
            "end_date": "DATE",
        },
    )
    for code in resolved.service_codes:
        lookup.rows.append(
            (code.program_id, code.hcpcs, code.modifier, code.unit, code.start, code.end)
        )
    return lookup


def _offer_lookup(resolved: ResolvedPolicy, counties: Sequence[str]) -> Lookup:
    """One row per configured payer × county, listing the Community Supports offered there."""
    offered: dict[tuple[str, str], list[str]] = defaultdict(list)
    for payer, county, program_id in resolved.offers:
        offered[(payer, county)].append(program_id)
    lookup = Lookup("plan_offer", {"payer": "VARCHAR", "county": "VARCHAR", "offers": "VARCHAR[]"})
    for payer in resolved.configured_payers:
        for county in counties:
            lookup.rows.append((payer, county, sorted(offered.get((payer, county), []))))
    return lookup


def _leaves_by_source(leaves: Sequence[RLeaf]) -> dict[str, list[RLeaf]]:
    grouped: dict[str, list[RLeaf]] = defaultdict(list)
    for leaf in leaves:
        grouped[FEATURES[leaf.feature].source].append(leaf)
    return grouped


def _aggregate_sql(source: str, leaves: Sequence[RLeaf], ctx: Context) -> str:
    values = ",\n       ".join(
        f'{FEATURES[leaf.feature].value_sql(leaf.args, ctx)} AS "{leaf.key}"' for leaf in leaves
    )
    return f"""
SELECT person_id,
       {values}
FROM {source}
WHERE person_id IN (SELECT person_id FROM members)
GROUP BY person_id"""


def _feature_values_sql(by_source: dict[str, list[RLeaf]], ctx: Context) -> str:
    # Member-level features read the members table alone (in a subquery), so their bare
    # column names can never collide with a joined table's.
    member_values = "".join(
        f',\n         {FEATURES[leaf.feature].value_sql(leaf.args, ctx)} AS "{leaf.key}"'
        for leaf in by_source.get("members", [])
    )
    columns = ["m.*", "o.offers"]
    joins = []
    for source, leaves in by_source.items():
        if source == "members":
            continue
        alias = f"a_{source}"
        columns.extend(f'{alias}."{leaf.key}"' for leaf in leaves)
        joins.append(f"LEFT JOIN agg_{source} AS {alias} ON {alias}.person_id = m.person_id")
    return (
        "SELECT " + ",\n       ".join(columns) + "\n"
        f"FROM (\n  SELECT person_id, payer, county{member_values}\n  FROM members\n) AS m\n"
        "LEFT JOIN plan_offer AS o ON o.payer = m.payer AND o.county = m.county\n"
        + "\n".join(joins)
    )


def _feature_tests_sql(leaves: Sequence[RLeaf]) -> str:
    tests = [
        f"{FEATURES[leaf.feature].test_sql(chr(34) + leaf.key + chr(34), leaf.args)} "
        f'AS "{met_column(leaf.key)}"'
        for leaf in leaves
    ]
    return "SELECT *" + "".join(f",\n       {test}" for test in tests) + "\nFROM feature_values"


def _decision_sql(programs: Sequence[ResolvedProgram]) -> str:
    columns = []
    for program in programs:
        pid = program.program.id
        for what, expression in (
            ("met", criteria_expression(program)),
            ("excluded", exclusion_expression(program)),
            ("offered", offered_expression(program)),
        ):
            sql = expression.sql(dialect=DIALECT)
            columns.append(f'{sql} AS "{program_column(pid, what)}"')
    # Ordered by person once here; determinations and evidence keep this order.
    return (
        "SELECT *"
        + "".join(f",\n       {c}" for c in columns)
        + "\nFROM feature_tests\nORDER BY person_id"
    )


def _determinations_sql(resolved: ResolvedPolicy, programs: Sequence[ResolvedProgram]) -> str:
    # One struct per program, unnested in registry order from the person-ordered decision
    # table: rows come out ordered by person then program without sorting the long table.
    structs = ",\n    ".join(_program_struct_sql(program) for program in programs)
    return f"""
SELECT person_id, d.program_id, DATE '{resolved.as_of.isoformat()}' AS as_of, payer, county,
       d.eligible, d.offered, d.status, d.rule_version, '{resolved.policy_hash}' AS policy_hash
FROM (
  SELECT person_id, payer, county, unnest([
    {structs}
  ]) AS d
  FROM decision
) AS rows"""


def _program_struct_sql(program: ResolvedProgram) -> str:
    pid = program.program.id
    met, excluded, offered = (
        exp.column(program_column(pid, what), quoted=True).sql(dialect=DIALECT)
        for what in ("met", "excluded", "offered")
    )
    version = f"'{program.version.label}'" if program.version else "CAST(NULL AS VARCHAR)"
    if program.version is None:
        eligible, status = "FALSE", "'not_eligible'"
    else:
        eligible = f"({met} AND NOT {excluded})"
        status = (
            f"CASE WHEN {met} AND {excluded} THEN 'excluded' "
            f"WHEN {met} AND {offered} IS FALSE THEN 'not_offered' "
            f"WHEN {met} THEN 'eligible' ELSE 'not_eligible' END"
        )
    return (
        f"struct_pack(program_id := '{pid}', eligible := {eligible}, "
        f"offered := CAST({offered} AS BOOLEAN), status := {status}, rule_version := {version})"
    )
