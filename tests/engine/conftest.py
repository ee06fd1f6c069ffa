"""Engine test fixtures: a small stable policy and a helper that writes input folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from calaim.engine.loading.policy import Policy
from case_runner import expand_claim, write_csv

FIXTURE_POLICY = Path(__file__).parent / "fixtures" / "policy"
Tables = dict[str, list[dict[str, Any]]]


@pytest.fixture(scope="session")
def policy() -> Policy:
    """The fixture policy with its test plan."""
    return Policy.load(FIXTURE_POLICY)


def person(person_id: str, **columns: Any) -> dict[str, Any]:
    """An eligibility row with defaults: enrolled from 2021, statewide payer, Los Angeles."""
    row = {
        "person_id": person_id,
        "birth_date": "1980-01-01",
        "enrollment_start_date": "2021-01-01",
        "payer": "OTHERPLAN",
        "county": "Los Angeles",
        "race": "white",
    }
    row.update(columns)
    return row


def claims(person_id: str, *shorthands: dict[str, Any]) -> list[dict[str, Any]]:
    """Claim rows from the case-file shorthands (ed, inpatient, snf, dx, service)."""
    rows = []
    for n, shorthand in enumerate(shorthands):
        row = expand_claim(shorthand)
        row.update({"person_id": person_id, "claim_id": f"{person_id}-{n}", "claim_line_number": 1})
        rows.append(row)
    return rows


@pytest.fixture
def write_inputs(tmp_path: Path) -> Callable[[Tables], Path]:
    """Write {table: rows} as a CSV input folder and return it."""

    def write(tables: Tables) -> Path:
        folder = tmp_path / "data"
        folder.mkdir(exist_ok=True)
        for table, rows in tables.items():
            write_csv(folder / f"{table}.csv", rows)
        return folder

    return write
