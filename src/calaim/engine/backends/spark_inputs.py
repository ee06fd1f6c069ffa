"""Contract tables as Spark views: read where Spark reads (a local folder, HDFS, S3, ADLS,
DBFS), typed and normalized by the same column SQL the DuckDB reader uses.

A local folder is first validated by the DuckDB reader, so bad input gets the same
file/row/column messages on either engine. A remote folder cannot be validated on this
machine; only its tables and columns are checked (validate a copy with `calaim validate`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from calaim.data.columns import SourceColumn, quote_ident, value_sql
from calaim.data.contract import DERIVATION_TABLES, INPUT_TABLES, TABLES, Table
from calaim.data.derive import (
    SUPPLEMENT,
    ZIP_TABLE,
    crosswalk_rows,
    derived_eligibility_sql,
    resolve_default_county,
    unresolved_counties,
)
from calaim.data.errors import ContractError, Problem
from calaim.data.reader import InputSet, TableSource
from calaim.data.sources import RawTable, contract_positions, find_files
from calaim.data.validate import header_problems

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:/")
SPARK_TO_DUCKDB = {
    "string": "VARCHAR",
    "tinyint": "TINYINT",
    "smallint": "SMALLINT",
    "int": "INTEGER",
    "bigint": "BIGINT",
    "float": "FLOAT",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP WITH TIME ZONE",
    "timestamp_ntz": "TIMESTAMP",
}
Define = Callable[[str, str], None]
"""Creates a temp view from a (DuckDB-dialect) SELECT: (view name, sql)."""


def is_remote(data: str | Path) -> bool:
    """Whether the location is a URI (s3a://, abfss://, dbfs:/, hdfs://) rather than a folder."""
    return bool(REMOTE.match(str(data)))


def location_of(data: str | Path) -> str:
    """The URI as Spark needs it: a Path (from the command line) keeps one slash of `s3a://`."""
    text = str(data).rstrip("/")
    found = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):/([^/].*)$", text)
    if found and found.group(1).lower() not in ("file", "dbfs"):
        return f"{found.group(1)}://{found.group(2)}"
    return text


def duckdb_type(spark_type: str) -> str:
    """The DuckDB name of a Spark column type, as the shared column SQL expects."""
    if spark_type.startswith("decimal"):
        return spark_type.upper()
    return SPARK_TO_DUCKDB.get(spark_type, "VARCHAR")


def read_inputs(
    spark: SparkSession, data: str | Path, define: Define, county: str | None
) -> InputSet:
    """Validate (local folders), read and register every contract table; an InputSet.

    Empty counties are derived as the DuckDB reader derives them (member_county, zip_code,
    then `county`), by the same SQL.
    """
    default, problems = resolve_default_county(county)
    if problems:
        raise ContractError(problems)
    if is_remote(data):
        inputs = None
        location = location_of(data)
    else:
        inputs = _validated(Path(data), county)
        location = str(Path(data).resolve())
    frames = {name: _frame(spark, location, name, inputs) for name in TABLES}
    problems = _structure_problems(location, frames)
    if problems:
        raise ContractError(problems)
    tables: dict[str, TableSource] = {}
    for name, table in TABLES.items():
        frame = frames[name]
        header = tuple(frame.columns) if frame is not None else ()
        if frame is not None:
            frame.createOrReplaceTempView(f"_calaim_raw_{name}")
        sources = _sources(table, header, frame)
        sql = _typed_sql(table, name, sources, frame is not None)
        if name == "eligibility" and _derives(inputs):
            supplement = _derivation_tables(spark, location, inputs, define)
            columns = [column.name for column in table.columns]
            sql = derived_eligibility_sql(f"({sql})", columns, supplement, default)
        define(name, sql)
        tables[name] = TableSource(
            name, Path(location) / name if frame is not None else None, frozenset(sources), 0
        )
    if inputs is not None:
        return InputSet(inputs.folder, tables, inputs.report)
    unresolved = unresolved_counties(lambda sql: _rows(spark, sql), "eligibility")
    if unresolved:
        raise ContractError(unresolved)
    return InputSet(Path(location), tables)


def _structure_problems(location: str, frames: dict[str, DataFrame | None]) -> list[Problem]:
    """Required tables absent, and required columns missing from the tables present (the
    DuckDB reader's checks of a local folder; here, all a remote folder gets)."""
    problems = []
    for name, frame in frames.items():
        table = TABLES[name]
        if frame is None:
            if name in INPUT_TABLES and table.required_table:
                problems.append(_missing(location, name))
            continue
        path = Path(f"{location}/{name}")
        raw = RawTable(table, path, tuple(frame.columns), f"_calaim_raw_{name}", "NULL", {}, 0)
        problems += header_problems(raw)
    return problems


