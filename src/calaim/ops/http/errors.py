"""One error body for every failure, and the generic mapping of error kinds to status codes.

Every error response looks like
`{"error": {"code": "...", "message": "...", "field": "..." | null, "details": {...}}}`.
Domains never write handlers: they raise a subclass of a `calaim.ops.errors` kind.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, PendingRollbackError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException

from calaim.ops.errors import (
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
    OpsError,
    StaleVersion,
    TooManyAttempts,
)

logger = logging.getLogger(__name__)


class Unauthenticated(OpsError):
    """No credentials, or credentials that are not valid (HTTP 401)."""

    code = "unauthenticated"


class PreconditionRequired(OpsError):
    """An update came without the version it is based on (HTTP 428)."""

    code = "precondition_required"


# Checked in order, so a subclass (StaleVersion) is matched before its parent (Conflict).
STATUS_BY_KIND: list[tuple[type[OpsError], int]] = [
    (Unauthenticated, 401),
    (StaleVersion, 412),
    (PreconditionRequired, 428),
    (NotFound, 404),
    (Forbidden, 403),
    (InvalidRequest, 422),
    (Conflict, 409),
    (TooManyAttempts, 429),
]

_CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "stale_version",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    429: "too_many_attempts",
    500: "internal_error",
}


class ErrorDetail(BaseModel):
    """What went wrong, for people (`message`) and programs (`code`, `field`)."""

    code: str = Field(description="Stable machine-readable code, e.g. `not_found`.")
    message: str = Field(description="What is wrong and what to do about it.")
    field: str | None = Field(None, description="The request field at fault, if one is.")
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    field: str | None = None,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A JSON response in the one error shape."""
    detail = ErrorDetail(code=code, message=message, field=field, details=details or {})
    return JSONResponse(
        ErrorBody(error=detail).model_dump(mode="json"), status_code=status, headers=headers
    )


def status_for(error: OpsError) -> int:
    """The HTTP status of an error kind (400 for a kind nobody mapped)."""
    for kind, status in STATUS_BY_KIND:
        if isinstance(error, kind):
            return status
    return 400


def _ops_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, OpsError)
    status = status_for(error)
    details: dict[str, Any] = {"type": type(error).__name__}
    extra = getattr(error, "details", None)
    if isinstance(extra, dict):
        details.update(extra)
    headers = {"WWW-Authenticate": 'Bearer realm="calaim"'} if status == 401 else None
    if isinstance(error, TooManyAttempts):
        headers = {"Retry-After": str(error.retry_after)}
        details["retry_after"] = error.retry_after
    return error_response(
        status,
        error.code,
        str(error),
        field=getattr(error, "field", None),
        details=details,
        headers=headers,
    )


def _field_of(location: tuple[Any, ...]) -> str:
    """`("body", "member", "cin")` -> `member.cin`; the part before it says where it was."""
    parts = [str(part) for part in location[1:]] or [str(location[0])]
    return ".".join(parts)


def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = [
        {"field": _field_of(tuple(item["loc"])), "in": str(item["loc"][0]), "message": item["msg"]}
        for item in error.errors()
    ]
    first = problems[0] if problems else {"field": None, "message": "invalid request"}
    message = f"{first['field']}: {first['message']}" if first["field"] else str(first["message"])
    return error_response(
        422, "invalid", message, field=first["field"], details={"errors": problems}
    )


def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    code = _CODE_BY_STATUS.get(error.status_code, "error")
    return error_response(
        error.status_code, code, str(error.detail), headers=dict(error.headers or {}) or None
    )


# Plain words for the database rules a race can break (the index, or its SQLite message).
# The constraint's own text may name another tenant's values, so it is logged, never shown.
RACE_MESSAGES: list[tuple[str, str, str]] = [
    (
        "uq_authorizations_undecided_member_program",
        "authorizations.member_id, authorizations.program_id",
        "the member already has an undecided authorization for this program (a simultaneous "
        "request was saved first); wait for its decision or withdraw it",
    ),
    (
        "uq_enrollments_active_member",
        "enrollments.member_id",
        "the member was just assigned to an ECM provider by someone else; reload the member "
        "to see the assignment",
    ),
    (
        "uq_referrals_open_member_program",
        "referrals.member_id, referrals.program_id",
        "the member already has an open referral for this program (a simultaneous referral "
        "was saved first); reload and join that one",
    ),
    (
        "uq_idempotency_keys_organization_id",
        "idempotency_keys.organization_id, idempotency_keys.key",
        "a simultaneous request with the same Idempotency-Key was saved first; nothing was "
        "changed: send the request again to get its answer",
    ),
]
DUPLICATE_OR_MISSING = (
    "the request conflicts with stored data (a duplicate, or an id that does not exist); "
    "check the ids and unique fields you sent"
)
CHANGED_MEANWHILE = "the record was changed by someone else just now; read it again and retry"
# PostgreSQL's "serialization failure" and "deadlock detected": a simultaneous change won.
_RETRYABLE_STATES = frozenset({"40001", "40P01"})


