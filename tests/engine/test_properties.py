"""Properties that must hold for any data (hypothesis), on the fixture policy."""

from __future__ import annotations

import datetime as dt

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calaim.engine.identify import identify
from conftest import claims, person

AS_OF = dt.date(2024, 6, 1)
DAYS = st.integers(min_value=0, max_value=200)
SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def status(policy, folder, out, program: str, as_of: dt.date = AS_OF) -> str:
    path = identify(folder, as_of, out, policy=policy).determinations
    return str(
        duckdb.execute(
            f"SELECT status FROM read_csv('{path}') WHERE program_id = '{program}'"
        ).fetchall()[0][0]
    )


@SETTINGS
@given(days_back=st.lists(DAYS, max_size=6), extra=DAYS)
def test_adding_an_ed_visit_never_removes_eligibility(policy, tmp_path_factory, days_back, extra):
    base = tmp_path_factory.mktemp("p")
    visits = [{"ed": (AS_OF - dt.timedelta(days=d)).isoformat()} for d in days_back]
    more = [*visits, {"ed": (AS_OF - dt.timedelta(days=extra)).isoformat()}]
    results = []
    for name, rows in (("before", visits), ("after", more)):
        folder = base / name
        folder.mkdir()
        from case_runner import write_csv

        write_csv(folder / "eligibility.csv", [person("A")])
        write_csv(folder / "medical_claim.csv", claims("A", *rows))
        results.append(status(policy, folder, base / f"{name}.csv", "ecm.test_pof"))
    if results[0] == "eligible":
        assert results[1] == "eligible"


@SETTINGS
@given(
    used_days_after=st.integers(min_value=-100, max_value=100),
    later=st.integers(min_value=1, max_value=900),
)
def test_a_used_lifetime_service_is_never_resurrected(
    policy, tmp_path_factory, used_days_after, later
):
    from case_runner import write_csv

    folder = tmp_path_factory.mktemp("p")
    used_on = dt.date(2024, 3, 1) + dt.timedelta(days=used_days_after)
    write_csv(folder / "eligibility.csv", [person("U")])
    write_csv(
        folder / "medical_claim.csv",
        claims("U", {"service": "H0044", "modifier": "U2", "date": used_on.isoformat()}),
    )
    write_csv(
        folder / "housing_status.csv",
        [
            {"person_id": "U", "observed_date": f"{year}-01-01", "status": "unsheltered"}
            for year in (2024, 2025, 2026)
        ],
    )
    first = dt.date(2024, 3, 1) + dt.timedelta(days=100)
    second = first + dt.timedelta(days=later)
    assert status(policy, folder, folder / "a.csv", "cs.test_support", first) == "excluded"
    assert status(policy, folder, folder / "b.csv", "cs.test_support", second) != "eligible"
