"""Schemathesis over the OpenAPI document: generated requests, signed in, never get a 5xx."""

from __future__ import annotations

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import AuthHeaders, Tenants

# Bounded so the run stays well under a minute per database.
EXAMPLES_PER_OPERATION = 5


def test_no_generated_request_gets_a_server_error(
    app: FastAPI, tenants: Tenants, auth: AuthHeaders
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    # Half the requests as a plan admin (may do most things), half as a referrer.
    people = st.sampled_from([auth(tenants.plan_admin), auth(tenants.hospital)])
    failures: list[str] = []
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), headers=people)
        def run(case: schemathesis.Case, headers: dict[str, str]) -> None:
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.text[:300]}")

        run()
    assert failures == []
