"""The kinds of error a workflow can raise; the REST API maps each kind to one status code.

Every domain's exceptions subclass one of these, so a new domain needs no new error handling.
Messages are for the user: they say what is wrong and what to do, and never reveal another
tenant's data (an invisible record is `NotFound`, exactly like a missing one).
"""

from __future__ import annotations


class OpsError(Exception):
    """Base of every workflow error."""

    code = "error"


class NotFound(OpsError, LookupError):
    """The record does not exist or the actor may not see it (HTTP 404)."""

    code = "not_found"


class Forbidden(OpsError, PermissionError):
    """The actor's role may not take this action (HTTP 403); says nothing about any record."""

    code = "forbidden"


class InvalidRequest(OpsError, ValueError):
    """A field is wrong: unknown program, missing reason, bad dates (HTTP 422)."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Conflict(OpsError):
    """The request clashes with the record's state: an illegal transition, a cap (HTTP 409)."""

    code = "conflict"


class StaleVersion(Conflict):
    """The record changed since the caller read it; read it again and retry (HTTP 412)."""

    code = "stale_version"


class TooManyAttempts(OpsError):
    """Too many failed sign-ins: wait `retry_after` seconds (HTTP 429 with Retry-After)."""

    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
