"""The header's unread count, read with the request's own session (no session: no badge)."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from calaim.ops.http.deps import SESSION_STATE
from calaim.ops.models import User
from calaim.ops.notifications.service import NotificationService


def unread_badge(request: Request, actor: User | None) -> int | None:
    """How many inbox items `actor` has not read (None when signed out or unanswerable)."""
    session: Session | None = getattr(request.state, SESSION_STATE, None)
    if actor is None or session is None:
        return None
    try:
        return NotificationService(session, actor).unread_count()
    except SQLAlchemyError:
        return None  # an error page after a failed transaction: no badge rather than no page
