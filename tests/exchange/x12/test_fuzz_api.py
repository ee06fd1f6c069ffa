"""Schemathesis over the /billing operations: generated requests never get a 5xx."""

from __future__ import annotations

from fastapi import FastAPI
from hypothesis import strategies as st

from ops.http.conftest import AuthHeaders, Tenants
from ops.http.fuzzing import operations_under, server_errors


def test_no_generated_billing_request_gets_a_server_error(
    app: FastAPI, tenants: Tenants, auth: AuthHeaders
) -> None:
    billing = operations_under(app, "/billing")
    assert len(billing) >= 9
    people = st.sampled_from([auth(tenants.plan_admin), auth(tenants.provider_staff)])
    assert server_errors(billing, people, 10) == []
