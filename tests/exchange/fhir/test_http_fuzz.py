"""Schemathesis over the /fhir operations: generated requests, signed in as a plan admin or a
referrer, never get a 5xx."""

from __future__ import annotations

from fastapi import FastAPI
from hypothesis import strategies as st

from ops.http.conftest import AuthHeaders, Tenants, tenants
from ops.http.fuzzing import operations_under, server_errors

__all__ = ["tenants"]
EXAMPLES_PER_OPERATION = 25


def test_no_generated_fhir_request_gets_a_server_error(
    app: FastAPI, tenants: Tenants, auth: AuthHeaders
) -> None:
    operations = operations_under(app, "/fhir/")
    assert len(operations) == 4
    people = st.sampled_from([auth(tenants.plan_admin), auth(tenants.hospital)])
    assert server_errors(operations, people, EXAMPLES_PER_OPERATION) == []
