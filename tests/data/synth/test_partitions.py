"""Partitioned synth: the same population written a few hundred members at a time, each table a
folder of Parquet part files that identify reads as one table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from calaim.data.errors import ContractError
from calaim.data.reader import open_inputs
from calaim.data.synth import generate
from calaim.data.synth.generator import TABLE_SQL
from calaim.engine.identify import identify

from .conftest import Make

MEMBERS, SEED, PART = 300, 5, 128


@pytest.fixture(scope="module")
def parted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("parted")
    return out, generate(out, members=MEMBERS, seed=SEED, partition_size=PART)


def _missing(left: str, right: str) -> int:
    query = f"SELECT count(*) FROM (SELECT * FROM {left} EXCEPT ALL SELECT * FROM {right})"
    return int(duckdb.sql(query).fetchall()[0][0])


def test_partitions_hold_exactly_the_rows_of_the_whole_population(
    parted: tuple[Path, dict[str, int]], make_dataset: Make
) -> None:
    folder, counts = parted
    whole, whole_counts = make_dataset(MEMBERS, SEED)
    assert counts == whole_counts
    for name in TABLE_SQL:
        parts = sorted((folder / name).glob("*.parquet"))
        assert [p.name for p in parts] == [f"part-0000{i}.parquet" for i in range(3)]
        one, many = f"'{whole / f'{name}.parquet'}'", f"'{folder / name}/*.parquet'"
        assert _missing(one, many) == 0, name
        assert _missing(many, one) == 0, name
    assert not list(folder.glob(".*"))  # no staging folders left behind


@pytest.mark.slow
def test_identify_reads_partitioned_tables_as_one(
    parted: tuple[Path, dict[str, int]], make_dataset: Make, tmp_path: Path
) -> None:
    whole = make_dataset(MEMBERS, SEED)[0]
    as_of = dt.date(2025, 10, 1)
    one = identify(whole, as_of, tmp_path / "one.parquet")
    many = identify(parted[0], as_of, tmp_path / "many.parquet")
    assert (one.rows, one.members) == (many.rows, many.members)
    assert many.rows > 0
    for suffix in ("", ".evidence"):
        left, right = f"'{tmp_path}/one{suffix}.parquet'", f"'{tmp_path}/many{suffix}.parquet'"
        assert _missing(left, right) == 0
        assert _missing(right, left) == 0


def test_a_bad_value_in_a_later_part_names_its_row_across_the_parts(
    parted: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("eligibility", "medical_claim"):
        (folder / name).mkdir()
        for part in sorted((parted[0] / name).glob("*.parquet")):
            (folder / name / part.name).write_bytes(part.read_bytes())
    target = folder / "eligibility" / "part-00001.parquet"
    first_rows = pq.ParquetFile(folder / "eligibility" / "part-00000.parquet").metadata.num_rows
    table = pq.read_table(target)
    people = table.column("person_id").to_pylist()
    people[4] = None  # the fifth row of the second part: required, so a problem
    column = table.schema.get_field_index("person_id")
    pq.write_table(table.set_column(column, "person_id", pa.array(people, pa.string())), target)
    with pytest.raises(ContractError) as raised:
        open_inputs(folder, duckdb.connect())
    rows = {problem.row for problem in raised.value.problems if problem.file == "eligibility"}
    assert first_rows + 5 in rows


def test_partitions_are_parquet_only(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Parquet only"):
        generate(tmp_path, members=10, seed=1, fmt="csv", partition_size=5)
