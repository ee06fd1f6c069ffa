"""Schemathesis over the OpenAPI document: generated requests, signed in, never get a 5xx."""

from __future__ import annotations

from fastapi import FastAPI
from hypothesis import strategies as st

from .conftest import AuthHeaders, Tenants
from .fuzzing import operations_under, server_errors

# Bounded so the run stays well under a minute per database.
EXAMPLES_PER_OPERATION = 5


def test_no_generated_request_gets_a_server_error(
    app: FastAPI, tenants: Tenants, auth: AuthHeaders
) -> None:
    operations = operations_under(app)
    assert len(operations) >= 8
    # Half the requests as a plan admin (may do most things), half as a referrer.
    people = st.sampled_from([auth(tenants.plan_admin), auth(tenants.hospital)])
    assert server_errors(operations, people, EXAMPLES_PER_OPERATION) == []
