"""The member's own pages: home (what they may get and why), and the rest of their record.

Every read goes through ops repositories with the member as the actor, so scoping (their own
record only: `calaim.ops.access.scopes.is_member`) and the audit trail are the ops layer's.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.enrollments.schemas import local_today
from calaim.ops.http.deps import NowDep, SessionDep
from calaim.ops.member_portal.repository import OwnRecord
from calaim.web.member.auth import MemberActor
from calaim.web.member.benefits import benefits
from calaim.web.member.render import render
from calaim.web.pages import page_router

router = page_router()


@router.get("/app/me")
def home(request: Request, actor: MemberActor, session: SessionDep, now: NowDep) -> Response:
    """Home: what the member may get, why, and how to ask for it."""
    member = OwnRecord(session, actor).mine()
    today = local_today(now)
    found = benefits(session, actor, member, today)
    return render(request, "home.html", {"member": member, "benefits": found, "page": "home"})
