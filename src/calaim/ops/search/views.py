"""Saved views: a worklist's filters and sort, saved under a name, private to their user.

The query is kept as the worklist's own query string, reduced to the parameters that worklist
knows (`allowed`), and is read through the same checks as a typed address, so a saved view
can never widen what a user sees.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.audit.service import record
from calaim.ops.errors import InvalidRequest, NotFound
from calaim.ops.models import SavedView, User

MAX_VIEWS = 20


class SavedViewNotFound(NotFound):
    """No saved view with that id belongs to the actor."""


def clean_query(query: str, allowed: Iterable[str]) -> str:
    """`query` with only the `allowed` parameters, each non-empty, in a stable order."""
    keep = set(allowed)
    pairs = [(k, v[:100]) for k, v in parse_qsl(query) if k in keep and v]
    return urlencode(sorted(pairs))[:500]


class SavedViewService:
    """The actor's own saved views (nobody else's are ever read)."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def of_page(self, page: str) -> list[SavedView]:
        """The actor's saved views of one worklist, by name."""
        statement = select(SavedView).where(
            SavedView.user_id == self.actor.id, SavedView.page == page
        )
        return list(self.session.scalars(statement.order_by(SavedView.name)))

    def save(
        self, page: str, name: str, query: str, allowed: Iterable[str], *, now: dt.datetime
    ) -> SavedView:
        """Save (or replace) the view `name` of `page` with the allowed part of `query`."""
        label = " ".join(name.split())[:80]
        if not label:
            raise InvalidRequest("give the view a name", field="view_name")
        existing = {v.name: v for v in self.of_page(page)}
        view = existing.get(label)
        if view is None:
            if len(existing) >= MAX_VIEWS:
                raise InvalidRequest(
                    f"you have {MAX_VIEWS} saved views here; delete one first", field="view_name"
                )
            view = SavedView(user_id=self.actor.id, page=page, name=label, created_at=now)
            self.session.add(view)
        view.query = clean_query(query, allowed)
        self.session.flush()
        record(self.session, self.actor, "saved_view.save", view, details={"page": page})
        return view

    def delete(self, view_id: uuid.UUID) -> None:
        """Delete one of the actor's saved views."""
        view = self.session.get(SavedView, view_id)
        if view is None or view.user_id != self.actor.id:
            raise SavedViewNotFound("saved view not found")
        record(self.session, self.actor, "saved_view.delete", view, details={"page": view.page})
        self.session.delete(view)
        self.session.flush()
