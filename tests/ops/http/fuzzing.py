"""Schemathesis runs shared by the API fuzz tests: generated requests, never a 5xx."""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def operations_under(app: FastAPI, prefix: str = "") -> list[Any]:
    """The app's OpenAPI operations whose path starts with `prefix`."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    return [operation for operation in operations if operation.path.startswith(prefix)]


def server_errors(
    operations: list[Any], headers: st.SearchStrategy[dict[str, str]], examples: int
) -> list[str]:
    """Each operation called `examples` times with generated input and `headers`; the 5xx."""
    failures: list[str] = []
    for operation in operations:

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), sent=headers)
        def run(case: schemathesis.Case, sent: dict[str, str]) -> None:
            response = case.call(headers=sent)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.text[:300]}")

        run()
    return failures


# What a careless or hostile client sends instead of credentials.
NO_CREDENTIALS: st.SearchStrategy[dict[str, str]] = st.just({})
_GARBAGE_TEXT = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80)
_GARBAGE_TOKEN = st.one_of(
    st.sampled_from(["a.b.c", "a.b.cdefg", ".", "..", "x", "Bearer", "a.b.c==", "e30.e30.e30"]),
    _GARBAGE_TEXT,
)


def garbage_credentials() -> st.SearchStrategy[dict[str, str]]:
    """Malformed bearer tokens, session cookies and API keys (never valid ones)."""
    return st.one_of(
        _GARBAGE_TOKEN.map(lambda token: {"Authorization": f"Bearer {token}"}),
        # An HTTP client cannot send a header value starting with whitespace (requests
        # refuses it before sending), so such text would fail the test, not the server.
        _GARBAGE_TEXT.map(lambda text: {"Authorization": text.lstrip()}),
        _GARBAGE_TOKEN.map(lambda token: {"Cookie": f"calaim_session={token}"}),
        # Each unknown API key costs a password hash; fewer of them keeps the run short.
        st.sampled_from(["calaim_x_y", "calaim__", "garbage"]).map(lambda key: {"X-API-Key": key}),
    )
