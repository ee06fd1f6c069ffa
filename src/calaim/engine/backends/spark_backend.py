"""The Spark backend: the same compiled rules, transpiled from DuckDB SQL to Spark SQL by
SQLGlot, on a local session (tests, one machine) or a cluster (spark-submit, a managed
service). PySpark is imported only when this backend is used (`pip install calaim[spark]`).

Steps that are read more than once are computed once and checkpointed in the executors
(`localCheckpoint`), so a later step's plan starts from their data instead of re-analysing the
whole lineage (analysis time otherwise grows with every step); the others are views. Outputs
are written beside each other exactly as the DuckDB backend writes them: one file each.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq

from calaim.data.reader import InputSet
from calaim.engine.backends.base import Backend
from calaim.engine.backends.spark_inputs import read_inputs
from calaim.engine.backends.spark_sql import to_spark
from calaim.engine.compile.pipeline import Lookup, Step

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

LOCAL_CONFIG = {
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "8",
    "spark.driver.host": "127.0.0.1",
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.showConsoleProgress": "false",
}
"""Settings of the local session (a cluster's own settings are left as they are)."""


def spark_session(master: str | None = None) -> SparkSession:
    """The running session (spark-submit, a managed notebook), else a local one.

    `master` (or CALAIM_SPARK_MASTER) is only used for a local session: default local[2].
    """
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName("calaim")
    if "PYSPARK_GATEWAY_PORT" not in os.environ:  # not started by spark-submit
        builder = builder.master(master or os.environ.get("CALAIM_SPARK_MASTER", "local[2]"))
        for key, value in LOCAL_CONFIG.items():
            builder = builder.config(key, value)
    return builder.getOrCreate()


class SparkBackend(Backend):
    """Runs pipeline steps as Spark SQL on a session (the running or a local one)."""

    dialect = "spark"

    def __init__(self, spark: SparkSession | None = None) -> None:
        super().__init__()
        from pyspark.errors import PySparkException

        self.errors = (PySparkException,)
        self.spark = spark or spark_session()
        self._views: list[str] = []
        self._frames: list[DataFrame] = []

    def translate(self, sql: str) -> str:
        """The compiled DuckDB SQL in Spark's dialect."""
        return to_spark(sql)

    def open_inputs(self, data: Path | str, *, county: str | None = None) -> InputSet:
        """Validate local folders, then read every contract table as a typed Spark view."""
        return self.timed("inputs", lambda: read_inputs(self.spark, data, self._define, county))

    def close(self) -> None:
        """Drop the run's views and release their data (the session stays for the next run)."""
        for name in self._views:
            self.spark.catalog.dropTempView(name)
        for frame in self._frames:
            frame.unpersist()
        self._views, self._frames = [], []

    def register(self, lookup: Lookup) -> None:
        """Create the lookup as a small cached view."""
        self.timed(lookup.name, lambda: self._lookup(lookup))

    def materialize(self, step: Step) -> None:
        """A view for steps read once, else a checkpointed table (computed now, so timed)."""
        sql = self.translate(step.sql)
        if step.view:
            statement = f"CREATE OR REPLACE TEMPORARY VIEW {step.name} AS {sql}"
            self.run(step.name, statement, self._execute)
            self._views.append(step.name)
        else:
            self.run(step.name, sql, lambda s: self._keep(step.name, s))

    def export(self, sql: str, path: Path) -> int:
        """Write the query's result as one CSV or Parquet file (a temp name, then renamed)."""
        return self.run(f"export {path.name}", self.translate(sql), lambda s: self._write(s, path))

    def _define(self, name: str, sql: str) -> None:
        """An input table, typed and kept: later steps start from its data, not from the
        per-column normalization of every raw column."""
        self.run(f"input {name}", to_spark(sql), lambda s: self._keep(name, s))
        self._views.append(f"_calaim_raw_{name}")

    def _keep(self, name: str, sql: str) -> None:
        frame = self.spark.sql(sql).localCheckpoint(eager=True)
        frame.createOrReplaceTempView(name)
        self._views.append(name)
        self._frames.append(frame)

    def _lookup(self, lookup: Lookup) -> None:
        from pyspark.sql import types as T

        kinds = {
            "VARCHAR": T.StringType(),
            "BOOLEAN": T.BooleanType(),
            "INTEGER": T.IntegerType(),
            "DATE": T.DateType(),
            "VARCHAR[]": T.ArrayType(T.StringType()),
        }
        schema = T.StructType([T.StructField(n, kinds[t]) for n, t in lookup.columns.items()])
        frame = self.spark.createDataFrame(lookup.rows, schema).localCheckpoint(eager=True)
        frame.createOrReplaceTempView(lookup.name)
        self._views.append(lookup.name)
        self._frames.append(frame)

    def _execute(self, sql: str) -> None:
        self.spark.sql(sql)

    def _fetch(self, sql: str) -> list[dict[str, Any]]:
        return [row.asDict(recursive=True) for row in self.spark.sql(sql).collect()]

    def _write(self, sql: str, path: Path) -> int:
        frame: DataFrame = self.spark.sql(sql)
        parquet = path.suffix.lower() == ".parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        writer = frame.coalesce(1).write.mode("overwrite")
        if parquet:
            writer.parquet(str(partial))
        else:
            writer.option("header", True).csv(str(partial))
        part = next(partial.glob("part-*"))
        part.replace(path)
        shutil.rmtree(partial)
        if parquet:
            return int(pq.read_metadata(path).num_rows)
        with path.open(newline="", encoding="utf-8") as handle:
            return sum(1 for _ in csv.reader(handle)) - 1
