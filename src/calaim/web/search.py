"""`/app/search?q=…`: the header's search box (also a plain link), through ops/search.

The page calls the same `SearchService` as `GET /search`, so what a person finds is exactly
what their organization's scope allows, and every search is audited the same way.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.search.service import SearchService
from calaim.web.i18n import N_
from calaim.web.pages import PageActor, SessionDep, page_router, render

router = page_router()

KIND_LABELS = {
    "name": N_("name"),
    "cin": N_("CIN"),
    "birth_date": N_("birth date"),
    "phone": N_("phone"),
    "number": N_("referral or authorization number"),
}


@router.get("/app/search")
def search_page(request: Request, actor: PageActor, session: SessionDep, q: str = "") -> Response:
    """Results for `q`, grouped by kind; an empty or too short `q` shows how to search."""
    text = q[:100]
    results = SearchService(session, actor).search(text) if text.strip() else None
    context = {
        "q": text,
        "results": results,
        "kind": KIND_LABELS.get(results.query.kind.value, "") if results and results.query else "",
        "member_link": allowed(actor, Permission.MEMBER_READ),
    }
    return render(request, "search/results.html", context)
