"""Schemathesis over the rosters operations: generated uploads and look-ups (with and without
an Idempotency-Key), signed in as a plan admin or a referrer, never get a 5xx."""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from hypothesis import strategies as st

from ops.http.conftest import AuthHeaders, Tenants, tenants
from ops.http.fuzzing import operations_under, server_errors

__all__ = ["tenants"]
EXAMPLES_PER_OPERATION = 25


def test_no_generated_roster_request_gets_a_server_error(
    app: FastAPI, tenants: Tenants, auth: AuthHeaders
) -> None:
    operations = operations_under(app, "/exchange/rosters")
    assert len(operations) == 4
    keys = st.one_of(st.just({}), st.builds(lambda: {"Idempotency-Key": str(uuid.uuid4())}))
    people = st.sampled_from([auth(tenants.plan_admin), auth(tenants.hospital)])
    headers = st.builds(lambda person, key: person | key, people, keys)
    assert server_errors(operations, headers, EXAMPLES_PER_OPERATION) == []
