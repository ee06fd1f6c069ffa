"""Paging and saved views for the worklists (referrals, the review queue, tasks).

`paging()` gives a list's page links; `views_context()` what `parts/saved_views.html` shows.
The saved views are the user's own (`ops/search/views.py`), saved and deleted here and applied
as plain links, so a view is an ordinary address, reduced to the parameters its list knows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from calaim.ops.errors import InvalidRequest, NotFound
from calaim.ops.models import User
from calaim.ops.search.views import SavedViewService
from calaim.web.forms import text
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, redirect

router = page_router()
LIST_PAGE = "referrals"
PER_PAGE = 25
SORT_LABELS = {
    "newest": N_("Newest first"),
    "oldest": N_("Oldest first"),
    "updated": N_("Recently changed"),
    "status": N_("By status"),
}


@dataclass(frozen=True)
class Worklist:
    """A list with saved views: its address and the parameters a view keeps (never paging)."""

    path: str
    parameters: tuple[str, ...]


WORKLISTS = {
    "referrals": Worklist("/app/referrals", ("status", "program", "sort")),
    "authorizations": Worklist("/app/authorizations", ("show", "program", "urgency", "sort")),
    "tasks": Worklist("/app/tasks", ("show", "status", "kind", "sort")),
}
# The referrals list's parameters (kept for the callers that name them).
LIST_PARAMETERS = WORKLISTS[LIST_PAGE].parameters


class NoSuchWorklist(NotFound):
    """No worklist has that name."""


def paging(
    total: int, number: int, per_page: int, query: dict[str, str], path: str = "/app/referrals"
) -> dict[str, Any]:
    """Where this page is and the links to the previous and next pages."""
    pages = max((total + per_page - 1) // per_page, 1)
    base = {k: v for k, v in query.items() if v}

    def link(page: int) -> str:
        return f"{path}?" + urlencode({**base, "page": page})

    return {
        "page": min(number, pages),
        "pages": pages,
        "total": total,
        "previous": link(number - 1) if number > 1 else None,
        "next": link(number + 1) if number < pages else None,
    }


def views_context(
    session: Session, actor: User, name: str, query: dict[str, str]
) -> dict[str, Any]:
    """The user's saved views of worklist `name` and the query a new view would keep."""
    return {
        "views": SavedViewService(session, actor).of_page(name),
        "view_list": name,
        "view_path": WORKLISTS[name].path,
        "current_query": urlencode({k: v for k, v in query.items() if v}),
    }


def _worklist(name: str) -> Worklist:
    if name not in WORKLISTS:
        raise NoSuchWorklist("no such list")
    return WORKLISTS[name]


@router.post("/app/{list_name}/views")
async def save_view(
    request: Request, list_name: str, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Save the list's current filters and sort under a name (the user's own)."""
    worklist = _worklist(list_name)
    form = await request.form()
    try:
        SavedViewService(session, actor).save(
            list_name, text(form, "view_name", 80), text(form, "query", 500), worklist.parameters,
            now=now,
        )  # fmt: skip
    except InvalidRequest:
        session.rollback()
        return redirect(f"{worklist.path}?view_error=1")
    return redirect(f"{worklist.path}?" + text(form, "query", 500))


@router.post("/app/{list_name}/views/{view_id}/delete")
async def delete_view(
    request: Request, list_name: str, view_id: uuid.UUID, actor: PageActor, session: SessionDep
) -> Response:
    """Delete one of the user's saved views."""
    worklist = _worklist(list_name)
    SavedViewService(session, actor).delete(view_id)
    return redirect(worklist.path)
