"""Determinism, scaling and format equivalence of the synthetic generator."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from calaim.data.contract import TABLES
from calaim.data.synth import generate

from .conftest import Make


def _fingerprint(folder: Path, table: str) -> tuple[int, str]:
    """Row count and an order-sensitive hash of every value of a Parquet table."""
    con = duckdb.connect()
    rows = con.execute(
        f"""SELECT count(*), coalesce(sum(hash(t::VARCHAR, n)), 0)::VARCHAR
        FROM (SELECT t, row_number() OVER () AS n FROM '{folder / table}.parquet' t)"""
    ).fetchall()
    return int(rows[0][0]), str(rows[0][1])


def test_same_seed_same_data(make_dataset: Make, tmp_path: Path) -> None:
    first, counts = make_dataset(2000, 5)
    second = tmp_path / "again"
    assert generate(second, members=2000, seed=5) == counts
    for table in TABLES:
        assert _fingerprint(first, table) == _fingerprint(second, table), table


def test_different_seed_different_data(make_dataset: Make) -> None:
    a, _ = make_dataset(2000, 5)
    b, _ = make_dataset(2000, 6)
    assert _fingerprint(a, "eligibility") != _fingerprint(b, "eligibility")
    assert _fingerprint(a, "medical_claim") != _fingerprint(b, "medical_claim")


def test_row_counts_scale_with_members(make_dataset: Make) -> None:
    _, small = make_dataset(1000, 5)
    _, large = make_dataset(2000, 5)
    for table in ("eligibility", "medical_claim", "member_fact", "program_enrollment"):
        assert 1.5 < large[table] / small[table] < 3, table
    assert 1000 <= small["eligibility"] < 1300
    assert set(small) == set(TABLES)


def test_csv_and_parquet_hold_the_same_data(make_dataset: Make) -> None:
    pq, counts_pq = make_dataset(1000, 5, "parquet")
    csv, counts_csv = make_dataset(1000, 5, "csv")
    assert counts_pq == counts_csv
    con = duckdb.connect()
    for table in TABLES:
        names = ", ".join(TABLES[table].column_names)
        # Compare as text: CSV has no types, so render both sides the same way.
        as_text = ", ".join(f"{c}::VARCHAR AS {c}" for c in TABLES[table].column_names)
        left = f"SELECT {as_text}, row_number() OVER () AS n FROM '{pq / table}.parquet'"
        right = (
            f"SELECT {names}, row_number() OVER () AS n FROM "
            f"read_csv('{csv / table}.csv', header = true, all_varchar = true)"
        )
        diff = con.execute(
            f"SELECT count(*) FROM (({left}) EXCEPT ALL ({right})) UNION ALL "
            f"SELECT count(*) FROM (({right}) EXCEPT ALL ({left}))"
        ).fetchall()
        assert [d[0] for d in diff] == [0, 0], table


def test_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="members"):
        generate(tmp_path, members=0, seed=1)
    with pytest.raises(ValueError, match="format"):
        generate(tmp_path, members=10, seed=1, fmt="xlsx")  # type: ignore[arg-type]


def test_progress_is_reported(tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    generate(tmp_path, members=50, seed=1, progress=lambda s, d, t: seen.append((s, d, t)))
    assert seen[-1][1] == seen[-1][2]
    assert {"medical_claim", "member_fact"} <= {s for s, _, _ in seen}
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)
