"""The Spark backend gives DuckDB's results row for row: determinations, evidence, summary
and explanations, on a synthetic population. One local SparkSession serves the module."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from calaim.data.synth import generate
from calaim.engine.backends.base import BackendError
from calaim.engine.identify import IdentifyResult, identify
from calaim.engine.loading.policy import Policy

pytestmark = pytest.mark.spark
AS_OF = dt.date(2025, 10, 1)
MEMBERS = 2000


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local session for every Spark test (starting one takes seconds)."""
    from calaim.engine.backends.spark_backend import spark_session

    session = spark_session()
    yield session
    session.stop()


@pytest.fixture(scope="module")
def shipped() -> Policy:
    """The shipped policy and sample plans: every program, as in production."""
    return Policy.load()


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few thousand synthetic members with claims, as Parquet."""
    folder = tmp_path_factory.mktemp("synth") / "data"
    generate(folder, members=MEMBERS, seed=11, fmt="parquet")
    return folder


@pytest.fixture(scope="module")
def runs(
    spark: Any, shipped: Policy, population: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, IdentifyResult]:
    """The same identification on DuckDB and on Spark."""
    from calaim.engine.backends.spark_backend import SparkBackend

    out = tmp_path_factory.mktemp("out")
    return {
        "duckdb": identify(population, AS_OF, out / "duck.parquet", policy=shipped),
        "spark": identify(
            population, AS_OF, out / "spark.parquet", policy=shipped, backend=SparkBackend(spark)
        ),
    }


def table(path: Path) -> list[tuple[Any, ...]]:
    """Every row of a Parquet or CSV output, in file order."""
    return duckdb.sql(f"SELECT * FROM '{path}'").fetchall()


def columns(path: Path) -> list[str]:
    """The output's column names."""
    return [d[0] for d in duckdb.sql(f"SELECT * FROM '{path}'").description]


def test_determinations_are_equal_row_for_row(runs: dict[str, IdentifyResult]) -> None:
    duck, spark = runs["duckdb"], runs["spark"]
    assert columns(spark.determinations) == columns(duck.determinations)
    expected = table(duck.determinations)
    assert len(expected) == duck.rows == spark.rows
    assert table(spark.determinations) == expected
    statuses = {row[7] for row in expected}
    assert {"eligible", "not_eligible"} <= statuses  # a population where rules decide both ways


def test_evidence_and_summary_are_equal(runs: dict[str, IdentifyResult]) -> None:
    duck, spark = runs["duckdb"], runs["spark"]
    assert columns(spark.evidence) == columns(duck.evidence)
    assert table(spark.evidence) == table(duck.evidence)
    assert spark.members == duck.members > MEMBERS * 0.8
    assert spark.summary == duck.summary
    assert spark.summary_file.read_text() == duck.summary_file.read_text()
    assert spark.policy_hash == duck.policy_hash


def test_every_step_ran_on_spark_and_was_timed(runs: dict[str, IdentifyResult]) -> None:
    timings = runs["spark"].timings
    for step in ("inputs", "dx", "ed_visit", "stay", "service", "decision"):
        assert step in timings
    assert "export spark.parquet" in timings


def test_a_failing_spark_query_carries_its_spark_sql(spark: Any) -> None:
    from calaim.engine.backends.spark_backend import SparkBackend

    backend = SparkBackend(spark)
    with pytest.raises(BackendError) as raised:
        backend.rows('SELECT "no_such_column" FROM (SELECT 1 AS one) AS t', "probe")
    assert raised.value.step == "probe"
    assert raised.value.sql == "SELECT `no_such_column` FROM (SELECT 1 AS one) AS t"  # Spark SQL
    assert "no_such_column" in raised.value.reason


