"""The backend seam: every step runs through the backend, timed and logged, and a failing
step's error carries its name and its SQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

import pytest

from calaim.engine.backends.base import BackendError
from calaim.engine.backends.duckdb_backend import DuckDBBackend
from calaim.engine.compile.pipeline import Step
from calaim.engine.identify import compile_for, identify, opened, run_steps
from conftest import claims, person

AS_OF = dt.date(2024, 6, 1)


def test_identify_runs_every_step_on_the_given_backend_timed_and_logged(
    policy, write_inputs, tmp_path, caplog
):
    data = write_inputs(
        {"eligibility": [person("A")], "medical_claim": claims("A", {"ed": "2024-05-01"})}
    )
    backend = DuckDBBackend()
    with caplog.at_level(logging.INFO, logger="calaim.sql"):
        result = identify(data, AS_OF, tmp_path / "out.csv", policy=policy, backend=backend)
    for name in ("inputs", "members", "ed_visit", "decision", "export out.csv"):
        assert name in result.timings
    logged = {record.getMessage().split(":")[0] for record in caplog.records}
    assert "step decision" in logged
    assert "step export out.evidence.csv" in logged
    assert backend._con is None  # identify closed the backend it was given


def test_a_failing_step_raises_an_error_naming_the_step_and_carrying_its_sql(policy, write_inputs):
    data = write_inputs({"eligibility": [person("A")]})
    with opened(data) as (backend, inputs):
        pipeline = compile_for(policy, policy.resolve(AS_OF), inputs, backend)
        broken = Step("ed_visit", "SELECT person_id, no_such_column FROM medical_claim")
        steps = tuple(broken if s.name == "ed_visit" else s for s in pipeline.steps)
        with pytest.raises(BackendError) as raised:
            run_steps(backend, dataclasses.replace(pipeline, steps=steps), None)
    error = raised.value
    assert error.step == "ed_visit"
    assert "no_such_column FROM medical_claim" in error.sql
    assert str(error).startswith("step 'ed_visit' failed:")
    assert "no_such_column" in str(error).splitlines()[-1]


def test_filled_diagnosis_columns_come_from_parquet_statistics(tmp_path):
    import duckdb

    data = tmp_path / "data"
    data.mkdir()
    duckdb.sql(
        "COPY (SELECT 'A' AS person_id, DATE '2024-01-01' AS enrollment_start_date, "
        "'Los Angeles' AS county, DATE '1990-01-01' AS birth_date, 'Plan' AS payer) "
        f"TO '{data / 'eligibility.parquet'}'"
    )
    duckdb.sql(
        "COPY (SELECT 'C1' AS claim_id, 1 AS claim_line_number, 'professional' AS claim_type, "
        "'A' AS person_id, DATE '2024-02-01' AS claim_start_date, "
        "'F200' AS Diagnosis_Code_1, CAST(NULL AS VARCHAR) AS diagnosis_code_2, "
        "CASE WHEN range > 0 THEN 'I10' END AS diagnosis_code_3 FROM range(2)) "
        f"TO '{data / 'medical_claim.parquet'}'"
    )
    columns = ["diagnosis_code_1", "diagnosis_code_2", "diagnosis_code_3"]
    with DuckDBBackend() as backend:
        backend.open_inputs(data, county=None)
        assert backend.filled_columns("medical_claim", columns) == [
            "diagnosis_code_1",
            "diagnosis_code_3",
        ]
        assert "filled columns of medical_claim" in backend.timings
