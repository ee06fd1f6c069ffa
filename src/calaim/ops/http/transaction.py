"""One transaction per request: commit a success, roll back a failure (keeping its audit trail).

A pure ASGI middleware: it holds the response until the transaction's outcome is known, so a
client never sees a success for work that was not committed. When a request fails, its work
is rolled back but the audit events it wrote are written again (marked with the response
status): failed look-ups and sign-ins must leave a trail.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from calaim.ops.http.deps import AUDIT_INFO, SESSION_STATE
from calaim.ops.http.errors import error_response
from calaim.ops.http.idempotency import PENDING_STATE, store
from calaim.ops.models import AuditEvent

logger = logging.getLogger(__name__)


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
        replacement = await run_in_threadpool(finish, state, int(start["status"]), body)
        if replacement is not None:
            await replacement(scope, receive, send)
            return
        for message in messages:
            await send(message)


def finish(state: dict[str, Any], status: int, body: bytes) -> JSONResponse | None:
    """Commit (success) or roll back (failure); a response replacing the held one, if needed."""
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
    except IntegrityError as error:
        # Most likely two requests with one Idempotency-Key raced; the first one won.
        logger.info("commit refused: %s", error)
        roll_back_keeping_audit(session, 409)
        return error_response(
            409,
            "conflict",
            "a simultaneous request changed the same data first (or used the same "
            "Idempotency-Key); nothing was changed: read the current state and retry",
        )
    except Exception:
        logger.exception("commit failed")
        session.rollback()
        return error_response(500, "internal_error", "the change could not be saved; try again")
    finally:
        session.close()


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
