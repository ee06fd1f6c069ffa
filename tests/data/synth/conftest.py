"""Generated datasets shared by the synth tests (each generated once per session)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from calaim.data.synth import generate

Make = Callable[..., tuple[Path, dict[str, int]]]


@pytest.fixture(scope="session")
def make_dataset(tmp_path_factory: pytest.TempPathFactory) -> Make:
    """Generate (and cache) a dataset for the given generate() arguments."""
    cache: dict[tuple[object, ...], tuple[Path, dict[str, int]]] = {}

    def make(
        members: int, seed: int, fmt: str = "parquet", **kw: object
    ) -> tuple[Path, dict[str, int]]:
        key = (members, seed, fmt, tuple(sorted(kw.items())))
        if key not in cache:
            out = tmp_path_factory.mktemp(f"synth_{members}_{seed}_{fmt}")
            cache[key] = (out, generate(out, members=members, seed=seed, fmt=fmt, **kw))  # type: ignore[arg-type]
        return cache[key]

    return make


@pytest.fixture(scope="session")
def realistic(make_dataset: Make) -> Path:
    """A 20k-member Parquet dataset for realism bands and contract checks."""
    return make_dataset(20_000, 11)[0]


def load(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Create one view per generated table file in `folder`."""
    for path in sorted(folder.iterdir()):
        if path.suffix == ".parquet":
            con.execute(f"CREATE OR REPLACE VIEW {path.stem} AS SELECT * FROM '{path}'")
        elif path.suffix == ".csv":
            con.execute(
                f"CREATE OR REPLACE VIEW {path.stem} AS SELECT * FROM "
                f"read_csv('{path}', header = true, all_varchar = true)"
            )


@pytest.fixture(scope="session")
def rcon(realistic: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the realistic dataset's tables as views."""
    con = duckdb.connect()
    load(con, realistic)
    return con