@pytest.fixture(scope="module")
def blank_counties(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A handful of members whose county is blank and must be derived: from the ZIP (also a
    ZIP+4 and a ZIP spanning counties), from member_county (a Medi-Cal code), or from --county;
    one gives its county as a code."""
    folder = tmp_path_factory.mktemp("blank") / "data"
    generate(folder, members=8, seed=11, fmt="parquet")
    path = folder / "eligibility.parquet"
    duckdb.sql(
        f"""COPY (SELECT * REPLACE (
              CASE person_id WHEN 'P0000006' THEN '34' END AS county,
              CASE person_id WHEN 'P0000002' THEN zip_code || '-1234'
                WHEN 'P0000003' THEN '90623' WHEN 'P0000004' THEN NULL
                WHEN 'P0000005' THEN '00000' ELSE zip_code END AS zip_code)
            FROM '{path}') TO '{folder}/eligibility_blank.parquet'"""
    )
    (folder / "eligibility_blank.parquet").replace(path)
    supplement = f"{folder}/member_county.parquet"
    duckdb.sql(f"COPY (SELECT 'P0000004' AS person_id, '01' AS county) TO '{supplement}'")
    return folder


def test_blank_counties_are_derived_as_on_duckdb(spark: Any, blank_counties: Path) -> None:
    from calaim.engine.backends.duckdb_backend import DuckDBBackend
    from calaim.engine.backends.spark_backend import SparkBackend

    query = "SELECT person_id, county FROM eligibility ORDER BY person_id, enrollment_start_date"
    found, uri = {}, f"file:{blank_counties}"  # a URI: derived without DuckDB's validation
    for name, backend, data in (
        ("duckdb", DuckDBBackend(), str(blank_counties)),
        ("spark uri", SparkBackend(spark), uri),
        ("spark", SparkBackend(spark), str(blank_counties)),
    ):
        with backend:
            inputs = backend.open_inputs(data, county="19")
            found[name] = [tuple(row.values()) for row in backend.rows(query)]
    counties = dict(found["duckdb"])
    assert counties["P0000001"] == "Los Angeles"  # from its ZIP
    assert counties["P0000002"] == "Sacramento"  # its ZIP+4
    assert counties["P0000003"] == "Orange"  # a ZIP spanning counties: the crosswalk's county
    assert counties["P0000004"] == "Alameda"  # member_county's code 01
    assert counties["P0000005"] == "Los Angeles"  # an unknown ZIP: --county 19
    assert counties["P0000006"] == "Sacramento"  # given as code 34
    assert found["spark"] == found["spark uri"] == found["duckdb"]
    assert inputs.report.county_members["zip_code"] > 0  # the Spark run reports its sources


def identify_on_spark(data: str, out: Path) -> Any:
    """`calaim identify --engine spark` (on the module's session, the active one)."""
    from typer.testing import CliRunner

    from calaim.cli import app

    args = ["identify", "--engine", "spark", "--data", data, "--as-of", "2025-10-01"]
    return CliRunner().invoke(app, [*args, "--out", str(out / "out.parquet")])


def test_identify_on_spark_names_a_missing_folder(spark: Any, tmp_path: Path) -> None:
    result = identify_on_spark(str(tmp_path / "no_such_folder"), tmp_path)
    assert result.exit_code == 2
    assert "the input folder does not exist" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out.parquet").exists()


def test_identify_on_spark_names_a_missing_required_column_of_a_remote_folder(
    spark: Any, blank_counties: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for table in blank_counties.glob("*.parquet"):
        shutil.copy(table, folder / table.name)
    duckdb.sql(
        f"COPY (SELECT * EXCLUDE (enrollment_start_date) FROM '{folder}/eligibility.parquet') "
        f"TO '{tmp_path}/eligibility.parquet'"
    )
    (tmp_path / "eligibility.parquet").replace(folder / "eligibility.parquet")
    result = identify_on_spark(f"file:{folder}", tmp_path)  # a URI: not validated by DuckDB
    assert result.exit_code == 2
    assert "the required column enrollment_start_date is missing" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out.parquet").exists()


def test_a_remote_folder_member_left_without_a_county_is_refused(
    spark: Any, blank_counties: Path
) -> None:
    from calaim.data.errors import ContractError
    from calaim.engine.backends.spark_backend import SparkBackend

    with SparkBackend(spark) as backend, pytest.raises(ContractError) as raised:
        backend.open_inputs(f"file:{blank_counties}")  # no --county: 00000 is not a CA ZIP
    assert "person 'P0000005' has no county" in raised.value.render()
    assert "'00000' is not a California ZIP code" in raised.value.render()