def _derives(inputs: InputSet | None) -> bool:
    """Whether some county must be derived: a local folder says so; a remote one may."""
    if inputs is None:
        return True
    return any(n for source, n in inputs.report.county_members.items() if source != "eligibility")


def _derivation_tables(
    spark: SparkSession, location: str, inputs: InputSet | None, define: Define
) -> bool:
    """Register the ZIP crosswalk and member_county (when present) as the derivation reads
    them; whether member_county is present."""
    crosswalk = spark.createDataFrame(crosswalk_rows(), "zip string, county string, counties int")
    crosswalk.createOrReplaceTempView(f"_calaim_raw_{ZIP_TABLE}")
    define(ZIP_TABLE, f"SELECT zip, county, counties FROM _calaim_raw_{ZIP_TABLE}")
    frame = _frame(spark, location, "member_county", inputs)
    if frame is None:
        return False
    frame.createOrReplaceTempView(f"_calaim_raw_{SUPPLEMENT}")
    table = DERIVATION_TABLES["member_county"]
    sources = _sources(table, tuple(frame.columns), frame)
    define(SUPPLEMENT, _typed_sql(table, SUPPLEMENT, sources, True))
    return True


def _rows(spark: SparkSession, sql: str) -> list[tuple[Any, ...]]:
    from calaim.engine.backends.spark_sql import to_spark

    return [tuple(row) for row in spark.sql(to_spark(sql)).collect()]


def _validated(folder: Path, county: str | None) -> InputSet:
    """The DuckDB reader's verdict on a local folder (raises ContractError on bad input)."""
    from calaim.engine.backends.duckdb_backend import DuckDBBackend

    with DuckDBBackend() as duck:
        return duck.open_inputs(folder, county=county)


def _frame(
    spark: SparkSession, location: str, name: str, inputs: InputSet | None
) -> DataFrame | None:
    """The table's DataFrame: the validated local file, or a Parquet/Delta path found remotely."""
    if inputs is not None:
        if name in inputs.tables:
            path = inputs.tables[name].path
        else:  # a derivation table (member_county): validated, not registered
            path = find_files(inputs.folder)[0].get(name)
        if path is None:
            return None
        if path.suffix.lower() == ".csv":
            return spark.read.option("header", True).option("multiLine", True).csv(str(path))
        return spark.read.parquet(str(path.resolve()))
    for candidate, fmt in ((f"{location}/{name}.parquet", "parquet"), (f"{location}/{name}", "")):
        found = _try_read(spark, candidate, fmt)
        if found is not None:
            return found
    return None


def _try_read(spark: SparkSession, path: str, fmt: str) -> DataFrame | None:
    """Read a Parquet path, or a Delta table then a Parquet folder; None when absent."""
    from pyspark.errors import AnalysisException

    for kind in [fmt] if fmt else ["delta", "parquet"]:
        try:
            return spark.read.format(kind).load(path)
        except AnalysisException:
            continue
        except Exception as error:  # Delta not installed: the data source class is missing
            if kind != "delta":
                raise
            if "delta" not in str(error).lower():
                raise
    return None


def _sources(table: Table, header: tuple[str, ...], frame: Any) -> dict[str, SourceColumn]:
    """Contract column → the raw column that feeds it, typed as DuckDB would name it."""
    if frame is None:
        return {}
    types = {field.name: field.dataType.simpleString() for field in frame.schema.fields}
    return {
        name: SourceColumn(quote_ident(header[i]), duckdb_type(types[header[i]]))
        for name, i in contract_positions(table, header).items()
    }


def _typed_sql(table: Table, name: str, sources: dict[str, SourceColumn], present: bool) -> str:
    """SELECT reading the raw view as the contract's typed, normalized columns."""
    values = ", ".join(
        f"{value_sql(table, column, sources)} AS {quote_ident(column.name)}"
        for column in table.columns
    )
    if present:
        return f"SELECT {values} FROM _calaim_raw_{name}"
    return f"SELECT {values} FROM (SELECT 1 AS one) AS empty WHERE 1 = 0"


def _missing(location: str, name: str) -> Problem:
    message = f"the required table {name} was not found (as {name}.parquet or a {name} folder)"
    hint = f"Write {name} as Parquet or Delta under {location}."
    return Problem(location, None, None, message, hint)
