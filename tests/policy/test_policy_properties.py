"""Properties of the shipped policy that must hold for any history (hypothesis)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calaim.engine.identify import identify
from calaim.engine.loading.policy import Policy
from case_runner import expand_claim, write_csv

SETTINGS = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
AS_OF = dt.date(2025, 6, 1)
PERSON = {
    "person_id": "A",
    "birth_date": "1980-01-01",
    "enrollment_start_date": "2021-01-01",
    "payer": "STATEWIDE",
    "county": "Los Angeles",
}


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.load()


def claim_rows(*shorthands: dict[str, str]) -> list[dict[str, object]]:
    rows = []
    for n, shorthand in enumerate(shorthands):
        row = expand_claim(dict(shorthand))
        row.update({"person_id": "A", "claim_id": f"C{n}", "claim_line_number": 1})
        rows.append(row)
    return rows


def status(policy: Policy, folder: Path, as_of: dt.date, program: str) -> str:
    out = folder / f"{as_of}.csv"
    identify(folder, as_of, out, policy=policy)
    return str(
        duckdb.execute(
            f"SELECT status FROM read_csv('{out}') WHERE program_id = '{program}'"
        ).fetchall()[0][0]
    )


@SETTINGS
@given(days_back=st.lists(st.integers(0, 240), min_size=3, max_size=8), extra=st.integers(0, 240))
def test_adding_an_ed_visit_never_removes_avoidable_utilization(
    policy, tmp_path_factory, days_back, extra
):
    results = []
    for days in (days_back, [*days_back, extra]):
        folder = tmp_path_factory.mktemp("ed")
        write_csv(folder / "eligibility.csv", [PERSON])
        visits = [{"ed": (AS_OF - dt.timedelta(days=d)).isoformat()} for d in days]
        write_csv(folder / "medical_claim.csv", claim_rows(*visits))
        results.append(status(policy, folder, AS_OF, "ecm.avoidable_utilization"))
    if results[0] == "eligible":
        assert results[1] == "eligible"


@SETTINGS
@given(used=st.integers(0, 900), later=st.integers(1, 1200))
def test_used_housing_deposits_are_never_resurrected(policy, tmp_path_factory, used, later):
    folder = tmp_path_factory.mktemp("deposits")
    used_on = dt.date(2022, 6, 1) + dt.timedelta(days=used)
    write_csv(folder / "eligibility.csv", [PERSON])
    write_csv(
        folder / "program_enrollment.csv",
        [{"person_id": "A", "program": "coordinated_entry", "start_date": "2022-01-01"}],
    )
    write_csv(
        folder / "medical_claim.csv",
        claim_rows({"service": "H0044", "modifier": "U2", "date": used_on.isoformat()}),
    )
    day_before = used_on - dt.timedelta(days=1)
    assert status(policy, folder, day_before, "cs.housing_deposits") == "eligible"
    after = used_on + dt.timedelta(days=later)
    assert status(policy, folder, after, "cs.housing_deposits") == "excluded"
