"""One transaction per request: commit a success, roll back a failure (keeping its audit trail).

A pure ASGI middleware: it holds the response until the transaction's outcome is known, so a
client never sees a success for work that was not committed. When a request fails, its work
is rolled back but the audit events it wrote are written again (marked with the response
status): failed look-ups and sign-ins must leave a trail.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from calaim.ops.http.deps import AUDIT_INFO, SESSION_STATE
from calaim.ops.http.errors import database_error, error_response, status_for
from calaim.ops.http.idempotency import PENDING_STATE, store
from calaim.ops.models import AuditEvent

logger = logging.getLogger(__name__)


# Set on the request's state once its session is committed or rolled back and closed: an
# error page rendered after that must not read the (expired) signed-in user.
SESSION_FINISHED = "db_session_finished"


class TransactionMiddleware:
    """Commits or rolls back the request's session before the response is sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        messages: list[Message] = []

        async def hold(message: Message) -> None:
            messages.append(message)

        try:
            await self.app(scope, receive, hold)
        except Exception:
            await run_in_threadpool(finish, state, 500, b"")
            raise
        start = messages[0]
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        refused = await run_in_threadpool(finish, state, int(start["status"]), body)
        if refused is not None:
            response = await _rendered(scope, refused)
            await response(scope, receive, send)
            return
        for message in messages:
            await send(message)


async def _rendered(scope: Scope, error: Exception) -> Response:
    """The app's own answer to `error` (JSON for the API, a page for the web workspace)."""
    request = Request(scope)
    handlers = getattr(scope.get("app"), "exception_handlers", {})
    handler = next((handlers[k] for k in type(error).__mro__ if k in handlers), None)
    if handler is None:
        return error_response(500, "internal_error", "the change could not be saved; try again")
    result = handler(request, error)
    response: Response = await result if inspect.isawaitable(result) else result
    return response


def finish(state: dict[str, Any], status: int, body: bytes) -> Exception | None:
    """Commit (success) or roll back (failure); the error to answer with if the commit failed."""
    session: Session | None = state.get(SESSION_STATE)
    if session is None:
        return None
    try:
        if status >= 400:
            roll_back_keeping_audit(session, status)
            return None
        pending = state.get(PENDING_STATE)
        if pending is not None:
            store(session, pending, status, body)
        session.commit()
        return None
    except Exception as error:
        # A simultaneous request won (a unique index, a version, an Idempotency-Key): the
        # one mapping of database refusals says how to answer; anything else is a 500.
        refused = database_error(error)
        if refused is None:
            logger.exception("commit failed")
            session.rollback()
            return error
        logger.info("commit refused: %s", error)
        roll_back_keeping_audit(session, status_for(refused))
        return refused
    finally:
        session.close()
        state[SESSION_FINISHED] = True


def roll_back_keeping_audit(session: Session, status: int) -> None:
    """Roll back the request's work, then write its audit events again on their own."""
    events = {id(e): e for e in session.info.get(AUDIT_INFO, [])}
    events.update({id(e): e for e in session.new if isinstance(e, AuditEvent)})
    copies = [_copy(event, status) for event in events.values()]
    session.rollback()
    if not copies:
        return
    session.add_all(copies)
    try:
        session.commit()
    except Exception:
        logger.exception("could not keep the audit trail of a failed request")
        session.rollback()


def _copy(event: AuditEvent, status: int) -> AuditEvent:
    """A new, unsaved event with the same values, noting the request's outcome."""
    values = {column.key: getattr(event, column.key) for column in AuditEvent.__table__.columns}
    values["details"] = {**(values["details"] or {}), "request_status": status}
    return AuditEvent(**values)
