"""Schemathesis over the /billing operations: generated requests never get a 5xx."""

from __future__ import annotations

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops.http.conftest import AuthHeaders, Tenants


def test_no_generated_billing_request_gets_a_server_error(
    app: FastAPI, tenants: Tenants, auth: AuthHeaders
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [op.ok() for op in schema.get_all_operations()]
    billing = [op for op in operations if op.path.startswith("/billing")]
    assert len(billing) >= 9
    people = st.sampled_from([auth(tenants.plan_admin), auth(tenants.provider_staff)])
    failures: list[str] = []
    for operation in billing:

        @settings(
            max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(case=operation.as_strategy(), headers=people)
        def run(case: schemathesis.Case, headers: dict[str, str]) -> None:
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.text[:300]}")

        run()
    assert failures == []
