"""Schemathesis over the rosters operations: generated uploads and look-ups (with and without
an Idempotency-Key), signed in as a plan admin or a referrer, never get a 5xx."""

from __future__ import annotations

import uuid

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops.http.conftest import AuthHeaders, Tenants, tenants

__all__ = ["tenants"]
EXAMPLES_PER_OPERATION = 25


def test_no_generated_roster_request_gets_a_server_error(
    app: FastAPI, tenants: Tenants, auth: AuthHeaders
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().path.startswith("/exchange/rosters")
    ]
    assert len(operations) == 4
    keys = st.one_of(st.just({}), st.builds(lambda: {"Idempotency-Key": str(uuid.uuid4())}))
    people = st.sampled_from([auth(tenants.plan_admin), auth(tenants.hospital)])
    failures: list[str] = []
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), headers=people, key=keys)
        def run(case: schemathesis.Case, headers: dict[str, str], key: dict[str, str]) -> None:
            response = case.call(headers=headers | key)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.text[:300]}")

        run()
    assert failures == []
