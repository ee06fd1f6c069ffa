"""`/app`: the signed-in user's work, by role."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.enrollments.schemas import local_today
from calaim.web.pages import NowDep, PageActor, SessionDep, page_router, render
from calaim.web.reports.dashboards import STAGE_LABELS, TIMELINESS_LABELS
from calaim.web.worklists import worklists

router = page_router()


@router.get("/app")
def home(request: Request, actor: PageActor, session: SessionDep, now: NowDep) -> Response:
    """The actor's worklists."""
    context = {
        "lists": worklists(session, actor, now),
        "now": now,
        "today": local_today(now),
        "glance_labels": {
            "stages": list(STAGE_LABELS.items()),
            "timeliness": list(TIMELINESS_LABELS.items()),
        },
    }
    return render(request, "home.html", context)