class RaceLost(Conflict):
    """A simultaneous request changed the same data first (HTTP 409)."""


class ChangedMeanwhile(StaleVersion):
    """The record was saved by a simultaneous request after it was read (HTTP 412)."""


def _integrity_message(error: IntegrityError) -> str:
    original = error.orig
    name = getattr(getattr(original, "diag", None), "constraint_name", None) or ""
    text = str(original)
    for constraint, sqlite_columns, message in RACE_MESSAGES:
        if (
            name == constraint
            or constraint in text
            or f"UNIQUE constraint failed: {sqlite_columns}" in text
        ):
            return message
    return DUPLICATE_OR_MISSING


def database_error(error: Exception) -> OpsError | None:
    """The error kind a database refusal stands for, or None when it is not one we know.

    The one place where integrity, stale-data and value errors (and PostgreSQL's retryable
    serialization failures) become answers: the API's handlers, the transaction middleware's
    commit and the web workspace's forms all call it.
    """
    if isinstance(error, PendingRollbackError):
        # Code that touched the session after a refused flush: answer for the refusal itself.
        cause = _refusal_behind(error)
        return database_error(cause) if cause is not None else None
    if isinstance(error, IntegrityError):
        logger.info("integrity error: %s", error)
        return RaceLost(_integrity_message(error))
    if isinstance(error, StaleDataError):
        logger.info("stale data: %s", error)
        return ChangedMeanwhile(CHANGED_MEANWHILE)
    if isinstance(error, DataError):
        # A value the database refuses (too long, a NUL character) that validation let through.
        logger.info("data error: %s", error)
        return InvalidRequest(
            "a value is not acceptable (too long, or it holds a control character)"
        )
    if (
        isinstance(error, OperationalError)
        and getattr(error.orig, "sqlstate", None) in _RETRYABLE_STATES
    ):
        logger.info("retryable database conflict: %s", error)
        return RaceLost(
            "a simultaneous request changed the same data first; nothing was changed: "
            "read the current state and retry"
        )
    return None


def _refusal_behind(error: BaseException) -> Exception | None:
    seen = error.__context__
    while seen is not None and not isinstance(seen, IntegrityError | StaleDataError):
        seen = seen.__context__
    return seen


def _database_error(request: Request, error: Exception) -> JSONResponse:
    mapped = database_error(error)
    if mapped is None:
        return unexpected_error(request, error)
    return _ops_error(request, mapped)


def unexpected_error(request: Request, error: Exception) -> JSONResponse:
    """A 500 in the error shape; the traceback goes to the log under an incident id only."""
    incident = uuid.uuid4().hex[:12]
    logger.error(
        "unexpected error %s on %s %s", incident, request.method, request.url.path, exc_info=error
    )
    return error_response(
        500,
        "internal_error",
        f"an unexpected error occurred (incident {incident}); it has been logged. "
        "Nothing was changed; try again, and report the incident id if it persists.",
        details={"incident": incident},
    )


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the one shape."""
    app.add_exception_handler(OpsError, _ops_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    for kind in (IntegrityError, DataError, StaleDataError, OperationalError, PendingRollbackError):
        app.add_exception_handler(kind, _database_error)
    app.add_exception_handler(Exception, unexpected_error)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` declaring the error shape for each status."""
    return {
        status: {"model": ErrorBody, "description": _CODE_BY_STATUS.get(status, "error")}
        for status in statuses
    }


# Every domain route may answer these; update routes add 412 and 428 (see `UPDATE_ERRORS`).
COMMON_ERRORS = error_responses(400, 401, 403, 404, 409, 422, 500)
UPDATE_ERRORS = error_responses(412, 428)
