"""Database refusals answered in one place: 409/412 in plain words, JSON or a workspace page.

Races themselves are in `test_races.py` (a served app); here each kind of refusal is caused
directly, at flush and at commit, to show where it is answered and how.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from calaim.app import build_app
from calaim.ops.auth.tokens import TokenSigner
from calaim.ops.http.deps import SessionDep
from calaim.ops.http.errors import DUPLICATE_OR_MISSING, database_error
from calaim.ops.models import Organization, OrganizationKind
from calaim.web.actions_common import attempt
from calaim.web.forms import FormErrors

from .conftest import NOW, SECRET, assert_error


def _duplicate_plan(session: SessionDep, code: str) -> None:
    # Not flushed: the unique plan code is refused only when the middleware commits.
    session.add(Organization(name="copy", kind=OrganizationKind.PLAN.value, plan_code=code))


def _flush_then_touch(session: SessionDep, code: str) -> None:
    plan = Organization(name="copy", kind=OrganizationKind.PLAN.value, plan_code=code)
    session.add(plan)
    try:
        session.flush()
    except IntegrityError:
        # Reading after a refused flush (here, to word a message): PendingRollbackError.
        session.get(Organization, uuid.uuid4())


def _stale() -> None:
    raise StaleDataError("UPDATE statement on table 'x' expected to update 1 row(s); 0 matched")


@pytest.fixture
def probed(engine: Engine) -> Iterator[tuple[TestClient, str]]:
    """The whole app plus probe routes under the API and under /app, and a taken plan code."""
    app: FastAPI = build_app(engine, clock=lambda: NOW, signer=TokenSigner(SECRET))
    for prefix in ("/probe", "/app/probe"):
        app.add_api_route(f"{prefix}/commit/{{code}}", _duplicate_plan)
        app.add_api_route(f"{prefix}/flush/{{code}}", _flush_then_touch)
        app.add_api_route(f"{prefix}/stale", _stale)
    code = f"Q{uuid.uuid4().hex[:10].upper()}"
    with TestClient(app, raise_server_exceptions=False) as client:
        created = client.app.state.sessions()  # type: ignore[attr-defined]
        created.add(Organization(name="first", kind=OrganizationKind.PLAN.value, plan_code=code))
        created.commit()
        created.close()
        yield client, code


def test_a_unique_rule_refused_at_commit_is_a_409_not_a_500(
    probed: tuple[TestClient, str],
) -> None:
    client, code = probed
    error = assert_error(client.get(f"/probe/commit/{code}"), 409, "conflict")
    assert error["message"] == DUPLICATE_OR_MISSING
    page = client.get(f"/app/probe/commit/{code}")
    assert page.status_code == 409
    assert "That cannot be done now" in page.text
    assert "Traceback" not in page.text


def test_touching_the_session_after_a_refused_flush_still_answers_409(
    probed: tuple[TestClient, str],
) -> None:
    client, code = probed
    assert_error(client.get(f"/probe/flush/{code}"), 409, "conflict")
    assert client.get(f"/app/probe/flush/{code}").status_code == 409


def test_a_write_lost_to_a_newer_version_is_412_in_the_api_and_a_409_page(
    probed: tuple[TestClient, str],
) -> None:
    client, _code = probed
    error = assert_error(client.get("/probe/stale"), 412, "stale_version")
    assert "changed by someone else" in str(error["message"])
    page = client.get("/app/probe/stale")
    assert page.status_code == 409
    assert "The record changed" in page.text


def test_a_workspace_form_shows_a_lost_race_next_to_its_field() -> None:
    errors = FormErrors()
    refused = IntegrityError(
        "INSERT", {}, Exception('duplicate key violates "uq_enrollments_active_member"')
    )

    def lose() -> None:
        raise refused

    assert attempt(lose, errors, "provider") == 409
    assert "assigned to an ECM provider by someone else" in str(errors.get("provider"))


def test_only_known_refusals_are_mapped() -> None:
    assert database_error(ValueError("not a database error")) is None
    assert database_error(_stale_error()) is not None


def _stale_error() -> StaleDataError:
    return StaleDataError("0 rows matched")
