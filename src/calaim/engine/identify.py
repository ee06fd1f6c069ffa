"""Identify a whole population on one as-of date and write the contract's outputs.

Outputs, beside each other:
- `FILE` (.csv or .parquet): determinations, one row per enrolled person × program (layout
  "long"), or only the rows whose status is not `not_eligible` (layout "compact": same
  columns, every absent person × program is not eligible; 1.6% of the rows on the synthetic
  population);
- `FILE.evidence.<ext>`: one row per person with every feature value, every criterion's
  pass/fail and every program's met / excluded / offered flags;
- `FILE.policy.json`: what each evidence column means, and the whole resolved policy (rule
  versions, dated parameter values with sources and confidence) whose hash is `policy_hash`;
- `FILE.summary.csv`: members and eligible members by program and county.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from calaim.data.derive import InputReport
from calaim.data.reader import InputSet
from calaim.engine.backends.base import Backend
from calaim.engine.backends.duckdb_backend import DuckDBBackend
from calaim.engine.compile.pipeline import Pipeline, Step, build_pipeline
from calaim.engine.compile.rules import met_column, program_column
from calaim.engine.compile.sources import DIAGNOSIS_COLUMNS
from calaim.engine.features import FEATURES
from calaim.engine.loading.policy import Policy
from calaim.engine.loading.resolve import ResolvedPolicy

Progress = Callable[[str, int, int], None]
OUTPUT_SUFFIXES = (".csv", ".parquet")


class OutputPathError(ValueError):
    """The output file name cannot be written as asked."""


class EngineError(ValueError):
    """The engine asked for is unknown or not installed."""


ENGINES = ("duckdb", "spark")
LAYOUTS = ("long", "compact")


@dataclass
class IdentifyResult:
    """What a run wrote and found."""

    as_of: dt.date
    policy_hash: str
    determinations: Path
    evidence: Path
    dictionary: Path
    summary_file: Path
    rows: int
    members: int
    summary: list[dict[str, Any]] = field(default_factory=list)
    """Eligible counts by program (registry order) and county."""
    timings: dict[str, float] = field(default_factory=dict)
    input_report: InputReport = field(default_factory=InputReport)
    """What was derived from the inputs (counties by source) and normalized or set aside."""


def output_paths(out: Path) -> tuple[Path, Path, Path]:
    """(evidence, dictionary, summary) paths that go beside the determinations file."""
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise OutputPathError(f"{out}: the output must end in .csv or .parquet")
    stem = out.with_suffix("")
    return (
        Path(f"{stem}.evidence{out.suffix.lower()}"),
        Path(f"{stem}.policy.json"),
        Path(f"{stem}.summary.csv"),
    )


def make_backend(engine: str = "duckdb", *, memory_limit: str | None = None) -> Backend:
    """A fresh backend for one run: "duckdb" (default, embedded) or "spark"."""
    if engine == "duckdb":
        return DuckDBBackend(memory_limit=memory_limit)
    if engine == "spark":
        try:
            from pyspark.errors import PySparkException

            from calaim.engine.backends.spark_backend import SparkBackend
        except ImportError as error:
            raise EngineError(
                "--engine spark needs PySpark and Java 17+: install calaim[spark] "
                f"(or pyspark) and a Java runtime ({error})"
            ) from error
        try:
            return SparkBackend()
        except (PySparkException, OSError) as error:  # no java, or it would not start
            raise EngineError(
                "--engine spark could not start Spark: it needs Java 17+. Install a Java "
                "runtime and set JAVA_HOME to it (or put java on PATH), then run again "
                f"({str(error).splitlines()[0]})"
            ) from error
    raise EngineError(f"--engine {engine!r}: use {' or '.join(ENGINES)}")


@contextmanager
def opened(
    data: Path | str,
    *,
    backend: Backend | None = None,
    memory_limit: str | None = None,
    county: str | None = None,
) -> Iterator[tuple[Backend, InputSet]]:
    """A backend (DuckDB in a scratch database unless given) holding the validated inputs,
    closed on exit.

    `county`: the default county for spans whose county is neither given nor derivable.
    """
    with backend or DuckDBBackend(memory_limit=memory_limit) as used:
        yield used, used.open_inputs(data, county=county)


def compile_for(
    policy: Policy,
    resolved: ResolvedPolicy,
    inputs: InputSet,
    backend: Backend,
    person: str | None = None,
) -> Pipeline:
    """Compile the resolved policy for these inputs (only diagnosis columns with values)."""
    present = inputs.tables["medical_claim"].present_columns
    columns = [c for c in DIAGNOSIS_COLUMNS if c in present]
    return build_pipeline(
        resolved,
        diagnosis_columns=backend.filled_columns("medical_claim", columns),
        counties=sorted(policy.counties.values()),
        person=person,
    )


def run_steps(backend: Backend, pipeline: Pipeline, progress: Progress | None) -> None:
    """Register lookups and materialize every step, reporting progress."""
    total = len(pipeline.lookups) + len(pipeline.steps)
    done = 0
    for lookup in pipeline.lookups:
        backend.register(lookup)
        done += 1
        if progress:
            progress(f"lookup {lookup.name}", done, total)
    for step in pipeline.steps:
        if progress:
            progress(step.name, done, total)
        backend.materialize(step)
        done += 1
    if progress:
        progress("done", done, total)


def identify(
    data: Path | str,
    as_of: dt.date,
    out: Path,
    *,
    policy: Policy | None = None,
    plans: Path | None = None,
    progress: Progress | None = None,
    memory_limit: str | None = None,
    county: str | None = None,
    backend: Backend | None = None,
    layout: str = "long",
) -> IdentifyResult:
    """Evaluate every program for every person enrolled on `as_of` and write the outputs.

    `county`: default county for spans with none in the files and none from their zip_code.
    `backend`: where the SQL runs (a fresh DuckDB one unless given); closed at the end.
    `layout`: "long" (every person × program) or "compact" (rows not `not_eligible` only).
    """
    if layout not in LAYOUTS:
        raise OutputPathError(f"determinations layout {layout!r}: use {' or '.join(LAYOUTS)}")
    evidence_path, dictionary_path, summary_path = output_paths(out)
    policy = policy or Policy.load(plans_dir=plans)
    resolved = policy.resolve(as_of)
    with opened(data, backend=backend, memory_limit=memory_limit, county=county) as (
        backend,
        inputs,
    ):
        pipeline = compile_for(policy, resolved, inputs, backend)
        run_steps(backend, pipeline, progress)
        if progress:
            progress("writing determinations", 0, 1)
        determinations = pipeline.determinations_sql
        if layout == "compact":
            determinations = (
                f"SELECT * FROM ({determinations}) AS every_row WHERE status <> 'not_eligible'"
            )
        rows = backend.export(determinations, out)
        members = backend.export(pipeline.evidence_sql, evidence_path)
        # Counted once (26 scans of the decision table), then written and read back.
        backend.materialize(Step("summary", _summary_sql(resolved)))
        ordered = "SELECT * FROM summary ORDER BY program_rank, county"
        backend.export(ordered, summary_path)
        summary = backend.rows(ordered, "summary rows")
        _write_dictionary(dictionary_path, resolved, out, layout)
        return IdentifyResult(
            as_of=as_of,
            policy_hash=resolved.policy_hash,
            determinations=out,
            evidence=evidence_path,
            dictionary=dictionary_path,
            summary_file=summary_path,
            rows=rows,
            members=members,
            summary=summary,
            timings=dict(backend.timings),
            input_report=inputs.report,
        )


def _summary_sql(resolved: ResolvedPolicy) -> str:
    """Eligible counts by program and county, from the decision table."""
    selects = []
    for rank, (pid, program) in enumerate(resolved.programs.items()):
        if program.version is None:
            eligible = "0"
        else:
            met = f'"{program_column(pid, "met")}"'
            excluded = f'"{program_column(pid, "excluded")}"'
            eligible = f"count(*) FILTER (WHERE {met} AND NOT {excluded})"
        selects.append(
            f"SELECT '{pid}' AS program_id, {rank} AS program_rank, county, count(*) AS members, "
            f"{eligible} AS eligible FROM decision GROUP BY county"
        )
    return "\nUNION ALL\n".join(selects) + "\nORDER BY program_rank, county"


def _write_dictionary(path: Path, resolved: ResolvedPolicy, out: Path, layout: str) -> None:
    """The evidence columns' meanings and the resolved policy, as JSON."""
    columns: dict[str, Any] = {}
    for leaf in resolved.leaves.values():
        feature = FEATURES[leaf.feature]
        args = {name: _arg_json(arg) for name, arg in leaf.args.items()}
        columns[leaf.key] = {"feature": leaf.feature, "meaning": feature.summary, "args": args}
        columns[met_column(leaf.key)] = {"test": feature.describe(leaf.args), "args": args}
    for pid in resolved.programs:
        for what in ("met", "excluded", "offered"):
            columns[program_column(pid, what)] = {"program": pid, "flag": what}
    document = {
        "determinations": out.name,
        "determinations_layout": layout,
        "policy_hash": resolved.policy_hash,
        "evidence_columns": columns,
        "policy": resolved.snapshot(),
    }
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(document, indent=2, default=str), encoding="utf-8")
    partial.replace(path)


def _arg_json(arg: Any) -> dict[str, Any]:
    value = list(arg.value) if isinstance(arg.value, tuple) else arg.value
    return {
        "value": str(value) if not isinstance(value, int | float | list | bool) else value,
        "parameter": arg.parameter,
        "effective": arg.effective.isoformat() if arg.effective else None,
    }
