"""The member's own pages: home (what they may get and why), their care, their letters.

Every read goes through ops repositories with the member as the actor, so scoping (their own
record only: `calaim.ops.access.scopes.is_member`) and the audit trail are the ops layer's.
"""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.enrollments.schemas import local_today
from calaim.ops.http.deps import NowDep, SessionDep
from calaim.ops.member_portal.repository import Accounts, OwnCare, OwnRecord
from calaim.ops.models.member_account import AccountHolder
from calaim.web.member.auth import MemberActor
from calaim.web.member.benefits import benefits
from calaim.web.member.care import cap_words, care_plans, supports
from calaim.web.member.letters import letter_words, notice_words
from calaim.web.member.render import render
from calaim.web.member.words import program_words
from calaim.web.pages import page_router

router = page_router()


@router.get("/app/me")
def home(request: Request, actor: MemberActor, session: SessionDep, now: NowDep) -> Response:
    """Home: what the member may get, why, and how to ask for it."""
    member = OwnRecord(session, actor).mine()
    found = benefits(session, actor, member, local_today(now))
    account = Accounts(session).of_user(actor)
    helper = account is not None and account.holder == AccountHolder.REPRESENTATIVE
    context = {"member": member, "benefits": found, "helper": helper}
    return render(request, "home.html", context)


@router.get("/app/me/care")
def care(request: Request, actor: MemberActor, session: SessionDep, now: NowDep) -> Response:
    """The care team and how to reach them, the care plan, Community Supports and their caps."""
    repository = OwnCare(session, actor)
    member = repository.mine()
    context = {
        "member": member,
        "contacts": repository.contacts(),
        "plans": care_plans(session, actor),
        "supports": supports(session, actor, member, local_today(now)),
        "program_words": program_words,
        "cap_words": cap_words,
    }
    return render(request, "care.html", context)


@router.get("/app/me/letters")
def letters(request: Request, actor: MemberActor, session: SessionDep) -> Response:
    """The member's letters (to open as PDF) and notices."""
    repository = OwnCare(session, actor)
    context = {
        "member": repository.mine(),
        "letters": repository.letters(),
        "notices": repository.notices(),
        "letter_words": letter_words,
        "notice_words": notice_words,
    }
    return render(request, "letters.html", context)


@router.get("/app/me/letters/{letter_id}")
def letter(letter_id: uuid.UUID, actor: MemberActor, session: SessionDep) -> Response:
    """One of the member's letters, exactly as sent (PDF); any other is not found."""
    found = OwnCare(session, actor).letter(letter_id)
    headers = {"Content-Disposition": f'inline; filename="letter-{found.created_at:%Y-%m-%d}.pdf"'}
    return Response(found.pdf, media_type="application/pdf", headers=headers)
