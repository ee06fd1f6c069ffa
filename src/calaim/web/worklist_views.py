"""Paging and saved views for the worklists (the referrals list first).

`paging()` gives the page links; the saved views are the user's own (`ops/search/views.py`),
saved and deleted here and applied as plain links, so a view is an ordinary address.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.errors import InvalidRequest
from calaim.ops.search.views import SavedViewService
from calaim.web.forms import text
from calaim.web.i18n import N_
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, redirect

router = page_router()
LIST_PAGE = "referrals"
PER_PAGE = 25
# The parameters a saved view of the referrals list keeps (never paging).
LIST_PARAMETERS = ("status", "program", "sort")
SORT_LABELS = {
    "newest": N_("Newest first"),
    "oldest": N_("Oldest first"),
    "updated": N_("Recently changed"),
    "status": N_("By status"),
}


def paging(total: int, number: int, per_page: int, query: dict[str, str]) -> dict[str, Any]:
    """Where this page is and the links to the previous and next pages."""
    pages = max((total + per_page - 1) // per_page, 1)
    base = {k: v for k, v in query.items() if v}

    def link(page: int) -> str:
        return "/app/referrals?" + urlencode({**base, "page": page})

    return {
        "page": min(number, pages),
        "pages": pages,
        "total": total,
        "previous": link(number - 1) if number > 1 else None,
        "next": link(number + 1) if number < pages else None,
    }


@router.post("/app/referrals/views")
async def save_view(
    request: Request, actor: PageActor, session: SessionDep, now: NowDep
) -> Response:
    """Save the list's current filters and sort under a name (the user's own)."""
    form = await request.form()
    try:
        SavedViewService(session, actor).save(
            LIST_PAGE, text(form, "view_name", 80), text(form, "query", 500), LIST_PARAMETERS,
            now=now,
        )  # fmt: skip
    except InvalidRequest:
        session.rollback()
        return redirect("/app/referrals?view_error=1")
    return redirect("/app/referrals?" + text(form, "query", 500))


@router.post("/app/referrals/views/{view_id}/delete")
async def delete_view(
    request: Request, view_id: uuid.UUID, actor: PageActor, session: SessionDep
) -> Response:
    """Delete one of the user's saved views."""
    SavedViewService(session, actor).delete(view_id)
    return redirect("/app/referrals")
